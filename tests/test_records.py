"""Stage 4 on its own: a table in (text, tab-separated as the text extractor reads it), records out.

One test per layout family of the national templates, with inputs written here: codes in one
column or in 类/款/项 columns, printed with their names, or only names; side-by-side groups; units
named without codes; “三公” items down the rows; six-decimal figures and the unit of each table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from lodpub.extract import extract
from lodpub.recognise import recognise
from lodpub.records import build_records
from lodpub.sources import from_path

from conftest import EXAMPLE


def read(tmp_path, *rows: str, name: str = "doc.txt"):
    """The records of a text document whose rows are given with “|” between cells."""
    path = tmp_path / name
    path.write_text("\n".join(r.replace(" | ", "\t").replace("| ", "\t").replace(" |", "\t") for r in rows) + "\n", encoding="utf-8")
    return build_records(recognise(extract(from_path(path))))


def lines_of(records, table: int = 1) -> list[tuple]:
    """(function code, economic code, role, column label, amount in 元) of a table's budget lines."""
    return [
        (o.dims.get("lp:functionalClassification"), o.dims.get("lp:economicClassification"), o.role, o.column_label, o.amount)
        for o in records.observations
        if o.table == table
    ]


def test_final_account_with_the_code_in_one_column_reads_every_item(tmp_path):
    """The code in one 功能分类科目编码 column next to a 项目支出 column whose cells are printed (zeros
    too): every 项 line is read, none is lost to a header that merely contains 项."""
    records = read(
        tmp_path,
        "某某区某某局2024年度部门决算",
        "支出决算表",
        "单位：万元",
        "项目 |  | 本年支出合计 | 基本支出 | 项目支出",
        "功能分类科目编码 | 科目名称 |  |  | ",
        "合计 |  | 30.00 | 20.00 | 10.00",
        "201 | 一般公共服务支出 | 30.00 | 20.00 | 10.00",
        "20106 | 财政事务 | 30.00 | 20.00 | 10.00",
        "2010601 | 行政运行 | 20.00 | 20.00 | 0.00",
        "2010602 | 一般行政管理事务 | 10.00 | 0.00 | 10.00",
    )
    assert not records.skipped
    items = {(code, label): amount for code, _, role, label, amount in lines_of(records) if role == "item"}
    assert items == {
        ("2010601", "本年支出合计"): Decimal(200000),
        ("2010601", "基本支出"): Decimal(200000),
        ("2010601", "项目支出"): Decimal(0),
        ("2010602", "本年支出合计"): Decimal(100000),
        ("2010602", "基本支出"): Decimal(0),
        ("2010602", "项目支出"): Decimal(100000),
    }
    assert (records.department, records.fiscal_year, records.phase) == ("某某区某某局", "2024", "final-account")


def test_code_parts_in_their_own_columns_are_completed_from_the_rows_above(tmp_path):
    records = read(
        tmp_path,
        "2026年一般公共预算支出情况表",
        "单位名称：长沙某某办公室 单位：万元",
        "科目编码 |  |  | 功能科目 | 总计 | 基本支出 | 项目支出",
        "类 | 款 | 项 |  |  |  | ",
        " |  |  | 合计 | 9.00 | 4.00 | 5.00",
        "205 |  |  | 教育支出 | 9.00 | 4.00 | 5.00",
        " | 03 |  | 职业教育 | 9.00 | 4.00 | 5.00",
        " |  | 05 | 高等职业教育 | 9.00 | 4.00 | 5.00",
    )
    codes = [(code, role) for code, _, role, label, _ in lines_of(records) if label == "总计"]
    assert codes == [("_T", "total"), ("205", "subtotal"), ("20503", "subtotal"), ("2050305", "item")]


@pytest.mark.parametrize("item, subitem, other", [("20503", "2050305", "2050399"), ("20503", "05", "99"), ("03", "2050305", "2050399")])
def test_code_parts_printed_as_the_whole_code(tmp_path, item, subitem, other):
    """Some regions fill the 类/款/项 columns with the whole code down to each (款 20503, 项 2050305): it is
    that code, not the parts above run into it (20520503 was read, and flagged as no code)."""
    records = read(
        tmp_path,
        "2026年一般公共预算支出情况表",
        "单位：万元",
        "科目编码 |  |  | 功能科目 | 总计 | 基本支出 | 项目支出",
        "类 | 款 | 项 |  |  |  | ",
        " |  |  | 合计 | 10.00 | 5.00 | 5.00",
        "205 |  |  | 教育支出 | 9.00 | 4.00 | 5.00",
        f" | {item} |  | 职业教育 | 9.00 | 4.00 | 5.00",
        f" |  | {subitem} | 高等职业教育 | 8.00 | 4.00 | 4.00",
        f" |  | {other} | 其他职业教育支出 | 1.00 |  | 1.00",
        "208 |  |  | 社会保障和就业支出 | 1.00 | 1.00 | ",
        " | 20805 |  | 行政事业单位养老支出 | 1.00 | 1.00 | ",
        " |  | 2080505 | 机关事业单位基本养老保险缴费支出 | 1.00 | 1.00 | ",
    )
    codes = [(code, role) for code, _, role, label, _ in lines_of(records) if label == "总计"]
    assert codes == [
        ("_T", "total"),
        ("205", "subtotal"),
        ("20503", "subtotal"),
        ("2050305", "item"),
        ("2050399", "item"),
        ("208", "subtotal"),
        ("20805", "subtotal"),
        ("2080505", "item"),
    ]


def test_codes_printed_with_their_names(tmp_path):
    records = read(
        tmp_path,
        "预算05表 一般公共预算支出表",
        "金额单位：万元",
        "功能科目名称 | 一般公共预算支出 |  | ",
        " | 小计 | 其中：基本支出 | 项目支出",
        "合计 | 1.500000 | 1.000000 | 0.500000",
        "[201]一般公共服务支出 | 1.500000 | 1.000000 | 0.500000",
        "2010801-行政运行 | 1.500000 | 1.000000 | 0.500000",
    )
    assert [(c, role, amount) for c, _, role, label, amount in lines_of(records) if label == "小计"] == [
        ("_T", "total", Decimal("15000.000000")),
        ("201", "subtotal", Decimal("15000.000000")),
        ("2010801", "item", Decimal("15000.000000")),
    ]


@pytest.mark.parametrize("between", ["", " "])
@pytest.mark.parametrize("function_header, economic_header", [("功能分类科目", "经济分类科目"), ("科目名称", "科目名称")])
def test_a_code_run_into_its_name(tmp_path, between, function_header, economic_header):
    """A spreadsheet that joins a code's cell and its name's prints 2010301行政运行 with nothing between
    them, under a heading of code and name (功能分类科目) or of the name (科目名称): it reads as 2010301
    行政运行 does, a code of the table's classification (2xx function, 3xx economic) and its name."""
    records = read(
        tmp_path,
        "一般公共预算支出预算表",
        "单位：万元",
        f"{function_header} | 合计 | 基本支出 | 项目支出",
        "合计 | 300.00 | 200.00 | 100.00",
        f"201{between}一般公共服务支出 | 300.00 | 200.00 | 100.00",
        f"20103{between}政府办公厅（室）及相关机构事务 | 300.00 | 200.00 | 100.00",
        f"2010301{between}行政运行 | 200.00 | 200.00 | ",
        f"2010302{between}一般行政管理事务 | 100.00 |  | 100.00",
        "部门预算支出经济分类预算表",
        "单位：万元",
        f"{economic_header} | 金额",
        "合计 | 200.00",
        f"301{between}工资福利支出 | 200.00",
        f"30101{between}基本工资 | 200.00",
    )
    assert records.skipped == []
    assert [(c, role, amount) for c, _, role, label, amount in lines_of(records) if label == "合计"] == [
        ("_T", "total", Decimal("3000000.00")),
        ("201", "subtotal", Decimal("3000000.00")),
        ("20103", "subtotal", Decimal("3000000.00")),
        ("2010301", "item", Decimal("2000000.00")),
        ("2010302", "item", Decimal("1000000.00")),
    ]
    assert [(e, amount) for _, e, _, _, amount in lines_of(records, 2)] == [
        ("_T", Decimal("2000000.00")),
        ("301", Decimal("2000000.00")),
        ("30101", Decimal("2000000.00")),
    ]
    assert [o.row_label for o in records.observations if o.table == 1 and o.column_label == "合计"][1:3] == [
        "一般公共服务支出",
        "政府办公厅（室）及相关机构事务",
    ]


@pytest.mark.parametrize("blank", [" ", "  ", "\u3000"])
def test_a_code_printed_by_its_parts_with_blanks_between(tmp_path, blank):
    """201 03 01 行政运行 in a column of code and name, 201 03 01 in a column of codes, 301 01 for an economic
    code: the codes 2010301 and 30101, as printed without the blanks."""
    records = read(
        tmp_path,
        "一般公共预算支出预算表",
        "单位：万元",
        "功能分类科目 | 合计 | 基本支出 | 项目支出",
        "合计 | 300.00 | 200.00 | 100.00",
        "201 一般公共服务支出 | 300.00 | 200.00 | 100.00",
        f"201{blank}03 政府办公厅（室）及相关机构事务 | 300.00 | 200.00 | 100.00",
        f"201{blank}03{blank}01 行政运行 | 200.00 | 200.00 | ",
        f"201{blank}03{blank}02 一般行政管理事务 | 100.00 |  | 100.00",
        "一般公共预算基本支出预算表",
        "单位：万元",
        "经济科目编码 | 经济科目名称 | 金额",
        " | 合计 | 200.00",
        "301 | 工资福利支出 | 200.00",
        f"301{blank}01 | 基本工资 | 200.00",
    )
    assert records.skipped == []
    assert [(c, role) for c, _, role, label, _ in lines_of(records) if label == "合计"] == [
        ("_T", "total"),
        ("201", "subtotal"),
        ("20103", "subtotal"),
        ("2010301", "item"),
        ("2010302", "item"),
    ]
    assert [(e, amount) for _, e, _, _, amount in lines_of(records, 2)] == [
        ("_T", Decimal("2000000.00")),
        ("301", Decimal("2000000.00")),
        ("30101", Decimal("2000000.00")),
    ]
    assert [o.row_label for o in records.observations if o.table == 1 and o.column_label == "合计"][3:] == ["行政运行", "一般行政管理事务"]


def test_names_without_codes_take_the_codes_the_document_prints_elsewhere(tmp_path):
    """深圳: the 收支总表 lists 类, 款 and 项 by name only; the 支出总表 prints them with codes."""
    records = read(
        tmp_path,
        "收支总表",
        "部门名称：深圳市某某局（本级） 单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 2026年预算数 | 项目 | 2026年预算数",
        "一、财政拨款 | 30.00 | 一、公共安全支出 | 30.00",
        "1.一般公共预算拨款 | 30.00 | 司法 | 30.00",
        " |  | 行政运行 | 20.00",
        " |  | 普法宣传 | 10.00",
        "本年收入合计 | 30.00 | 本年支出合计 | 30.00",
        "支出总表",
        "部门名称：深圳市某某局（本级） 单位：万元",
        "科目编码 | 科目名称 | 支出总计 | 基本支出 | 项目支出",
        "204 | 公共安全支出 | 30.00 | 20.00 | 10.00",
        "20406 | 司法 | 30.00 | 20.00 | 10.00",
        "2040601 | 行政运行 | 20.00 | 20.00 | 0.00",
        "2040605 | 普法宣传 | 10.00 | 0.00 | 10.00",
    )
    assert not records.skipped
    assert records.department == "深圳市某某局"
    expenditure = [
        (o.dims.get("lp:functionalClassification"), o.role)
        for o in records.observations
        if o.table == 1 and o.dims.get("lp:direction") == "expenditure" and o.role != "total"
    ]
    assert expenditure == [("204", "subtotal"), ("20406", "subtotal"), ("2040601", "item"), ("2040605", "item")]


def test_groups_side_by_side_are_read_group_by_group(tmp_path):
    """A final account's basic expenditure (公开06表): 人员经费 and 公用经费 each with its own code column."""
    records = read(
        tmp_path,
        "一般公共预算财政拨款基本支出决算表",
        "部门：某某局 金额单位：万元",
        "人员经费 |  |  | 公用经费 |  | ",
        "科目代码 | 科目名称 | 决算数 | 科目代码 | 科目名称 | 决算数",
        "301 | 工资福利支出 | 5.00 | 302 | 商品和服务支出 | 2.00",
        "30101 | 基本工资 | 5.00 | 30201 | 办公费 | 2.00",
    )
    got = {(o.dims["lp:economicClassification"], o.dims["lp:expenditureKind"], o.role) for o in records.observations}
    assert got == {("301", "personnel", "subtotal"), ("302", "public", "subtotal"), ("30101", "personnel", "item"), ("30201", "public", "item")}


def test_units_named_without_codes(tmp_path):
    records = read(
        tmp_path,
        "收入总体情况表",
        "单位名称：广州市某某局 单位：万元",
        "单位名称 | 合计 | 财政拨款收入 | ",
        " |  | 一般公共预算 | 政府性基金预算",
        "合计 | 12.00 | 10.00 | 2.00",
        "广州市某某局 | 8.00 | 8.00 | 0.00",
        "广州市某某中心 | 4.00 | 2.00 | 2.00",
    )
    assert not records.skipped
    orgs = {o.row_label: (o.role, o.dims["lp:organisation"]) for o in records.observations if o.column_label == "合计"}
    assert orgs["合计"] == ("total", "")
    assert orgs["广州市某某中心"][0] == "item" and orgs["广州市某某中心"][1].startswith("/unit/n")
    assert orgs["广州市某某局"][1] != orgs["广州市某某中心"][1]


@pytest.mark.parametrize(
    ("header", "phase"),
    [
        ("上年执行数", "final-account"),
        ("上年决算数", "final-account"),
        ("上年预算数", None),
        ("上年调整预算数", "adjusted-budget"),
        ("2025年执行数", "final-account"),
    ],
)
def test_a_column_of_the_year_before_is_of_that_year_in_the_phase_it_names(tmp_path, header, phase):
    """上年执行数 beside 2026年预算数: last year's actuals, not this year's budget (they were reported as an
    unknown header); 上年预算数 is a budget, as the document, of the year before."""
    records = read(
        tmp_path,
        "2026年某某局部门预算",
        "一般公共预算支出表",
        "单位：万元",
        f"科目编码 | 科目名称 | {header} | 2026年预算数",
        "2010301 | 行政运行 | 30.00 | 20.00",
    )
    assert not records.skipped
    got = [(o.column_label, o.fiscal_year, o.phase, o.amount) for o in records.observations]
    assert got == [(header, "2025", phase, Decimal(300000)), ("2026年预算数", None, None, Decimal(200000))]


def test_a_row_of_last_years_actuals_down_the_rows(tmp_path):
    """A 决算 三公 table printing 上年决算数 | 预算数 | 决算数 down the rows: each row in its phase and year."""
    records = read(
        tmp_path,
        "某某局2024年度部门决算",
        "一般公共预算财政拨款“三公”经费支出决算表",
        "单位：万元",
        "项目 | 合计 | 因公出国（境）费 | 公务接待费",
        "上年决算数 | 12.00 | 2.00 | 10.00",
        "预算数 | 15.00 | 5.00 | 10.00",
        "决算数 | 11.00 | 1.00 | 10.00",
    )
    assert not records.skipped
    got = {(o.fiscal_year, o.phase, o.dims["lp:controlledExpense"]): o.amount for o in records.observations}
    assert got[("2023", None, "overseas")] == Decimal(20000)  # the document's phase (决算), a year before
    assert got[(None, "budget", "overseas")] == Decimal(50000)
    assert got[(None, None, "overseas")] == Decimal(10000)
    assert len(got) == 9


def test_negatives_printed_in_brackets_or_after_a_triangle(tmp_path):
    """Accounting formats print -2.00 as (2.00) or △2.00: read as negatives (they were skipped as not a
    number); a bracketed number without decimals, (1), is a note's or a column's number, not a figure."""
    records = read(
        tmp_path,
        "某某局2024年度部门决算",
        "支出决算表",
        "单位：万元",
        "科目编码 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出",
        "2010601 | 行政运行 | 30.00 | 32.00 | (2.00)",
        "2010602 | 一般行政管理事务 | 30.00 | 32.00 | △2.00",
        "2010650 | 事业运行 | 30.00 | 31.00 | (1)",
    )
    got = [(o.dims["lp:functionalClassification"], o.printed, o.amount) for o in records.observations if o.column_label == "项目支出"]
    assert got == [("2010601", "(2.00)", Decimal(-20000)), ("2010602", "△2.00", Decimal(-20000))]
    assert [(s.printed, s.reason) for s in records.skipped] == [("(1)", "not a number: “(1)”")]


def test_three_public_items_down_the_rows(tmp_path):
    records = read(
        tmp_path,
        "十、一般公共预算“三公”经费支出预算表",
        "单位：万元",
        "项目 | 预算数",
        "合计 | 27.31",
        "1、因公出国（境）费用 | 0.00",
        "2、公务接待费 | 2.00",
        "3、公务用车购置及运行费 | 25.31",
        "其中：（1）公务用车购置费 | 0.00",
        "（2）公务用车运行费 | 25.31",
    )
    assert not records.skipped
    # the 合计 of a table that prints the 三公 and nothing else is the 三公 total (the breakdown 三公 = its three parts
    # and the narrative's “三公”经费 are checked against it)
    assert [o.dims["lp:controlledExpense"] for o in records.observations] == [
        "total",
        "overseas",
        "reception",
        "vehicle",
        "vehicle-purchase",
        "vehicle-operation",
    ]
    # 福州: the vehicle line is the subtotal of the two printed under it (it was an item beside them: the
    # table's 合计 looked smaller than its items by the vehicle expenses)
    assert [o.role for o in records.observations] == ["total", "item", "item", "subtotal", "item", "item"]


def test_each_table_has_its_own_unit_of_money(tmp_path):
    records = read(
        tmp_path,
        "部门综合预算收支总表",
        "单位：元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、一般公共预算拨款 | 28,384,234.71 | 一、一般公共服务支出 | 28,384,234.71",
        "部门综合预算一般公共预算支出明细表（按支出功能分类科目）",
        "单位：万元",
        "功能科目编码 | 功能科目名称 | 合计",
        "201 | 一般公共服务支出 | 2838.42",
    )
    amounts = {(o.table, o.unit): o.amount for o in records.observations}
    assert amounts[(1, "元")] == Decimal("28384234.71") and amounts[(2, "万元")] == Decimal("28384200")


@pytest.mark.parametrize("printed", ["单位：人民币元", "单位（元）", "金额单位:元", "单位：元（人民币）"])
def test_the_unit_of_money_however_printed(tmp_path, printed):
    """单位：人民币元 and 单位（元） name 元 as 单位：元 does; read as the document's usual 万元 they made every
    figure ten thousand times what it is."""
    records = read(
        tmp_path,
        "部门综合预算收支总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、一般公共预算拨款 | 2,838.42 | 一、一般公共服务支出 | 2,838.42",
        "部门综合预算一般公共预算支出明细表（按支出功能分类科目）",
        printed,
        "功能科目编码 | 功能科目名称 | 合计",
        "201 | 一般公共服务支出 | 28,384,234.71",
    )
    amounts = {(o.table, o.unit): o.amount for o in records.observations}
    assert amounts[(2, "元")] == Decimal("28384234.71") and amounts[(1, "万元")] == Decimal("28384200")


def test_a_funding_table_printed_with_sublabels(tmp_path):
    """江苏 公开02表: 项目名称 over funding sources, a header-less column of sub-labels beside it (小计,
    then the sources under it): the 小计 row is a subtotal, a row labelled only in the sub-label column
    is read by that label, and nothing becomes a total that is not printed as one."""
    records = read(
        tmp_path,
        "江苏省某某厅2018年部门预算",
        "公开02表：收入预算总表",
        "部门：江苏省某某厅 单位：万元",
        "项目名称 |  | 金额",
        "收入总计 |  | 110.00",
        "一般公共预算资金 | 小计 | 100.00",
        " | 公共财政拨款(补助)资金 | 100.00",
        "其他资金 | 小计 | 10.00",
    )
    got = sorted((o.role, o.dims.get("lp:fundingSource"), o.amount) for o in records.observations)
    assert got == [
        ("item", "general-public-budget", Decimal(1000000)),
        ("subtotal", "general-public-budget", Decimal(1000000)),
        ("subtotal", "other-funds", Decimal(100000)),
        ("total", "_T", Decimal(1100000)),
    ]


def test_a_grid_under_a_heading_of_the_narrative_after_the_tables(tmp_path):
    """深圳/广州: 重点项目绩效目标情况 printed as a grid without a 表 title, after prose that follows the
    last table, and going on over a page break: one table of projects, headed by that prose."""
    records = read(
        tmp_path,
        "深圳市某某局2026年部门预算",
        "三公经费支出表",
        "单位：万元",
        "合计 | 因公出国（境）费用 | 公务接待费",
        "3.00 | 1.00 | 2.00",
        "七、重点项目预算绩效情况说明",
        "2026年，本单位重点项目绩效目标情况如下：",
        "二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标",
        "深圳市某某局（本级） | 公共法律服务 | 3,493.83 | 开展律师事务所年度检查工作。",
        "- 10 -",
        "深圳市某某局（本级） | 社工服务项目 | 587.90 | 及时提供社工服务。",
    )
    assert not records.unread and not records.skipped
    kinds = [t.kind for t in records.tables]
    assert kinds == ["three-public-expenditure", "project-performance-targets"]
    projects = {p.name: p for p in records.projects}
    assert set(projects) == {"公共法律服务", "社工服务项目"}
    amounts = sorted(o.amount for o in records.observations if o.table == 2)
    assert amounts == [Decimal("5879000.00"), Decimal("34938300.00")]


def test_a_header_repeated_with_its_cells_elsewhere_is_not_read_as_figures(tmp_path):
    """广州: the header printed again on each page of a long table, its text cells falling under other
    rules than on the first page: it is a repeated header, not a row of “not a number” cells."""
    records = read(
        tmp_path,
        "广州市某某局2026年部门预算",
        "部门预算项目支出及其他支出预算表",
        "单位：万元",
        "支出项目类别（资金使用单位） | 总计 |  | 财政拨款 | 绩效目标",
        "科研经费 | 20.00 |  | 20.00 | 通过开展研究",
        "支出项目类别（资金使用单位） |  | 总计 | 财政拨款 |  | 绩效目标",
        "健康素养促进项目 | 105.00 |  | 105.00 | 通过落实行动",
    )
    assert not records.skipped
    assert sorted(o.amount for o in records.observations) == [Decimal(200000)] * 2 + [Decimal(1050000)] * 2


@pytest.mark.parametrize(
    "cover, title",
    [
        # a word the layout wrapped over two lines (深圳, 烟台 covers)
        (["2026年深圳市司法局（本级）部门预", "算"], "2026年深圳市司法局（本级）部门预算"),
        (["2026年深圳市科技创新局（本级）部", "门预算"], "2026年深圳市科技创新局（本级）部门预算"),
        # the organisation's name over two lines, between the year and the kind (福州 covers)
        (["2026年度", "福州市公安局治安管理", "支队", "单位预算"], "2026年度 福州市公安局治安管理支队 单位预算"),
        # the organisation, then the title line
        (["漯河市人民政府办公室", "2024 年度部门预算公开说明"], "漯河市人民政府办公室 2024 年度部门预算公开说明"),
        # a page number before the title is no part of it
        (["- 1 -", "江苏省委办公厅2019年度部门预算公开"], "江苏省委办公厅2019年度部门预算公开"),
    ],
)
def test_the_title_on_the_cover(cover, title):
    from lodpub.model import Line
    from lodpub.records.document import _document_title

    lines = [Line(1, i + 1, (text,)) for i, text in enumerate(cover)]
    lines += [Line(1, 10, ("目 录",)), Line(1, 11, ("第二部分 部门预算收支总体情况",)), Line(2, 12, ("一、部门职责",))]
    assert _document_title(lines) == title


def test_a_cover_without_the_kind_of_document_takes_the_first_title_that_names_it():
    from lodpub.model import Line
    from lodpub.records.document import _document_title

    lines = [Line(1, 1, ("2026",)), Line(1, 2, ("第一部分 2026年度部门预算情况说明",)), Line(1, 3, ("一、部门情况说明",))]
    assert _document_title(lines) == "第一部分 2026年度部门预算情况说明"


def test_three_public_figures_by_year_down_the_rows(tmp_path):
    """深圳: a 年度 column splits a unit's rows by year (its name printed on the first only); the row of
    their change (增减变化金额) holds no budget figure and is reported as skipped."""
    records = read(
        tmp_path,
        "2026年深圳市某某局部门预算",
        "财政拨款“三公”经费支出表",
        "部门名称：深圳市某某局（本级） 单位：万元",
        "预算单位 | 年度 | 总计 | 因公出国(境)费 | 公务接待费",
        "深圳市某某局（本级） | 2025年 | 33.00 | 18.00 | 15.00",
        " | 2026年 | 66.00 | 46.80 | 19.20",
        " | 增减变化金额 | 33.00 | 28.80 | 4.20",
    )
    got = [(o.fiscal_year, o.row_label, o.dims["lp:controlledExpense"], o.role, o.amount) for o in records.observations]
    assert got == [  # 总计 of a table of the 三公 alone: the 三公 total
        ("2025", "深圳市某某局（本级）", "total", "item", Decimal("330000")),
        ("2025", "深圳市某某局（本级）", "overseas", "item", Decimal("180000")),
        ("2025", "深圳市某某局（本级）", "reception", "item", Decimal("150000")),
        (None, "深圳市某某局（本级）", "total", "item", Decimal("660000")),
        (None, "深圳市某某局（本级）", "overseas", "item", Decimal("468000")),
        (None, "深圳市某某局（本级）", "reception", "item", Decimal("192000")),
    ]
    assert [(s.row, s.printed) for s in records.skipped] == [(3, "33.00"), (3, "28.80"), (3, "4.20")]
    assert all("增减变化金额" in s.reason for s in records.skipped)


def test_a_first_level_ordinal_names_a_class_whatever_the_rows_above():
    """深圳 收支总表: “五、其他支出” after the 项 of 22102 is the 类 229, not 2210299 其他住房改革支出;
    printed without its ordinal under a 款, the generic name still stands for that 款's 99 项."""
    from lodpub.records.codes import CodeResolver

    resolver = CodeResolver()
    assert resolver.resolve("function", "五、其他支出", "2210203") == "229"
    assert resolver.resolve("function", "其他支出", "22102") == "2210299"
    assert resolver.resolve("function", "其他支出", "2210201") == "229"  # after a 项: the next class (湖州)


def test_two_government_economic_classes_by_names_a_region_prints():
    """西安 收支总表 (政府预算支出经济分类 side): 机关资本性支出（基本建设） is 504 (its narrative prints “（504）”), 对社保基金补助
    is 510; both were reported as row labels not recognised."""
    from lodpub.records.codes import CodeResolver

    resolver = CodeResolver()
    assert resolver.resolve("economic-gov", "4、机关资本性支出（基本建设）") == "504"
    assert resolver.resolve("economic-gov", "10、对社保基金补助") == "510"


def test_a_name_with_a_bracket_left_open_is_looked_up_once_with_its_suffix():
    """A name is tried again with 支出 after it (西安: 债务利息及费用 for 债务利息及费用支出), once: the key of a name
    whose bracket the cell cut off ends in the closing bracket, never in 支出, and the lookup went on until
    Python's recursion limit (a mutated corpus text's row “工资福利（”)."""
    from lodpub.records.codes import CodeResolver

    resolver = CodeResolver()
    assert resolver.resolve("economic-dept", "工资福利（") is None
    assert resolver.resolve("economic-gov", "5、债务利息及费用") is not None


def test_an_income_line_over_lines_numbered_one_level_deeper_is_their_subtotal(tmp_path):
    """苏州 财政拨款收支总表: “一、本年收入” over “（一）一般公共预算拨款 …” is a subtotal of them (it was read as
    a second item beside them, so the side's total looked twice too small)."""
    records = read(
        tmp_path,
        "财政拨款收支总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、本年收入 | 4,651.67 | 一、本年支出 | 4,651.67",
        "（一）一般公共预算拨款 | 4,651.67 | （一）一般公共服务支出 | 4,651.67",
        "（二）政府性基金预算拨款 |  | （二）外交支出 | ",
        "二、上年结转 |  | 二、年终结转结余 | ",
        "收入总计 | 4,651.67 | 支出总计 | 4,651.67",
    )
    income = [(o.row_label, o.role) for o in records.observations if o.dims.get("lp:direction") == "revenue"]
    assert income == [("一、本年收入", "total"), ("（一）一般公共预算拨款", "item"), ("收入总计", "total")]
    # 一、本年收入 is the side's current-year total (国家信访局: it was a source of funds of its own, and the side
    # was compared with 收入总计, which holds the carry-over too)
    assert [o.dims["lp:lineItem"] for o in records.observations if o.row_label == "一、本年收入"] == ["current-year-income"]


def test_ordinal_levels():
    from lodpub.records.two_sided import ordinal_level

    assert [ordinal_level(t) for t in ("本年收入", "一、本年收入", "（一）一般公共预算", "(二)政府性基金", "1.事业收入", "（1）其他")] == [0, 1, 2, 2, 3, 4]


def test_a_procurement_table_by_category_then_unit_then_purchase(tmp_path):
    """苏州 政府采购支出表: a category row (货物), the unit's row inside it, then its purchases (专项名称,
    经济科目, 采购品目名称): the category row is its subtotal, not a total of the table; the department's own
    row repeating it is reported as skipped; the purchases carry their category."""
    records = read(
        tmp_path,
        "2026年度苏州市某某局部门预算公开",
        "政府采购支出表",
        "单位：万元",
        "采购品目大类 | 专项名称 | 经济科目 | 采购品目名称 | 采购组织形式 | 一般公共预算资金 | 总计",
        "合计 |  |  |  |  | 188.50 | 188.50",
        "货物 |  |  |  |  | 5.50 | 5.50",
        "苏州市某某局 |  |  |  |  | 5.50 | 5.50",
        " | 定额 | 办公费 | 复印纸 | 集中采购 | 1.30 | 1.30",
        " | 设备购置 | 办公设备购置 | 便携式计算机 | 集中采购 | 4.20 | 4.20",
        "服务 |  |  |  |  | 183.00 | 183.00",
        "苏州市某某局 |  |  |  |  | 183.00 | 183.00",
        " | 物业管理费 | 物业管理费 | 物业管理服务 | 分散采购 | 183.00 | 183.00",
    )
    rows = {(o.row, o.role, o.dims.get("lp:procurementCategory")) for o in records.observations}
    assert rows == {
        (1, "total", "_T"),
        (2, "subtotal", "goods"),
        (4, "item", "goods"),
        (5, "item", "goods"),
        (6, "subtotal", "services"),
        (8, "item", "services"),
    }
    assert sorted((s.row, s.printed) for s in records.skipped) == [(3, "5.50"), (3, "5.50"), (7, "183.00"), (7, "183.00")]
    assert all("repeats the subtotal of the procurement category" in s.reason for s in records.skipped)


@pytest.mark.parametrize(
    "department, printed, own_unit, other_unit",
    [
        ("杭州市某某局", "杭州市某某局", "杭州市某某局", "杭州市某某局直属支队"),
        # 湖州: the department's row without its place, its own unit under the full name
        ("湖州市退役军人事务局", "退役军人事务局", "湖州市退役军人事务局", "湖州市烈士陵园管理所"),
    ],
)
def test_the_department_row_over_its_own_unit_of_the_same_name(tmp_path, department, printed, own_unit, other_unit):
    """杭州 收入预算总表: 合计, then the department's row, then its own unit (本级) under the same name, then
    the other units, none with a code: the department's row is its subtotal, not a unit beside the others
    (湖州 prints the first without its place; its units were summed twice into 合计)."""
    records = read(
        tmp_path,
        f"{department}2026年部门预算",
        "2026年市级部门收入预算总表",
        "单位：万元",
        "单位名称 | 总计",
        "合计 | 300.00",
        f"{printed} | 300.00",
        f"{own_unit} | 100.00",
        f"{other_unit} | 200.00",
    )
    got = [(o.row, o.role, o.dims["lp:organisation"] == "") for o in records.observations]
    assert got == [(1, "total", True), (2, "subtotal", True), (3, "item", False), (4, "item", False)]


def test_the_annual_main_tasks_of_the_department_wide_targets(tmp_path):
    """西安 (the national 部门整体支出绩效目标表): 年度主要任务 | 任务名称 | 主要内容 | 预算金额 (总额, 财政拨款 …): each
    task and its content an indicator of the document; their budgets reported as skipped, not read as the
    department's totals (every task's 总额 was compared with the department's total expenditure)."""
    records = read(
        tmp_path,
        "西安市某某局2022年部门综合预算",
        "2022年部门整体支出绩效目标表",
        "年度主要任务 | 任务名称 | 主要内容 |  | 预算金额（万元） | ",
        " |  |  |  | 总额 | 财政拨款",
        " | 基本履职 | 人员地方津补贴及运转 |  | 508.61 | 508.61",
        " | 气象防灾减灾 | 业务运行 |  | 120 | 120",
        " | 金额合计 |  |  | 628.61 | 628.61",
        "年度总体目标 | 目标 1：认真履职，各项业务工作安全平稳运行。",
    )
    tasks = [(i.name, i.explanation) for i in records.indicators if i.category == "annual-task"]
    assert tasks == [("基本履职", "人员地方津补贴及运转"), ("气象防灾减灾", "业务运行")]
    # the year's goal after the tasks (their header still over it): a goal, not lost
    assert [(i.name, i.explanation) for i in records.indicators if i.category == "annual-goal"] == [
        ("年度总体目标", "目标 1：认真履职，各项业务工作安全平稳运行。")
    ]
    assert not [o for o in records.observations if o.table == 1]
    assert sorted(s.printed for s in records.skipped) == ["120", "120", "508.61", "508.61", "628.61", "628.61"]
    assert all("annual main task" in s.reason for s in records.skipped)


def test_the_tasks_of_guangdongs_department_wide_form_under_their_blocks_label(tmp_path):
    """广东's 部门整体预算绩效目标申报表 (广州 政务服务和数据管理局): 年度重点工作任务 | 名称 | 主要实施内容 | 拟投入的资金（万元）
    | 期望达到的目标, the label printed again beside a task on the next page; its goal is 总体绩效目标. Each task was
    read as the form's sub-header (its budget “under a header that names no budget figure”), the goal not at all,
    and the budget rows' own header (部门预算支出 | 预算金额（万元） | 收入来源 …) was a task."""
    records = read(
        tmp_path,
        "广州市某某局2026年部门整体预算绩效目标申报表",
        "部门名称 |  | 广州市某某局 |  |  | ",
        "预算整体情况 |  | 部门预算支出 | 预算金额（万元） | 收入来源 | 预算金额（万元）",
        " |  | 基本支出 | 12,634.14 | 财政拨款 | 98,880.78",
        " |  | 项目支出 | 86,246.64 | 其他资金 | 0.00",
        "总体绩效目标 |  | 推动数字广州高质量发展。 |  |  | ",
        "年度重点工作任务 |  | 名称 | 主要实施内容 | 拟投入的资金（万元） | 期望达到的目标（概述）",
        " |  | 热线服务 | 整合全市热线资源 | 12,000.00 | 话务接通率达标",
        "年度重点工作任务 |  | 安全保障 | 统筹网络安全运营 | 51,365.96 | 不发生重大事件",
        "其他需完成的任务（可选填） |  |  |  |  | ",
    )
    got = [(i.category, i.name, i.explanation) for i in records.indicators]
    assert got == [
        ("annual-goal", "总体绩效目标", "推动数字广州高质量发展。"),
        ("annual-task", "热线服务", "整合全市热线资源 话务接通率达标"),
        ("annual-task", "安全保障", "统筹网络安全运营 不发生重大事件"),
    ]
    assert sorted(o.printed for o in records.observations) == ["0.00", "12,634.14", "86,246.64", "98,880.78"]
    assert sorted(s.printed for s in records.skipped) == ["12,000.00", "51,365.96"]
    assert all("annual main task" in s.reason for s in records.skipped)


def test_rows_naming_whose_form_it_is_are_no_tasks_and_the_goal_below_its_heading_is_the_goal(tmp_path):
    """西安 opens the department-wide targets with 部门（单位）名称 | 西安市审计局, 北京 with 部门名称: the department,
    no annual task (22 such “tasks” in the crawl); 总体目标 | 年度目标 is a heading over the goal on the row
    below (“总体目标” was a task whose content was 年度目标)."""
    records = read(
        tmp_path,
        "西安市审计局2026年部门预算",
        "2026年部门整体支出绩效目标表",
        "部门（单位）名称 | 西安市审计局",
        "总体目标 | 年度目标",
        " | 保障机关正常运转，完成年度工作任务。",
        "一级指标 | 二级指标 | 三级指标 | 指标值",
        "产出指标 | 数量指标 | 完成任务数 | ≥5项",
    )
    got = [(i.category, i.name, i.value, i.explanation) for i in records.indicators]
    assert got == [("annual-goal", "总体目标", None, "保障机关正常运转，完成年度工作任务。"), ("output", "完成任务数", "≥5项", None)]


def test_the_departments_code_beside_its_name_is_no_budget_figure(tmp_path):
    """泉州 opens the department-wide targets with 部门名称 | 泉州市人民政府办公室 | 部门预算编码 | 103: the code is
    reported as the department's code, not as an unrecognised budget row (“部门名称 … 部门预算编码”); the budget
    rows below are read."""
    records = read(
        tmp_path,
        "泉州市人民政府办公室2026年部门预算",
        "2026年部门整体支出绩效目标表",
        "部门名称 | 泉州市人民政府办公室 | 部门预算编码 | 103",
        "年度预算安排（万元） | 资金总额 | 2,000.00 | ",
        " | 基本支出 | 1,500.00 | ",
    )
    assert [s.printed for s in records.skipped] == ["103"]
    assert "部门预算编码" in records.skipped[0].reason and "not recognised" not in records.skipped[0].reason
    assert sorted(o.printed for o in records.observations) == ["1,500.00", "2,000.00"]


def test_indicator_rows_of_a_page_whose_grid_differs_from_the_headers_are_read_by_what_they_say(tmp_path):
    """西安 商务局's department-wide form prints its indicator header across 8 columns; the next page's grid has 3
    or 5 (the levels' merged cells printed on one page, not on another). Those rows were read by the header's
    columns: a value became the name (≥5%), a level the value; now by what the cells say, the levels first."""
    records = read(
        tmp_path,
        "西安市审计局2022年部门预算",
        "2022年部门整体支出绩效目标表",
        "部门（单位）名称 |  |  | 西安市审计局 |  |  |  | ",
        " | 一级指标 | 二级指标 |  | 指标内容 |  | 指标值 | ",
        " | 产出指标 | 数量指标 |  | 指标1：完成审计项目 |  | 50个 | ",
        "质量指标 | 指标2：审计报告合格率 | 100",
        " | 效益指标 | 经济效益指标 | 指标3：挽回损失 | ≥5%",
        " |  | 社会效益指标 | 指标4：审计监督作用 | 有效发挥",
    )
    got = [(i.level1, i.level2, i.name, i.value) for i in records.indicators]
    assert got == [
        ("产出指标", "数量指标", "指标1：完成审计项目", "50个"),
        ("产出指标", "质量指标", "指标2：审计报告合格率", "100"),
        ("效益指标", "经济效益指标", "指标3：挽回损失", "≥5%"),
        ("效益指标", "社会效益指标", "指标4：审计监督作用", "有效发挥"),
    ]
    assert not records.skipped and not records.observations


def test_the_levels_printed_before_an_indicators_name_in_its_cell(tmp_path):
    """北京's 预算13表 prints each indicator as 产出指标数量指标出具数据分析报告 in one cell: the first level (labels.yaml
    indicator_level1), then a level's name (数量指标, 服务对象满意度指标), then the indicator's own name. A name
    that only begins like a level keeps its words."""
    records = read(
        tmp_path,
        "北京市审计局2026年部门预算",
        "预算13表 部门整体支出绩效目标表",
        "部门名称 |  | 北京市审计局",
        " | 活动 |  | 绩效指标 |  | 指标性质 | 指标值 |  | 度量单位",
        " | 审计业务 |  | 产出指标数量指标出具数据分析报告 |  | ＝ | 4 |  | 份",
        " | 审计业务 |  | 满意度指标服务对象满意度指标全市市民对服务满意度 |  | ≥ | 90 |  | %",
        " | 审计业务 |  | 成本指标控制情况 |  | 定性 | 好 |  | ",
    )
    got = [(i.category, i.level1, i.level2, i.name, i.value) for i in records.indicators]
    assert got == [
        ("output", "产出指标", "数量指标", "出具数据分析报告", "＝ 4 份"),
        ("satisfaction", "满意度指标", "服务对象满意度指标", "全市市民对服务满意度", "≥ 90 %"),
        (None, None, None, "成本指标控制情况", "定性 好"),
    ]


def test_a_cell_that_packs_a_projects_indicators_gives_each_of_them(tmp_path):
    """广州 生态环境局 packs a project's indicators in one cell: “1.1－产出指标，11－数量指标，设备数量；实施周期指标值：
    9份，年度指标值：4份；2、2－效益指标，…”. Each is an indicator with its levels, the year's value and the whole
    period's (lp:periodTargetValue); a value may hold a “；” of its own; a page that cut the cell leaves its end on
    the next row, and the two make one indicator (300 rows of that document were one “indicator” each)."""
    records = read(
        tmp_path,
        "广州市某某局2026年项目支出绩效目标表",
        "单位：万元",
        "项目名称（资金使用单位） | 总计： | 财政拨款 | 绩效目标 | 绩效指标",
        "购置经费 | 18.00 | 18.00 | 更新办公设备。 | 1.1－产出指标，11－数量指标，设备数量；实施周期指标值：9份，年度指标值：4份；"
        "2、2－效益指标，22－社会效益，运营维护站点；实施周期指标值：空气站点2个；水站点2个，年度指标值：空气站点2个；水站点2个；"
        "3、1－产出指标，12－质量指标，验收合格",
        " |  |  |  | 率；实施周期指标值：100%，年度指标值：100%;",
        "工作经费 | 5.00 | 5.00 | 开展交流。 | 1、4－成本指标，41－经济成本指标，成本控制率；实施周期指标值：≤0%，年度指标值：≤0%;",
    )
    got = [(i.owner, i.category, i.level1, i.level2, i.name, i.value, i.period_value) for i in records.indicators]
    assert got == [
        ("1", "output", "产出指标", "数量指标", "设备数量", "4份", "9份"),
        ("1", "benefit", "效益指标", "社会效益", "运营维护站点", "空气站点2个；水站点2个", "空气站点2个；水站点2个"),
        ("1", "output", "产出指标", "质量指标", "验收合格率", "100%", "100%"),
        ("2", "cost", "成本指标", "经济成本指标", "成本控制率", "≤0%", "≤0%"),
    ]


def test_a_packed_cell_with_semicolons_between_the_parts_gives_each_indicator(tmp_path):
    """广州 政务服务和数据管理局 packs them with “；” between the parts, a half-width colon and “。” after each:
    “1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…” (its 70
    indicators had neither level nor value)."""
    records = read(
        tmp_path,
        "广州市某某局2026年项目支出绩效目标表",
        "单位：万元",
        "项目名称（资金使用单位） | 总计 | 财政拨款 | 绩效目标 | 绩效指标",
        "运营项目 | 1,391.47 | 1,391.47 | 协同推进。 | 1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；"
        "年度指标值:每年≥20场。2、2-效益指标；22-社会效益；目录更新服务；实施周期指标值:≥1套；年度指标值:≥1套。",
    )
    got = [(i.category, i.level1, i.level2, i.name, i.value, i.period_value) for i in records.indicators]
    assert got == [
        ("output", "产出指标", "数量指标", "会议活动保障次数", "每年≥20场", "每年≥20场"),
        ("benefit", "效益指标", "社会效益", "目录更新服务", "≥1套", "≥1套"),
    ]


def test_a_special_funds_targets_form_is_read_as_project_forms(tmp_path):
    """西安's 专项资金整体绩效目标表 prints one project form after another (专项（项目）名称 | 主管部门 | 资金金额 …):
    its title names 整体 and 绩效, but it is no department-wide form; each fund is a project with its indicators
    (the second form's labels were indicators of the department)."""
    records = read(
        tmp_path,
        "西安市人社局2020年部门预算",
        "2020年专项资金整体绩效目标表",
        "专项（项目）名称 |  |  | 就业补助资金 | ",
        "主管部门 |  |  | 西安市人社局 | ",
        "资金金额（万元） |  |  | 实施期资金总额： | 150",
        "总体目标 | 加强公益性岗位补贴管理。 |  |  | ",
        "绩效指标 | 一级指标 | 二级指标 | 指标内容 | 指标值",
        " | 产出指标 | 数量指标 | 公益性岗位人数 | 1000个",
        "专项（项目）名称 |  |  | 人才奖励资金 | ",
        "主管部门 |  |  | 西安市人社局 | ",
        "资金金额（万元） |  |  | 实施期资金总额： | 480",
        "总体目标 | 建立培训基地。 |  |  | ",
        "绩效指标 | 一级指标 | 二级指标 | 指标内容 | 指标值",
        " | 产出指标 | 数量指标 | 培训基地数量 | 5家",
    )
    assert records.tables[0].kind == "project-performance-form"
    assert [p.name for p in records.projects] == ["就业补助资金", "人才奖励资金"]
    owners = {p.key: p.name for p in records.projects}
    assert [(owners.get(i.owner), i.name, i.value) for i in records.indicators] == [
        ("就业补助资金", "公益性岗位人数", "1000个"),
        ("人才奖励资金", "培训基地数量", "5家"),
    ]


def test_a_projects_form_goes_on_under_its_title_printed_again(tmp_path):
    """烟台 prints each project's 政策和项目预算绩效目标表 with its title at the top of every page: the next page of a
    form holds its indicators only (绩效指标 | 产出指标 | 数量指标 | …). It was a grid of an unknown header, its
    indicators lost (57 of 人社局's, a figure skipped); they are the project's. The next form is a project of its own."""
    records = read(
        tmp_path,
        "烟台市某某局2026年部门预算",
        "政策和项目预算绩效目标表",
        "(2026年度)",
        "项目名称 |  |  | 工作经费 |  | ",
        "主管部门及代码 |  |  | 236_烟台市某某局 | 实施单位 | 烟台市某某局",
        "项目资金（万元） |  |  | 年度预算资金总额： | 686.00 | ",
        "总体目标 | 保障各项业务工作顺利进行。 |  |  |  | ",
        " | 一级指标 | 二级指标 | 三级指标 | 指标值 | ",
        "绩效指标 | 成本指标 | 经济成本 | 水电费 | ≤48万元 | ",
        "政策和项目预算绩效目标表",
        "(2026年度)",
        "绩效指标 | 产出指标 | 数量指标 | 组织召开招考场次 | ≥3场",
        " |  |  | 各类培训、会议数量≥ | 5",
        "绩效指标 | 效益指标 | 社会效益指标 | 保障全局正常运转 | 有效保障",
        "政策和项目预算绩效目标表",
        "(2026年度)",
        "项目名称 |  |  | 路面整修 |  | ",
        "项目资金（万元） |  |  | 年度预算资金总额： | 50.00 | ",
        " | 一级指标 | 二级指标 | 三级指标 | 指标值 | ",
        "绩效指标 | 产出指标 | 数量指标 | 整修面积 | 2000平方米 | ",
    )
    assert [t.kind for t in records.tables] == ["project-performance-form", "project-performance-form"]
    owners = {p.key: p.name for p in records.projects}
    assert [(owners[i.owner], i.name, i.value) for i in records.indicators] == [
        ("工作经费", "水电费", "≤48万元"),
        ("工作经费", "组织召开招考场次", "≥3场"),
        ("工作经费", "各类培训、会议数量≥", "5"),
        ("工作经费", "保障全局正常运转", "有效保障"),
        ("路面整修", "整修面积", "2000平方米"),
    ]
    assert not records.skipped


def test_an_indicators_category_from_its_second_level_where_no_first_is_printed(tmp_path):
    """西安 prints some forms' indicators under 二级指标 only (the 一级指标's merged cell on another page, or no such
    column): each indicator's category is the one the national framework puts its 二级指标 under (数量指标 is an
    output, 服务对象满意度指标 a satisfaction indicator; labels.yaml indicator_level2), its printed levels as
    printed. 成本指标 as a 二级指标 was an output before 2021 and is a cost since: no category is guessed."""
    records = read(
        tmp_path,
        "西安市某某局2026年部门预算",
        "2026年项目支出绩效目标表",
        "项目名称 |  | 工作经费 | ",
        "主管部门 |  | 西安市某某局 | ",
        "项目资金（万元） |  | 年度资金总额： | 50.00",
        "绩效指标 | 二级指标 | 三级指标 | 指标值",
        " | 数量指标 | 检查次数 | 10次",
        " | 服务对象满意度指标 | 满意度 | ≥90%",
        " | 成本指标 | 成本控制 | ≤50万元",
    )
    got = [(i.category, i.level1, i.level2, i.name) for i in records.indicators]
    assert got == [
        ("output", None, "数量指标", "检查次数"),
        ("satisfaction", None, "服务对象满意度指标", "满意度"),
        (None, None, "成本指标", "成本控制"),
    ]


def test_a_transfer_payments_targets_form_is_read_as_a_project_form(tmp_path):
    """北京 教育委员会's 预算14表 prints a form per transfer payment: 转移支付名称 | X | 市级主管部门 | Y, 资金情况 |
    年度金额：| N, then the indicators. Its first row was taken for a grid's header: no project, none of its
    indicators, the amount skipped under an unknown header. A figure beside a label no mapping knows (市级财政资金)
    is reported, not guessed."""
    records = read(
        tmp_path,
        "北京市某某委员会2026年度部门预算报表",
        "预算14表-1 促进教育事业均衡发展共同事权转移支付绩效目标表",
        "（2026年度）",
        "转移支付名称 |  | 促进教育事业均衡发展共同事权转移支付 |  | 市级主管部门 | 北京市财政局、北京市某某委员会",
        "资金情况（万元） |  | 年度金额： |  | 567798.760840 | ",
        " |  | 其中：中央财政资金 |  |  | ",
        " |  | 市级财政资金 |  | 567798.760840 | ",
        "年度总体目标 | 年度目标 |  |  |  | ",
        "绩效指标 | 一级指标 | 二级指标 | 三级指标 |  | 指标值",
        " | 产出指标 | 数量指标 | 受益学生数 |  | ≥2.9万人",
        " | 满意度指标 | 服务对象满意度指标 | 中小学满意度 |  | ≥85%",
    )
    assert records.tables[0].kind == "project-performance-form"
    assert [p.name for p in records.projects] == ["促进教育事业均衡发展共同事权转移支付"]
    assert [(o.printed, o.dims.get("lp:lineItem")) for o in records.observations] == [("567798.760840", "annual-request")]
    assert [(s.printed, "does not know" in s.reason) for s in records.skipped] == [("567798.760840", True)]
    assert [(i.owner, i.name, i.value) for i in records.indicators] == [
        (records.projects[0].key, "受益学生数", "≥2.9万人"),
        (records.projects[0].key, "中小学满意度", "≥85%"),
    ]


def test_a_total_printed_again_over_the_next_page_of_its_table_is_in_the_graph_once(tmp_path):
    """佛山 prints a table's title, header and 合计 again at the top of each of its pages: the second 合计 is the
    same line (the same figures), reported as printed again; it was a second total line beside the first (a
    duplicate in the graph, warned of by NoDuplicateLines). A 合计 with other figures stays a line."""
    rows = [
        "佛山市轨道交通局2019年部门决算",
        "收入决算表",
        "单位：万元",
        "功能分类科目编码 | 科目名称 | 本年收入合计 | 财政拨款收入",
        " | 合计 | 137.10 | 137.10",
        "208 | 社会保障和就业支出 | 76.23 | 76.23",
        "2080505 | 机关事业单位基本养老保险缴费支出 | 76.23 | 76.23",
        "收入决算表",
        "单位：万元",
        "功能分类科目编码 | 科目名称 | 本年收入合计 | 财政拨款收入",
        " | 合计 | {again}",
        "221 | 住房保障支出 | 60.87 | 60.87",
        "2210201 | 住房公积金 | 60.87 | 60.87",
    ]
    records = read(tmp_path, *[r.replace("{again}", "137.10 | 137.10") for r in rows])
    assert [(o.row, o.amount) for o in records.observations if o.role == "total"] == [(1, Decimal("1371000.00"))] * 2
    assert [(s.row, s.printed, s.reason) for s in records.skipped] == [(4, "137.10", "the same line as row 1 prints (“合计”), printed again")] * 2
    other = read(tmp_path, *[r.replace("{again}", "137.10 | 130.00") for r in rows], name="other.txt")
    assert [o.row for o in other.observations if o.role == "total"] == [1, 1, 4, 4] and not other.skipped


# the opening rows of 泉州's 部门整体支出绩效目标表: the department, its code and the year's budget
QUANZHOU_TARGETS = (
    "泉州市某某局2026年部门预算",
    "部门整体支出绩效目标表",
    "部门名称 | 泉州市某某局 | 部门预算编码 | 301",
    "年度预算安排（万元） | 资金总额 | 81562.56 | ",
)


def test_a_chapter_heading_ends_the_form_before_it(tmp_path):
    """福建: 七、预算绩效目标情况 prints the forms, then 3.有关情况说明 and 八、其他重要事项说明 with the 机关运行经费 and
    政府采购 sentences. The chapter's heading ends the last form: its sentences are the narrative's, their figures
    read (they were lines of the form, 22 of them read as indicators of 泉州 公安局's department-wide targets)."""
    records = read(
        tmp_path,
        *QUANZHOU_TARGETS,
        "一级指标 | 二级指标 | 三级指标 | 指标值",
        "满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90%",
        "3.有关情况说明",
        "本部门无其他需要说明的绩效目标情况。",
        "八、其他重要事项说明",
        "（一）机关运行经费",
        "2026年泉州市某某局一般公共预算拨款安排的机关运行经费支出758.24万元，比上年增加19.92万元，增长2.70%。",
    )
    assert [i.name for i in records.indicators] == ["服务对象满意度"]
    assert [(s.figure, s.amount) for s in records.statements if s.figure == "operating-cost"] == [("operating-cost", Decimal("7582400.00"))]


def test_the_department_wide_targets_with_the_years_budget_on_a_row_of_its_own(tmp_path):
    """泉州 部门整体支出绩效目标表: 年度预算安排（万元） | 资金总额 | 81562.56, then 项目支出 and 基本支出 under it: the
    first row is the department's total (it was reported as an unknown row)."""
    records = read(
        tmp_path,
        *QUANZHOU_TARGETS,
        " | 项目支出 | 29514.82 | ",
        " | 基本支出 | 52047.74 | ",
        "总体目标 | 维护全市社会治安大局持续安定稳定。 |  | ",
    )
    lines = [(o.amount, o.dims.get("lp:expenditureKind")) for o in records.observations]
    assert lines == [(Decimal("815625600.00"), "_T"), (Decimal("295148200.00"), "project"), (Decimal("520477400.00"), "basic")]


def test_a_numbered_income_line_over_unnumbered_sources_of_funds_is_their_subtotal(tmp_path):
    """烟台 收支总体情况表: “一、财政拨款收入” over the unnumbered “一般公共预算收入” and “政府性基金预算收入” is their
    subtotal (it was read as an item beside them, so the income side looked twice its total); a “其中：” line
    under a numbered line leaves it an item."""
    records = read(
        tmp_path,
        "收支总体情况表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、财政拨款收入 | 7,503.31 | 一、一般公共服务支出 | 7,500.00",
        "一般公共预算收入 | 7,503.31 | 二、外交支出 | ",
        "政府性基金预算收入 |  | 三、教育支出 | 3.31",
        "国有资本经营预算收入 | 1,000.00 |  | ",
        "二、事业收入 | 10.00 |  | ",
        "其中：纳入财政专户管理的收费 | 2.00 |  | ",
        "三、其他收入 |  |  | ",
        "本年收入合计 | 7,513.31 | 本年支出合计 | 7,503.31",
        "收入总计 | 7,513.31 | 支出总计 | 7,503.31",
    )
    income = [(o.row_label, o.role) for o in records.observations if o.dims.get("lp:direction") == "revenue"]
    assert income[:4] == [("一、财政拨款收入", "subtotal"), ("一般公共预算收入", "item"), ("国有资本经营预算收入", "item"), ("二、事业收入", "item")]


def test_a_summary_with_several_expenditure_sides_reads_each_line_once(tmp_path):
    """西安 收支总表: one revenue side and three expenditure sides (by function, by 部门 economic class under
    kinds of expenditure, by 政府 economic class). The totals every side repeats are read once (the others
    reported as skipped), the heading 一、部门预算 gives way to 本年收入（支出）合计, and the classes numbered
    under 1、人员经费和公用经费支出 and 2、专项业务经费支出 are of that kind (they were twins of one another)."""
    records = read(
        tmp_path,
        "部门综合预算收支总表",
        "单位：元",
        "收入 |  | 支出 |  |  |  |  | ",
        "项目 | 预算数 | 支出功能分类科目（按大类） | 预算数 | 部门预算支出经济分类科目（按大类） | 预算数 | 政府预算支出经济分类科目（按大类） | 预算数",
        "一、部门预算 | 300.00 | 一、部门预算 | 300.00 | 一、部门预算 | 300.00 | 一、部门预算 | 300.00",
        "1、财政拨款 | 300.00 | 1、一般公共服务支出 | 300.00 | 1、人员经费和公用经费支出 | 200.00 | 1、机关工资福利支出 | 150.00",
        "(1)一般公共预算拨款 | 300.00 | 2、外交支出 |  | (1)工资福利支出 | 150.00 | 2、机关商品和服务支出 | 150.00",
        "(2)政府性基金拨款 |  | 3、国防支出 |  | (2)商品和服务支出 | 50.00 |  | ",
        "2、事业收入 |  | 4、公共安全支出 |  | 2、专项业务经费支出 | 100.00 |  | ",
        " |  |  |  | (1)工资福利支出 |  |  | ",
        " |  |  |  | (2)商品和服务支出 | 100.00 |  | ",
        "本年收入合计 | 300.00 | 本年支出合计 | 300.00 | 本年支出合计 | 300.00 | 本年支出合计 | 300.00",
        "收入总计 | 300.00 | 支出总计 | 300.00 | 支出总计 | 300.00 | 支出总计 | 300.00",
    )
    lines = [o for o in records.observations if o.table == 1]
    keys = [tuple(sorted(o.dims.items())) for o in lines]
    assert len(keys) == len(set(keys))  # no twins
    totals = [(o.row_label, o.col) for o in lines if o.role == "total"]
    assert totals == [("本年收入合计", 2), ("本年支出合计", 4), ("收入总计", 2), ("支出总计", 4)]
    goods = [(o.dims["lp:expenditureKind"], o.amount) for o in lines if o.dims.get("lp:economicClassification") == "302"]
    assert goods == [("basic", Decimal("50.00")), ("project", Decimal("100.00"))]
    kinds = [(o.row_label, o.role) for o in lines if o.dims.get("lp:expenditureKind") in ("basic", "project") and o.dims["lp:economicClassification"] == "_T"]
    assert kinds == [("1、人员经费和公用经费支出", "subtotal"), ("2、专项业务经费支出", "subtotal")]
    skipped = [s for s in records.skipped if s.table == 1]
    assert len(skipped) == 8 and all("printed again" in s.reason for s in skipped)


@pytest.mark.parametrize("heading", ["852063605.8", "852063605 .79"])
def test_the_heading_of_a_summary_printed_less_precisely_is_still_its_total_again(tmp_path, heading):
    """西安 民政局 2021 收支总表: 一、部门预算 prints 852063605.8 over 本年收入合计 852063605.79 (one decimal less), 西安
    国资委 2022 “25180591 .33” (a blank the extraction left inside): the same line printed again, reported, not a
    second line of current income (the grand total was twice its parts)."""
    records = read(
        tmp_path,
        "部门综合预算收支总表",
        "单位：元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 支出功能分类科目（按大类） | 预算数",
        f"一、部门预算 | {heading} | 一、部门预算 | 852063605.79",
        "1、财政拨款 | 852063605.79 | 1、一般公共服务支出 | 852063605.79",
        "本年收入合计 | 852063605.79 | 本年支出合计 | 852063605.79",
        "收入总计 | 852063605.79 | 支出总计 | 852063605.79",
    )
    income = [o.row_label for o in records.observations if o.dims.get("lp:lineItem") == "current-year-income"]
    assert income == ["本年收入合计"]
    assert [(s.row, s.printed) for s in records.skipped if s.col == 2] == [(1, heading)]


def test_the_older_summary_with_its_heading_row_left_blank(tmp_path):
    """西安's 2019–2020 收支总表: the heading row 一、部门预算 prints no figures, the sides are headed 支出功能分类 and
    部门 / 政府预算支出经济分类 (without 科目), the classes are numbered 1、 to 29、 and named short (自然资源, 住房保障,
    国有资本经营), a name is cut off by its cell (（基本建设), and sources of funds are worded 政府性基金收入 and
    下级单位上缴收入. The heading row was a header row: every figure was read as a line of no dimension (4 a row)."""
    records = read(
        tmp_path,
        "2020年部门综合预算收支总表",
        "单位：万元",
        "收入 |  | 支出 |  |  |  |  | ",
        "项目 | 预算数 | 支出功能分类 | 预算数 | 部门预算支出经济分类 | 预算数 | 政府预算支出经济分类 | 预算数",
        "一、部门预算 |  | 一、部门预算 |  | 一、部门预算 |  | 一、部门预算 | ",
        "1、财政拨款 |  | 18、援助其他地区 | 10.00 | 1、人员经费和公用经费支出 | 10.00 | 1、机关工资福利支出 | 10.00",
        "(1)一般公共预算拨款收入 | 100.00 | 19、自然资源 | 20.00 | (1)工资福利支出 | 10.00 | 11、债务利息及费用 | 0",
        "(2)政府性基金收入 | 0 | 20、住房保障 | 30.00 | 2、专项业务经费支出 | 90.00 | 12、对企业补助 | 90.00",
        "5、下级单位上缴收入 | 0 | 22、国有资本经营 | 40.00 | (5)资本性支出（基本建设 | 90.00 |  | ",
        "本年收入合计 | 100.00 | 本年支出合计 | 100.00 | 本年支出合计 | 100.00 | 本年支出合计 | 100.00",
    )
    lines = [o for o in records.observations if o.table == 1]
    assert all(o.dims.get("lp:direction") in ("revenue", "expenditure") for o in lines)
    functions = {o.row_label: o.dims["lp:functionalClassification"] for o in lines if o.dims.get("lp:functionalClassification", "_T") != "_T"}
    assert functions == {"18、援助其他地区": "219", "19、自然资源": "220", "20、住房保障": "221", "22、国有资本经营": "223"}
    dept = {o.row_label: o.dims["lp:economicClassification"] for o in lines if o.dims.get("lp:economicClassification", "_T") != "_T"}
    assert dept == {"(1)工资福利支出": "301", "(5)资本性支出（基本建设": "309"}
    gov = {o.row_label: o.dims["lp:governmentEconomicClassification"] for o in lines if o.dims.get("lp:governmentEconomicClassification", "_T") != "_T"}
    assert gov == {"1、机关工资福利支出": "501", "11、债务利息及费用": "511", "12、对企业补助": "507"}
    sources = {o.row_label: o.dims["lp:fundingSource"] for o in lines if o.dims.get("lp:fundingSource", "_T") != "_T"}
    assert sources == {
        "(1)一般公共预算拨款收入": "general-public-budget",
        "(2)政府性基金收入": "government-fund",
        "5、下级单位上缴收入": "subordinate-remittance",
    }
    assert not [s.reason for s in records.skipped if "printed again" not in s.reason]


def test_rows_no_column_names_are_reported_not_read_as_the_departments_lines(tmp_path):
    """A table whose rows print figures but no column says what each row is (西安 会议费明细表: 序号 | 会议名称 | 时间 |
    人数 | 金额, the name a text column; 广州 项目支出绩效目标表 headed 项目名称（资金使用单位）, then not in the vocabulary):
    each row's figure was a line of the department's whole spending, one over the other. They are reported, each
    with why; a table of one row of figures and no key (a 三公 table) is still read."""
    records = read(
        tmp_path,
        "会议费明细表",
        "单位：万元",
        "序号 | 会议名称 | 时间 | 人数 | 金额 | 备注",
        "1 | 年度工作会 | 3月 | 80 | 1.20 | ",
        "2 | 业务培训会 | 6月 | 60 | 0.80 | ",
    )
    assert [o.amount for o in records.observations if o.table == 1] == []
    assert [(s.printed, s.reason) for s in records.skipped if s.table == 1] == [
        ("1.20", "rows not told apart: no column names what each row is"),
        ("0.80", "rows not told apart: no column names what each row is"),
    ]
    one = read(tmp_path, "一般公共预算“三公”经费支出表", "单位：万元", "合计 | 因公出国（境）费 | 公务接待费", "3.00 | 1.00 | 2.00", name="one.txt")
    assert sorted(o.amount for o in one.observations) == [10000, 20000, 30000]
    projects = read(
        tmp_path,
        "2026年项目支出绩效目标表",
        "单位：万元",
        "项目名称（资金使用单位） | 总计 | 财政拨款 | 绩效目标",
        "大气污染防治（市生态环境局） | 120.00 | 120.00 | 空气质量达标",
        "水污染防治（市生态环境局） | 80.00 | 80.00 | 水质达标",
        name="projects.txt",
    )
    assert len({o.dims.get("lp:project") for o in projects.observations}) == 2


def test_a_code_column_printing_units_classes_and_two_digit_items(tmp_path):
    """西安 (2019) 一般公共预算支出明细表: one code column prints the unit's code over its lines, each class in full and
    each 款 by its own two digits (05 under 208); the 款 was the function “05”, the unit the function “125001”."""
    records = read(
        tmp_path,
        "2019年部门综合预算一般公共预算支出明细表（按支出功能分类科目）",
        "单位：万元",
        "功能科目编码 | 功能科目名称 | 合计",
        " | 合计 | 115.11",
        "125001 | 西安市某某局 | 115.11",
        "208 | 社会保障和就业支出 | 115.11",
        "05 | 行政事业单位离退休 | 113.28",
        "2080505 | 机关事业单位基本养老保险缴费支出 | 113.28",
        "99 | 其他社会保障和就业支出 | 1.83",
        "2089901 | 其他社会保障和就业支出 | 1.83",
    )
    got = [(o.dims["lp:organisation"], o.dims["lp:functionalClassification"], o.role) for o in records.observations]
    assert got == [
        ("", "_T", "total"),
        ("/unit/125001", "_T", "subtotal"),
        ("/unit/125001", "208", "subtotal"),
        ("/unit/125001", "20805", "subtotal"),
        ("/unit/125001", "2080505", "item"),
        ("/unit/125001", "20899", "subtotal"),
        ("/unit/125001", "2089901", "item"),
    ]


def test_a_three_public_final_account_with_its_budget_and_final_figures_down_the_rows(tmp_path):
    """西安 公开09表 财政拨款“三公”经费及会议费、培训费支出决算表: a row 预算数 and a row 决算数 under one header (the
    columns say what, the rows in which phase); both rows were skipped as labels nobody knows, and the group
    header 财政拨款安排的“三公”经费 was not known either."""
    records = read(
        tmp_path,
        "西安市某某局2022年度部门决算",
        "财政拨款“三公”经费及会议费、培训费支出决算表",
        "编制部门：西安市某某局 金额单位：万元",
        "项目 | 财政拨款安排的“三公”经费 |  |  |  |  |  | 会议费 | 培训费",
        " | 小计 | 因公出国（境）费用 | 公务用车购置及运行维护费 |  |  | 公务接待费 |  | ",
        " |  |  | 小计 | 公务用车购置费 | 公务用车运行维护费 |  |  | ",
        "栏次 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8",
        "预算数 | 5.00 |  | 4.00 | 1.00 | 3.00 | 1.00 | 2.00 | 3.00",
        "决算数 | 4.50 |  | 3.60 | 1.00 | 2.60 | 0.90 | 2.00 | 2.80",
    )
    assert records.phase == "final-account"
    got = {(o.phase, o.dims["lp:controlledExpense"]): o.amount for o in records.observations}
    assert got[("budget", "total")] == 50000 and got[(None, "total")] == 45000
    assert got[("budget", "reception")] == 10000 and got[(None, "reception")] == 9000
    assert not records.skipped


def test_the_national_self_evaluation_form_with_its_lettered_columns(tmp_path):
    """The national 项目支出绩效自评表 heads its money 年初预算数 | 全年预算数（A） | 全年执行数（B） | 分值 | 执行率（B/A） |
    得分, and prints a dash where a project had nothing at the start of the year (西安: 567 figures were “beside a
    label the mapping does not know”): each figure in its phase, the scores none."""
    records = read(
        tmp_path,
        "西安市某某局2022年度部门决算",
        "西安市级2022年病媒生物防制项目绩效自评表",
        "（2022年度）",
        "项目名称 |  | 2022年病媒生物防制 |  |  |  |  |  |  |  | ",
        "主管部门 |  | 西安市某某局 |  |  |  | 实施单位 |  | 西安市某某局 |  | ",
        "项目资金（万元） |  |  |  | 年初预算数 | 全年预算数（A） | 全年执行数（B） | 分值 | 执行率（B/A） |  | 得分",
        " |  | 年度资金总额 |  | - | 229.19 | 229.19 | 10 | 100.00% |  | 10.00",
        " |  | 其中：当年财政拨款 |  | 240 | 229.19 | 229.19 | — |  |  | —",
    )
    got = sorted((o.row, o.phase or "", o.dims["lp:fundingSource"], o.amount) for o in records.observations)
    assert got == [
        (4, "", "_T", 2291900),
        (4, "adjusted-budget", "_T", 2291900),
        (5, "", "fiscal-appropriation", 2291900),
        (5, "adjusted-budget", "fiscal-appropriation", 2291900),
        (5, "budget", "fiscal-appropriation", 2400000),
    ]
    assert not [s for s in records.skipped if "does not know" in s.reason]


def test_a_project_name_a_page_break_cut_goes_on_on_the_row_under_it(tmp_path):
    """福州 项目绩效目标表 printed from Word: 项目名称's text cut by a page break goes on alone on the next row, under
    itself (革命“五老”人员定期生活和医疗补 | 助市级配套): one name (the project was named by its first part, a project
    no other table names). A row of its own that opens with a label is no part of it."""
    records = read(
        tmp_path,
        "福州市某某局2026年度单位预算",
        "革命“五老”人员定期生活和医疗补助市级配套项目绩效目标表",
        "项目名称 |  | 革命“五老”人员定期生活和医疗补 |  | ",
        " |  | 助市级配套 |  | ",
        "主管部门 |  | 福州市某某局 | 实施单位 | 福州市某某局",
        "专项资金情况（万元） |  | 资金总额 |  | 47.68",
    )
    assert [p.name for p in records.projects] == ["革命“五老”人员定期生活和医疗补助市级配套"]
    assert [(o.amount, o.dims["lp:project"]) for o in records.observations] == [(476800, records.projects[0].key)]


@pytest.mark.parametrize(
    ("printed", "figure"),
    [("1851,801", True), ("120258,600", True), ("6,400", True), ("1,851,801.50", True), ("12,34", False), ("2025,2026", False), ("1234,5678", False)],
)
def test_a_figure_with_one_separator_before_its_last_three_digits(printed, figure):
    """上海 人社局's unit tables print figures in 元 with one separator, before the last three digits
    (“120258,600”): 107 cells were “not a number”. A comma elsewhere is still no figure."""
    from lodpub.recognise.text import is_amount

    assert is_amount(printed) is figure


def test_a_table_of_figures_with_one_separator_reads_them_in_yuan(tmp_path):
    records = read(
        tmp_path,
        "2026年预算单位收入预算总表",
        "编制单位：上海市某某院 单位：元",
        "功能分类科目编码 |  |  | 功能分类科目名称 | 合计 | 财政拨款收入",
        "类 | 款 | 项 |  |  | ",
        "210 |  |  | 卫生健康支出 | 1851,801 | 1851,801",
        "210 | 11 | 02 | 事业单位医疗 | 1851,801 | 1851,801",
    )
    assert {o.amount for o in records.observations} == {1851801}
    assert not records.skipped


def test_projects_printed_beside_their_units_code_and_again_over_a_page_break(tmp_path):
    """长沙 项目支出绩效目标表: every row prints the unit's code, the unit's own row its name, the projects' rows theirs
    (106001 | 长沙市公安局, then 106001 | 大型警保卫…经费); a project's row is printed again at the top of the next
    page, its indicators going on. The projects were read as rows of the unit (lines of the unit, named like
    projects), and a project printed twice was two projects."""
    records = read(
        tmp_path,
        "2025年项目支出绩效目标表",
        "单位名称：长沙市某局 单位：万元",
        "单位编码 | 单位（项目）名称 | 资金总额 | 绩效目标 | 绩效指标 |  |  | ",
        " |  |  |  | 一级指标 | 二级指标 | 三级指标 | 指标值",
        "合计 |  | 100.00 |  |  |  |  | ",
        "106001 | 长沙市某局 | 100.00 |  |  |  |  | ",
        "106001 | 安全保护工作经费 | 60.00 | 做好保护工作 | 产出指标 | 数量指标 | 检查次数 | 10",
        " |  |  |  |  | 质量指标 | 隐患排除率 | 100",
        "106001 | 安全保护工作经费 | 60.00 | 做好保护工作 | 效益指标 | 社会效益指标 | 安全感 | 提升",
        "106001 | 大院运行经费 | 40.00 | 保障运行 | 产出指标 | 数量指标 | 维修次数 | 4",
    )
    assert [(p.name, p.unit_key) for p in records.projects] == [("安全保护工作经费", "/unit/106001"), ("大院运行经费", "/unit/106001")]
    got = [(o.row_label, o.dims["lp:project"], o.dims["lp:organisation"], o.role) for o in records.observations]
    assert got == [
        ("", "_T", "", "total"),
        ("长沙市某局", "_T", "/unit/106001", "subtotal"),
        ("安全保护工作经费", "1", "/unit/106001", "item"),
        ("大院运行经费", "2", "/unit/106001", "item"),
    ]
    assert [s.reason for s in records.skipped] == ["the project of the row above printed again (its rows go on after a page break)"]
    # the indicators of the project printed again go on as its own
    got = [(i.owner, i.level1, i.level2, i.name) for i in records.indicators]
    assert got == [
        ("1", "产出指标", "数量指标", "检查次数"),
        ("1", "产出指标", "质量指标", "隐患排除率"),
        ("1", "效益指标", "社会效益指标", "安全感"),
        ("2", "产出指标", "数量指标", "维修次数"),
    ]


def test_a_header_of_name_columns_over_projects_is_no_form(tmp_path):
    """长春 项目支出绩效目标表: 单位名称 | 项目名称 | 年度资金总额(万元) | 年度绩效目标 | 一级指标 …, a header over one
    row per project: 项目名称 beside 年度资金总额(万元) looked like a form's label and value, the table was read as
    one project's form and its four amounts were neither read nor reported."""
    records = read(
        tmp_path,
        "长春市某局2026年项目支出绩效目标表",
        "单位名称 | 项目名称 | 年度资金总额(万元) | 年度绩效目标 | 一级指标 | 二级指标 | 三级指标 | 指标解释 | 指标值 | 权重",
        "105001长春市某局 | 2026年专项经费 | 30.00 | 确保网络畅通 | 产出指标 | 数量指标 | 专家评审 | 评审次数 | >=2次 | 40",
        " |  |  |  | 成本指标 | 经济成本指标 | 运维成本 | 运维成本 | <=17万元 | 20",
        " | 2026年驻京经费 | 312.00 | 保障驻京工作 | 产出指标 | 数量指标 | 驻京人数 | 驻京人数 | <=18人 | 40",
    )
    assert [t.kind for t in records.tables] == ["project-performance-targets"]
    assert [(o.row_label, o.amount) for o in records.observations] == [("2026年专项经费", Decimal("300000")), ("2026年驻京经费", Decimal("3120000"))]
    assert [p.name for p in records.projects] == ["2026年专项经费", "2026年驻京经费"]
    # the unit's code printed in front of its name: the unit 105001, not a unit named “105001长春市某局”
    assert [(o.key, o.code, o.name) for o in records.organisations if o.key] == [("/unit/105001", "105001", "长春市某局")]
    # each project's indicators, from its row and the rows under it
    got = [(i.owner, i.category, i.level1, i.name, i.value) for i in records.indicators]
    assert got == [
        ("1", "output", "产出指标", "专家评审", ">=2次"),
        ("1", "cost", "成本指标", "运维成本", "<=17万元"),
        ("2", "output", "产出指标", "驻京人数", "<=18人"),
    ]


def test_a_unit_code_printed_in_the_economic_code_column(tmp_path):
    """西安 (2019) 一般公共预算支出明细表（按支出经济分类科目）: the unit's code printed in the economic code column over its
    lines (125001 | 西安市安全生产监督管理局); it was the economic class “125001”."""
    records = read(
        tmp_path,
        "2019年部门综合预算一般公共预算支出明细表（按支出经济分类科目）",
        "单位：万元",
        "部门经济科目编码 | 部门经济科目名称 | 政府经济科目编码 | 政府经济科目名称 | 合计",
        " |  |  | 合计 | 970.84",
        "125001 | 西安市某某局 |  |  | 970.84",
        "301 | 工资福利支出 |  |  | 970.84",
        "30101 | 基本工资 | 50101 | 工资奖金津补贴 | 970.84",
    )
    got = [(o.dims["lp:organisation"], o.dims["lp:economicClassification"], o.role) for o in records.observations]
    assert got == [("", "_T", "total"), ("/unit/125001", "_T", "subtotal"), ("/unit/125001", "301", "subtotal"), ("/unit/125001", "30101", "item")]


def test_a_total_label_merged_over_the_next_side_names_its_figure(tmp_path):
    """江苏 收支预算总表: expenditure by function and by use side by side; the row “当年支出小计” prints its
    label in a cell merged over the function side's figure and the use side's label, its figure at the
    end. The figure is that total's (it was “row label “” not recognised”); a figure under no label, or
    under a label that is no total, stays unread."""
    rows = (
        "收支预算总表",
        "单位：万元",
        "收入 |  | 支出 |  |  | ",
        "项目名称 | 金额 | 功能分类 |  | 支出用途 | ",
        " |  | 功能科目名称 | 金额 | 项目名称 | 金额",
        "一、财政拨款 | 300.00 | 一、一般公共服务支出 | 300.00 | 一、基本支出 | 200.00",
        "1.一般公共预算 | 300.00 | 二、外交支出 |  | 二、项目支出 | 100.00",
        "当年收入小计 | 300.00 | 当年支出小计 |  |  | 300.00",
        "收入合计 | 300.00 | {label} |  |  | 300.00",
    )
    records = read(tmp_path, *rows[:-1], rows[-1].format(label="支出合计"))
    totals = [(o.row_label, o.dims["lp:direction"], o.amount) for o in records.observations if o.role == "total" and o.dims["lp:direction"] == "expenditure"]
    assert totals == [("当年支出小计", "expenditure", Decimal("3000000.00")), ("支出合计", "expenditure", Decimal("3000000.00"))]
    assert not records.skipped
    records = read(tmp_path, *rows[:-1], rows[-1].format(label="三、其他支出"))
    assert [s.printed for s in records.skipped] == ["300.00"]


def test_a_figure_beside_no_label_is_reported_as_such(tmp_path):
    """西安 政府性基金收支表: the revenue side names one row, then prints 0.00 on rows whose label cell is
    blank. Those figures are reported as having no row label, not as a label “” not recognised."""
    records = read(
        tmp_path,
        "政府性基金收支表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、政府性基金拨款 | 300.00 | 一、城乡社区支出 | 300.00",
        " | 0.00 | 二、农林水支出 | 0.00",
        "收入合计 | 300.00 | 支出合计 | 300.00",
    )
    assert [(s.printed, s.reason) for s in records.skipped] == [("0.00", "no row label: the label cell on its side of the table is blank")]


def test_a_table_whose_cells_are_not_apart_is_reported_not_dropped(tmp_path):
    """Text with spaces, not tabs, between a table's cells (`pdftotext -layout`; a table printed without
    rules): its lines are not read as rows, and each figure after a line's first words is reported
    skipped, with why (it was dropped unseen: “1 tables, 0 budget lines, 0 cells skipped”). Codes in
    front, prose and a table's number are no such figures."""
    records = read(
        tmp_path,
        "一般公共预算基本支出预算表",
        "单位：万元",
        "科目编码  科目名称   金额",
        "合计  7,666.68",
        "301  工资福利支出   2,928.98   2,928.98",
        "表 14",
        "本表基本支出 7,666.68",
        "万元，主要用于人员经费。",
    )
    assert not records.observations
    skipped = [(s.line, s.col, s.printed) for s in records.skipped]
    assert skipped == [(4, 2, "7,666.68"), (5, 3, "2,928.98"), (5, 4, "2,928.98")]
    assert all("not apart" in s.reason and "tabs" in s.reason for s in records.skipped)
    from types import SimpleNamespace

    from lodpub.publish.accounting import skipped_rows

    assert [(r["row"], r["column"], r["line"]) for r in skipped_rows("d", SimpleNamespace(skipped=records.skipped))] == [("", 2, 4), ("", 3, 5), ("", 4, 5)]


def test_an_economic_item_over_its_seven_digit_parts_is_their_subtotal(tmp_path):
    """重庆 一般公共预算基本支出情况表: 30102 津贴补贴 is printed over 3010201 and 3010202; it is their subtotal
    (read as an item beside them, the 合计 looked smaller than its items)."""
    records = read(
        tmp_path,
        "2026年一般公共预算基本支出情况表",
        "单位：万元",
        "经济分类科目 |  | 基本支出 |  | ",
        "科目编码 | 科目名称 | 总计 | 人员经费 | 公用经费",
        "合计 |  | 30.00 | 30.00 | ",
        "301 | 工资福利支出 | 30.00 | 30.00 | ",
        "30101 | 基本工资 | 10.00 | 10.00 | ",
        "30102 | 津贴补贴 | 20.00 | 20.00 | ",
        "3010201 | 规范性津补贴 | 15.00 | 15.00 | ",
        "3010202 | 其他津补贴 | 5.00 | 5.00 | ",
    )
    roles = {(o.dims["lp:economicClassification"], o.column_label): o.role for o in records.observations}
    assert [roles[(code, "总计")] for code in ("301", "30101", "30102", "3010201", "3010202")] == ["subtotal", "item", "subtotal", "item", "item"]


def test_the_carry_over_under_the_current_year_total_is_no_source_of_the_year(tmp_path):
    """国家信访局 部门收支总表: 上年结转, printed under 本年收入合计, is the beginning carry-over line (it was a source of
    funds of the year, so the income side looked larger than 本年收入合计 by the carry-over)."""
    records = read(
        tmp_path,
        "部门收支总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、一般公共预算拨款收入 | 16,474.82 | 一、一般公共服务支出 | 50,616.94",
        "二、其他收入 | 31,888.00 |  | ",
        "本年收入合计 | 48,362.82 | 本年支出合计 | 50,616.94",
        "上年结转 | 2,254.12 | 结转下年 | ",
        "收入总计 | 50,616.94 | 支出总计 | 50,616.94",
    )
    carry = [(o.role, o.dims["lp:lineItem"]) for o in records.observations if o.row_label == "上年结转"]
    assert carry == [("total", "beginning-carryover")]


def test_the_first_block_over_a_carry_over_block_is_the_current_year(tmp_path):
    """杭州 财政拨款收支预算总表: no 本年收入合计; 一、财政拨款 over its sources, then 二、上年结转结余: the first block's
    line is the year's income (the side was compared with 收入总计, which holds the carry-over too)."""
    records = read(
        tmp_path,
        "表4：2026年市级部门财政拨款收支预算总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、财政拨款 | 373,795.79 | 一、本年支出合计 | 377,819.25",
        "一般公共预算 | 366,195.79 | 公共安全支出 | 377,819.25",
        "政府性基金预算 | 7,600.00 |  | ",
        "二、上年结转结余 | 4,023.45 |  | ",
        "一般公共预算 | 4,023.45 | 二、年终结转结余 | ",
        "收入总计 | 377,819.25 | 支出总计 | 377,819.25",
    )
    first = [(o.role, o.dims["lp:lineItem"], o.dims["lp:fundingSource"]) for o in records.observations if o.row_label == "一、财政拨款"]
    assert first == [("total", "current-year-income", "_T")]


def test_a_procurement_grid_keeps_its_purchases_apart(tmp_path):
    """西安 政府采购预算表: every row prints the 项 it is paid from; the purchases (采购项目) are projects of their own
    (they were twins when two shared their economic codes), the rows with a unit code are subtotals, and a unit's
    row repeating the figures of the row above is reported as skipped."""
    records = read(
        tmp_path,
        "部门综合预算政府采购（资产配置、购买服务）预算表",
        "单位：元",
        "科目编码 |  |  | 单位编码 | 采购项目 | 采购目录 | 部门预算支出经济科目编码 |  | 预算金额",
        "类 | 款 | 项 |  |  |  | 类 | 款 | ",
        "合计 |  |  |  |  |  |  |  | 1,500.00",
        "201 | 40 | 04 | 1 | 全额 |  |  |  | 1,500.00",
        "201 | 40 | 04 | 121001 | 西安市某某局 |  |  |  | 1,500.00",
        "201 | 40 | 04 |  | 安保服务 | C05040300保安服务 | 302 | 27 | 500.00",
        "201 | 40 | 04 |  | 食堂服务 | C22040000餐饮服务 | 302 | 27 | 1,000.00",
        "201 | 40 | 04 | 121002 | 西安市某某中心 |  |  |  | 200.00",
        "201 | 40 | 04 |  | 印刷服务 | C081401印刷服务 | 302 | 02 | 200.00",
    )
    lines = [(o.row_label, o.role, o.dims["lp:organisation"]) for o in records.observations]
    keys = [tuple(sorted(o.dims.items())) for o in records.observations]
    assert len(keys) == len(set(keys))
    assert lines == [
        ("合计", "total", ""),
        ("全额", "subtotal", ""),
        ("安保服务", "item", ""),
        ("食堂服务", "item", ""),
        ("西安市某某中心", "subtotal", "/unit/121002"),
        ("印刷服务", "item", "/unit/121002"),
    ]
    assert [p.name for p in records.projects] == ["安保服务", "食堂服务", "印刷服务"]
    assert len(records.skipped) == 1


def test_a_procurement_grid_names_its_purchases_economic_codes_in_class_and_item_columns(tmp_path):
    """西安 政府采购预算表 (2021): 部门预算支出 and 政府预算支出 each over a 类 | 款 pair: a purchase's economic codes
    in both classifications (302 | 13 is 30213, 502 | 09 is 50209), not columns of unknown headers."""
    records = read(
        tmp_path,
        "部门综合预算政府采购（资产配置、购买服务）预算表",
        "单位：元",
        "科目编码 |  |  | 单位编码 | 采购项目 | 采购目录 | 部门预算支出 |  | 政府预算支出 |  | 预算金额",
        "类 | 款 | 项 |  |  |  | 类 | 款 | 类 | 款 | ",
        "合计 |  |  |  |  |  |  |  |  |  | 1,500.00",
        "208 | 02 | 07 | 241001 | 西安市某某局 |  |  |  |  |  | 1,500.00",
        "208 | 02 | 07 |  | 路牌维护 | B99其他建筑工程 | 302 | 13 | 502 | 09 | 500.00",
        "208 | 02 | 07 |  | 信息平台 | A02010104台式计算机 | 310 | 07 | 503 | 06 | 1,000.00",
    )
    purchases = [
        (o.row_label, o.dims.get("lp:economicClassification"), o.dims.get("lp:governmentEconomicClassification"))
        for o in records.observations
        if o.role == "item"
    ]
    assert purchases == [("路牌维护", "30213", "50209"), ("信息平台", "31007", "50306")]
    assert not records.skipped


def test_a_form_row_of_label_and_figure_pairs_side_by_side(tmp_path):
    """广州 部门整体预算绩效目标申报表: “基本支出 | 58,118.59 | 财政拨款 | 92,008.68”: each figure is its own label's
    (both were read as 基本支出; labels the form names nothing for are reported as skipped)."""
    records = read(
        tmp_path,
        "广州市某某局2026年部门整体预算绩效目标申报表",
        "部门名称 |  | 广州市某某局 |  |  |  | ",
        "预算整体情况 |  | 部门预算支出 | 预算金额（万元） | 收入来源 | 预算金额（万元） | ",
        " |  | 基本支出 | 58,118.59 | 财政拨款 | 92,008.68 | ",
        " |  | 项目支出 | 27,825.19 | 其他资金 | 1,577.77 | ",
        " |  | 事业发展性支出 | 预算金额（万元） | 按预算级次划分 | 预算金额（万元） | ",
        " |  | 财政专项资金 | 0.00 | 市本级使用资金 | 85,943.78 | ",
    )
    read_lines = [(o.row_label, o.dims.get("lp:expenditureKind"), o.dims.get("lp:fundingSource")) for o in records.observations]
    assert read_lines == [
        ("基本支出", "basic", "_T"),
        ("财政拨款", "_T", "fiscal-appropriation"),
        ("项目支出", "project", "_T"),
        ("其他资金", "_T", "other-funds"),
    ]
    assert [s.printed for s in records.skipped] == ["0.00", "85,943.78"]


def test_a_source_of_funds_beside_its_parts_and_the_current_year_income(tmp_path):
    """江苏 收支预算总表: 财政拨款 printed beside 一般公共预算, a part of it, is their subtotal (the side counted it
    twice); “当年收入”, cut from its “小计” by a page break, is the current year's income."""
    records = read(
        tmp_path,
        "收支预算总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目名称 | 金额 | 功能科目名称 | 金额",
        "财政拨款 | 13,649.07 | 一、一般公共服务支出 | 13,649.07",
        "一般公共预算 | 13,649.07 |  | ",
        "财政专户管理资金 |  |  | ",
        "当年收入 | 13,649.07 | 当年支出小计 | 13,649.07",
        "收入合计 | 13,649.07 | 支出合计 | 13,649.07",
    )
    income = [(o.row_label, o.role, o.dims["lp:lineItem"]) for o in records.observations if o.dims.get("lp:direction") == "revenue"]
    assert income == [
        ("财政拨款", "subtotal", "_T"),
        ("一般公共预算", "item", "_T"),
        ("当年收入", "total", "current-year-income"),
        ("收入合计", "total", "income-total"),
    ]


def test_a_unit_whose_name_contains_a_category_word_is_no_procurement_category(tmp_path):
    """苏州 公开13表: the units buying under each category are printed in the category's column, and
    “某某市便民服务中心” contains 服务: under 货物 its row is the unit's goods, not a category of services
    (its rows under 货物 and 服务 are two, not twins)."""
    records = read(
        tmp_path,
        "收入总表",
        "部门：某某市某某局 单位：万元",
        "单位代码 | 单位名称 | 合计 | 一般公共预算",
        "合计 |  | 30.00 | 30.00",
        "001003 | 某某市便民服务中心 | 30.00 | 30.00",
        "公开13表",
        "政府采购支出表",
        "部门：某某市某某局 单位：万元",
        "采购品目大类 | 专项名称 | 经济科目 | 采购品目名称 | 采购组织形式 | 一般公共预算资金 | 总计",
        "合计 |  |  |  |  | 30.00 | 30.00",
        "货物 |  |  |  |  | 10.00 | 10.00",
        "某某市便民服务中心 |  |  |  |  | 10.00 | 10.00",
        " | 设备购置 | 办公设备购置 | 多功能一体机 | 集中采购 | 10.00 | 10.00",
        "服务 |  |  |  |  | 20.00 | 20.00",
        "某某市便民服务中心 |  |  |  |  | 20.00 | 20.00",
        " | 物业管理费 | 物业管理费 | 物业管理服务 | 分散采购 | 20.00 | 20.00",
    )
    units = [
        (o.row, o.dims.get("lp:procurementCategory"), o.dims["lp:organisation"])
        for o in records.observations
        if o.table == 2 and o.row_label == "某某市便民服务中心" and o.column_label == "总计"
    ]
    assert units == [(3, "goods", "/unit/001003"), (6, "services", "/unit/001003")]


def test_the_purchases_under_a_units_row_are_the_units(tmp_path):
    """无锡 政府采购支出表: under each category, a unit's row and that unit's purchases: the purchases are the unit's
    (they were the department's, beside the unit's subtotal), and those under the category before any unit's row
    the department's."""
    records = read(
        tmp_path,
        "收入总表",
        "部门：某某市某某局 单位：万元",
        "单位代码 | 单位名称 | 合计 | 一般公共预算",
        "合计 |  | 40.00 | 40.00",
        "001001 | 某某市某某局（本级） | 15.00 | 15.00",
        "001003 | 某某市便民服务中心 | 25.00 | 25.00",
        "公开13表",
        "政府采购支出表",
        "部门：某某市某某局 单位：万元",
        "采购品目大类 | 专项名称 | 经济科目 | 采购品目名称 | 采购组织形式 | 一般公共预算资金 | 总计",
        "合计 |  |  |  |  | 40.00 | 40.00",
        "货物 |  |  |  |  | 15.00 | 15.00",
        "某某市某某局（本级） |  |  |  |  | 5.00 | 5.00",
        " | 扩面征缴专项经费 | 办公费 | 复印纸 | 集中采购 | 5.00 | 5.00",
        "某某市便民服务中心 |  |  |  |  | 10.00 | 10.00",
        " | 设备购置 | 办公设备购置 | 多功能一体机 | 集中采购 | 10.00 | 10.00",
        "服务 |  |  |  |  | 25.00 | 25.00",
        "某某市便民服务中心 |  |  |  |  | 15.00 | 15.00",
        " | 物业管理费 | 物业管理费 | 物业管理服务 | 分散采购 | 15.00 | 15.00",
    )
    purchases = [
        (o.row_label, o.dims.get("lp:procurementCategory"), o.dims["lp:organisation"])
        for o in records.observations
        if o.table == 2 and o.role == "item" and o.column_label == "总计"
    ]
    assert purchases == [
        ("扩面征缴专项经费", "goods", "/unit/001001"),
        ("设备购置", "goods", "/unit/001003"),
        ("物业管理费", "services", "/unit/001003"),
    ]
    assert {p.name: p.unit_key for p in records.projects} == {"扩面征缴专项经费": "/unit/001001", "设备购置": "/unit/001003", "物业管理费": "/unit/001003"}


def test_each_row_of_a_purchased_services_detail_table_is_a_purchase(tmp_path):
    """北京 预算11表: the catalogue's first and second levels with codes, the third by name only; rows of one
    second level (0211 后勤服务) are different purchases (印刷和出版服务, 安全服务, and the same service
    twice), each its own line, not twins."""
    records = read(
        tmp_path,
        "预算11表 财政拨款政府购买服务明细表",
        "金额单位：万元",
        "指导性目录 |  |  | 预算金额",
        "一级 | 二级 | 三级 | ",
        "合 计 |  |  | 19.000000",
        "02-政府履职辅助性服务 | 0211-后勤服务 | 印刷和出版服务 | 12.000000",
        "02-政府履职辅助性服务 | 0211-后勤服务 | 印刷和出版服务 | 2.000000",
        "02-政府履职辅助性服务 | 0211-后勤服务 | 安全服务 | 5.000000",
    )
    items = [o for o in records.observations if o.role == "item"]
    assert [(o.dims["lp:purchasedService"], o.row_label) for o in items] == [("0211", "印刷和出版服务"), ("0211", "印刷和出版服务"), ("0211", "安全服务")]
    assert len({o.dims.get("lp:project") for o in items}) == 3
    assert [p.name for p in records.projects] == ["印刷和出版服务", "印刷和出版服务", "安全服务"]


def test_a_project_table_nested_only_in_its_sums(tmp_path):
    """西安 部门综合预算专项业务经费支出表: the department's row and its unit's row by their codes, then one name column
    where 通用项目 is the sum of the groups under it and each group the sum of its projects, nothing else showing
    the levels: the unit's rows are subtotals, the groups are reported as skipped (sums of the projects under
    them) and only the projects are items, of the unit printed above them."""
    records = read(
        tmp_path,
        "部门综合预算专项业务经费支出表",
        "单位：元",
        "单位编码 | 单位（项目）名称 | 项目金额 | 项目简介",
        "合计 |  | 1,100.00 | ",
        "121 | 西安市某某局 | 1,100.00 | ",
        "121001 | 西安市某某局 | 1,100.00 | ",
        " | 通用项目 | 800.00 | ",
        " | 物业管理服务项目 | 300.00 | ",
        " | 食堂包厨服务 | 100.00 | ",
        " | 物业管理服务 | 200.00 | ",
        " | 委托咨询业务 | 500.00 | ",
        " | 专用项目 | 300.00 | ",
        " | 信访业务 | 300.00 | ",
    )
    lines = [(o.row_label, o.role, o.dims["lp:organisation"], o.amount) for o in records.observations]
    assert lines == [
        ("", "total", "", Decimal("1100.00")),
        ("西安市某某局", "subtotal", "", Decimal("1100.00")),
        ("西安市某某局", "subtotal", "/unit/121001", Decimal("1100.00")),
        ("食堂包厨服务", "item", "/unit/121001", Decimal("100.00")),
        ("物业管理服务", "item", "/unit/121001", Decimal("200.00")),
        ("委托咨询业务", "item", "/unit/121001", Decimal("500.00")),
        ("信访业务", "item", "/unit/121001", Decimal("300.00")),
    ]
    assert [p.name for p in records.projects] == ["食堂包厨服务", "物业管理服务", "委托咨询业务", "信访业务"]
    assert sorted((s.row, s.printed) for s in records.skipped) == [(4, "800.00"), (5, "300.00"), (9, "300.00")]
    assert all("a group of projects" in s.reason for s in records.skipped)


def test_nesting_is_taken_from_the_sums_only_where_they_prove_it():
    from lodpub.records.nesting import nested_parents

    def rows(*amounts):
        return [(Decimal(a),) for a in amounts]

    assert nested_parents(rows(3, 1, 2, 4), (Decimal(7),)) == {0}  # 3 over 1 and 2
    assert nested_parents(rows(1, 2, 4), (Decimal(7),)) == set()  # the flat reading adds up
    assert nested_parents(rows(1, 1, 1), (Decimal(2),)) == set()  # two nestings of as few levels add up: none is trusted
    # 西安 商务局: 大型活动 over 政策业务培训, 大宗印刷项目 over 商贸政策编印, every one 200000: the nesting of the fewest
    # levels, not 政策业务培训 over 大宗印刷项目 over 商贸政策编印 (it was none, and the table counted twice)
    assert nested_parents(rows(2, 2, 2, 2), (Decimal(4),)) == {0, 2}
    assert nested_parents(rows(5, 1, 2), (Decimal(7),)) == set()  # none adds up: read flat (the violation stays)


def test_a_procurement_table_of_projects_over_their_purchases(tmp_path):
    """江苏 政府采购支出预算表: a category row, then a project's row (专项名称, 经济科目) and a further economic class of
    the same project, each the sum of the purchases (采购物品名称) printed under it; a purchase whose name is printed
    once over two lines (部门集中采购 | 分散自行组织) is two purchases of that name. The purchases are the items, the
    project rows subtotals of the category (their class resolved), the total the sum of the purchases."""
    records = read(
        tmp_path,
        "公开12表：政府采购支出预算表",
        "单位：万元",
        "采购品目大类 | 专项名称 | 经济科目 | 采购物品名称 | 采购组织形式 | 总计",
        "合计 |  |  |  |  | 130.00",
        "一、货物A |  |  |  |  | 60.00",
        " | 网络运行维护费 | 办公设备购置 |  |  | 60.00",
        " |  |  | 台式计算机 | 部门集中采购 | 40.00",
        " |  |  | 复印机 | 分散自行组织 | 20.00",
        "三、服务C |  |  |  |  | 70.00",
        " | 物业管理费 | 物业管理费 |  |  | 70.00",
        " |  |  | 物业管理服务 | 部门集中采购 | 50.00",
        " |  |  |  | 分散自行组织 | 20.00",
    )
    lines = [(o.row, o.role, o.row_label, o.dims["lp:procurementCategory"], o.dims["lp:economicClassification"]) for o in records.observations]
    assert lines == [
        (1, "total", "", "_T", "_T"),
        (2, "subtotal", "一、货物A", "goods", "_T"),
        (3, "subtotal", "办公设备购置", "goods", "31002"),
        (4, "item", "台式计算机", "goods", "_T"),
        (5, "item", "复印机", "goods", "_T"),
        (6, "subtotal", "三、服务C", "services", "_T"),
        (7, "subtotal", "物业管理费", "services", "30209"),
        (8, "item", "物业管理服务", "services", "_T"),
        (9, "item", "物业管理服务", "services", "_T"),
    ]
    items = sum(o.amount for o in records.observations if o.role == "item")
    assert items == next(o.amount for o in records.observations if o.role == "total")
    keys = [tuple(sorted(o.dims.items())) for o in records.observations]
    assert len(keys) == len(set(keys))


def test_a_project_table_with_its_total_and_kind_of_budget_management_in_the_name_column(tmp_path):
    """西安 2022年部门综合预算专项业务经费支出表: 合计 printed in the name column is the total; “1 全额” (a kind of budget
    management, over the units) is reported as skipped; 专用项目 over 其他履职尽责专项业务费 over the projects."""
    records = read(
        tmp_path,
        "2022年部门综合预算专项业务经费支出表",
        "金额单位：万元",
        "序号 | 单位编码 | 单位（项目）名称 | 项目金额 | 项目简介",
        "1 |  | 合计 | 100.00 | ",
        "2 | 1 | 全额 | 100.00 | ",
        "3 | 222001 | 西安市某某局 | 100.00 | ",
        "4 |  | 专用项目 | 100.00 | ",
        "5 |  | 其他履职尽责专项业务费 | 100.00 | ",
        "6 |  | 农村公路养护资金 | 60.00 | ",
        "7 |  | 交通综合业务经费 | 40.00 | ",
    )
    lines = [(o.row, o.role, o.dims["lp:organisation"]) for o in records.observations]
    assert lines == [(1, "total", ""), (3, "subtotal", "/unit/222001"), (6, "item", "/unit/222001"), (7, "item", "/unit/222001")]
    assert sorted(s.row for s in records.skipped) == [2, 4, 5]


def guangzhou_income(units: dict[str, str]) -> tuple[str, ...]:
    """广州 收入总体情况表 of 广州市某某局, one row per unit it names (the department's own first): name → amount."""
    total = sum(Decimal(amount) for amount in units.values())
    rows = [f"{name} | {amount} | {amount}" for name, amount in units.items()]
    return ("收入总体情况表", "单位名称：广州市某某局 | 单位：万元", "单位名称 | 合计 | 一般公共预算", f"合计 | {total:.2f} | {total:.2f}", *rows)


def guangzhou_units_table(title: str, *rows: str) -> tuple[str, ...]:
    """A 广州 table of 广州市某某局 in 万元 whose one name column, 支出项目类别（资金使用单位）, prints 合计, each unit's
    row by its name and the unit's lines under it: the title, then the rows."""
    return (title, "单位名称：广州市某某局 | 单位：万元", "支出项目类别（资金使用单位） | 总计 | 一般公共预算", *rows)


def test_a_project_table_with_its_units_rows_by_name(tmp_path):
    """广州 部门预算项目支出及其他支出预算表: one column 支出项目类别（资金使用单位） prints 合计, then each unit's row by
    its name (the department's own, then a unit the 收入总体情况表 names), each over its projects: 合计 is the
    total, the units' rows are subtotals of their unit, the projects under a unit's row are that unit's."""
    income = guangzhou_income({"广州市某某局": "100.00", "广州市某某中心": "30.00"})
    projects = guangzhou_units_table(
        "部门预算项目支出及其他支出预算表",
        "合计 | 50.00 | 50.00",
        "广州市某某局 | 40.00 | 40.00",
        "机构运行辅助经费 | 15.00 | 15.00",
        "会展业专题 | 25.00 | 25.00",
        "广州市某某中心 | 10.00 | 10.00",
        "机构运行辅助经费 | 10.00 | 10.00",
    )
    records = read(tmp_path, "2026年广州市某某局部门预算", *income, *projects)
    units = {o.name: o.key for o in records.organisations if o.key}
    lines = [(o.row_label, o.role, o.dims["lp:organisation"]) for o in records.observations if o.table == 2 and o.column_label == "总计"]
    assert lines == [
        ("", "total", ""),
        ("广州市某某局", "subtotal", units["广州市某某局"]),
        ("机构运行辅助经费", "item", units["广州市某某局"]),
        ("会展业专题", "item", units["广州市某某局"]),
        ("广州市某某中心", "subtotal", units["广州市某某中心"]),
        ("机构运行辅助经费", "item", units["广州市某某中心"]),
    ]
    assert [(p.name, p.unit_key) for p in records.projects] == [
        ("机构运行辅助经费", units["广州市某某局"]),
        ("会展业专题", units["广州市某某局"]),
        ("机构运行辅助经费", units["广州市某某中心"]),
    ]
    assert not [s for s in records.skipped if s.table == 2]

    # a first name that is neither the department nor a unit the document names: no evidence of units' rows,
    # the rows are read flat (合计 the total all the same)
    unnamed = [row.replace("广州市某某中心", "广州市另一中心") if "支出项目" not in row else row for row in projects]
    records = read(tmp_path, "2026年广州市某某局部门预算", *income, *unnamed[:4], *unnamed[7:])
    assert [(p.name, p.unit_key) for p in records.projects if p.table == 2] == [("广州市另一中心", ""), ("机构运行辅助经费", "")]
    assert [o.role for o in records.observations if o.table == 2 and o.column_label == "总计"] == ["total", "item", "item"]


def test_function_names_without_codes_stay_in_the_class_of_the_rows_above(tmp_path):
    """杭州 支出预算总表 prints 类, 款 and 项 by name only: 超长期特别国债安排的支出 is a 款 of every 类 (21498 under
    214 交通运输支出; it was 21598, the one the lists held, and the rows under it went wrong with it); a 款 the
    lists hold only under another 类 is reported, not given that class's code."""
    records = read(
        tmp_path,
        "2026年市级部门支出预算总表",
        "单位：万元",
        "科目名称 | 总计 | 基本支出 | 项目支出",
        "合计 | 150.00 | 60.00 | 90.00",
        "交通运输支出 | 150.00 | 60.00 | 90.00",
        "公路水路运输 | 60.00 | 60.00 | ",
        "行政运行 | 60.00 | 60.00 | ",
        "超长期特别国债安排的支出 | 50.00 |  | 50.00",
        "公路水路运输 | 50.00 |  | 50.00",
        "其他交通运输支出 | 40.00 |  | 40.00",
        "公共交通运营补助 | 40.00 |  | 40.00",
        "制造业 | 1.00 |  | 1.00",
    )
    codes = [(o.row_label, o.dims["lp:functionalClassification"]) for o in records.observations if o.column_label == "总计"]
    assert codes == [
        ("合计", "_T"),
        ("交通运输支出", "214"),
        ("公路水路运输", "21401"),
        ("行政运行", "2140101"),
        ("超长期特别国债安排的支出", "21498"),
        ("公路水路运输", "2149801"),
        ("其他交通运输支出", "21499"),
        ("公共交通运营补助", "2149901"),
    ]
    assert {s.printed for s in records.skipped} == {"1.00"}


def test_a_unit_printed_with_its_own_level_is_the_unit_the_table_of_units_names(tmp_path):
    """广州 部门预算基本支出预算表: a unit with units of its own prints its own part as “…分局（本级）”, the unit the
    收入总体情况表 names “…分局”; its economic lines are its own (they were reported, and the lines under them
    counted for the unit printed above), and the department's “（本级）” row is the department's own unit."""
    income = guangzhou_income({"广州市某某局": "100.00", "广州市某某中心": "30.00", "广州市某某局越秀分局": "20.00", "广州市某某局越秀监测站": "10.00"})
    basic = guangzhou_units_table(
        "部门预算基本支出预算表",
        "合计 | 50.00 | 50.00",
        "广州市某某局（本级） | 30.00 | 30.00",
        "工资福利支出 | 30.00 | 30.00",
        "广州市某某中心 | 8.00 | 8.00",
        "工资福利支出 | 8.00 | 8.00",
        "广州市某某局越秀分局（本级） | 7.00 | 7.00",
        "工资福利支出 | 7.00 | 7.00",
        "广州市某某局越秀监测站 | 5.00 | 5.00",
        "工资福利支出 | 5.00 | 5.00",
    )
    records = read(tmp_path, "2026年广州市某某局部门预算", *income, *basic)
    units = {o.name: o.key for o in records.organisations if o.key}
    lines = [(o.row_label, o.dims["lp:organisation"]) for o in records.observations if o.table == 2 and o.column_label == "总计"]
    assert lines == [
        ("合计", ""),
        ("广州市某某局（本级）", units["广州市某某局"]),
        ("工资福利支出", units["广州市某某局"]),
        ("广州市某某中心", units["广州市某某中心"]),
        ("工资福利支出", units["广州市某某中心"]),
        ("广州市某某局越秀分局（本级）", units["广州市某某局越秀分局"]),
        ("工资福利支出", units["广州市某某局越秀分局"]),
        ("广州市某某局越秀监测站", units["广州市某某局越秀监测站"]),
        ("工资福利支出", units["广州市某某局越秀监测站"]),
    ]
    assert not records.skipped


def test_a_project_named_like_a_unit_is_a_project_of_the_unit_above(tmp_path):
    """广州 规划和自然资源局: under the bureau's row, the project 广州市城市规划展览中心 (the building) bears the name of
    a unit printed further down over its own projects; the unit's row is the one whose figure is the sum of the
    rows under it, the other a project (its name made the bureau's projects under it the centre's)."""
    income = guangzhou_income({"广州市某某局": "100.00", "广州市某某展览中心": "30.00"})
    projects = guangzhou_units_table(
        "部门预算项目支出及其他支出预算表",
        "合计 | 60.00 | 60.00",
        "广州市某某局 | 50.00 | 50.00",
        "规划编制经费 | 15.00 | 15.00",
        "广州市某某展览中心 | 12.50 | 12.50",
        "测绘管理经费 | 22.50 | 22.50",
        "广州市某某展览中心 | 10.00 | 10.00",
        "展览运行经费 | 10.00 | 10.00",
    )
    records = read(tmp_path, "2026年广州市某某局部门预算", *income, *projects)
    units = {o.name: o.key for o in records.organisations if o.key}
    lines = [(o.row_label, o.role, o.dims["lp:organisation"]) for o in records.observations if o.table == 2 and o.column_label == "总计"]
    assert lines == [
        ("", "total", ""),
        ("广州市某某局", "subtotal", units["广州市某某局"]),
        ("规划编制经费", "item", units["广州市某某局"]),
        ("广州市某某展览中心", "item", units["广州市某某局"]),
        ("测绘管理经费", "item", units["广州市某某局"]),
        ("广州市某某展览中心", "subtotal", units["广州市某某展览中心"]),
        ("展览运行经费", "item", units["广州市某某展览中心"]),
    ]


def test_a_project_table_with_its_total_in_the_name_column_and_no_unit_rows(tmp_path):
    """烟台 项目支出预算情况表 (and 杭州 市级部门项目支出预算表): 项目名称 | 项目类别 | 合计 …, its first row 合计 in
    the name column with no kind: the table's total, not a project named “合计”; the projects under it are items."""
    records = read(
        tmp_path,
        "项目支出预算情况表",
        "单位：万元",
        "项目名称 | 项目类别 | 合计 | 一般公共预算",
        "合计 |  | 30.00 | 30.00",
        "办公楼运行维护费 | 其他运转类 | 12.00 | 12.00",
        "水政执法经费 | 特定目标类 | 18.00 | 18.00",
    )
    lines = [(o.row, o.role, o.dims["lp:project"]) for o in records.observations if o.column_label == "合计"]
    assert [p.name for p in records.projects] == ["办公楼运行维护费", "水政执法经费"]
    assert lines == [(1, "total", "_T"), (2, "item", records.projects[0].key), (3, "item", records.projects[1].key)]


def test_a_targets_table_whose_first_row_names_the_department_under_its_header(tmp_path):
    """广州 重点项目绩效目标: 项目 | 预算数（单位：万元） | 绩效目标, then 广州市某某局 alone on its row over the department's
    projects, then a unit's name over the unit's: the department's row is the first row of the data, not a second
    header row (which made the 项目 column unknown and every amount a line of no project)."""
    income = guangzhou_income({"广州市某某局": "20.00", "广州市某某医院": "10.00"})
    targets = (
        "2026年，本部门重点项目绩效目标情况如下：",
        "项目 | 预算数（单位：万元） | 绩效目标",
        "广州市某某局 |  | ",
        "综合业务费 | 20.00 | 开展业务督导、培训",
        "广州市某某医院 |  | ",
        "住院医师规范化培训补助经费 | 10.00 | 完成招收任务",
    )
    records = read(tmp_path, "2026年广州市某某局部门预算", *income, *targets)
    units = {o.name: o.key for o in records.organisations if o.key}
    assert [(p.name, p.unit_key) for p in records.projects if p.table == 2] == [
        ("综合业务费", units.get("广州市某某局", "")),
        ("住院医师规范化培训补助经费", units["广州市某某医院"]),
    ]
    assert [(o.row_label, o.amount) for o in records.observations if o.table == 2] == [
        ("综合业务费", Decimal(200000)),
        ("住院医师规范化培训补助经费", Decimal(100000)),
    ]


FUJIAN_FORM = (
    "泉州市某局2026年部门预算",
    "301007_泉州市某局机场分局_机场公安综合修缮改",
    "造项目绩效目标表",
    "专项资金情况（万元） | 资金总额： | 57.00 |  | ",
    " | 财政拨款： | 57.00 |  | ",
    " | 其他资金： | 0.00 |  | ",
    "项目实施期目标 | 完成备勤宿舍改造。 |  |  | ",
    "绩效目标指标 | 一级指标 | 二级指标 | 三级指标 | 目标值",
    " | 成本指标 | 经济成本指标 | 预算执行率 | 100%",
    " | 产出指标 | 数量指标 | 完成停车场建设面积 | 700平方米",
)


def test_a_performance_form_named_by_its_title(tmp_path):
    """福建's project form: its title, wrapped over two lines, names the unit (with its code) and the project, and
    no row does; its funds are label： | figure pairs, its indicators' values under 目标值. The project, its three
    figures and its indicators are read (they were figures in a column without a header, the title cut to its
    second line)."""
    records = read(tmp_path, *FUJIAN_FORM)
    assert [t.title for t in records.tables] == ["301007_泉州市某局机场分局_机场公安综合修缮改造项目绩效目标表"]
    assert [(p.name, p.unit_name) for p in records.projects] == [("机场公安综合修缮改造项目", "泉州市某局机场分局")]
    figures = sorted((o.column_label, o.dims.get("lp:fundingSource"), o.amount) for o in records.observations)
    assert figures == [("其他资金", "other-funds", 0), ("财政拨款", "fiscal-appropriation", 570000), ("资金总额", "_T", 570000)]
    assert [(i.category, i.name, i.value) for i in records.indicators] == [("cost", "预算执行率", "100%"), ("output", "完成停车场建设面积", "700平方米")]
    assert not records.skipped


def test_a_blank_form_gets_no_project_from_its_title(tmp_path):
    """A form that prints 项目名称 and leaves it blank (西安's 专项资金总体绩效目标表, a template left empty) names no
    project: its title is not a project's name."""
    records = read(
        tmp_path,
        "西安市某局2026年部门预算",
        "2026年某某专项业务经费绩效目标表",
        "项目名称 |  |  | ",
        "资金金额（万元） | 实施期资金总额： |  | ",
        " | 其中：财政拨款 |  | ",
    )
    assert records.projects == []


def test_a_label_printed_twice_on_a_form_is_one_figure(tmp_path):
    """西安 科技创新局's 专项资金总体绩效目标表 prints 实施期资金总额： over both halves of the form (the second half is the
    year's, 年度资金总额 in the template) and 其中：财政拨款 twice: one figure of each, the repeats reported (they were
    read as two lines alike, and the whole was checked against twice its part)."""
    records = read(
        tmp_path,
        "西安市某局2026年部门预算",
        "2022年专项资金总体绩效目标表",
        "项目名称 |  |  | 西安市某某专项资金 |  | ",
        "主管部门 |  |  | 西安市某局 |  | ",
        "资金金额(万元) | 实施期资金总额： | 77,000.00 | 实施期资金总额： | 77,000.00 | ",
        " | 其中：财政拨款 | 77,000.00 | 其中：财政拨款 | 77,000.00 | ",
    )
    got = sorted((o.column_label, o.dims.get("lp:lineItem"), o.dims.get("lp:fundingSource"), o.amount) for o in records.observations)
    assert got == [("其中：财政拨款", "project-funds", "fiscal-appropriation", 770000000), ("实施期资金总额", "project-funds", "_T", 770000000)]
    assert [(s.printed, s.reason) for s in records.skipped] == [
        ("77,000.00", "the same figure of the form as row 3, column 3 (“实施期资金总额” printed twice)"),
        ("77,000.00", "the same figure of the form as row 4, column 3 (“其中：财政拨款” printed twice)"),
    ]


def test_forms_printed_one_after_another_under_one_title(tmp_path):
    """西安 人社局 2020: 重点项目绩效目标表 printed once, then one form after another, each starting with 专项（项目）名称.
    Every form is its project's, with its figures and its indicators (the later forms' figures were neither read nor
    reported, their indicators given to the first project)."""
    records = read(
        tmp_path,
        "西安市某局2026年部门预算",
        "2020年部门专项业务经费重点项目绩效目标表",
        "专项（项目）名称 |  |  |  | 网络建设维护 |  | ",
        "主管部门 |  |  |  | 西安市某局 |  | ",
        "资金金额（万元） |  |  |  | 实施期资金总额： | 1000.00 | ",
        " |  |  |  | 其中：财政拨款 | 1000.00 | ",
        " | 一级指标 |  | 二级指标 | 三级指标 | 指标值 | ",
        " | 产出指标 |  | 数量指标 | 线路条数 | 10条 | ",
        "专项（项目）名称 |  |  | 社保大厦物业费 |  |  | ",
        "主管部门 |  |  | 西安市某局 |  |  | ",
        "资金金额（万元） |  |  | 实施期资金总额： |  | 123.50 | ",
        " |  |  | 其中：财政拨款 |  | 123.50 | ",
        "绩效指标 | 一级指标 | 二级指标 |  | 三级指标 |  | 指标值",
        " | 产出指标 | 数量指标 |  | 物业面积 |  | 2万平方米",
    )
    assert [p.name for p in records.projects] == ["网络建设维护", "社保大厦物业费"]
    got = [(o.dims["lp:project"], o.column_label, o.amount) for o in records.observations]
    assert got == [("1", "实施期资金总额", 10000000), ("1", "其中：财政拨款", 10000000), ("2", "实施期资金总额", 1235000), ("2", "其中：财政拨款", 1235000)]
    assert [(i.owner, i.name) for i in records.indicators] == [("1", "线路条数"), ("2", "物业面积")]
    assert not records.skipped


def test_indicators_under_zhibiao_neirong_and_on_pages_of_other_columns(tmp_path):
    """西安's 专项业务经费绩效目标表 name the indicators' column 指标内容 (not 三级指标) under a 年度绩效指标 printed down
    the form: the indicator is the 指标内容 (the value was taken for its name). On a page whose grid has other
    columns than the header (the levels' merged cells not printed; a blank column of the header missing) the row is
    read by what its cells say; the end of a name wrapped onto a line of its own is the name's; a line of text
    across the form (the next table's number) is no indicator."""
    records = read(
        tmp_path,
        "西安市某局2026年部门预算",
        "2022年部门预算专项业务经费绩效目标表",
        "项目名称 |  |  | 其他履职尽责专项业务费 |  | ",
        "主管部门 |  |  | 西安市某局 |  | ",
        "资金金额（万元） |  |  | 实施期资金总额： | 3075.23 | ",
        "年度绩效指标 | 一级指标 | 二级指标 | 指标内容 |  | 指标值 | 备注",
        " | 产出指标 | 数量指标 | 媒体宣传等 |  | 10-15项 | ",
        " |  | 经济效益指标 | 做好抗旱减灾工 |  | 减少支出 | ",
        " |  |  | 作 |  |  | ",
        "",
        "绩效指标 | 效益指标 | 社会效益指标 | 困难群众得到救助 | 有效提升 | ",
        " |  | 指标2：参加进博会 | 11月30日前完成 | ",
        "标 质量指标",
        " |  | 资金使用合规性 | 100% | ",
        "满意度指标",
        " |  | 服务对象满意度指标 | 群众满意度 | ≥95% | ",
        "表15",
    )
    got = [(i.level1, i.level2, i.name, i.value) for i in records.indicators]
    assert got == [
        ("产出指标", "数量指标", "媒体宣传等", "10-15项"),
        ("产出指标", "经济效益指标", "做好抗旱减灾工作", "减少支出"),
        ("效益指标", "社会效益指标", "困难群众得到救助", "有效提升"),
        ("效益指标", "社会效益指标", "指标2：参加进博会", "11月30日前完成"),
        ("效益指标", "质量指标", "资金使用合规性", "100%"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%"),
    ]


def test_indicator_levels_printed_with_their_characters_spaced(tmp_path):
    """A level's name printed with blanks between its characters (数 量 指 标), in a cell of the row or on a line of
    its own, is that level, named without the blanks."""
    records = read(
        tmp_path,
        "西安市某局2026年部门预算",
        "2022年部门预算专项业务经费绩效目标表",
        "项目名称 |  |  | 其他履职尽责专项业务费 |  | ",
        "资金金额（万元） |  |  | 实施期资金总额： | 3075.23 | ",
        "年度绩效指标 | 一级指标 | 二级指标 | 指标内容 |  | 指标值 | 备注",
        " | 产 出 指 标 | 数 量 指 标 | 媒体宣传 |  | 12项 | ",
        "质 量 指 标",
        " |  | 宣传合规率 | 100% | ",
    )
    got = [(i.level1, i.level2, i.name, i.value) for i in records.indicators]
    assert got == [("产出指标", "数量指标", "媒体宣传", "12项"), ("产出指标", "质量指标", "宣传合规率", "100%")]


def test_two_indicator_levels_named_in_one_header_cell(tmp_path):
    """西安 统计局: 一级指标二级指标 printed in one cell over two columns, the second's header blank: the levels are
    the two columns (the 一级指标 was taken for the 二级指标 too)."""
    records = read(
        tmp_path,
        "西安市某局2026年部门预算",
        "2026年部门预算专项业务经费绩效目标表",
        "项目名称 |  |  | 内审服务 |  | ",
        "资金金额(万元) |  |  | 实施期资金总额： | 1.50 | ",
        "年度绩效指标 | 一级指标二级指标 |  | 三级指标 | 指标值 | 分值权重（90分）",
        " | 成本指标 | 经济成本指标 | 委托中介机构费（万元）≤ | 1.5 | 10",
        " | 产出指标 | 数量指标 | 内审报告（篇） | 1 | 20",
    )
    got = [(i.level1, i.level2, i.name, i.value) for i in records.indicators]
    assert got == [("成本指标", "经济成本指标", "委托中介机构费（万元）≤", "1.5"), ("产出指标", "数量指标", "内审报告（篇）", "1")]


def test_a_document_heading_over_the_first_table_is_not_part_of_its_title(tmp_path):
    """The document's heading (a year and 决算) printed right over the first table's title is no first line of a
    wrapped title, however long: the table keeps its own title."""
    records = read(
        tmp_path,
        "上海市普陀区档案局2024年度部门决算",
        "财政拨款“三公”经费支出决算表",
        "单位：万元",
        "“三公”经费合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费",
        "0.50 |  |  | 0.50",
    )
    assert [t.title for t in records.tables] == ["财政拨款“三公”经费支出决算表"]


@pytest.mark.parametrize(
    "first, rest",
    [
        # 江苏 公开09表: the title's first line carries the table's number
        ("公开 09 表：一般公共预算“三公”经费、会议费、培训费", "支出预算表"),
        # 西安 表13: the first line breaks off inside the list of what the table holds
        ("2022年部门综合预算一般公共预算拨款“三公”经费、", "会议费、培训费表（不含上年结转）"),
    ],
)
def test_a_wrapped_title_names_its_table_by_both_lines(tmp_path, first, rest):
    """A 三公 table whose title wraps so that its second line alone is another kind's title (支出预算表: the table of
    expenditure by function; 会议费、培训费表) is the 三公 table: a first line that prints the table's number or breaks
    off after 、 surely opens the title, and the whole title names the kind. Its figures are the 三公 expenses of the
    general public budget (they were lines of a table of expenditure by function, of no source of funds)."""
    records = read(
        tmp_path,
        "某某局2022年部门预算",
        first,
        rest,
        "部门：某某局 | 单位：万元",
        "合计 | “三公”经费 |  |  |  |  |  | 会议费 | 培训费",
        " | 小计 | 因公出国（境）费 | 公务用车购置及运行维护费 |  |  | 公务接待费 |  | ",
        " |  |  | 小计 | 公务用车购置费 | 公务用车运行维护费 |  |  | ",
        "1,384.74 | 484.30 | 100.00 | 267.80 |  | 267.80 | 116.50 | 200.44 | 700.00",
    )
    assert [(t.title, t.kind) for t in records.tables] == [(first + rest, "three-public-expenditure")]
    assert {o.dims.get("lp:fundingSource") for o in records.observations} == {"general-public-budget"}
    assert ("reception", 1165000) in {(o.dims.get("lp:controlledExpense"), o.amount) for o in records.observations}


def test_a_section_heading_over_a_title_is_not_its_first_line(tmp_path):
    """A heading of the text that is long and numbered (一、…) right over a table's title is no first line of it,
    and a line that neither prints a table's number nor breaks off is joined only when the kind stays the same."""
    records = read(
        tmp_path,
        "某某局2022年部门预算",
        "一、关于一般公共预算“三公”经费、会议费和培训费的说明",
        "支出预算总表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计",
        " | 合计 | 10.00",
        "201 | 一般公共服务支出 | 10.00",
    )
    assert [(t.title, t.kind) for t in records.tables] == [("支出预算总表", "expenditure-by-function")]


def test_other_expenditure_after_another_class_is_the_class_229(tmp_path):
    """A summary that lists classes, sections and items by name only (湖州): 其他支出 after 住房公积金 is the class 229,
    not the generic 其他…支出 item of the section above (2210299), which summed 75,500 into 住房改革支出."""
    records = read(
        tmp_path,
        "2026年市级部门收支预算总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、财政拨款 | 77,679.85 | 住房保障支出 | 2,179.85",
        " |  | 住房改革支出 | 2,179.85",
        " |  | 住房公积金 | 2,179.85",
        " |  | 其他支出 | 75,500.00",
        "本年收入合计 | 77,679.85 | 本年支出合计 | 77,679.85",
    )
    codes = [(o.row_label, o.dims.get("lp:functionalClassification")) for o in records.observations if o.dims.get("lp:direction") == "expenditure"]
    assert ("其他支出", "229") in codes and ("住房公积金", "2210201") in codes


def test_a_section_printed_again_on_the_level_of_its_items_is_one_line(tmp_path):
    """无锡: a 款 without 项 (21999 其他支出) printed on the 款 row and again on the 项 row, code and figures the same,
    is one line, an item of its class: read twice it made 219 twice its sum and 合计 short of it by one."""
    records = read(
        tmp_path,
        "支出总表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出",
        "合计 |  | 602.00 | 100.00 | 502.00",
        "201 | 一般公共服务支出 | 100.00 | 100.00 | ",
        "20101 | 人大事务 | 100.00 | 100.00 | ",
        "2010101 | 行政运行 | 100.00 | 100.00 | ",
        "219 | 援助其他地区支出 | 502.00 |  | 502.00",
        "21999 | 其他支出 | 502.00 |  | 502.00",
        "21999 | 其他支出 | 502.00 |  | 502.00",
    )
    lines = [(o.row, o.role) for o in records.observations if o.dims.get("lp:functionalClassification") == "21999"]
    assert lines == [(6, "item"), (6, "item")]  # its two figures, once
    assert [(s.row, s.printed) for s in records.skipped] == [(7, "502.00"), (7, "502.00")]


@pytest.mark.parametrize("total_at", ["top", "bottom"])
def test_a_section_with_no_item_under_it_is_an_item(tmp_path, total_at):
    """上海: 208 | 09 退役安置 printed between the 项 of 20805 and the 款 20828, with no 项 of its own, is a line of
    the table, an item: as a 款 (a subtotal) it was left out of the items, and 合计 looked 30,604,344元 more than
    them. A 款 whose 项 follow, and one that only a unit's row or a name follows, stay subtotals."""
    total = ["合计 |  |  |  | 60.00 | 60.00"]
    rows = [
        "208 |  |  | 社会保障和就业支出 | 60.00 | 60.00",
        "208 | 05 |  | 行政事业单位养老支出 | 10.00 | 10.00",
        "208 | 05 | 05 | 机关事业单位基本养老保险缴费支出 | 10.00 | 10.00",
        "208 | 09 |  | 退役安置 | 30.00 | 30.00",
        "208 | 28 |  | 退役军人管理事务 | 20.00 | 20.00",
        "208 | 28 | 50 | 事业运行 | 20.00 | 20.00",
    ]
    records = read(
        tmp_path,
        "收入预算总表",
        "单位：万元",
        "功能分类科目编码 |  |  | 功能分类科目名称 | 合计 | 财政拨款收入",
        "类 | 款 | 项 |  |  | ",
        *(total + rows if total_at == "top" else rows + total),
    )
    roles = {o.dims["lp:functionalClassification"]: o.role for o in records.observations if o.column_label == "合计"}
    assert roles == {"_T": "total", "208": "subtotal", "20805": "subtotal", "2080505": "item", "20809": "item", "20828": "subtotal", "2082850": "item"}
    items = sum(o.amount for o in records.observations if o.column_label == "合计" and o.role == "item")
    assert items == 600000


def test_a_section_followed_by_names_alone_stays_a_subtotal(tmp_path):
    """What follows a 款 without a code of its own (a name, a unit) may be its 项, read from their names: the 款 stays a
    subtotal."""
    records = read(
        tmp_path,
        "支出总表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计",
        "合计 |  | 10.00",
        "201 | 一般公共服务支出 | 10.00",
        "20103 | 政府办公厅（室）及相关机构事务 | 10.00",
        " | 行政运行 | 10.00",
    )
    roles = {(o.dims["lp:functionalClassification"], o.role) for o in records.observations}
    assert ("20103", "subtotal") in roles and ("2010301", "item") in roles


def test_a_class_whose_sections_follow_a_repeated_total_stays_a_subtotal(tmp_path):
    """佛山 决算: a table's page ends with 221 住房保障支出, and the next page prints the header and 合计 again before
    22102 and its 项: 221 has lines under it, past the repeated total."""
    records = read(
        tmp_path,
        "支出决算表",
        "单位：万元",
        "功能分类科目编码 | 科目名称 | 本年支出合计",
        " | 合计 | 70.00",
        "201 | 一般公共服务支出 | 10.00",
        "20101 | 人大事务 | 10.00",
        "2010101 | 行政运行 | 10.00",
        "221 | 住房保障支出 | 60.00",
        "功能分类科目编码 | 科目名称 | 本年支出合计",
        " | 合计 | 70.00",
        "22102 | 住房改革支出 | 60.00",
        "2210201 | 住房公积金 | 60.00",
    )
    roles = {o.dims["lp:functionalClassification"]: o.role for o in records.observations}
    assert roles["221"] == roles["22102"] == "subtotal" and roles["2210201"] == "item"


def test_the_special_account_funds_of_jiangsu_by_their_two_sources(tmp_path):
    """江苏 收入预算总表: 财政专户管理资金 | 小计 over 专户管理教育收费 and 其他非税收入, its two sources (其他非税收入 was
    reported as a label nobody knows, and 收入总计 looked 147.20 short of its parts)."""
    records = read(
        tmp_path,
        "收入预算总表",
        "单位：万元",
        "项目名称 |  | 金额",
        "收入总计 |  | 20,849.45",
        "一般公共预算资金 | 小计 | 20,702.25",
        " | 公共财政拨款(补助)资金 | 20,702.25",
        "财政专户管理资金 | 小计 | 147.20",
        " | 专户管理教育收费 | ",
        " | 其他非税收入 | 147.20",
    )
    assert [(o.role, o.dims["lp:fundingSource"], o.amount) for o in records.observations if o.row == 6] == [("item", "other-special-account", 1472000)]
    assert not records.skipped


def test_self_evaluation_scores_are_no_amounts(tmp_path):
    """佛山 决算: the narrative's list of projects with their self-evaluation scores (项目名称 | 自评分数) holds scores, not
    money: not reported as figures of an unread table, as 得分 columns are not."""
    records = read(
        tmp_path,
        "佛山市轨道交通局2019年度部门决算",
        "一般公共预算财政拨款支出决算表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计",
        "2140101 | 行政运行 | 30.50",
        "下一步改进措施：加强对专项经费的使用管理，提高专项经费绩效水平。",
        "项目名称 | 自评分数",
        "质量抽检和试验检测管理 | 100",
        "2019年度聘请专家人员经费 | 96.53",
        "轨道交通建设管理咨询服务 | 99.71",
    )
    assert not records.skipped, records.skipped


def test_the_parts_after_a_form_are_narrative_and_glossary(tmp_path):
    """长春: the project forms are the last tables, then 第三部分 情况说明 and 第四部分 名词解释. A part's heading ends the
    form: the prose after it is the narrative, whose figures are read (they were rows of the form, the narrative of
    the document read as empty), and the glossary's entries are read, an explanation or a term wrapped onto the next
    line read whole."""
    records = read(
        tmp_path,
        *FUJIAN_FORM,
        "第三部分 2026年部门预算情况说明",
        "一、收支总表情况说明",
        "2026年预算收入57.00万元。2026年预算支出57.00万元，其中基本支出预算0万元，占部门预算总支出的0%；",
        "项目支出预算57.00万元，占部门预算总支出的100%。",
        "第四部分 名词解释",
        "一、财政拨款收入：指财政当年拨付的资金，包括一般公共预算拨款、政府",
        "性基金预算拨款。",
        "二、一般公共服务支出(类)政府办公厅（室）及相关机构事",
        "务(款)行政运行(项)：反映行政单位的基本支出。",
        "- 38 -",
        "泉州市某局",
    )
    assert [(p.name, len(records.indicators)) for p in records.projects] == [("机场公安综合修缮改造项目", 2)]
    stated = sorted((s.figure, s.amount, s.share) for s in records.statements)
    assert stated == [
        ("basic-expenditure", 0, 0),
        ("expenditure-total", 570000, None),
        ("income-total", 570000, None),
        ("project-expenditure", 570000, 100),
    ]
    assert [(d.term, d.text, d.concept) for d in records.definitions] == [
        ("财政拨款收入", "指财政当年拨付的资金，包括一般公共预算拨款、政府性基金预算拨款。", "funding/fiscal-appropriation"),
        ("一般公共服务支出(类)政府办公厅（室）及相关机构事务(款)行政运行(项)", "反映行政单位的基本支出。", None),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "2026年财政拨款基本支出预算279,627.29万元，其中：人员经费262,303.68万元。",  # 财政拨款's, not the department's
        "2026年度一般公共预算拨款安排的会议费预算支出7.3万元，比上年预算减少4.2万元。",  # an item's 预算支出
        "公务用车购置预算支出0万元，与上年预算数相同。",
    ],
)
def test_a_part_or_an_item_of_the_budget_is_no_total_of_the_department(tmp_path, sentence):
    records = read(tmp_path, "某某局2026年部门预算", "一、收支总表情况说明", sentence)
    assert not [s for s in records.statements if s.figure in ("expenditure-total", "income-total", "basic-expenditure", "project-expenditure")]


JILIN_THREE_PUBLIC = (
    "长春市某局2026年部门预算",
    "本年一般公共预算“三公”经费支出表(预算表7)",
    "预算单位：长春市某局 | 单位：万元",
    "“三公”经费合计 | 当年预算 |  |  |  |  |  | 上年结转结余 |  |  |  |  |  ",
    " | 小计 | 因公出国（境）费 | 公务用车购置及运行费 |  |  | 公务接待费 | 小计 | 因公出国（境）费 | 公务用车购置及运行费 |  |  | 公务接待费",
    " |  |  | 小计 | 公务用车购置费 | 公务用车运行费 |  |  |  | 小计 | 公务用车购置费 | 公务用车运行费 | ",
    "7.61 | 7.61 | 0.00 | 6.75 | 0.00 | 6.75 | 0.86 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00",
)


def test_this_years_money_and_the_carry_over_of_a_three_public_table(tmp_path):
    """吉林's 三公 table of the general public budget splits each figure into 当年预算 and 上年结转结余: this year's money is
    the general public budget (what the title fixes; it was a source of funds of its own, current-year-income, and
    the narrative's 公务接待费 0.86万元 found no such figure), the carry-over the general public budget's carry-over; a
    小计 under either is the 三公 total of that money, as the table prints nothing but the 三公."""
    records = read(tmp_path, *JILIN_THREE_PUBLIC)
    got = {(o.dims["lp:fundingSource"], o.dims["lp:controlledExpense"]): o.amount for o in records.observations}
    assert got[("_T", "total")] == 76100
    assert got[("general-public-budget", "total")] == 76100
    assert got[("general-public-budget", "reception")] == 8600
    assert got[("general-public-budget", "vehicle-operation")] == 67500
    assert got[("prior-year-carryover-general-public-budget", "total")] == 0
    assert {o.dims["lp:fundingSource"] for o in records.observations} == {"_T", "general-public-budget", "prior-year-carryover-general-public-budget"}


def test_a_three_public_table_with_meetings_keeps_its_total_apart(tmp_path):
    """江苏 公开09表 prints 会议费 and 培训费 beside the 三公: its 合计 is more than the 三公 total (that is the 小计
    under “三公”经费) and stays the total over everything the table prints."""
    records = read(
        tmp_path,
        "某某局2018年部门预算",
        "一般公共预算“三公”经费、会议费、培训费支出预算表",
        "部门：某某局 | 单位：万元",
        "合计 | “三公”经费 |  |  |  |  |  | 会议费 | 培训费",
        " | 小计 | 因公出国（境）费 | 公务用车购置及运行维护费 |  |  | 公务接待费 |  | ",
        " |  |  | 小计 | 公务用车购置费 | 公务用车运行维护费 |  |  | ",
        "1,384.74 | 484.30 | 100.00 | 267.80 |  | 267.80 | 116.50 | 200.44 | 700.00",
    )
    got = {o.dims["lp:controlledExpense"]: o.amount for o in records.observations}
    assert got["_T"] == 13847400 and got["total"] == 4843000 and got["meetings"] == 2004400


UNIVERSITY_SUMMARY = (  # 高等学校收支决算总表 (西南大学 2023): the expenditure side's label column is 项目(按功能分类)
    "西南大学2023年度部门决算",
    "表1：高等学校收支决算总表",
    "单位名称：西南大学 | 单位：万元",
    "收入 |  | 支出 | ",
    "项目 | 决算数 | 项目(按功能分类) | 决算数",
    "栏次 | 1 | 栏次 | 2",
    "一、财政拨款收入 | 243,015.38 | 一、一般公共服务支出 | ",
    "四、经营收入 |  | 五、教育支出 | 425,287.27",
    "本年收入合计 | 430,725.03 | 本年支出合计 | 457,676.75",
    "上年结转和结余 | 93,660.54 | 年末结转和结余 | 66,708.82",
    "合计 | 524,385.57 | 合计 | 524,385.57",
)


@pytest.mark.parametrize("wording", ["项目(按功能分类)", "项目(按用途分)"])
def test_a_side_whose_label_column_the_vocabulary_does_not_name_is_a_side(tmp_path, wording):
    """高等学校收支决算总表 heads its expenditure labels 项目(按功能分类) (a wording headers.yaml now holds) or another
    (项目(按用途分), one it does not): that column of text between the revenue and the expenditure figures is the
    expenditure side's label column. Read as a grid, 教育支出's 425,287.27 was published as 经营收入.
    上年结转和结余 is the carry-over brought in (beside 年末结转和结余), not an income."""
    records = read(tmp_path, *(line.replace("项目(按功能分类)", wording) for line in UNIVERSITY_SUMMARY))
    got = [
        (o.row_label, o.dims["lp:direction"], o.role, o.amount)
        for o in records.observations
        if o.dims.get("lp:functionalClassification") == "205" or o.row_label == "四、经营收入"
    ]
    assert got == [("五、教育支出", "expenditure", "item", 4252872700)]
    carried = [(o.row_label, o.role, o.dims["lp:lineItem"], o.dims["lp:fundingSource"]) for o in records.observations if "结转" in o.row_label]
    assert carried == [("上年结转和结余", "total", "beginning-carryover", "_T"), ("年末结转和结余", "total", "year-end-carryover", "_T")]
    assert not records.skipped


def test_figures_right_of_a_column_of_unnamed_labels_are_not_taken_for_the_rows(tmp_path):
    """Without the 收入 | 支出 heading the table is no two-sided table, and the figures right of the column of labels
    the vocabulary does not know are not the row's (教育支出's figure is no 经营收入): skipped, with the reason."""
    unnamed = [line.replace("项目(按功能分类)", "项目(按用途分)") for line in UNIVERSITY_SUMMARY]  # a wording headers.yaml does not hold
    records = read(tmp_path, *unnamed[:3], *unnamed[4:])
    assert [o.amount for o in records.observations if o.amount == 4252872700] == []
    skipped = {s.printed: s.reason for s in records.skipped}
    assert set(skipped) == {"425,287.27", "457,676.75", "66,708.82", "524,385.57"}
    assert all("项目(按用途分)" in reason and "not clear" in reason for reason in skipped.values())


def test_capital_construction_column_under_project_expenditure(tmp_path):
    """高等学校支出决算表: 项目支出 | 小计 | 其中：基本建设资金支出: the last column is the project expenditure's part spent on
    capital construction (it was skipped as an unknown header)."""
    records = read(
        tmp_path,
        "西南大学2023年度部门决算",
        "表3：高等学校支出决算表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 | ",
        " |  |  |  | 小计 | 其中：基本建设资金支出",
        "205 | 教育支出 | 213,588.53 | 177,211.59 | 36,376.94 | 5,536.97",
    )
    last = [(o.dims["lp:expenditureKind"], o.dims["lp:lineItem"], o.amount) for o in records.observations if o.column_label.endswith("基本建设资金支出")]
    assert last == [("project", "capital-construction", 55369700)]
    assert not records.skipped


def test_a_summary_with_no_side_headings_has_the_templates_sides(tmp_path):
    """项目 | 预算数 | 项目 | 预算数 with no 收入 | 支出 heading over them is the national template's two sides, revenue
    first: read as a grid, the expenditure side's figures were skipped and its totals taken for the revenue side's rows."""
    records = read(
        tmp_path,
        "某市某局2026年部门预算",
        "一、部门收支总表",
        "单位：万元",
        "项目 | 预算数 | 项目 | 预算数",
        "一、一般公共预算拨款收入 | 1,000.00 | 一、一般公共服务支出 | 900.00",
        "二、政府性基金预算拨款收入 | 100.00 | 二、城乡社区支出 | 200.00",
        "本年收入合计 | 1,100.00 | 本年支出合计 | 1,100.00",
    )
    got = [(o.dims["lp:direction"], o.dims.get("lp:functionalClassification"), o.dims.get("lp:lineItem"), o.amount) for o in records.observations]
    assert got == [
        ("revenue", "_T", "_T", 10000000),
        ("expenditure", "201", "_T", 9000000),
        ("revenue", "_T", "_T", 1000000),
        ("expenditure", "212", "_T", 2000000),
        ("revenue", "_T", "current-year-income", 11000000),
        ("expenditure", "_T", "current-year-expenditure", 11000000),
    ]
    assert not records.skipped


@pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")
@pytest.mark.parametrize(
    "unit, key",
    [
        ("漯河市人民政府驻北京联络处", "/unit/001005"),  # a unit the department's table of units lists: its code
        ("漯河市人民政府接待服务中心", ""),  # a name the tables of units do not list: the department's, and a warning
    ],
)
def test_a_table_naming_one_of_the_units_is_that_units(tmp_path, unit, key):
    """A 部门预算 that prints a unit's budget after its own tables: the unit's table (部门名称: the unit)
    gives the unit's lines, not the department's a second time."""
    from lodpub.pipeline import process

    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("\n一般公共预算支出预算表\n")
    table = text[start : text.index("\n一般公共预算基本支出预算表\n")].replace("部门名称： 漯河市人民政府办公室", f"部门名称： {unit}")
    assert f"部门名称： {unit}" in table
    path = tmp_path / "with-unit.txt"
    path.write_text(text + f"\n\n第四部分 单位预算\n\n{unit}2024年单位预算\n" + table, encoding="utf-8")
    result = process(str(path), keep_records=True)
    records = result.records
    plain = build_records(recognise(extract(from_path(EXAMPLE))))
    assert records.department == plain.department == "漯河市人民政府办公室"
    last = max(t.ordinal for t in records.tables)
    theirs = [o for o in records.observations if o.table == last]
    ours = [o for o in records.observations if o.table < last]
    assert len(theirs) == len([o for o in plain.observations if o.table == 5]) > 40  # the same table, read whole
    assert [(o.table, o.dims) for o in ours] == [(o.table, o.dims) for o in plain.observations]  # the department's own tables unchanged
    as_printed = [o.dims["lp:organisation"] for o in plain.observations if o.table == 5]
    assert as_printed.count("") > 20
    assert [o.dims["lp:organisation"] for o in theirs] == [key if org == "" else org for org in as_printed]  # the 合计, the 001 row, 201 03 01 …
    warned = [f for f in result.load_details().findings if f.shape.endswith("OtherOrganisationNamed")]
    assert bool(warned) == (key == "") and all(unit in f.message for f in warned)


def test_income_and_expenditure_columns_as_other_regions_word_them(tmp_path):
    """Column wordings of the national 收入总表 and 支出总表 that regions adapt: 行政事业性收费收入,
    国有资源（资产）有偿使用收入, 单位自有资金, 专户资金, 对下级单位补助支出, and the classes of the government
    economic classification printed as columns (机关工资福利支出 …); every figure read, none skipped."""
    records = read(
        tmp_path,
        "部门收入总表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计 | 上年结余 | 行政事业性收费收入 | 国有资源（资产）有偿使用收入 | 专户资金 | 单位自有资金",
        " | 合计 | 60.00 | 10.00 | 20.00 | 10.00 | 15.00 | 5.00",
        "201 | 一般公共服务支出 | 60.00 | 10.00 | 20.00 | 10.00 | 15.00 | 5.00",
        "部门支出总表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 | 对下级单位补助支出",
        " | 合计 | 60.00 | 30.00 | 20.00 | 10.00",
        "201 | 一般公共服务支出 | 60.00 | 30.00 | 20.00 | 10.00",
        "一般公共预算基本支出表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计 | 机关工资福利支出 | 机关商品和服务支出 | 对事业单位经常性补助",
        " | 合计 | 30.00 | 20.00 | 6.00 | 4.00",
        "201 | 一般公共服务支出 | 30.00 | 20.00 | 6.00 | 4.00",
    )
    assert records.skipped == []
    funding = [o.dims.get("lp:fundingSource") for o in records.observations if o.table == 1 and o.dims.get("lp:functionalClassification") == "201"]
    assert funding == ["_T", "prior-year-carryover", "administrative-fees", "state-asset-income", "special-account", "unit-funds"]
    kinds = [o.dims.get("lp:expenditureKind") for o in records.observations if o.table == 2 and o.dims.get("lp:functionalClassification") == "201"]
    assert kinds == ["_T", "basic", "project", "subsidy"]
    classes = [
        o.dims.get("lp:governmentEconomicClassification") for o in records.observations if o.table == 3 and o.dims.get("lp:functionalClassification") == "201"
    ]
    assert classes == ["_T", "501", "502", "505"]


@pytest.mark.parametrize(
    "header",
    [
        ["收入 |  | 支出 | ", "项目 | 预算数 | 项目 | 预算数"],
        ["收入 |  | 支出 | ", "科目 | 预算数 | 科目 | 预算数"],  # 科目, a code column's word elsewhere, names a side's rows
        ["收入项目 | 预算数 | 支出项目 | 预算数"],  # the side and its labels in one cell, one header row
        ["项目（按收入来源分） | 预算数 | 项目（按功能分类） | 预算数"],
        ["项目 | 预算数 | 项目(按功能分类) | 预算数"],  # one side named so, the other not: still two sides, revenue first
    ],
)
def test_the_sides_of_a_summary_table_however_its_header_words_them(tmp_path, header):
    records = read(
        tmp_path,
        "部门收支总表",
        "单位：万元",
        *header,
        "一、一般公共预算拨款收入 | 100.00 | 一、一般公共服务支出 | 80.00",
        "二、事业收入 | 20.00 | 二、教育支出 | 40.00",
        "本年收入合计 | 120.00 | 本年支出合计 | 120.00",
    )
    assert records.skipped == []
    assert [(o.dims["lp:direction"], o.dims.get("lp:fundingSource"), o.dims.get("lp:functionalClassification"), o.amount) for o in records.observations] == [
        ("revenue", "general-public-budget", "_T", Decimal("1000000.00")),
        ("expenditure", "_T", "201", Decimal("800000.00")),
        ("revenue", "business-income", "_T", Decimal("200000.00")),
        ("expenditure", "_T", "205", Decimal("400000.00")),
        ("revenue", "_T", "_T", Decimal("1200000.00")),
        ("expenditure", "_T", "_T", Decimal("1200000.00")),
    ]


def test_one_character_left_of_a_name_names_no_code(tmp_path):
    """A name the cell cut off shows its last character only (出 of 一般公共服务支出, printed from a spreadsheet
    whose rows are too low): learnt from one table's row (2010399 | 出), it named 2010399 in another table.
    One character is no name of a code: the figure is reported, not given a code."""
    records = read(
        tmp_path,
        "一般公共预算支出表",
        "单位：万元",
        "科目编码 | 科目名称 | 合计",
        "2010399 | 出 | 10.00",
        "部门收支总表",
        "单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 预算数 | 项目 | 预算数",
        "一、一般公共预算拨款收入 | 10.00 | 出 | 10.00",
    )
    assert [o.dims.get("lp:functionalClassification") for o in records.observations if o.table == 1] == ["2010399"]
    assert [(o.dims["lp:direction"], o.dims["lp:functionalClassification"]) for o in records.observations if o.table == 2] == [("revenue", "_T")]
    assert [(s.table, s.printed) for s in records.skipped] == [(2, "10.00")]


def test_digits_in_the_name_column_are_a_unit_only_as_a_units_code(tmp_path):
    """A name column printing a unit's code (6 digits) over its projects gives the unit's row; a project whose
    name starts with digits, cut after them at a page's foot (12345热线… as 1234), is no unit /unit/1234."""
    records = read(
        tmp_path,
        "项目支出表",
        "单位：万元",
        "类型 | 项目名称 | 项目单位 | 合计",
        "其他运转类 | 信访维稳安定费 | 漯河市人民政府 | 8.60",
        "其他运转类 | 1234 | 漯河市 | 37.40",
    )
    assert [o.dims["lp:organisation"] for o in records.observations] == ["", ""]
    assert [p.name for p in records.projects] == ["信访维稳安定费", "1234"]


def _ruled_cjk_pages(path, pages: list[list[tuple[str, ...]]], xs: tuple[int, ...], titles: list[list[str]]):
    """A PDF of A4 pages, each with lines of text over a ruled grid of rows (STSong-Light, not embedded)."""
    from test_extract_pdf import _pdf_file

    def text(x: float, y: float, s: str) -> bytes:
        return b"BT /F1 10 Tf %.1f %.1f Td <%s> Tj ET\n" % (x, y, s.encode("utf-16-be").hex().encode())

    contents = []
    for rows, heads in zip(pages, titles):
        out = b"".join(text(60, 800 - 20 * k, t) for k, t in enumerate(heads))
        top = 760
        ys = [top - 20 * k for k in range(len(rows) + 1)]
        out += b"0.5 w\n" + b"".join(b"%d %d m %d %d l S\n" % (xs[0], y, xs[-1], y) for y in ys)
        out += b"".join(b"%d %d m %d %d l S\n" % (x, ys[0], x, ys[-1]) for x in xs)
        for k, row in enumerate(rows):
            out += b"".join(text(x + 3, ys[k] - 14, cell) for x, cell in zip(xs, row) if cell)
        contents.append(out)
    n = len(contents)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (6 + 2 * k) for k in range(n)), n),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        b" /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >>",
    ]
    for k, content in enumerate(contents):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (7 + 2 * k))
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    path.write_bytes(_pdf_file(objs))
    return path


def test_the_end_of_a_projects_name_on_the_next_page_beside_its_indicators(tmp_path):
    """北京's 项目支出绩效目标表 prints a project's name in a cell merged down its indicators' rows; a page break cut
    it (11000023T000002103382-档案数字化及 | 其整理), and the next page's first row prints the rest of the name beside
    the project's next indicator, with no figure. One project, its indicators its own; “其整理” was a project of
    its own, without figures, owning the indicator beside it (the name read whole only from the text the page clips
    away, which is no longer read)."""
    xs = (40, 150, 210, 270, 340, 450, 550)
    header = ("项目名称", "项目总额", "一级指标", "二级指标", "三级指标", "指标值")
    first = [header, ("档案数字化及", "8.57", "产出指标", "数量指标", "数字化数量", "≥27390张"), ("", "", "产出指标", "时效指标", "按期完成", "12月")]
    second = [
        header,
        ("其整理", "", "效益指标", "社会效益指标", "存档年限", "≥20年"),
        ("信息化运维", "37.32", "成本指标", "经济成本指标", "运维费", "≤11.9万元"),
    ]
    path = _ruled_cjk_pages(
        tmp_path / "targets.pdf", [first, second], xs, [["北京市某某办公室2026年度部门预算", "预算12表 项目支出绩效目标表", "金额单位：万元"], []]
    )
    from lodpub.extract import extract as extract_source
    from lodpub.sources import open_source

    records = build_records(recognise(extract_source(open_source(str(path)))))
    assert [p.name for p in records.projects] == ["档案数字化及其整理", "信息化运维"]
    owners = {p.key: p.name for p in records.projects}
    assert [(owners[i.owner], i.name) for i in records.indicators] == [
        ("档案数字化及其整理", "数字化数量"),
        ("档案数字化及其整理", "按期完成"),
        ("档案数字化及其整理", "存档年限"),
        ("信息化运维", "运维费"),
    ]
    assert sorted(o.printed for o in records.observations) == ["37.32", "8.57"]

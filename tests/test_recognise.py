"""Stage 3 on its own: titles to kinds, header paths to column meanings, layouts, table boundaries.

Small inputs written here (lines of cells, as the extractors give them), one layout or wording of
the national templates each, so that a region's new wording is quick to add and to check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lodpub.model import ExtractedDocument, Line, Source
from lodpub.recognise import candidate_kinds, column_meanings, header_paths, recognise, title_core
from lodpub.recognise.kinds import choose_kind


def lines_of(*rows: str, page: int = 1) -> list[Line]:
    """Lines from text rows: cells separated by “|” (a row), or one cell (a narrative line)."""
    out = []
    for n, row in enumerate(rows, start=1):
        cells = tuple(c.strip() for c in row.split("|")) if "|" in row else (row,)
        out.append(Line(page, n, cells))
    return out


def document(*rows: str) -> ExtractedDocument:
    from pathlib import Path

    return ExtractedDocument(Source("test.txt", Path("test.txt"), "0" * 64, "text/plain"), lines_of(*rows))


def kind(title: str, layout: str = "grid", keys: frozenset = frozenset()) -> str | None:
    core = title_core(title)
    spec = choose_kind(candidate_kinds(core), layout, set(keys)) if core else None
    return spec.kind if spec else None


@pytest.mark.parametrize(
    "title, expected",
    [
        ("预算01表 收支总表", "income-expenditure-summary"),
        ("公开01表：收支预算总表", "income-expenditure-summary"),
        ("表1：2026年市级部门收支预算总表", "income-expenditure-summary"),
        ("2026年部门收支总体情况表", "income-expenditure-summary"),
        ("部门综合预算收支总表", "income-expenditure-summary"),
        ("收入支出决算总表", "income-expenditure-summary"),
        ("上海市普陀区司法局2026年部门财务收支预算总表", "income-expenditure-summary"),
        ("（六）财政拨款收支总表", "fiscal-appropriation-summary"),
        ("财政拨款收入支出决算总表", "fiscal-appropriation-summary"),
        ("五、一般公共预算支出情况表（按功能分类科目）", "general-public-budget-expenditure"),
        ("一般公共预算财政拨款支出决算表", "general-public-budget-expenditure"),
        ("（八）一般公共预算支出表（按经济分类）", "general-public-budget-expenditure-by-economic"),
        ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "general-public-budget-basic-expenditure-by-function"),
        ("预算06表 一般公共预算基本支出表", "general-public-budget-basic-expenditure"),
        ("公开06表：财政拨款基本支出预算表", "fiscal-appropriation-basic-expenditure"),
        ("财政拨款支出表（功能科目）", "fiscal-appropriation-expenditure"),
        ("政府性基金预算财政拨款收入支出决算表", "government-fund-summary"),  # a grid in the final accounts
        ("国有资本经营预算财政拨款收入支出决算表", "state-capital-expenditure"),
        ("财政拨款“三公”经费支出决算表", "three-public-expenditure"),
        ("一般公共预算“三公”经费、会议费、培训费支出表", "three-public-expenditure"),
        ("财政拨款安排的行政经费及“三公”经费预算表", "three-public-expenditure"),
        ("2022年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）", "government-procurement"),
        ("预算11表 财政拨款政府购买服务明细表", "government-purchased-services"),
        ("部门预算项目支出及其他支出预算表", "project-expenditure"),
        ("部门综合预算专项业务经费支出表", "project-expenditure"),
        ("2026年部门整体绩效目标表", "overall-performance-targets"),
        ("基本支出总表", "basic-expenditure"),
        ("表10：2026年市级部门项目支出预算表", "project-expenditure"),
        # what a bracket leaves out or takes in names no kind: every part it lists, not only the first
        ("部门收支总表（不含政府性基金、国有资本经营预算）", "income-expenditure-summary"),
        ("一般公共预算支出表（按经济分类-不含上年结转、政府性基金）", "general-public-budget-expenditure-by-economic"),
        ("财政拨款收支总表（含一般公共预算、政府性基金）", "fiscal-appropriation-summary"),
        ("项目支出预算表（含上年结转）", "project-expenditure"),
        # a year in the brackets after the title, not the organisation and year before it
        ("部门收支预算表（2024年）", "income-expenditure-summary"),
        ("一般公共预算基本支出预算表（2024年度）", "general-public-budget-basic-expenditure"),
    ],
)
def test_title_words_name_the_kind(title, expected):
    # the layout a header gives such a table: a 收入 side and a 支出 side
    layout = "two-sided" if "收支" in title or "收入支出" in title else "grid"
    assert kind(title, layout) == expected


@pytest.mark.parametrize(
    "title, keys, expected",
    [
        # an unqualified title: the key columns say by what the rows go
        ("一般公共预算支出明细表", {"economic-dept"}, "general-public-budget-expenditure-by-economic"),
        ("一般公共预算支出明细表", {"function"}, "general-public-budget-expenditure"),
        ("一般公共预算支出明细表", {"function", "economic-dept"}, "general-public-budget-expenditure"),
        ("支出总表", {"economic-dept"}, "expenditure-by-economic-classification"),
        ("支出总表", set(), "expenditure-by-function"),
        # an excluding bracket loses only what it excludes
        ("2022年部门综合预算一般公共预算支出明细表（按支出经济分类科目-不含上年结转）", set(), "general-public-budget-expenditure-by-economic"),
        ("政府性基金收支表（不含上年结转）", set(), "government-fund-summary"),
    ],
)
def test_keys_and_qualifiers_decide_an_unqualified_title(title, keys, expected):
    layout = "two-sided" if "收支" in title else "grid"
    assert kind(title, layout, frozenset(keys)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "详见单位的项目绩效目标表",  # a sentence naming a table
        "第二部分 2026年部门预算表",  # a part heading
        "附件：北京市审计局2026年度部门预算报表",
        "一、收支预算总体情况，见附表1。",
    ],
)
def test_sentences_and_headings_are_not_titles(text):
    assert kind(text) is None


def test_header_paths_follow_merged_group_cells():
    header = lines_of(
        "科目编码 | 科目名称 | 合计 | 基本支出 |  |  | 项目支出",
        " |  |  | 小计 | 人员经费 | 公用经费 | ",
    )
    assert header_paths(header, 7) == [
        ["科目编码"],
        ["科目名称"],
        ["合计"],
        ["基本支出", "小计"],
        ["基本支出", "人员经费"],
        ["基本支出", "公用经费"],
        ["项目支出"],
    ]


@pytest.mark.parametrize("total", ["合计", "合  计", "合 计"])
def test_an_upper_header_cell_placed_one_column_late_is_put_back(total):
    """Tab-separated text may print a group's cell one column late: 本年收入's total then sits under the
    next group, beside that group's own total. The first of the two totals closes the group on its left,
    however blanks space its word out."""
    header = lines_of(
        "单位名称 | 总计 | 本年收入 |  | 上年结转 |  | ",
        f" |  | 一般公共预算 | 事业收入 | {total} | 合计 | 一般公共预算",
    )
    paths = header_paths(header, 7)
    assert paths[4] == ["本年收入", total]
    assert paths[5] == ["上年结转", "合计"] and paths[6] == ["上年结转", "一般公共预算"]


def test_a_header_row_a_page_break_cut_is_one_row():
    """A header row cut at the foot of a page (一般公共预 | 政府性基金预 | 事业收入) whose ends open the next page
    (算 | 算 | ): one row of the words the vocabulary knows, as printed whole. A second header row on the
    next page whose words stand alone is a row of its own."""
    from lodpub.model import Line
    from lodpub.recognise.tables import _header_cut_by_page

    cut = Line(5, 10, ("", "一般公共预", "政府性基金预", "事业收入"))
    assert _header_cut_by_page(cut, Line(6, 11, ("", "算", "算", "")))
    assert not _header_cut_by_page(cut, Line(5, 11, ("", "算", "算", "")))  # on the same page: the PDF reader joins a cell's lines
    assert not _header_cut_by_page(Line(5, 10, ("", "一般公共预算", "", "")), Line(6, 11, ("", "小计", "", "")))
    assert not _header_cut_by_page(Line(5, 10, ("", "基本支出", "", "")), Line(6, 11, ("", "人员经费", "公用经费", "")))
    # Word cuts every cell of the row (深圳 生态环境局): words that are terms alone (科目, 项目) beside words that are
    # none (支出总, 基本支) are cut too; where most cut words are terms, the rows are a header's two levels
    every = Line(30, 1070, ("预算单位", "科目", "科目名称", "支出总", "基本支", "项目"))
    assert _header_cut_by_page(every, Line(31, 1071, ("", "编码", "", "计", "出", "支出")))
    assert not _header_cut_by_page(Line(5, 10, ("项目", "本年收入", "基本支")), Line(6, 11, ("支出", "小计", "出")))


def test_a_group_does_not_reach_past_the_group_above_it():
    # 决算 三公: 公务接待费 heads its own 预算数 | 决算数, not the 公务用车运行费 cell left of it
    header = lines_of(
        "财政拨款“三公”经费 |  |  |  |  | ",
        "公务用车购置及运行费 |  |  |  | 公务接待费 | ",
        "小计 |  | 公务用车运行费 |  |  | ",
        "预算数 | 决算数 | 预算数 | 决算数 | 预算数 | 决算数",
    )
    paths = header_paths(header, 6)
    assert paths[4] == ["财政拨款“三公”经费", "公务接待费", "预算数"]
    assert paths[2] == ["财政拨款“三公”经费", "公务用车购置及运行费", "公务用车运行费", "预算数"]


def test_header_cells_are_whole_terms():
    """“项” is the 项 code column, never the beginning of “项目支出” (the 普陀 final-account bug)."""
    header = lines_of("功能分类科目编码 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出")
    cols = column_meanings(header, 5, "function")
    assert [(c.role, c.key, c.dims) for c in cols] == [
        ("key", "code", {}),
        ("key", "name", {}),
        ("amount", None, {}),
        ("amount", None, {"lp:expenditureKind": "basic"}),
        ("amount", None, {"lp:expenditureKind": "project"}),
    ]


def test_carry_over_qualifies_the_funding_sources_under_it():
    header = lines_of("合计 | 本年收入 |  | 上年结转结余 | ", " | 小计 | 一般公共预算资金 | 小计 | 一般公共预算资金")
    dims = [c.dims for c in column_meanings(header, 5)]
    assert dims == [
        {},
        {"lp:fundingSource": "current-year-income"},
        {"lp:fundingSource": "general-public-budget"},
        {"lp:fundingSource": "prior-year-carryover"},
        {"lp:fundingSource": "prior-year-carryover-general-public-budget"},
    ]


def test_a_heading_printed_again_under_itself_beside_a_part_is_the_rest_of_the_group():
    """吉林's “三公” table splits 因公出国（境）费 into 小计 | 因公出国（境）费 | 科研因公出国（境）费用: the middle
    column is the trips other than research (overseas-other), the last the research trips; the subtotal stays
    the whole. The same words typed in two header rows with no part beside them keep the group's value, and
    so does a repeated heading whose code list has no “-other” code."""
    header = lines_of(
        "“三公”经费合计 | 当年预算 |  |  |  | ",
        " | 小计 | 因公出国（境）费 |  |  | 公务接待费",
        " |  | 小计 | 因公出国（境）费 | 科研因公出国（境）费用 | ",
    )
    cols = column_meanings(header, 6)
    assert [c.dims.get("lp:controlledExpense") for c in cols] == ["total", None, "overseas", "overseas-other", "overseas-research", "reception"]
    alone = lines_of("合计 | 因公出国（境）费 | 公务接待费", " | 因公出国（境）费 | ")
    assert [c.dims.get("lp:controlledExpense") for c in column_meanings(alone, 3)] == [None, "overseas", "reception"]
    vehicles = lines_of("合计 | 公务用车购置及运行费 |  | ", " | 公务用车购置及运行费 | 公务用车购置费 | 公务接待费")
    assert [c.dims.get("lp:controlledExpense") for c in column_meanings(vehicles, 4)] == [None, "vehicle", "vehicle-purchase", "reception"]


def test_an_unknown_header_is_reported_not_guessed():
    cols = column_meanings(lines_of("科目编码 | 科目名称 | 合计 | 某种新的列"), 4, "function")
    assert cols[3].role == "unknown" and "某种新的列" in cols[3].reason


def test_years_and_changes_in_headers():
    header = lines_of("科目编码 | 科目名称 | 2025年执行数 | 2026年预算数 | 2026年预算数比2025年执行数", " |  |  |  | 增减额")
    cols = column_meanings(header, 5, "function")
    assert (cols[2].year, cols[2].phase) == ("2025", "final-account")
    assert (cols[3].year, cols[3].phase) == ("2026", "budget")
    assert cols[4].role == "ignore" and "change" in cols[4].reason


def test_two_sided_table_with_three_sides():
    doc = document(
        "收支预算总表",
        "单位：万元",
        "收入 |  | 支出 |  |  | ",
        "项目名称 | 金额 | 功能分类 |  | 支出用途 | ",
        " |  | 功能科目名称 | 金额 | 项目名称 | 金额",
        "一、财政拨款 | 100.00 | 一、一般公共服务支出 | 80.00 | 一、基本支出 | 60.00",
        "1.一般公共预算 | 100.00 | 二、公共安全支出 | 20.00 | 二、项目支出 | 40.00",
        "收入合计 | 100.00 | 支出合计 |  |  | 100.00",
    )
    (table,) = recognise(doc).tables
    assert table.spec.kind == "income-expenditure-summary" and table.layout == "two-sided"
    sides = [(c.index, c.direction) for c in table.columns if c.role == "key"]
    assert sides == [(0, "revenue"), (2, "expenditure"), (4, "expenditure")]
    assert [table.columns[j].axis for j in (2, 4)] == ["function", "expenditure-kind"]
    assert [c.index for c in table.columns if c.role == "amount"] == [1, 3, 5]


def test_title_on_a_line_of_its_own_after_the_table_number():
    doc = document(
        "表1",
        "收支总表",
        "部门名称：某某局（本级） 单位：万元",
        "收入 |  | 支出 | ",
        "项目 | 2026年预算数 | 项目 | 2026年预算数",
        "一、财政拨款 | 10.00 | 一、公共安全支出 | 10.00",
    )
    (table,) = recognise(doc).tables
    assert (table.title, table.unit, table.organisation_name) == ("收支总表", "万元", "某某局（本级）")


@pytest.mark.parametrize("page_number", [None, "- 31 -"])
def test_a_title_a_page_break_parts_is_one_title(page_number):
    """A title printed on two lines with a page break between them (its page number at the first page's
    foot): 2022年部门综合预算政府采购（资产配置、购买服务） | 预算表（不含上年结转） is one title (the second
    line alone names no kind: the table was reported unread). A line of the page before that is a sentence of
    the text, or not the last of its page, is no part of it."""
    rows = [
        ("2022年部门综合预算政府采购（资产配置、购买服务）", 31),
        *([(page_number, 31)] if page_number else []),
        ("预算表（不含上年结转）", 32),
        ("单位：万元", 32),
        ("序号 | 采购项目 | 预算金额", 32),
        ("1 | 办公设备购置 | 10.00", 32),
    ]
    lines = [Line(page, n, tuple(c.strip() for c in text.split("|")) if "|" in text else (text,)) for n, (text, page) in enumerate(rows, 1)]
    doc = ExtractedDocument(Source("test.pdf", Path("test.pdf"), "0" * 64, "application/pdf"), lines)
    (table,) = recognise(doc).tables
    assert (table.title, table.spec.kind) == ("2022年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）", "government-procurement")
    lines[0] = Line(31, 1, ("以上为本部门政府采购预算情况。",))  # the page's last line is a sentence of the text
    assert not recognise(ExtractedDocument(doc.source, lines)).tables
    lines[0] = Line(31, 1, ("2022年部门综合预算政府采购（资产配置、购买服务）",))
    lines.insert(1, Line(31, 98, ("详见下表：",)))  # not the last line of its page
    assert not recognise(ExtractedDocument(doc.source, lines)).tables


def test_cells_that_fell_between_columns_move_back_even_from_a_row_that_ends_there():
    """A column with no header whose cells fill the gaps of the 金额 column beside it is moved into it,
    also where the row ends in the column moved from (a mutated corpus text: an IndexError)."""
    doc = document(
        "一般公共预算支出表",
        "单位：万元",
        "科目编码 | 科目名称 |  | 金额",
        "201 | 一般公共服务支出 |  | 10.00",
        "2010101 | 行政运行 | 10.00",
    )
    (table,) = recognise(doc).tables
    assert [r.cells[1:] for r in table.rows] == [("一般公共服务支出", "", "10.00"), ("行政运行", "", "10.00")]


def test_a_title_printed_again_with_its_header_continues_the_table():
    rows = ["科目编码 | 科目名称 | 合计", "201 | 一般公共服务支出 | 5.00"]
    doc = ExtractedDocument(
        Source("t.txt", __import__("pathlib").Path("t.txt"), "0" * 64, "text/plain"),
        lines_of("支出总表", "单位：万元", *rows, page=1)
        + [Line(2, 10 + n, line.cells) for n, line in enumerate(lines_of("支出总表", "单位：万元", "科目编码 | 科目名称 | 合计", "205 | 教育支出 | 3.00"))],
    )
    (table,) = recognise(doc).tables
    assert [r.cells[0] for r in table.rows] == ["201", "205"] and table.continued == [2]


def test_the_end_of_a_wrapped_header_printed_in_the_first_row_goes_back_to_the_header():
    """西安 民政局: “对附属单位上缴收” over its column, and “入” printed in front of the first row's figure
    (入0.00): the header is 对附属单位上缴收入 and the figure 0.00; a figure further down keeps its text."""
    doc = document(
        "收入总表",
        "单位：元",
        "单位代码 | 单位名称 | 合计 | 事业收入 | 对附属单位上缴收",
        "241 | 西安市民政局 | 10.00 | 10.00 | 入0.00",
        "241001 | 西安市民政局 | 10.00 | 10.00 | 入0.00",
    )
    (table,) = recognise(doc).tables
    assert table.header[0].cells[-1] == "对附属单位上缴收入"
    assert [r.cells[-1] for r in table.rows] == ["0.00", "入0.00"]


def test_a_grid_without_title_is_reported_unread():
    doc = document("一、部门概况", "纳入编制范围的单位包括：", "序号 | 单位名称 | 金额", "1 | 某某局 | 10.00", "2 | 某某中心 | 5.00")
    recognition = recognise(doc)
    assert not recognition.tables
    (unread,) = recognition.unread
    assert unread.amount_cells == 2  # the row numbers are not amounts

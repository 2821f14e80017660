"""Rules held to what the national template promises, on small graphs in the published form (the shape
examples with one thing added): lodpub's own validation and stock pyshacl agree, and neither reports
what the template does not promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from rdflib import Graph

from test_shape_examples import _quads, code_concepts, data_part, fixed_vocabulary, validated

EXAMPLES = Path(__file__).parent.parent / "shapes" / "examples"
LPS = "https://w3id.org/lodpub/shapes#"


def findings(text: str, shape: str) -> tuple[list[str], list[str]]:
    """The messages of `shape` from lodpub's validation and from stock pyshacl."""
    from lodpub.validate import validate_document

    example = Graph()
    example.parse(data=text, format="turtle")
    quads = _quads(example.serialize(format="nt"))
    vocabulary = _quads(fixed_vocabulary() + code_concepts(example))
    ours = sorted(f.message for f in validate_document("example", quads, vocabulary) if f.shape == LPS + shape)
    stock = sorted(m for s, _, m in validated(text) if str(s) == LPS + shape)
    return ours, stock


SUMMARY_WITH_CARRYOVER = """
<example/table/9> a lp:BudgetTable ;
    dcterms:isPartOf <example> ;
    prov:wasDerivedFrom <example> ;
    dcterms:title "部门收支预算总表"@zh ;
    qb:structure dsd:income-expenditure-summary ;
    lp:printedUnit "万元"@zh .

<example/table/9/r2c4> a qb:Observation , lp:BudgetLine ;
    qb:dataSet <example/table/9> ;
    prov:wasDerivedFrom <example> ;
    lp:organisation <https://data.example.org/lodpub/org/example> ;
    lp:fiscalYear "2024"^^xsd:gYear ;
    lp:budgetPhase code:phase\\/budget ;
    lp:rowRole code:row-role\\/item ;
    lp:direction code:direction\\/expenditure ;
    lp:lineItem code:item\\/year-end-carryover ;
    lp:rowLabel "结转下年"@zh ;
    lp:columnLabel "预算数"@zh ;
    lp:sourceLine 5 ; lp:sourceRow 2 ; lp:sourceColumn 4 ;
    lp:printedValue "{carried}" ; lp:printedUnit "万元"@zh ; lp:printedPrecision "100"^^xsd:decimal ;
    lp:amount "{amount}"^^xsd:decimal .
"""


def test_revenue_carried_over_to_next_year_is_not_a_unit_total_that_disagrees():
    """The unit's revenue (1,276.27) exceeds its expenditure (1,266.27) by 10.00, which the department's
    summary carries over to next year (结转下年, in no expenditure table): not reported. Carrying over
    only 5.00 leaves the rest unexplained: still a violation."""
    text = data_part((EXAMPLES / "arithmetic" / "UnitTotalAgreement.invalid.ttl").read_text(encoding="utf-8"))
    assert findings(text, "UnitTotalAgreement")[0]
    ours, stock = findings(text + SUMMARY_WITH_CARRYOVER.replace("{carried}", "10.00").replace("{amount}", "100000"), "UnitTotalAgreement")
    assert ours == stock == []
    ours, stock = findings(text + SUMMARY_WITH_CARRYOVER.replace("{carried}", "5.00").replace("{amount}", "50000"), "UnitTotalAgreement")
    assert len(ours) == 1 and ours == stock


BASIC_IN_THREE_GROUPS = """某某局2024年度部门决算
一般公共预算财政拨款基本支出决算表
部门：某某局\t金额单位：万元
人员经费\t\t\t公用经费\t\t\t\t\t
科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数
301\t工资福利支出\t5.00\t302\t商品和服务支出\t2.00\t310\t资本性支出\t1.00
30101\t基本工资\t5.00\t30201\t办公费\t2.00\t31002\t办公设备购置\t1.00
人员经费合计\t\t5.00\t公用经费合计\t\t\t\t\t{total}
"""


def test_a_total_printed_once_for_a_kind_in_two_groups_covers_both():
    """公开06表 prints 公用经费 in two groups side by side (302 | 310) and one 公用经费合计 under the last:
    it is the total of both groups (3.00), not of the last (1.00); a total that fits neither is reported."""
    from mutations import run
    import tempfile

    def totals(total: str) -> list[str]:
        outcome = run(BASIC_IN_THREE_GROUPS.replace("{total}", total), Path(tempfile.mkdtemp()))
        return [f.message for f in outcome.findings if f.shape == LPS + "ColumnTotals"]

    assert totals("3.00") == []
    assert len(totals("4.00")) == 1


INCOME_BY_UNIT = """永安市司法局2026年部门预算
部门收入预算总表
部门：永安市司法局\t单位：万元
单位名称\t总计\t一般公共预算\t其他收入
合计\t30.00\t27.00\t3.00
永安市司法局\t{dept}\t27.00\t3.00
永安市司法局\t10.00\t9.00\t1.00
永安市司法局公证中心\t15.00\t13.00\t2.00
"""


def test_a_department_row_printing_the_total_again_is_reported_once(tmp_path):
    """杭州 收入预算总表: 合计, then the department's row with the same figures, then its units. Units that
    fall short of the total (22.00 against 27.00) make one finding per column, at the total: the
    department's row says the same again. A department row of a figure of its own is checked on its own."""
    from mutations import run

    def totals(dept: str) -> list[tuple[int, str]]:
        (tmp_path / dept).mkdir()
        outcome = run(INCOME_BY_UNIT.replace("{dept}", dept), tmp_path / dept)
        return sorted((f.row, f.message.split("「")[1].split("」")[0]) for f in outcome.findings if f.shape == LPS + "ColumnTotals")

    assert totals("30.00") == [(1, "一般公共预算"), (1, "总计")]
    assert totals("31.00") == [(1, "一般公共预算"), (1, "总计"), (2, "总计")]


def _printed_again(text: str, subject: str, printed: str, more: int) -> str:
    """`text` with the budget line `subject` printed as `printed`, `more` 元 above the figure it had."""
    start = text.index(subject + " a qb:Observation")
    end = text.index(" .\n", start)
    block = text[start:end]
    old_printed = block.split('lp:printedValue "')[1].split('"')[0]
    old_amount = block.split('lp:amount "')[1].split('"')[0]
    block = block.replace(f'lp:printedValue "{old_printed}"', f'lp:printedValue "{printed}"')
    block = block.replace(f'lp:amount "{old_amount}"', f'lp:amount "{int(old_amount) + more}"')
    return text[:start] + block + text[end:]


@pytest.mark.parametrize(
    "rule, subject, one_unit, two_units, unit",
    [
        # the class row 201 of the table by function against the summary's 一、一般公共服务支出 (1,026.27)
        ("FunctionClassAgreement", "<example/table/2/r2c3>", "1,026.28", "1,026.29", 100),
        # the expenditure table's 合计 against the summary's 本年支出合计 (1,266.27)
        ("SameFigureInTwoTables", "<example/table/2/r1c3>", "1,266.28", "1,266.29", 100),
        # 支出总计 against 收入总计 (1,276.27)
        ("TwoSidedBalance", "<example/table/1/r5c4>", "1,276.28", "1,276.29", 100),
        # the unit's revenue against its expenditure (1,266.27)
        ("UnitTotalAgreement", "<example/table/1/r2c3>", "1,266.28", "1,266.29", 100),
        # the project's funds in the performance targets against the project table (40.5, one decimal)
        ("ProjectAmountAgreement", "<example/table/2/r1c3>", "40.6", "40.7", 1000),
    ],
)
def test_one_figure_printed_twice_a_unit_of_its_last_digit_apart_is_a_note(rule, subject, one_unit, two_units, unit):
    """Two printings of one figure that differ by one unit of their last digit (326.71 and 326.72 万元: the
    national 决算 tables print a class row as the sum of its printed 项, a summary the class's own total
    rounded, and each table adds up in itself) are a difference rounding explains: a note of the rule's
    rounding grade, as lps:FunctionLineAgreement already grades it (and inspectors' rule sets: “0.01万元
    以内差异…仅提示”). Two units apart is a violation, as before."""
    valid = data_part((EXAMPLES / "arithmetic" / f"{rule}.valid.ttl").read_text(encoding="utf-8"))
    assert findings(valid, rule) == ([], []) and findings(valid, rule + "Rounding") == ([], [])

    near = _printed_again(valid, subject, one_unit, unit)
    ours, stock = findings(near, rule + "Rounding")
    assert len(ours) == 1 and ours == stock and "四舍五入" in ours[0]
    assert findings(near, rule) == ([], [])

    far = _printed_again(valid, subject, two_units, 2 * unit)
    ours, stock = findings(far, rule)
    assert len(ours) == 1 and ours == stock
    assert findings(far, rule + "Rounding") == ([], [])


def test_a_three_public_total_is_checked_against_its_parts_and_named_by_its_column(tmp_path):
    """A 三公 table of one unlabelled row: its 合计 is the 三公 total (the table prints nothing else), checked against
    因公出国 + 公务用车 + 公务接待 (it was the total over everything, and no rule compared it); the finding names the
    row by its number and the column, without the empty brackets of a row that has no label (“第1行（）”)."""
    from mutations import run

    text = "\n".join(
        [
            "某某局2024年度部门预算",
            "一般公共预算“三公”经费支出表",
            "单位：万元",
            "合计\t因公出国（境）费\t公务用车购置及运行费\t公务接待费",
            "{total}\t1.00\t2.00\t3.00",
        ]
    )
    (tmp_path / "wrong").mkdir(), (tmp_path / "right").mkdir()
    outcome = run(text.replace("{total}", "10.00"), tmp_path / "wrong")
    (finding,) = [f for f in outcome.findings if f.shape == LPS + "RowBreakdown"]
    assert "第1行：「合计」印刷为 10.00万元" in finding.message and "（）" not in finding.message
    outcome = run(text.replace("{total}", "6.00"), tmp_path / "right")
    assert not [f for f in outcome.findings if f.shape.startswith(LPS + "RowBreakdown")]


@pytest.mark.parametrize(("research", "found"), [("1.00", 0), ("2.00", 1)])
def test_overseas_trips_for_research_are_a_part_of_the_overseas_subtotal(tmp_path, research, found):
    """吉林 prints 因公出国（境）费 as 小计 | 因公出国（境）费 | 科研因公出国（境）费用. The research column was an
    unknown header (its figures skipped) and the middle one the same line as the subtotal; now the subtotal is
    checked against the two, and the 三公 total against the subtotal, the vehicles and the reception."""
    from mutations import run

    text = "\n".join(
        [
            "某某局2026年度部门预算",
            "本年一般公共预算“三公”经费支出表",
            "单位：万元",
            "“三公”经费合计\t因公出国（境）费\t\t\t公务用车购置及运行费\t公务接待费",
            "\t小计\t因公出国（境）费\t科研因公出国（境）费用\t\t",
            "7.00\t3.00\t2.00\t{research}\t2.00\t2.00",
        ]
    )
    from lodpub.pipeline import process

    outcome = run(text.replace("{research}", research), tmp_path)
    read = process(str(tmp_path / "mutated.txt"), validate=False, keep_records=True).records
    assert not read.skipped and len(read.observations) == 6
    assert {o.dims["lp:controlledExpense"] for o in read.observations} == {"total", "overseas", "overseas-other", "overseas-research", "vehicle", "reception"}
    messages = [f.message for f in outcome.findings if f.shape == LPS + "RowBreakdown"]
    assert len(messages) == found, messages
    # the parts are named and summed (a part under the 三公 total, which is broader than its whole, was
    # taken for a part printed beside a broader one: “其组成部分（）之和为 0万元”)
    assert all("「小计」印刷为 3.00万元，而其组成部分（因公出国（境）费、科研因公出国（境）费用）之和为 4万元" in m for m in messages)


def test_a_vehicles_subtotal_that_disagrees_names_its_parts(tmp_path):
    """公务用车购置及运行费 = 购置费 + 运行维护费, printed beside the 三公 total: a difference names the two parts and
    their sum."""
    from mutations import run

    text = "\n".join(
        [
            "某某局2026年度部门预算",
            "一般公共预算“三公”经费支出表",
            "单位：万元",
            "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
            "\t\t小计\t公务用车购置费\t公务用车运行维护费\t",
            "7.00\t1.00\t5.00\t2.00\t2.00\t1.00",
        ]
    )
    messages = [f.message for f in run(text, tmp_path).findings if f.shape == LPS + "RowBreakdown"]
    assert messages == [
        "一般公共预算“三公”经费支出表第1行：「小计」印刷为 5.00万元，而其组成部分（公务用车购置费、公务用车运行维护费）之和为 4万元（相差 1万元）"
    ]


@pytest.mark.parametrize(("fiscal", "found"), [(None, 0), ("8200.95", 0), ("8000.00", 1)])
def test_one_part_printed_under_its_whole_down_a_form_is_an_of_which(tmp_path, fiscal, found):
    """泉州's department-wide form prints 资金总额 8200.95, then 项目支出 and 基本支出, then 其他资金 0.00: the one source
    of funds printed is an “of which”, not the whole's breakdown (资金总额 was “not the sum of its parts (其他资金)”,
    in two documents). With 财政拨款 printed too, the two are a breakdown and are checked."""
    from mutations import run

    rows = [
        "泉州市人民政府办公室2026年部门预算",
        "部门整体支出绩效目标表",
        "部门名称\t泉州市人民政府办公室\t部门预算编码\t103",
        "年度预算安排（万元）\t资金总额\t8200.95",
        "\t项目支出\t2285.57",
        "\t基本支出\t5915.38",
        *([f"\t财政拨款\t{fiscal}"] if fiscal else []),
        "\t其他资金\t0.00",
        "总体目标\t保障政府高效运行。",
    ]
    outcome = run("\n".join(rows), tmp_path)
    messages = [f.message for f in outcome.of("RowBreakdown")]
    assert len(messages) == found, messages


YANTAI_SUMMARY = """烟台市住房和城乡建设局2026年部门预算
收支总体情况表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、财政拨款收入\t100.00\t一、一般公共服务支出\t100.00
一般公共预算收入\t100.00\t\t
本年收入合计\t100.00\t本年支出合计\t100.00
上级补助收入\t{extra}\t对附属单位的补助支出\t{extra}
上年结转\t\t结转下年\t
收入总计\t{total}\t支出总计\t{total}
"""


@pytest.mark.parametrize(("extra", "total", "found"), [("10.00", "110.00", 0), ("10.00", "100.00", 2), ("", "100.00", 0)])
def test_sources_under_the_current_years_total_count_in_the_grand_total(tmp_path, extra, total, found):
    """烟台 (山东's template) prints 上级补助收入 under 本年收入合计 and 对附属单位的补助支出 under 本年支出合计: outside the
    year's totals, within the grand totals. They were items of the year's side, which then did not add up, and
    missing from the grand total (two violations in each such document); a grand total without them is found."""
    from mutations import run

    outcome = run(YANTAI_SUMMARY.format(extra=extra, total=total), tmp_path)
    assert not outcome.of("TwoSidedSideTotal")
    grand = [f.message for f in outcome.of("TwoSidedGrandTotal")]
    assert len(grand) == found, grand
    assert all("上级补助收入" in m or "对附属单位的补助支出" in m for m in grand)


XIAN_SUMMARY = """西安市某某局2019年部门综合预算
2019年部门综合预算收支总表
单位：万元
收入\t\t支出\t
项目\t预算数\t支出功能分类\t预算数
一、部门预算\t\t一、部门预算\t
1、财政拨款\t100.00\t1、一般公共服务\t100.00
本年收入合计\t100.00\t本年支出合计\t100.00
用事业基金弥补收支差额\t\t结转下年\t{carried}
上年实户资金余额\t{balance}\t未安排支出的实户资金\t{unspent}
上年结转\t5.00\t\t
收入总计\t{total}\t支出总计\t{total}
"""


@pytest.mark.parametrize(("balance", "unspent", "carried", "total", "found"), [("3.00", "3.00", "5.00", "108.00", 0), ("", "", "5.00", "108.00", 2)])
def test_own_account_balances_count_in_the_grand_totals(tmp_path, balance, unspent, carried, total, found):
    """西安's summary adds the balance of the unit's own accounts (上年实户资金余额) to the revenue total and the
    own funds not assigned to spending (未安排支出的实户资金) to the expenditure total: they were sources of funds
    outside the sum, and every such summary that printed them was “not adding up”. Without them the totals do not."""
    from mutations import run

    text = XIAN_SUMMARY.format(balance=balance, unspent=unspent, carried=carried, total=total)
    outcome = run(text, tmp_path)
    grand = [f.message for f in outcome.findings if f.shape == LPS + "TwoSidedGrandTotal"]
    assert len(grand) == found, grand


def _split_item(text: str, second: str) -> str:
    """The valid EconomicHierarchy example with its item 30102 (198.65) printed as two 7-digit lines instead,
    3010201 (150.00) and 3010202 (`second`), and no 30102 row."""
    start = text.index("<example/table/1/r3c3> a qb:Observation")
    end = text.index(" .\n", start) + 3
    block = text[start:end]

    def part(row: int, code: str, printed: str) -> str:
        amount = str(int(round(float(printed) * 10000)))
        return (
            block.replace("<example/table/1/r3c3>", f"<example/table/1/r{row}c3>")
            .replace("economic-dept\\/30102", f"economic-dept\\/{code}")
            .replace('lp:printedValue "198.65"', f'lp:printedValue "{printed}"')
            .replace('lp:amount "1986500"', f'lp:amount "{amount}"')
            .replace("lp:sourceRow 3", f"lp:sourceRow {row}")
        )

    assert 'lp:amount "1986500"' in block and "economic-dept\\/30102" in block
    return text[:start] + part(3, "3010201", "150.00") + part(4, "3010202", second) + text[end:]


def test_seven_digit_lines_stand_for_their_item_where_it_is_not_printed():
    """西安 (2019) prints 301 工资福利支出, then 30101, 3010201 津贴补贴 and 3010202 改革性补贴 with no 30102 row, then
    30108 …: the class was compared with its 5-digit items only and “did not add up” (20 violations over two
    documents). A 7-digit line whose item is not printed counts for it, in lodpub's validation and in stock
    pyshacl alike; parts that do not add up are still found."""
    valid = data_part((EXAMPLES / "arithmetic" / "EconomicHierarchy.valid.ttl").read_text(encoding="utf-8"))
    assert findings(_split_item(valid, "48.65"), "EconomicHierarchy") == ([], [])
    ours, stock = findings(_split_item(valid, "40.00"), "EconomicHierarchy")
    assert len(ours) == 1 and ours == stock and "所属3个款之和为 502.4" in ours[0]


EXCLUDING_CAPITAL_CONSTRUCTION = """北京城市副中心工程建设管理办公室2026年度部门预算报表
预算03表 支出总表
金额单位：万元
支出功能分类科目\t合计\t基本支出\t项目支出
2120199-其他城乡社区管理事务支出\t1,031.15\t521.45\t509.70
2019999-其他一般公共服务支出\t29,508.09\t\t29,508.09
合计\t30,539.24\t521.45\t30,017.79
预算05表 一般公共预算支出表
金额单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出\t
\t\t\t\t项目支出总数\t扣除基建项目后预算数
2120199\t其他城乡社区管理事务支出\t1,031.15\t521.45\t509.70\t509.70
2019999\t其他一般公共服务支出\t29,508.09\t\t{project}\t
合计\t\t30,539.24\t521.45\t30,017.79\t509.70
"""


def test_a_column_of_a_part_is_compared_with_the_same_part(tmp_path):
    """北京's 预算05表 prints 扣除基建项目后预算数 beside 项目支出总数: project expenditure less its capital
    construction, a part the 支出总表 does not print. Its 合计 (509.70) was compared with the 支出总表's project
    expenditure (30,017.79) and reported as disagreeing; a project figure that disagrees is still found."""
    from mutations import run

    def found(project: str) -> list[str]:
        (tmp_path / project).mkdir()
        outcome = run(EXCLUDING_CAPITAL_CONSTRUCTION.replace("{project}", project), tmp_path / project)
        return [f.message for f in outcome.findings if f.shape == LPS + "FunctionLineAgreement"]

    assert found("29,508.09") == []
    assert [m.split("「")[1].split("」")[0] for m in found("29,518.09")] == ["项目支出总数"]

"""Mutation tests: change the example document in one place and check that the specific rule
(by shape IRI) fires at the right table and row — one mutation at least per rule, over every
kind of table. The unchanged document raises no violation, only the warnings listed below.

Table ordinals of the example: 1 部门收支预算表, 2 部门收入预算表, 3 部门支出预算表, 4 财政拨款收支总体情况表,
5 一般公共预算支出预算表, 6 一般公共预算基本支出预算表, 7 “三公”经费支出情况表, 8 政府性基金 (declared empty),
9 国有资本经营 (declared empty), 10 项目支出表, 11 项目绩效目标汇总表, 12 部门整体绩效目标表.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mutations import change_cell, change_figure, change_sentence, insert_row, remove_row, remove_table, run

EXAMPLE = Path("/work/shared/corpus/000_ed2cbb808d4d5810.txt")
if not EXAMPLE.exists():
    EXAMPLE = Path(__file__).resolve().parent / "data" / "000_ed2cbb808d4d5810.txt"

LPS = "https://w3id.org/lodpub/shapes#"
EXPENDITURE, GPB, BASIC, THREE, PROJECTS, TARGETS, OVERALL = (
    "部门支出预算表",
    "一般公共预算支出预算表",
    "一般公共预算基本支出预算表",
    "一般公共预算“三公”经费支出情况表",
    "项目支出表",
    "部门预算项目绩效目标汇总表",
    "部门整体绩效目标表",
)


@pytest.fixture(scope="module")
def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def unchanged(text, tmp_path_factory):
    return run(text, tmp_path_factory.mktemp("unchanged"))


def test_unchanged_document_has_no_violation(unchanged):
    assert unchanged.violations == [], [f.message for f in unchanged.violations]


def test_unchanged_document_warnings_are_the_genuine_ones(unchanged):
    """Every warning of the unchanged example is a real property of the document:
    * 支出经济分类汇总表 is listed in the contents (七、) but the document does not contain it;
    * 15 of the 31 projects of the project table have no performance targets, while the narrative
      says all project expenditure is managed by performance targets (对所有项目支出全面实施绩效目标管理);
    * the basic-expenditure table prints several rows with the same pair of economic codes and no
      unit column, so those lines cannot be told apart (11 groups of twins)."""
    warnings = [f for f in unchanged.findings if f.severity == "Warning"]
    by_shape = {}
    for f in warnings:
        by_shape.setdefault(f.shape.rsplit("#", 1)[-1], []).append(f)
    assert set(by_shape) == {"ListedTableMissing", "ProjectWithoutTargets", "NoDuplicateLines"}
    (missing,) = by_shape["ListedTableMissing"]
    assert "支出经济分类汇总表" in missing.message
    assert len(by_shape["ProjectWithoutTargets"]) == 15
    assert {f.table for f in by_shape["ProjectWithoutTargets"]} == {10}
    assert any("政府事务工作经费" in f.message for f in by_shape["ProjectWithoutTargets"])
    assert len(by_shape["NoDuplicateLines"]) == 11
    assert {f.table for f in by_shape["NoDuplicateLines"]} == {6}


WARNINGS = {"DeclaredEmptyWithFigures", "FunctionCodeName", "FunctionCodeParentPrinted", "ListedTableMissing", "ProjectWithoutTargets", "NoDuplicateLines"}


def fires(outcome, shape, table, row=None, severity=None):
    severity = severity or ("Warning" if shape in WARNINGS else "Violation")
    hits = outcome.at(shape, table, row)
    assert hits, (shape, table, row, [(f.shape.rsplit("#", 1)[-1], f.table, f.row, f.message) for f in outcome.findings if f.severity == "Violation"][:20])
    assert all(f.shape == LPS + shape for f in hits)
    assert all(f.severity == severity for f in hits)
    return hits


# (name, mutation, shape, table, row) — every rule at least once, every kind of table at least once
MUTATIONS = [
    # totals and subtotals = sum of items (grid tables, income by unit, projects)
    ("expenditure-total-figure", lambda t: change_figure(t, EXPENDITURE, "合计", "4,212.99", "4,222.99"), "ColumnTotals", 3, 1),
    (
        "income-unit-figure",
        lambda t: change_figure(t, "部门收入预算表", "001005", "1,112.84", "1,113.84"),
        "ColumnTotals",
        2,
        7,
    ),  # at 合计: the department row 001 prints its figure again
    ("basic-item-figure", lambda t: change_figure(t, BASIC, ("30101", "340.30"), "340.30", "350.30", occurrence=0), "ColumnTotals", 6, 1),
    ("project-total-figure", lambda t: change_figure(t, PROJECTS, "书报费", "13.5", "23.5", occurrence=0), "ColumnTotals", 10, 1),
    # within a row: total = basic + project, basic = its economic parts, basic = personnel + public, 三公 = parts
    ("gpb-wages-figure", lambda t: change_figure(t, GPB, "行政运行", "886.61", "896.61"), "RowBreakdown", 5, 3),
    ("basic-personnel-figure", lambda t: change_figure(t, BASIC, ("30101", "340.30"), "340.30", "350.30", occurrence=1), "RowBreakdown", 6, 7),
    ("three-public-total", lambda t: change_figure(t, THREE, "47.00", "47.00", "48.00"), "RowBreakdown", 7, 1),
    ("overall-project-funds", lambda t: change_figure(t, OVERALL, "（2）项目支出", "1,458.9", "1,468.9"), "RowBreakdown", 12, 9),
    # hierarchy 类/款 = Σ 项 where the 款 is printed (a 款 row inserted with a wrong figure)
    (
        "section-row-inserted",
        lambda t: insert_row(t, EXPENDITURE, "行政运行", ["201", "03", "", "", "政府办公厅（室）及相关机构事务", "3,395.51"]),
        "FunctionHierarchy",
        3,
        3,
    ),
    # two-sided tables
    ("summary-side-item", lambda t: change_figure(t, "部门收支预算表", "八、社会保障和就业", "512.35", "522.35"), "TwoSidedSideTotal", 1, 31),
    (
        "fiscal-summary-side-item",
        lambda t: change_figure(t, "财政拨款收支总体情况表", "八、社会保障和就业支出", "512.35", "522.35", occurrence=0),
        "TwoSidedSideTotal",
        4,
        31,
    ),
    ("summary-income-total", lambda t: change_figure(t, "部门收支预算表", "收入总计", "4,212.99", "4,312.99", occurrence=0), "TwoSidedBalance", 1, 33),
    ("summary-expenditure-total", lambda t: change_figure(t, "部门收支预算表", "收入总计", "4,212.99", "4,312.99", occurrence=1), "TwoSidedGrandTotal", 1, 33),
    # cross-table agreement
    ("gpb-line-differs", lambda t: change_figure(t, GPB, "行政运行", "886.61", "896.61"), "FunctionLineAgreement", 5, 3),
    ("gpb-row-removed", lambda t: remove_row(t, GPB, "事业单位医疗"), "FunctionLineInBothTables", 3, 17),
    ("project-amount-differs", lambda t: change_figure(t, TARGETS, "参事事务费", "10.0", "11.0", occurrence=0), "ProjectAmountAgreement", 11, 3),
    ("overall-total-differs", lambda t: change_figure(t, OVERALL, "（2）项目支出", "1,458.9", "1,468.9"), "SameFigureInTwoTables", 3, 1),
    (
        "unit-row-appended",
        lambda t: insert_row(t, EXPENDITURE, None, ["", "", "", "001009", "漯河市人民政府办公室汽车队", "200.00"]),
        "UnitTotalAgreement",
        2,
        5,
    ),
    # narrative vs tables
    (
        "narrative-income",
        lambda t: change_sentence(t, "一般公共预算拨款收入 4212.99 万元", "一般公共预算拨款收入 4312.99 万元"),
        "NarrativeFigureMatchesTable",
        1,
        1,
    ),
    ("narrative-three-public", lambda t: change_sentence(t, "公务接待费10万元", "公务接待费12万元"), "NarrativeFigureMatchesTable", 7, 1),
    ("narrative-share", lambda t: change_sentence(t, "基本支出 2754.1 万元，占 65.4%", "基本支出 2754.1 万元，占 66.4%"), "NarrativeShareMatchesTable", 1, 31),
    ("narrative-project-count", lambda t: change_sentence(t, "共31个项目", "共30个项目"), "NarrativeProjectCount", 10, None),
    # codes
    ("code-six-digits", lambda t: change_cell(t, EXPENDITURE, ("208", "其他社会保障和就业支出"), 2, "999"), "FunctionCodeDigits", 3, 11),
    ("code-name-differs", lambda t: change_cell(t, GPB, ("201", "行政运行"), 4, "行政运转"), "FunctionCodeName", 3, 3),
    ("code-class-misprinted", lambda t: change_cell(t, EXPENDITURE, ("210", "行政单位医疗"), 0, "710"), "FunctionCodeFit", 3, None),
    # a class row printed in the expenditure table that disagrees with the summary's class line
    (
        "class-row-differs",
        lambda t: insert_row(t, EXPENDITURE, "行政单位离退休", ["208", "", "", "", "社会保障和就业支出", "522.35"]),
        "FunctionClassAgreement",
        1,
        8,
    ),
    # figures in a table whose note says it has no data
    (
        "empty-table-with-figures",
        lambda t: insert_row(t, "政府性基金预算支出情况表", None, ["201", "03", "01", "", "行政运行", "1.00", "1.00", "1.00"]),
        "DeclaredEmptyWithFigures",
        8,
        None,
    ),
]


@pytest.mark.parametrize("name,mutate,shape,table,row", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_fires_rule_at_place(text, tmp_path, name, mutate, shape, table, row):
    outcome = run(mutate(text), tmp_path)
    hits = fires(outcome, shape, table, row)
    for f in hits:
        assert f.message and "第" in f.message


def test_section_without_its_class_sections_is_a_warning(text, tmp_path):
    """Once the table prints a 款 row, every 项 whose 款 is not printed is reported (a warning)."""
    mutated = insert_row(text, EXPENDITURE, "行政运行", ["201", "03", "", "", "政府办公厅（室）及相关机构事务", "3,385.51"])
    outcome = run(mutated, tmp_path)
    assert not outcome.of("FunctionHierarchy")  # the inserted 款 adds up
    hits = outcome.of("FunctionCodeParentPrinted")
    assert hits and all(f.severity == "Warning" and f.table == 3 for f in hits)
    assert any(f.row == 9 and "20805" in f.message for f in hits)  # 2080501 行政单位离退休, 款 20805 not printed
    assert not any("20103" in f.message for f in hits)


def test_duplicate_lines_from_a_changed_code(text, tmp_path):
    outcome = run(change_cell(text, EXPENDITURE, ("210", "事业单位医疗"), 2, "01"), tmp_path)
    hits = outcome.at("NoDuplicateLines", 3)
    assert hits and all(f.severity == "Warning" for f in hits)
    assert any("第12" in f.message and "17" in f.message for f in hits)


def test_removed_table_listed_in_contents(text, tmp_path):
    outcome = run(remove_table(text, THREE), tmp_path)
    missing = outcome.of("ListedTableMissing")
    assert {("三公" in f.message) for f in missing} == {True, False}
    assert all(f.severity == "Warning" and f.focus.endswith("doc/" + outcome.docid) for f in missing)


def test_declared_empty_tables_are_not_missing(unchanged):
    assert not any("政府性基金" in f.message or "国有资本" in f.message for f in unchanged.of("ListedTableMissing"))


def test_project_removed_from_targets(text, tmp_path):
    outcome = run(remove_row(text, TARGETS, "参事事务费"), tmp_path)
    hits = outcome.at("ProjectWithoutTargets", 10, 8)
    assert hits and "参事事务费" in hits[0].message and hits[0].severity == "Warning"


def test_no_coverage_claim_no_missing_target_warning(text, tmp_path):
    outcome = run(change_sentence(text, "对所有项目支出全面实施绩效目标管理", "对部分项目支出实施绩效目标管理"), tmp_path)
    assert not outcome.of("ProjectWithoutTargets")


def test_rounding_within_printed_precision_is_accepted(text, tmp_path):
    """A narrative figure rounded to one decimal (2754.1 for 2,754.10) and a table in 0.1 万元
    (4,213.0 for 4,212.99) are within the printed precision: no finding."""
    outcome = run(change_sentence(text, "其中：基本支出 2754.1 万元", "其中：基本支出 2754.10 万元"), tmp_path)
    assert not outcome.violations


# narrative figures of the function classification (the wording of the Shanghai budgets), inserted
# after the paragraph on fiscal appropriations: the 项 行政运行 (2010301) is 1,026.27 万元 in
# 一般公共预算支出预算表 (table 5, row 3), of 4,212.99 万元 of general-public-budget expenditure
AFTER = "\n原因：因机构改革工作，市接待服务中心划转至市机关事务中心。\n"


def with_sentence(text: str, sentence: str) -> tuple[str, int]:
    """The example with `sentence` as a paragraph of its own after AFTER, and the sentence's line."""
    assert text.count(AFTER) == 1
    head = text[: text.index(AFTER) + len(AFTER)]
    return head + "\n" + sentence + "\n" + text[len(head) :], head.count("\n") + 2


FUNCTION_LINE = "“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”{}万元，主要用于机关日常运转。"


def test_narrative_function_line_agrees(text, tmp_path):
    mutated, _line = with_sentence(text, FUNCTION_LINE.format("1026.27"))
    outcome = run(mutated, tmp_path)
    assert not outcome.of("NarrativeFigureMatchesTable"), [f.message for f in outcome.of("NarrativeFigureMatchesTable")]


def test_narrative_function_line_differs(text, tmp_path):
    """A 项 figure of the narrative is compared with the row of its code in the general-public-budget
    table (合计 column); the finding names the statement's line and the table row."""
    mutated, line = with_sentence(text, FUNCTION_LINE.format("1036.27"))
    outcome = run(mutated, tmp_path)
    (hit,) = fires(outcome, "NarrativeFigureMatchesTable", 5, 3)
    assert f"情况说明第{line}行" in hit.message and "1036.27万元" in hit.message
    assert "行政运行" in hit.message and "1,026.27" in hit.message
    assert len(outcome.of("NarrativeFigureMatchesTable")) == 1


def test_narrative_function_class_share(text, tmp_path):
    """The share of a 类 is of the general-public-budget expenditure (4,212.99 万元: 3,385.51 is 80.36%)."""
    sentence = "一般公共预算财政拨款支出4212.99万元，主要用于以下方面：一般公共服务支出（类）3385.51万元，占{}%。"
    agrees, _ = with_sentence(text, sentence.format("80.36"))
    assert not run(agrees, tmp_path).of("NarrativeShareMatchesTable")
    differs, line = with_sentence(text, sentence.format("81.36"))
    (hit,) = fires(run(differs, tmp_path), "NarrativeShareMatchesTable", 5, 1)
    assert f"情况说明第{line}行" in hit.message and "80.36%" in hit.message


def test_narrative_share_cut_at_its_digits_agrees(text, tmp_path):
    """A share truncated to the printed digits agrees as a rounded one does (3,385.51 of 4,212.99 is 80.3588 %:
    80.36 rounded, 80.35 cut, as several 普陀 documents print their shares), as the narrative's own rates already
    do; a share a unit above the rounded one or below the cut one does not."""
    sentence = "一般公共预算财政拨款支出4212.99万元，主要用于以下方面：一般公共服务支出（类）3385.51万元，占{}%。"
    cut, _ = with_sentence(text, sentence.format("80.35"))
    assert not run(cut, tmp_path).of("NarrativeShareMatchesTable")
    for printed in ("80.37", "80.34"):
        differs, _ = with_sentence(text, sentence.format(printed))
        (hit,) = fires(run(differs, tmp_path), "NarrativeShareMatchesTable", 5, 1)
        assert f"{printed}%" in hit.message


def test_narrative_personnel_figure(text, tmp_path):
    """人员经费 is compared with the total row of the basic-expenditure table (its lines carry
    fundingSource general-public-budget, the scope of the table)."""
    outcome = run(change_sentence(text, "人员经费支出2557.74万元", "人员经费支出2567.74万元"), tmp_path)
    (hit,) = fires(outcome, "NarrativeFigureMatchesTable", 6, 1)
    assert "2567.74" in hit.message and "2,557.74" in hit.message


SIDE_WITH_TRANSFERS = """漯河市某某局2026年部门预算
部门收支总表
部门名称：漯河市某某局\t单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款\t120.00\t一、一般公共服务支出\t{general}
二、其他收入\t\t二、教育支出\t20.00
\t\t三、对附属单位补助支出\t{subsidy}
\t\t四、上缴上级支出\t
本年收入合计\t120.00\t本年支出合计\t120.00
收入总计\t120.00\t支出总计\t120.00
"""


@pytest.mark.parametrize("general, subsidy, fires", [("90.00", "10.00", False), ("100.00", "0.00", False), ("95.00", "10.00", True)])
def test_a_transfer_after_the_function_classes_is_an_item_of_their_side(tmp_path, general, subsidy, fires):
    """广州 收支总体情况表: 对附属单位补助支出 and 上缴上级支出 listed after the function classes add up with them to
    本年支出合计; they were summed as a breakdown of their own (0 against the total: a false violation)."""
    outcome = run(SIDE_WITH_TRANSFERS.format(general=general, subsidy=subsidy), tmp_path)
    expenditure = [f for f in outcome.of("TwoSidedSideTotal") if "本年支出合计" in f.message]
    assert bool(expenditure) == fires


def test_the_vehicle_line_over_its_parts_is_no_department_subtotal(tmp_path):
    """广州 行政经费及“三公”经费预算表 (no 合计 row): （二）公务用车购置及运行维护支出 over 1. 购置费 and 2. 运行维护费 is
    their subtotal, not the department's: it is not compared with every item of the column."""
    text = "\n".join(
        [
            "广州市某某局2026年部门预算",
            "财政拨款安排的行政经费及“三公”经费预算表",
            "单位名称：广州市某某局\t单位：万元",
            "项目\t合计\t一般公共预算",
            "行政经费\t3,555.29\t3,555.29",
            "“三公”经费\t304.63\t304.63",
            "其中：（一）因公出国（境）支出\t250.00\t250.00",
            "（二）公务用车购置及运行维护支出\t9.73\t9.73",
            "1.公务用车购置费\t0.00\t0.00",
            "2.公务用车运行维护费\t9.73\t9.73",
            "（三）公务接待费支出\t44.90\t44.90",
        ]
    )
    outcome = run(text + "\n", tmp_path)
    assert not outcome.of("ColumnTotals")


@pytest.mark.parametrize("contingency, fires", [("5.00", False), ("6.00", True)])
def test_the_unit_contingency_is_a_part_of_the_expenditure_total(tmp_path, contingency, fires):
    """江苏 支出预算总表: 合计 = 基本支出 + 项目支出 + 单位预留机动经费 (the contingency was no part: a false violation)."""
    text = "\n".join(
        [
            "江苏省某某厅2018年部门预算",
            "公开03表：支出预算总表",
            "部门：江苏省某某厅\t单位：万元",
            "合计\t基本支出\t项目支出\t单位预留机动经费\t结转下年资金",
            f"30.00\t10.00\t15.00\t{contingency}\t",
        ]
    )
    outcome = run(text + "\n", tmp_path)
    assert bool(outcome.of("RowBreakdown")) == fires


def test_a_source_of_funds_over_its_sub_sources_is_no_department_subtotal(tmp_path):
    """江苏 收入预算总表: 一般公共预算资金 | 小计 and 其他资金 | 小计, each over its sub-sources, are subtotals of their
    group; they were compared with every item of the column (two false violations)."""
    text = "\n".join(
        [
            "江苏省某某厅2018年部门预算",
            "公开02表：收入预算总表",
            "部门：江苏省某某厅\t单位：万元",
            "项目名称\t\t金额",
            "收入总计\t\t21,955.35",
            "一般公共预算资金\t小计\t21,940.96",
            "\t公共财政拨款(补助)资金\t21,940.96",
            "其他资金\t小计\t14.39",
            "\t事业收入\t",
            "\t其他收入\t14.39",
        ]
    )
    outcome = run(text + "\n", tmp_path)
    assert not outcome.of("ColumnTotals")


def test_a_table_without_its_unit_of_money(text, tmp_path):
    """The 三公 table's “单位：万元” line taken out: its figures are read in the 万元 the other tables state,
    and the warning says the unit was assumed, naming the table and a figure of it."""
    lines = text.split("\n")
    title = lines.index(THREE)
    unit = next(n for n in range(title, len(lines)) if lines[n].strip() == "单位：万元")
    outcome = run("\n".join(lines[:unit] + lines[unit + 1 :]), tmp_path)
    (finding,) = outcome.of("TableUnitNotPrinted")
    assert finding.severity == "Warning" and THREE in finding.message and "按万元读取" in finding.message

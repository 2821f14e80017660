"""What the narrative states, checked (shapes/narrative.ttl): mutations of the example, each firing one
rule at its place and with its grade, and the same checks rerun by a stock pyshacl on the published dump.

The example (漯河 2024) prints 一般公共预算支出预算表 (table 5) in 万元 with two decimals: 行政运行 (2010301)
1,026.27, 行政单位医疗 (2101101) 54.46. Sentences are added as paragraphs of their own after the paragraph
on fiscal appropriations, or changed in place.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import EXAMPLE
from mutations import change_sentence, run

LPS = "https://w3id.org/lodpub/shapes#"
AFTER = "\n原因：因机构改革工作，市接待服务中心划转至市机关事务中心。\n"


@pytest.fixture(scope="module")
def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def with_sentences(text: str, *sentences: str) -> tuple[str, int]:
    """The example with `sentences` as lines of a paragraph of their own after AFTER, and the first one's line."""
    assert text.count(AFTER) == 1
    head = text[: text.index(AFTER) + len(AFTER)]
    return head + "\n" + "\n".join(sentences) + "\n" + text[len(head) :], head.count("\n") + 2


def of(outcome, shape: str, severity: str | None = None):
    hits = outcome.of(shape)
    assert all(f.shape == LPS + shape for f in hits)
    if severity:
        assert all(f.severity == severity for f in hits), [(f.severity, f.message) for f in hits]
    return hits


def only(outcome, shape: str, severity: str):
    hits = of(outcome, shape, severity)
    assert len(hits) == 1, [f.message for f in outcome.findings if "Narrative" in f.shape]
    return hits[0]


SHANGHAI_ITEM = (
    "“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”1026.27万元，主要用于机关日常运转。"
    "2023年当年预算执行数为{previous}万元，2024年预算安排{again}万元，比2023年预算执行数增加{rate}%。"
)


def shanghai_item(previous="1000.00", again="1026.27", rate="2.63") -> str:
    return SHANGHAI_ITEM.format(previous=previous, again=again, rate=rate)


def narrative_findings(outcome):
    return [f for f in outcome.findings if "#Narrative" in f.shape]


# --- the numbers of one sentence ---------------------------------------------------------------------


def test_an_item_whose_numbers_agree_raises_nothing(text, tmp_path):
    """1000.00 → 1026.27 is +2.627%: 2.63 (rounded) and 2.62 (truncated) agree; the figure is the table's."""
    for rate in ("2.63", "2.62"):
        outcome = run(with_sentences(text, shanghai_item(rate=rate))[0], tmp_path)
        assert not narrative_findings(outcome), [f.message for f in narrative_findings(outcome)]


def test_a_rate_that_does_not_follow_from_the_two_amounts(text, tmp_path):
    mutated, line = with_sentences(text, shanghai_item(rate="3.63"))
    hit = only(run(mutated, tmp_path), "NarrativeNumbersAgree", "Violation")
    assert hit.message.startswith(f"情况说明第{line}行“") and "2.63%" in hit.message and "3.63%" in hit.message


def test_a_rate_within_the_printed_precision_is_a_note(text, tmp_path):
    """1000 万元 printed without decimals stands for 999.5 … 1000.5: 2.66% may be its rate (rounded 2.627% is 2.63)."""
    mutated, line = with_sentences(text, shanghai_item(previous="1000", rate="2.66"))
    outcome = run(mutated, tmp_path)
    hit = only(outcome, "NarrativeNumbersWithinPrecision", "Info")
    assert f"第{line}行" in hit.message and "2.66%" in hit.message and "印刷精度之内" in hit.message
    assert not of(outcome, "NarrativeNumbersAgree")


def test_a_decrease_called_an_increase(text, tmp_path):
    """The sign of the change follows 增加/减少: 1100.00 → 1026.27 is a decrease of 6.70%."""
    mutated, _ = with_sentences(text, shanghai_item(previous="1100.00", rate="6.70"))
    hit = only(run(mutated, tmp_path), "NarrativeNumbersAgree", "Violation")
    assert "-6.7%" in hit.message and "6.70%" in hit.message


def test_two_amounts_stated_for_one_item(text, tmp_path):
    """“…（项）”1026.27万元 … 2024年预算安排1036.27万元”: one explanation, two amounts for one item."""
    mutated, line = with_sentences(text, shanghai_item(again="1036.27"))
    outcome = run(mutated, tmp_path)
    hits = of(outcome, "NarrativeNumbersAgree", "Violation")
    assert [h for h in hits if "两个金额" in h.message and "1026.27" in h.message and "1036.27" in h.message and f"第{line}行" in h.message]


def test_change_against_the_figure_when_the_previous_amount_is_not_printed(text, tmp_path):
    """江苏: “支出1026.27万元，与上年相比增加26.27万元，增长2.63%”: the rate is 26.27 / (1026.27 − 26.27)."""
    sentence = "（一）一般公共服务支出（类）\n1.政府办公厅（室）及相关机构事务（款）行政运行（项）支出1026.27万元，与上年相比增加26.27万元，增长{}%。"
    agrees, _ = with_sentences(text, sentence.format("2.63"))
    assert not narrative_findings(run(agrees, tmp_path))
    differs, line = with_sentences(text, sentence.format("26.27"))
    hit = only(run(differs, tmp_path), "NarrativeNumbersAgree", "Violation")
    assert f"第{line + 1}行" in hit.message and "26.27%" in hit.message and "2.63%" in hit.message


def test_change_amount_against_the_two_amounts(text, tmp_path):
    """“2023年当年预算执行数为1000.00万元 … 比2023年预算执行数增加30.00万元”: 1026.27 − 1000.00 is 26.27."""
    sentence = (
        "“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”1026.27万元。"
        "2023年当年预算执行数为1000.00万元，比2023年预算执行数增加{}万元。"
    )
    assert not narrative_findings(run(with_sentences(text, sentence.format("26.27"))[0], tmp_path))
    hit = only(run(with_sentences(text, sentence.format("30.00"))[0], tmp_path), "NarrativeNumbersAgree", "Violation")
    assert "变动额为 26.27万元" in hit.message and "30万元" in hit.message


def test_words_that_contradict_the_two_amounts(text, tmp_path):
    """决算 wording: “年初预算为1000.00万元，支出决算为1026.27万元，完成年初预算的102.63%。决算数小于预算数…”."""
    sentence = (
        "1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为1000.00万元，支出决算为"
        "1026.27万元，完成年初预算的{rate}%。决算数{word}预算数的主要原因是追加预算。"
    )
    assert not narrative_findings(run(with_sentences(text, sentence.format(rate="102.63", word="大于"))[0], tmp_path))
    outcome = run(with_sentences(text, sentence.format(rate="102.63", word="小于"))[0], tmp_path)
    hit = only(outcome, "NarrativeNumbersAgree", "Violation")
    assert "“小于”" in hit.message and "1026.27万元 与 1000万元" in hit.message
    outcome = run(with_sentences(text, sentence.format(rate="112.63", word="大于"))[0], tmp_path)
    hit = only(outcome, "NarrativeNumbersAgree", "Violation")
    assert "完成率为 102.63%" in hit.message and "112.63%" in hit.message


# --- a stated figure against its table ---------------------------------------------------------------

ITEM = "“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”{}万元，主要用于机关日常运转。"


@pytest.mark.parametrize("stated", ["1026.27", "1026.3", "1026.2", "1026"])
def test_the_tables_figure_rounded_or_truncated_agrees(text, tmp_path, stated):
    """1,026.27 万元 stated exactly, rounded (1026.3, 1026) or truncated (1026.2): no finding."""
    outcome = run(with_sentences(text, ITEM.format(stated))[0], tmp_path)
    assert not narrative_findings(outcome), [f.message for f in narrative_findings(outcome)]


def test_a_difference_the_printed_precision_can_explain_is_a_note(text, tmp_path):
    """1026.26 万元 against the table's 1,026.27 万元: not the table's figure rounded or truncated, but an exact
    1,026.265 … 1,026.27 prints as 1,026.27 and truncates to 1026.26 — a note, at the table's row."""
    mutated, line = with_sentences(text, ITEM.format("1026.26"))
    outcome = run(mutated, tmp_path)
    hit = only(outcome, "NarrativeFigureWithinPrecision", "Info")
    assert (hit.table, hit.row) == (5, 3)
    assert f"情况说明第{line}行" in hit.message and "1,026.27万元" in hit.message and "-0.01万元" in hit.message
    assert "可能是舍入" in hit.message
    assert not of(outcome, "NarrativeFigureMatchesTable")


def test_a_difference_beyond_the_printed_precision_is_a_violation(text, tmp_path):
    """1026.4 万元 (to 0.1 万元) against 1,026.27: 0.13 万元 is more than half the last digit of both."""
    hit = only(run(with_sentences(text, ITEM.format("1026.4"))[0], tmp_path), "NarrativeFigureMatchesTable", "Violation")
    assert (hit.table, hit.row) == (5, 3) and "不符" in hit.message and "0.13万元" in hit.message


def test_a_three_public_figure_where_the_tables_cell_is_blank(text, tmp_path):
    """The 三公 table leaves 因公出国（境）费 blank; the narrative states 0 (agrees) — and, changed, 5 万元."""
    outcome = run(change_sentence(text, "（一）因公出国（境）费0万元", "（一）因公出国（境）费5万元"), tmp_path)
    hit = only(outcome, "NarrativeFigureMatchesTable", "Violation")
    assert "因公出国（境）费5万元" in hit.message and "一般公共预算“三公”经费支出情况表中该数为空白" in hit.message


def test_figures_of_a_table_declared_empty(text, tmp_path):
    """The 三公 table with its figures removed and a note that it has no data, while the narrative states
    “三公”经费预算为47万元, 公务接待费10万元 …: each non-zero figure is reported (the 0 of 因公出国（境）费 is not)."""
    mutated = text.replace("47.00\t\t37.00\t\t10.00\n", "\t\t\t\t\n\n2024年漯河市人民政府办公室无“三公”经费预算，故本表无数据。\n", 1)
    assert mutated != text
    outcome = run(mutated, tmp_path)
    hits = of(outcome, "NarrativeFigureMatchesTable", "Violation")
    assert hits and all("注明本表无数据" in h.message for h in hits)
    assert any("情况说明第135行““三公”经费预算为47万元”" in h.message for h in hits)
    assert any("公务接待费10万元" in h.message for h in hits)
    assert not any("因公出国" in h.message for h in hits)


def test_procurement_expenditure_is_no_expenditure_total(text, tmp_path):
    """“货物类政府采购支出预算259.32万元” is the procurement budget of goods, not the department's expenditure (江苏
    省政协: compared with 支出合计, three false violations)."""
    mutated, _ = with_sentences(text, "2024年政府采购预算总额1,271.22万元，其中：货物类政府采购支出预算259.32万元，服务类政府采购支出预算1,011.90万元。")
    assert not of(run(mutated, tmp_path), "NarrativeFigureMatchesTable")


# --- names of the function classification --------------------------------------------------------------


def test_a_name_that_differs_from_the_tables(text, tmp_path):
    """Printed digits fix the code (2010301); the 项 named 行政运转 where the tables print 行政运行: a warning."""
    mutated, line = with_sentences(text, "一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运转（01项）1026.27万元。")
    outcome = run(mutated, tmp_path)
    hit = only(outcome, "NarrativeFunctionName", "Warning")
    assert (
        f"情况说明第{line}行的项名称“行政运转”" in hit.message
        and "2010301" in hit.message
        and "“行政运行”" in hit.message
        and "一般公共预算支出预算表" in hit.message
    )
    assert not of(outcome, "NarrativeFunctionFormerName")


def test_a_former_name_is_a_note(text, tmp_path):
    """医疗卫生与计划生育支出 is the former name of class 210 (the tables: 卫生健康支出): a note, not a warning."""
    mutated, line = with_sentences(text, "“医疗卫生与计划生育支出（类）行政事业单位医疗（款）行政单位医疗（项）”54.46万元，主要用于医疗保险缴费。")
    outcome = run(mutated, tmp_path)
    hit = only(outcome, "NarrativeFunctionFormerName", "Info")
    assert "“医疗卫生与计划生育支出”" in hit.message and "旧称" in hit.message and " 210 " in hit.message
    assert not of(outcome, "NarrativeFunctionName") and not of(outcome, "NarrativeFigureMatchesTable")


def test_a_table_name_with_an_ordinal_in_mixed_brackets_is_the_same_name(text, tmp_path):
    """A table that prints a class with its ordinal in mixed brackets (“（一)一般公共服务支出”, 无锡) names it as the
    narrative does: no warning (the ordinal was stripped only from （一） and (一), before the brackets were made one)."""
    text = text.replace("\t一、一般公共服务支出\t3,385.51", "\t（一)一般公共服务支出\t3,385.51", 1)
    mutated, _ = with_sentences(text, "一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运行（01项）1026.27万元。")
    assert not of(run(mutated, tmp_path), "NarrativeFunctionName")


@pytest.mark.parametrize(
    ("table_name", "stated"),
    [
        ("行政运行（政府办公厅（室）及相关机构事务）", "行政运行"),  # 西安: the 款 in brackets after the 项's name
        ("行政运行", "①行政运行"),  # 西安: circled ordinals before the narrative's names
        ("其他政府办公厅（室）及相关机构事", "其他政府办公厅（室）及相关机构事务支出"),  # a cell that cut the name short
    ],
)
def test_names_the_same_but_for_how_they_are_printed(text, tmp_path, table_name, stated):
    """The 项 named as the tables name it, but for a bracket that says where it stands, an ordinal ①, or the end of
    the name a narrow cell cut off (西安): no warning (each was one, 31 in four 西安 documents)."""
    text = text.replace("201\t03\t01\t\t行政运行\t1,026.27", f"201\t03\t01\t\t{table_name}\t1,026.27")
    code = "99" if table_name.startswith("其他") else "01"
    text = text.replace(f"201\t03\t01\t\t{table_name}", f"201\t03\t{code}\t\t{table_name}") if code != "01" else text
    mutated, _ = with_sentences(text, f"一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）{stated}（{code}项）1026.27万元。")
    outcome = run(mutated, tmp_path)
    assert not of(outcome, "NarrativeFunctionName"), [f.message for f in of(outcome, "NarrativeFunctionName")]


# --- anyone reruns the narrative checks on the published dump -------------------------------------------

NARRATIVE_SHAPES = (
    "NarrativeFigureMatchesTable",
    "NarrativeFigureWithinPrecision",
    "NarrativeShareMatchesTable",
    "NarrativeNumbersAgree",
    "NarrativeNumbersWithinPrecision",
    "NarrativeFunctionName",
    "NarrativeFunctionFormerName",
    "NarrativeProjectCount",
    "ProjectWithoutTargets",
)


def test_stock_pyshacl_on_the_published_dump_gives_the_published_findings(text, tmp_path):
    """Build a document with a finding of every narrative rule, then run shapes/narrative.ttl (with the prefix
    declarations of the other shape files) by pyshacl on an rdflib graph of the published lodpub.nt.gz: the
    narrative findings equal those of the published validation-report.ttl."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from lodpub.build import build

    mutated, _ = with_sentences(
        change_sentence(text, "（一）因公出国（境）费0万元", "（一）因公出国（境）费5万元"),
        shanghai_item(rate="3.63", again="1036.27"),
        shanghai_item(previous="1000", rate="2.66"),
        ITEM.format("1026.26"),
        ITEM.format("1026.4"),
        "一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运转（01项）1026.27万元。",
        "“医疗卫生与计划生育支出（类）行政事业单位医疗（款）行政单位医疗（项）”54.46万元。",
    )
    source = tmp_path / "mutated.txt"
    source.write_text(mutated, encoding="utf-8")
    out = tmp_path / "out"
    build([str(source)], out, base="https://data.example.org/lodpub/", issued="2024-03-01")

    def keyed(graph: Graph, results) -> set[tuple]:
        return {
            (
                str(graph.value(r, SH.sourceShape)).rsplit("#", 1)[-1],
                str(graph.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(graph.value(r, SH.focusNode)),
                str(graph.value(r, SH.value)),
                str(graph.value(r, SH.resultMessage)),
            )
            for r in results
        }

    report = Graph().parse(out / "validation-report.ttl", format="turtle")
    published = {k for k in keyed(report, report.subjects(RDF.type, SH.ValidationResult)) if k[0] in NARRATIVE_SHAPES}
    assert {k[0] for k in published} >= {
        "NarrativeFigureMatchesTable",
        "NarrativeFigureWithinPrecision",
        "NarrativeNumbersAgree",
        "NarrativeNumbersWithinPrecision",
        "NarrativeFunctionName",
        "NarrativeFunctionFormerName",
        "ProjectWithoutTargets",
    }

    data = Graph()
    with gzip.open(out / "lodpub.nt.gz", "rt", encoding="utf-8") as f:
        data.parse(data=f.read(), format="nt")
    _conforms, rerun, _text = pyshacl.validate(data, shacl_graph=narrative_shapes(), advanced=False, allow_warnings=True, inference="none")
    again = keyed(rerun, rerun.subjects(RDF.type, SH.ValidationResult))
    assert again == published


def narrative_shapes():
    """shapes/narrative.ttl with the prefix declarations (sh:declare of lps:) of the other shape files, as a stock
    pyshacl reads them."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import SH

    shapes_dir = Path(__file__).resolve().parents[1] / "shapes"
    shapes = Graph().parse(shapes_dir / "narrative.ttl", format="turtle")
    lps = Namespace(LPS)
    for other in ("arithmetic.ttl", "structure.ttl"):  # the sh:declare of lps: (the prefixes of the queries)
        g = Graph().parse(shapes_dir / other, format="turtle")
        for declaration in g.objects(lps[""], SH.declare):
            shapes.add((lps[""], SH.declare, declaration))
            for p, o in g.predicate_objects(declaration):
                shapes.add((declaration, p, o))
    return shapes


def test_a_share_of_either_total_agrees_where_the_sentence_does_not_say(text, tmp_path):
    """With 100.00 carried over, 收入总计 4,312.99 is not 本年收入合计 4,212.99: a share that fits either
    total agrees (财政拨款收入 97.7% of 收入总计, 97.68 rounded), one that fits neither (97.5%) is still a violation."""
    text = text.replace("单位上年结转结余\t\t年终结转结余\t\n", "单位上年结转结余\t100.00\t年终结转结余\t100.00\n")
    text = text.replace("收入总计\t4,212.99\t支出合计\t4,212.99", "收入总计\t4,312.99\t支出合计\t4,312.99")
    changed, line = with_sentences(text, "财政拨款收入4212.99万元，占97.7%。", "财政拨款收入4212.99万元，占97.5%。")
    hit = only(run(changed, tmp_path), "NarrativeShareMatchesTable", "Violation")
    assert f"第{line + 1}行" in hit.message and "97.5%" in hit.message


FINAL_ACCOUNT_THREE_PUBLIC = "\n".join(
    [
        "上海市普陀区档案局2024年度部门决算",
        "财政拨款“三公”经费支出决算表",
        "单位：万元",
        "财政拨款“三公”经费\t\t\t\t\t\t\t",
        "合计\t\t因公出国（境）费\t\t公务用车购置及运行费\t\t公务接待费\t",
        "预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
        "0.95\t0.50\t\t\t\t\t0.95\t0.50",
        "七、财政拨款“三公”经费支出决算情况说明",
        "“三公”经费财政拨款支出年初预算为{budget}万元，支出决算为0.50万元，完成预算的52.63%。",
    ]
)


def test_the_initial_budget_a_final_account_states_is_the_tables_budget_column(tmp_path):
    """“年初预算为0.95万元，支出决算为0.50万元”: the 决算 figure is compared with the 决算数 column, and the year's
    budget it is compared with with the 预算数 column the “三公” table prints beside it (it was not compared at
    all: a 年初预算 that is not the table's went unseen). The finding names the column of a row without a label."""
    agrees = run(FINAL_ACCOUNT_THREE_PUBLIC.replace("{budget}", "0.95") + "\n", tmp_path)
    assert not agrees.of("NarrativeFigureMatchesTable") and not agrees.of("NarrativeFigureWithinPrecision")
    differs = run(FINAL_ACCOUNT_THREE_PUBLIC.replace("{budget}", "0.96") + "\n", tmp_path)
    hit = only(differs, "NarrativeFigureMatchesTable", "Violation")
    assert "年初预算为0.96万元" in hit.message and "第1行（合计 预算数）的 0.95万元" in hit.message


GUANGZHOU_THREE_PUBLIC = "\n".join(
    [
        "广州市民政局2026年部门预算",
        "财政拨款安排的行政经费及“三公”经费预算表",
        "单位：万元",
        "项目\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算",
        "“三公”经费\t210.81\t196.91\t13.90\t0.00",
        "其中：（一）因公出国（境）支出\t0.00\t0.00\t0.00\t0.00",
        "（二）公务用车购置及运行维护支出\t170.39\t156.49\t13.90\t0.00",
        "1.公务用车购置费\t0.00\t0.00\t0.00\t0.00",
        "2.公务用车运行维护费\t170.39\t156.49\t13.90\t0.00",
        "（三）公务接待费支出\t40.42\t40.42\t0.00\t0.00",
        "二、“三公”经费安排情况",
        "公务用车运行维护费{stated}万元，比上年减少6.04万元。",
    ]
)


@pytest.mark.parametrize(("stated", "found"), [("170.39", False), ("156.49", False), ("160.39", True)])
def test_a_three_public_figure_stated_as_the_tables_total_column(tmp_path, stated, found):
    """广州: “公务用车运行维护费170.39万元” is the 合计 of a “三公” table whose 一般公共预算 column prints 156.49 beside 13.90
    of government funds: the row prints it, and it agrees (it was a violation against 156.49); 156.49 agrees too, and a
    figure the row does not print is still a violation."""
    outcome = run(GUANGZHOU_THREE_PUBLIC.replace("{stated}", stated) + "\n", tmp_path)
    hits = outcome.of("NarrativeFigureMatchesTable")
    assert bool(hits) == found, [h.message for h in hits]
    if found:
        assert "公务用车运行维护费160.39万元" in hits[0].message and "156.49万元" in hits[0].message


CENTRAL_FINAL_ACCOUNT = "\n".join(
    [
        "国家某某局2024年度部门决算",
        "收入支出决算总表",
        "单位：万元",
        "收入\t\t\t支出\t\t",
        "项目\t行次\t金额\t项目\t行次\t金额",
        "栏次\t\t1\t栏次\t\t2",
        "一、一般公共预算财政拨款收入\t1\t19,572.91\t一、一般公共服务支出\t32\t14,572.53",
        "本年收入合计\t27\t19,572.91\t本年支出合计\t58\t14,572.53",
        "年初结转和结余\t29\t1,615.24\t年末结转和结余\t60\t6,615.62",
        "总计\t31\t21,188.15\t总计\t62\t21,188.15",
        "一、收入支出决算总体情况说明",
        "国家某某局2024年度收、支总计{total}万元。",
        "3.年初结转和结余{carried}万元，为以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
        "6.年末结转和结余6615.62万元，为本年度或以前年度预算尚未完成的资金。",
    ]
)


def test_the_central_wording_of_the_totals_and_the_carry_over_are_checked(tmp_path):
    """The central departments' 决算 narrative (国家信访局): 收、支总计 is the tables' 总计, 年初结转和结余 and 年末结转和结余
    the summary's lines of that name; a figure that differs is a violation at its sentence."""
    agrees = run(CENTRAL_FINAL_ACCOUNT.replace("{total}", "21188.15").replace("{carried}", "1615.24") + "\n", tmp_path)
    assert not agrees.of("NarrativeFigureMatchesTable") and not agrees.of("NarrativeFigureWithinPrecision")
    carried = run(CENTRAL_FINAL_ACCOUNT.replace("{total}", "21188.15").replace("{carried}", "1651.24") + "\n", tmp_path)
    hit = only(carried, "NarrativeFigureMatchesTable", "Violation")
    assert "年初结转和结余1651.24万元" in hit.message and "1,615.24万元" in hit.message
    total = run(CENTRAL_FINAL_ACCOUNT.replace("{total}", "21881.15").replace("{carried}", "1615.24") + "\n", tmp_path)
    hits = of(total, "NarrativeFigureMatchesTable", "Violation")
    assert len(hits) == 2 and all("收、支总计21881.15万元" in h.message and "21,188.15万元" in h.message for h in hits)


UNIVERSITY_FINAL_ACCOUNT = "\n".join(
    [
        "西南大学2024年度部门决算",
        "表1：高等学校收支决算总表",
        "单位：万元",
        "收入\t\t支出\t",
        "项目\t决算数\t项目(按功能分类)\t决算数",
        "一、财政拨款收入\t279,818.00\t五、教育支出\t448,061.80",
        "六、其他收入\t197,629.73\t六、科学技术支出\t33,421.66",
        "本年收入合计\t477,447.73\t本年支出合计\t481,483.46",
        "年初结转和结余\t131,691.28\t年末结转和结余\t127,655.55",
        "{total}\t609,139.01\t{total}\t609,139.01",
        "三、决算报表说明",
        "学校2024年度收入总计477,447.73万元，支出总计481,483.46万元。",
    ]
)


def test_a_total_the_table_names_heji_may_be_the_years_own(tmp_path):
    """The universities' 收支决算总表 names its grand total (with the carry-over) 合计, and their narrative calls the
    year's own income and expenditure 收入总计 and 支出总计: the table's 本年收入合计 / 本年支出合计 of that amount
    agrees (8 false violations over 西南大学's two 决算). Where the table prints 总计, the 收入总计 is that line's. A stock
    pyshacl on the same graph finds the same."""
    import pyshacl
    from rdflib import Dataset, Graph
    from rdflib.namespace import RDF, SH

    from lodpub.pipeline import document_quads, process
    from lodpub.uris import DEFAULT_BASE
    from lodpub.validate import validate_document
    from lodpub.vocabulary import code_usage, vocabulary_quads

    def findings(table_total: str) -> tuple[list[str], list[str]]:
        path = tmp_path / f"{table_total}.txt"
        path.write_text(UNIVERSITY_FINAL_ACCOUNT.replace("{total}", table_total) + "\n", encoding="utf-8")
        records = process(str(path), validate=False, keep_records=True).records
        own, shared = document_quads(records, DEFAULT_BASE)
        vocab = vocabulary_quads(code_usage([records]), DEFAULT_BASE)
        ours = [f.message for f in validate_document(records.docid, own + shared, vocab) if f.shape == LPS + "NarrativeFigureMatchesTable"]
        data = Graph()
        for s, p, o, _g in Dataset().parse(data="\n".join(own + shared + vocab) + "\n", format="nquads").quads():
            data.add((s, p, o))
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=narrative_shapes(), advanced=False, allow_warnings=True, inference="none")
        stock = [str(report.value(r, SH.resultMessage)) for r in report.subjects(RDF.type, SH.ValidationResult)]
        return sorted(ours), sorted(m for m in stock if "609,139.01" in m or "477,447.73" in m)

    assert findings("合计") == ([], [])
    ours, stock = findings("总计")
    assert ours == stock and len(ours) == 2 and all("609,139.01万元" in m for m in ours)

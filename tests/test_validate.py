"""Validation: the shapes are valid SHACL, the report is a standard sh:ValidationReport, every
finding names its table and row, and validating a document is fast."""

from __future__ import annotations

import time
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from lodpub.uris import DEFAULT_BASE
from lodpub.pipeline import document_quads, process
from lodpub.publish.reports import report_turtle
from lodpub.validate import SHAPES, ValidationResult, shapes_graph, summary_lines, validate_document, vocabulary_subset
from lodpub.vocabulary import code_usage, vocabulary_quads

EXAMPLE = Path("/work/shared/corpus/000_ed2cbb808d4d5810.txt")
if not EXAMPLE.exists():
    EXAMPLE = Path(__file__).resolve().parent / "data" / "000_ed2cbb808d4d5810.txt"


@pytest.fixture(scope="module")
def example():
    r = process(str(EXAMPLE), validate=False, keep_records=True)
    assert r.error is None, r.error
    own, shared = document_quads(r.records, DEFAULT_BASE)
    vocab = vocabulary_quads(code_usage([r.records]), DEFAULT_BASE)
    return r.records, own + shared, vocab


@pytest.fixture(scope="module")
def findings(example):
    records, quads, vocab = example
    return validate_document(records.docid, quads, vocab)


def test_shapes_pass_meta_shacl():
    """The shapes graph conforms to the SHACL-SHACL shapes (pyshacl's meta-SHACL check)."""
    conforms, _report, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_every_shape_is_labelled_and_explained_in_chinese_and_english():
    g = shapes_graph()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | {s for s in g.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    assert len(shapes) > 10
    for shape in shapes:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in g.objects(shape, prop)}
            assert {"zh", "en"} <= langs, (shape, prop)


def test_every_sparql_constraint_has_a_chinese_message():
    """On the constraint, or on the shape where two shapes share one query (a check and its notes
    on differences within rounding)."""
    g = shapes_graph()
    for shape, constraint in g.subject_objects(SH.sparql):
        messages = list(g.objects(constraint, SH.message)) + list(g.objects(shape, SH.message))
        assert any(m.language == "zh" for m in messages), shape


def test_every_arithmetic_check_reports_differences_within_rounding_as_notes():
    g = shapes_graph()
    LPS = "https://w3id.org/lodpub/shapes#"
    rounding = {s for s in g.subjects(RDF.type, SH.NodeShape) if str(s).endswith("Rounding")}
    assert len(rounding) >= 12
    for shape in rounding:
        assert g.value(shape, SH.severity) == SH.Info, shape
        check = URIRef(str(shape)[: -len("Rounding")])
        assert g.value(check, SH.sparql) == g.value(shape, SH.sparql), "one query for both"
        assert g.value(check, SH.severity) in (None, SH.Violation), check
        assert str(check).startswith(LPS)


def test_report_is_a_standard_validation_report(findings):
    g = Graph().parse(data=report_turtle(findings, DEFAULT_BASE).decode("utf-8"), format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert (reports[0], SH.conforms, None) in g
    results = list(g.objects(reports[0], SH.result))
    assert len(results) == len(findings) > 0
    for node in results:
        assert (node, RDF.type, SH.ValidationResult) in g
        for prop in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.resultMessage):
            assert g.value(node, prop) is not None, prop
    # the report itself is valid against the SHACL shapes of validation reports? at least it parses back
    again = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    assert len(again) == len(g)


def test_every_finding_names_table_and_row(findings):
    for f in findings:
        if f.table is None:  # document-level findings (a table listed in the contents but absent)
            assert f.focus.endswith(f"doc/{f.document}"), f
            continue
        assert f.row is not None or f.value is None or "/table/" not in (f.value or ""), f
        assert "第" in f.message or "表" in f.message, f


def test_summary_groups_by_document_and_rule(findings):
    lines = summary_lines(ValidationResult(findings=findings), {})
    assert lines[-1].startswith("validation: 0 violations")
    assert any("同一表内无重复数据行" in line for line in lines)


def test_vocabulary_subset_keeps_what_the_shapes_read(example):
    _records, _quads, vocab = example
    subset = vocabulary_subset(vocab)
    assert vocabulary_subset(vocab) is subset  # once per batch
    assert subset.triples < len(vocab)
    text = subset.ntriples
    for needle in ("skos/core#inScheme>", "cube#codeList>", "cube#component>", "cube#dimension>"):
        assert needle in text
    for unread in ("cube#order>", "cube#attribute>", "cube#measure>"):  # (in the vocabulary, read by no shape)
        assert unread not in text and any(unread in q for q in vocab)


def test_validation_is_fast(example):
    records, quads, vocab = example
    validate_document(records.docid, quads, vocab)  # warm up (shapes graph parsed once per process)
    timings: dict = {}
    start = time.perf_counter()
    validate_document(records.docid, quads, vocab, timings=timings)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, timings  # ~0.3 s on a developer machine; generous bound for CI


def test_shape_files_parse_separately():
    for path in sorted(SHAPES.glob("*.ttl")):
        Graph().parse(path, format="turtle")


def test_budget_line_constraints_fire_at_the_line(example):
    """The per-line constraints (one SPARQL query each over the document's lines) report the line:
    a line without its amount, unit, source line, Observation type and with two row roles."""
    records, quads, vocab = example
    line = next(q.split(" ", 1)[0] for q in quads if "#amount>" in q and "/table/3/" in q)
    dropped = ("#amount>", "#printedUnit>", "#sourceLine>", "cube#Observation>")
    changed = [q for q in quads if not (q.startswith(line + " ") and any(d in q for d in dropped))]
    graph = next(q for q in quads if q.startswith(line + " ")).rsplit(" ", 2)[-2]
    changed.append(f"{line} <https://w3id.org/lodpub/ontology#rowRole> <https://w3id.org/lodpub/code/row-role/extra> {graph} .")
    findings = validate_document(records.docid, changed, vocab)
    fired = {f.shape.rsplit("#", 1)[-1] for f in findings if f.value == line.strip("<>")}
    assert {"BudgetLineShape", "BudgetLineAmount", "BudgetLinePrintedUnit", "BudgetLineSourceLine", "BudgetLineRowRole"} <= fired
    assert all(f.table == 3 and "第" in f.message for f in findings if f.value == line.strip("<>"))


def test_project_indicator_glossary_constraints(example):
    """Projects, indicators and glossary entries without their name or term are reported (one query
    each over the document) with the resource as sh:value."""
    records, quads, vocab = example
    first = lambda needle: next(q.split(" ", 1)[0] for q in quads if needle in q)
    indicator, project, entry = first("PerformanceIndicator>"), first("ontology#Project>"), first("ontology#GlossaryEntry>")
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    changed = [
        q
        for q in quads
        if not (q.startswith((indicator + " ", project + " ")) and f" {label} " in q) and not (q.startswith(entry + " ") and "ontology#term>" in q)
    ]
    fired = {(f.shape.rsplit("#", 1)[-1], f.value) for f in validate_document(records.docid, changed, vocab)}
    assert {("IndicatorShape", indicator.strip("<>")), ("ProjectShape", project.strip("<>")), ("GlossaryEntryShape", entry.strip("<>"))} <= fired


def test_each_level_of_the_function_classification_adds_up_to_the_level_below(tmp_path):
    """类 = Σ 款 and 款 = Σ 项 (not only 类 = Σ 项): a class row that equals the sum of its items but not
    the sum of the sections printed under it is reported, naming the sections."""
    from mutations import run

    rows = [
        "某某市某某局2026年部门预算",
        "一般公共预算支出表",
        "单位：万元",
        "科目编码\t科目名称\t合计",
        "合计\t\t30.00",
        "201\t一般公共服务支出\t30.00",
        "20101\t人大事务\t25.00",  # its items add up to 30.00
        "2010101\t行政运行\t20.00",
        "2010102\t一般行政管理事务\t10.00",
    ]
    outcome = run("\n".join(rows) + "\n", tmp_path)
    found = {(f.row, f.message) for f in outcome.of("FunctionHierarchy")}
    assert any(row == 2 and "所属1个款之和为 25" in message for row, message in found), found  # 类 ≠ Σ 款
    assert any(row == 3 and "所属2个项之和为 30" in message for row, message in found), found  # 款 ≠ Σ 项
    assert all(f.severity == "Violation" for f in outcome.of("FunctionHierarchy"))


def test_a_document_whose_year_is_not_read_is_told_once(tmp_path):
    """No year anywhere in the document: one warning on the document, not one IC-11 violation per line."""
    import re

    from conftest import EXAMPLE
    from mutations import run

    text = re.sub(r"20(2[0-9])", r"〇\1", EXAMPLE.read_text(encoding="utf-8"))  # no year left, and no XX placeholder made
    outcome = run(text, tmp_path)
    assert not outcome.of("AllDimensionsPresent")
    year = [f for f in outcome.findings if f.path and f.path.endswith("fiscalYear")]
    assert len(year) == 1 and year[0].severity == "Warning"
    assert not outcome.violations


def test_property_shapes_without_iri_are_named_alike_on_every_parse():
    """The report names the shape of each finding; a property shape written as a blank node gets a name
    made of what it says, so that two builds write the same report (pyshacl's labels are random)."""
    from rdflib import BNode
    from rdflib.namespace import SH

    from lodpub.validate import _shape_name, shapes_graph

    def names():
        graph = shapes_graph.__wrapped__()  # parsed afresh: new blank nodes
        return sorted(_shape_name(graph, s) for s in graph.objects(None, SH.property) if isinstance(s, BNode))

    first = names()
    assert len(first) > 10 and first == names()
    assert all(n.startswith("https://w3id.org/lodpub/shapes#") for n in first)


def test_graded_queries_run_once_find_what_pyshacl_finds(example, tmp_path):
    """lodpub/validate/engine.py runs a graded query (one query of two shapes, ending with FILTER (?grade =
    $currentShape)) once per focus node and hands each shape its solutions: the findings of pyshacl's own
    evaluation, one run per shape, on the example and on a copy with figures off by more and by less than
    their rounding."""
    import sys

    from lodpub.validate import engine

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from mutations import change_figure

    records, quads, vocab = example
    text = Path(__file__).resolve().parent.parent.joinpath("examples", "luohe-2024-budget.txt").read_text(encoding="utf-8")
    text = change_figure(text, "部门支出预算表", "合计", "4,212.99", "4,222.99")  # beyond rounding
    text = change_figure(text, "一般公共预算支出预算表", "行政运行", "886.61", "886.62")  # within it
    path = tmp_path / "mutated.txt"
    path.write_text(text, encoding="utf-8")
    mutated = process(str(path), validate=False, keep_records=True).records
    own, shared = document_quads(mutated, DEFAULT_BASE)
    documents = [(records.docid, quads, vocab), (mutated.docid, own + shared, vocabulary_quads(code_usage([mutated]), DEFAULT_BASE))]
    graded = [validate_document(*d) for d in documents]
    try:
        engine.GRADED_ONCE = False
        plain = [validate_document(*d) for d in documents]
    finally:
        engine.GRADED_ONCE = True
    assert graded == plain
    severities = {f.severity for found in graded for f in found}
    assert {"Violation", "Info"} <= severities


def test_the_total_of_an_expenditure_table_includes_operating_remittance_and_subsidy_columns(tmp_path):
    """The national 支出总表 prints 合计 | 基本支出 | 项目支出 | 事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出: the total
    is all five (湖州: 200 万元 of 事业单位经营支出 made every row that printed one a violation); a total that is not
    their sum is still found."""
    from mutations import run

    rows = [
        "湖州市交通运输局2026年部门预算",
        "支出预算总表",
        "单位：万元",
        "科目编码\t科目名称\t总计\t基本支出\t项目支出\t事业单位经营支出\t上缴上级支出\t对附属单位补助支出",
        "合计\t\t{total}\t80.00\t20.00\t200.00\t5.00\t1.00",
        "214\t交通运输支出\t306.00\t80.00\t20.00\t200.00\t5.00\t1.00",
        "21401\t公路水路运输\t306.00\t80.00\t20.00\t200.00\t5.00\t1.00",
        "2140123\t航道维护\t306.00\t80.00\t20.00\t200.00\t5.00\t1.00",
    ]
    agrees = run("\n".join(rows).replace("{total}", "306.00") + "\n", tmp_path)
    assert not agrees.of("RowBreakdown"), [f.message for f in agrees.of("RowBreakdown")]
    differs = run("\n".join(rows).replace("{total}", "126.00") + "\n", tmp_path)
    assert [f.row for f in differs.of("RowBreakdown")] == [1]


@pytest.mark.parametrize(("total", "found"), [("100.00", []), ("140.00", []), ("120.00", [1])])
def test_operating_expenditure_printed_within_basic_and_project_agrees(tmp_path, total, found):
    """深圳 支出总表: 支出总计 = 基本支出 + 项目支出, its 事业单位经营支出 printed beside them an “of which” (a unit's 11,114.61 =
    1,711.90 + 9,402.71, with 9,475.59 of operating expenditure): such a total agrees (lp:partMayBeWithin), as does one
    that adds the operating column (湖州); a total that is neither is a violation."""
    from mutations import run

    rows = [
        "深圳市生态环境局2026年部门预算",
        "支出总表",
        "单位：万元",
        "科目编码\t科目名称\t支出总计\t基本支出\t项目支出\t事业单位经营支出\t对附属单位补助支出\t上缴上级支出",
        f"合计\t\t{total}\t30.00\t70.00\t40.00\t0.00\t0.00",
        "211\t节能环保支出\t100.00\t30.00\t70.00\t40.00\t0.00\t0.00",
        "21101\t环境保护管理事务\t100.00\t30.00\t70.00\t40.00\t0.00\t0.00",
        "2110101\t行政运行\t100.00\t30.00\t70.00\t40.00\t0.00\t0.00",
    ]
    outcome = run("\n".join(rows) + "\n", tmp_path)
    assert [f.row for f in outcome.of("RowBreakdown")] == found


def test_a_breakdown_down_the_rows_names_a_figure_without_a_column_heading(tmp_path):
    """A form's figure printed under no column heading (部门预算总额 | 100.00 over 财政拨款 and 其他资金): the finding
    says 「金额」 (it printed “「{?column}」”, the placeholder of a variable the query left unbound)."""
    from mutations import run

    rows = [
        "广州市档案局2026年部门预算",
        "部门整体绩效目标表",
        "单位：万元",
        "部门名称\t广州市档案局\t",
        "部门预算总额\t100.00\t",
        "财政拨款\t60.00\t",
        "其他资金\t30.00\t",
    ]
    (hit,) = run("\n".join(rows) + "\n", tmp_path).of("RowBreakdown")
    assert "「金额」印刷为 100.00万元" in hit.message and "{?" not in hit.message


@pytest.mark.parametrize(("class_row", "found"), [("15.26", []), ("16.26", [2])])
def test_function_classes_are_compared_in_one_year(tmp_path, class_row, found):
    """重庆 一般公共预算支出情况表 prints 2025年预算数 beside 2026年预算数: the fiscal-appropriation summary's classes (this
    year's) are compared with this year's class rows only (they were compared with last year's too, and every class
    whose budget changed was a violation)."""
    from mutations import run

    rows = [
        "重庆市人民政府办公厅2026年部门预算",
        "2026年财政拨款收支总体情况表",
        "单位：万元",
        "收入\t\t支出\t\t\t\t",
        "项目\t预算数\t项目\t总计\t一般公共预算\t政府性基金预算\t国有资本经营预算",
        "一、本年收入\t15.26\t一、本年支出\t15.26\t15.26\t\t",
        "（一）一般公共预算资金\t15.26\t（一）教育支出\t15.26\t15.26\t\t",
        "收入合计\t15.26\t支出合计\t15.26\t15.26\t\t",
        "2026年一般公共预算支出情况表",
        "单位：万元",
        "功能分类科目\t\t2025年预算数\t2026年预算数\t\t",
        "科目编码\t科目名称\t\t总计\t基本支出\t项目支出",
        "合计\t\t15.16\t15.26\t15.26\t",
        f"205\t教育支出\t15.16\t{class_row}\t15.26\t",
        "20508\t进修及培训\t15.16\t15.26\t15.26\t",
        "2050803\t培训支出\t15.16\t15.26\t15.26\t",
    ]
    outcome = run("\n".join(rows) + "\n", tmp_path)
    assert [f.row for f in outcome.of("FunctionClassAgreement")] == found, [f.message for f in outcome.of("FunctionClassAgreement")]


@pytest.mark.parametrize(("second", "found"), [("50.00", []), ("40.00", [5])])
def test_a_unit_code_printed_for_two_names_is_compared_row_by_row(tmp_path, second, found):
    """西安 公安局 prints one code, 153002, for two names (交通管理支队 150.00, 交通警察支队 50.00) in both tables: each
    row is compared with the other table's row of its name (it was also compared with the other name's, and two
    disagreements the document does not have were violations); a row that differs is still found."""
    from mutations import run

    rows = [
        "西安市公安局2026年部门预算",
        "部门综合预算收入总表",
        "单位：万元",
        "单位编码\t单位名称\t合计\t一般公共预算拨款\t上年结转",
        "合计\t\t300.00\t250.00\t50.00",
        "153\t西安市公安局\t300.00\t250.00\t50.00",
        "153001\t西安市公安局本级\t100.00\t100.00\t",
        "153002\t西安市公安局交通管理支队\t150.00\t150.00\t",
        f"153002\t西安市公安局交通警察支队\t{second}\t\t{second}",
        "部门综合预算支出总表",
        "单位：万元",
        "单位编码\t单位名称\t合计\t基本支出\t项目支出",
        "合计\t\t300.00\t200.00\t100.00",
        "153\t西安市公安局\t300.00\t200.00\t100.00",
        "153001\t西安市公安局本级\t100.00\t100.00\t",
        "153002\t西安市公安局交通管理支队\t150.00\t100.00\t50.00",
        "153002\t西安市公安局交通警察支队\t50.00\t\t50.00",
    ]
    outcome = run("\n".join(rows) + "\n", tmp_path)
    assert [f.row for f in outcome.of("UnitTotalAgreement")] == found, [f.message for f in outcome.of("UnitTotalAgreement")]

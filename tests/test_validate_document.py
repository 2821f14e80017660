"""The document against itself and the quality of its text (shapes/document.ttl), read from the printed
text published as lp:Passage.

* What is published: passages (the lines the page wrapped joined, a new passage at a sentence's end or a
  new item; headings, table titles and metadata, running titles once), the kind of table a title or an
  entry of the contents names, and their triples.
* Mutations of the example: each rule fires at the passage changed (its first line, 全文第 n 行) with the
  right severity, and a near miss of each rule raises nothing; the unchanged example raises none of
  these findings but the table its contents list and it lacks.
* The corpus (skipped without it): the genuine errors of real documents' text, checked by hand against
  the PDFs, are reported, and the regional documents that gave false alarms while these rules were
  built give none.
* A stock SHACL engine (pyshacl on an rdflib graph, not lodpub's Oxigraph-backed validation) run on the
  published dump gives the findings of the published report.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from conftest import BASE, CORPUS, EXAMPLE, needs_corpus, select
from mutations import change_sentence, remove_table, run

LPS = "https://w3id.org/lodpub/shapes#"
SHAPES = Path(__file__).resolve().parent.parent / "shapes"
# the rules of shapes/document.ttl that read the text
TEXT_RULES = {
    "HeadingYear",
    "ComparedYear",
    "DateYear",
    "PeriodBeforeYear",
    "OtherOrganisationNamed",
    "BudgetScope",
    "TemplatePlaceholder",
    "CountLeftBlank",
    "ReasonCutShort",
    "DoubledPunctuation",
    "BalancedQuotesAndBrackets",
    "UnrenderedCharacter",
}
SEVERITY = {
    "HeadingYear": "Violation",
    "ComparedYear": "Violation",
    "DateYear": "Violation",
    "BudgetScope": "Violation",
    "TemplatePlaceholder": "Violation",
    "PeriodBeforeYear": "Warning",
    "OtherOrganisationNamed": "Warning",
    "CountLeftBlank": "Warning",
    "ListedTableMissing": "Warning",
    "ReasonCutShort": "Info",
    "DoubledPunctuation": "Info",
    "BalancedQuotesAndBrackets": "Info",
    "UnrenderedCharacter": "Info",
}


def line_of(finding) -> int | None:
    """The first line of the passage a finding is about (its sh:value BASE doc/{docid}/text/{line})."""
    m = re.search(r"/text/(\d+)$", finding.value or "")
    return int(m.group(1)) if m else None


def text_findings(outcome) -> list:
    return [f for f in outcome.findings if f.shape.rsplit("#", 1)[-1] in TEXT_RULES]


def fires_at(outcome, shape: str, line: int, *words: str):
    """The findings of `shape`: at least one about the passage starting at `line`, naming `words`; every
    finding of the text rules is of this shape (the mutation changed one thing)."""
    hits = outcome.of(shape)
    assert any(line_of(f) == line for f in hits), (shape, line, [(f.shape, line_of(f), f.message) for f in outcome.findings if f.severity != "Warning"][:10])
    assert all(f.severity == SEVERITY[shape] and f.shape == LPS + shape for f in hits)
    assert all(w in f.message for f in hits if line_of(f) == line for w in words), [f.message for f in hits]
    assert not any("{?" in f.message for f in hits), [f.message for f in hits]  # every part of the message is bound
    others = [f for f in text_findings(outcome) if f.shape != LPS + shape]
    assert not others, [f.message for f in others]
    return hits


# -- what is published -----------------------------------------------------------------------


def _passages(lines: list[tuple[int, str | tuple[str, ...]]]):
    """The passages of a document made of these (page, text or cells) lines."""
    from lodpub.model import ExtractedDocument, Line, Source
    from lodpub.recognise import recognise
    from lodpub.records.passages import read_passages

    source = Source("test.pdf", Path("test.pdf"), "0" * 64, "application/pdf")
    doc = ExtractedDocument(
        source, [Line(page, n, (cells,) if isinstance(cells, str) else cells) for n, (page, cells) in enumerate(lines, start=1)], extractor="pdfium"
    )
    return read_passages(recognise(doc))


FULL = "本部门收入预算一千万元，比上年增加一百万元，主要是人员经费和公用经费有所增加，其中"  # a full line of running text


def test_lines_the_page_wrapped_are_one_passage():
    passages = _passages(
        [
            (1, "一、收入支出预算总体情况说明"),
            (1, FULL),
            (1, "人员经费增加八十万元。"),  # a sentence wrapped: one passage
            (1, FULL),
            (1, FULL),
            (1, "公用经费增加二十万元，"),  # ends with a comma: goes on
            (1, "主要用于办公。"),
            (1, "（一）因公出国（境）费0万元。"),  # a new item
            (1, "短的一行没有句号"),
            (1, "下一行另起一段。"),  # a short line ends its passage
            (2, "- 2 -"),  # a page number is not text
            (2, FULL),
            (3, "跨页的句子在下一页接着。"),  # a sentence goes on over the page break
        ]
    )
    assert [(p.line, p.role, p.text[:12]) for p in passages] == [
        (1, "heading", "一、收入支出预算总体情况"),
        (2, "paragraph", FULL[:12]),
        (4, "paragraph", FULL[:12]),
        (8, "paragraph", "（一）因公出国（境）费0"),
        (9, "heading", "短的一行没有句号"),
        (10, "paragraph", "下一行另起一段。"),
        (12, "paragraph", FULL[:12]),
    ]
    assert passages[1].text == FULL + "人员经费增加八十万元。"
    assert passages[2].text == FULL * 2 + "公用经费增加二十万元，主要用于办公。"
    assert passages[-1].text.endswith("跨页的句子在下一页接着。") and passages[-1].page == 2


def test_running_titles_once_and_table_titles_with_the_kind_they_name():
    lines = [(1, "苏州市审计局2026年度部门预算公开"), (1, "目录"), (1, "1.收支总表"), (1, "2.支出经济分类汇总表")]
    for page in (2, 3, 4):
        lines += [(page, "苏州市审计局2026年度部门预算公开"), (page, FULL), (page, f"第{page}页的段落完。")]
    lines += [
        (5, "苏州市审计局2026年度部门预算公开"),
        (5, "收支总表"),
        (5, "部门：苏州市审计局 单位：万元"),
        (5, ("收入", "", "支出", "")),
        (5, ("项目", "预算数", "项目", "预算数")),
        (5, ("一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "100.00")),
        (5, ("收入总计", "100.00", "支出总计", "100.00")),
    ]
    passages = _passages(lines)
    roles = [(p.line, p.role, p.table_kind) for p in passages]
    assert (1, "running-head", None) in roles
    assert sum(1 for p in passages if p.role == "running-head") == 1  # printed on five pages, kept once
    assert (3, "heading", "income-expenditure-summary") in roles and (4, "heading", "expenditure-by-economic-classification") in roles
    title = next(p for p in passages if p.role == "table-title")
    assert (title.text, title.table_kind, title.page) == ("收支总表", "income-expenditure-summary", 5)
    assert [p.text for p in passages if p.role == "table-metadata"] == ["部门：苏州市审计局 单位：万元"]
    assert not any("100.00" in p.text for p in passages)  # the cells of a table are not text


@pytest.mark.parametrize(
    "title, kind",
    [
        ("支出经济分类汇总表", "expenditure-by-economic-classification"),
        ("部门支出预算表", "expenditure-by-function"),  # by economic class only when its keys say so
        ("收入总表", "income-by-function"),  # by unit only when its keys say so
        ("2026年市级部门收支预算总表", "income-expenditure-summary"),
        ("项目支出绩效目标表", "project-performance-targets"),
        ("警务辅助人员经费项目绩效目标表", "project-performance-targets"),  # one project's form names the same kind
        ("部门整体支出绩效目标表", "overall-performance-targets"),
    ],
)
def test_the_kind_a_title_names_by_its_words(title, kind):
    from lodpub.recognise import title_core, title_kind

    assert title_kind(title_core(title)) == kind


def test_example_passages(example_records):
    passages = {p.line: p for p in example_records.passages}
    assert len(passages) == len(example_records.passages)  # one passage per first line
    assert [p.line for p in example_records.passages] == sorted(passages)
    assert (passages[34].role, passages[34].text, passages[34].table_kind) == ("heading", "七、支出经济分类汇总表", "expenditure-by-economic-classification")
    assert (passages[207].role, passages[207].table_kind) == ("table-title", "income-expenditure-summary")
    assert (passages[209].role, passages[209].text) == ("table-metadata", "部门名称：漯河市人民政府办公室")
    assert passages[109].role == "paragraph" and passages[109].text.startswith("2024 年收入总计 4212.99 万元")
    assert all(p.page == 0 for p in passages.values())  # a text document has no pages
    table_rows = {o.line for o in example_records.observations}
    assert not table_rows & set(passages)


def test_passages_in_the_graph(example_records, example_store):
    doc = f"{BASE}doc/{example_records.docid}"
    rows = select(
        example_store,
        f"""
        SELECT ?p ?role ?text ?line ?page ?kind WHERE {{
          ?p a lp:Passage ; dcterms:isPartOf <{doc}> ; lp:textRole ?role ; lp:text ?text ; lp:sourceLine ?line .
          OPTIONAL {{ ?p lp:sourcePage ?page }} OPTIONAL {{ ?p lp:namesTableKind ?kind }} }}""",
    )
    assert len(rows) == len(example_records.passages)
    by_line = {int(r["line"]): r for r in rows}
    assert by_line[34]["p"] == f"{doc}/text/34"
    assert by_line[34]["role"] == "https://w3id.org/lodpub/code/text-role/heading"
    assert by_line[34]["kind"] == "https://w3id.org/lodpub/dsd/expenditure-by-economic-classification"
    assert by_line[76]["text"] == "(十一) 负责协调、督促“放管服”改革工作。"
    assert all(r["page"] is None for r in rows)  # no page in a text document
    roles = select(
        example_store,
        """SELECT DISTINCT ?role WHERE { ?p a lp:Passage ; lp:textRole ?role .
        FILTER NOT EXISTS { ?role skos:inScheme <https://w3id.org/lodpub/code/text-role> } }""",
    )
    assert roles == []  # every role is a concept of the code list


# -- mutations of the example ----------------------------------------------------------------


@pytest.fixture(scope="module")
def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def unchanged(text, tmp_path_factory):
    return run(text, tmp_path_factory.mktemp("unchanged"))


def test_unchanged_example_has_no_text_finding(unchanged):
    assert text_findings(unchanged) == []
    (missing,) = unchanged.of("ListedTableMissing")
    assert line_of(missing) == 34 and "七、支出经济分类汇总表" in missing.message and "全文第34行" in missing.message


def test_removed_table_is_missing_at_its_contents_entry(text, tmp_path):
    outcome = run(remove_table(text, "项目支出表"), tmp_path)
    assert {line_of(f) for f in outcome.of("ListedTableMissing")} == {34, 42}
    assert any("十一、项目支出表" in f.message for f in outcome.of("ListedTableMissing"))


def test_contents_in_another_wording_name_the_same_tables(text, tmp_path):
    """Entries worded as other regions word them (表1., a year, 总表, 情况表) name the kinds of the tables printed."""
    changed = change_sentence(text, "一、部门收支预算表", "表1.2024年部门收支预算总表")
    changed = change_sentence(changed, "三、部门支出预算表", "3、2024年度部门支出总体情况表")
    changed = change_sentence(changed, "十二、部门预算项目绩效目标表", "（十二）项目支出绩效目标表")
    outcome = run(changed, tmp_path)
    assert [line_of(f) for f in outcome.of("ListedTableMissing")] == [34]


MUTATIONS = [
    # (name, old, new, shape, line, words in the message)
    ("heading-year", "附件：2024 年部门预算表", "附件：2023 年部门预算表", "HeadingYear", 20, ("2023年", "2024年度")),
    ("table-title-year", "\n部门收支预算表\n", "\n2023年部门收支预算表\n", "HeadingYear", 207, ("2023年部门收支预算表",)),
    ("subtitle-year-in-brackets", "\n部门收支预算表\n", "\n部门收支预算表\n（2023年度）\n", "HeadingYear", 208, ("（2023年度）",)),
    ("compared-with-own-year", "与 2023 年预算相比", "与 2024 年预算相比", "ComparedYear", 109, ("应与2023年比较", "与2024年比较")),
    ("compared-with-older-year", "与 2023 年预算相比", "与 2022 年预算相比", "ComparedYear", 109, ("与2022年比较",)),
    ("date-year", "2023 年期末，漯河市", "截至 2021 年 12 月 31 日，漯河市", "DateYear", 175, ("2023年或2024", "2021年")),
    (
        "other-department-in-metadata",
        "部门名称：漯河市人民政府办公室\n",
        "部门名称：漯河市财政局\n",
        "OtherOrganisationNamed",
        209,
        ("漯河市财政局", "漯河市人民政府办公室"),
    ),
    ("other-department-in-heading", "\n二、机构设置\n\n漯河市", "\n漯河市财政局机构设置\n\n漯河市", "OtherOrganisationNamed", 88, ("漯河市财政局",)),
    ("department-calls-itself-unit", "二、收入预算总体情况说明", "二、单位预算收入总体情况说明", "BudgetScope", 111, ("单位预算", "部门预算")),
    ("placeholder-unit", "漯河市人民政府办公室部门 2024 年度无财政重点", "XX局 2024 年度无财政重点", "TemplatePlaceholder", 171, ("XX局",)),
    ("instruction-left", "无重点项目绩效目标。特此说明。", "无重点项目绩效目标。（公开时请删除此注释）", "TemplatePlaceholder", 171, ("请删除",)),
    ("count-left-blank", "共有车辆 13 辆", "共有车辆辆", "CountLeftBlank", 175, ("车辆辆",)),
    ("reason-cut-short", "主要原因：无购买公务车辆计划。", "主要原因是。", "ReasonCutShort", 145, ("主要原因是。",)),
    ("doubled-full-stop", "无变动。主要原因", "无变动。。主要原因", "DoubledPunctuation", 139, ("。。",)),
    ("doubled-comma", "秘书科、综合一科", "秘书科，，综合一科", "DoubledPunctuation", 92, ("，，",)),
    ("quotation-unbalanced", "督促“放管服”改革", "督促“放管服改革", "BalancedQuotesAndBrackets", 76, ("引号", "左1个，右0个")),
    ("bracket-unbalanced", "人事科（港澳事务科）", "人事科（港澳事务科", "BalancedQuotesAndBrackets", 92, ("括号",)),
    ("replacement-character", "公文科、秘书科", "公文科、\ufffd秘书科", "UnrenderedCharacter", 92, ("\ufffd",)),
    ("box-character", "公文科、秘书科", "公文科、□书科", "UnrenderedCharacter", 92, ("□",)),
]


@pytest.mark.parametrize("name, old, new, shape, line, words", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_rule_fires_at_the_passage_changed(text, tmp_path, name, old, new, shape, line, words):
    fires_at(run(change_sentence(text, old, new), tmp_path), shape, line, *words)


NEAR_MISSES = [
    # (name, old, new): changes that look like an error of a rule and are not
    ("cover-dated-the-year-before", "2024 年 3 月", "2023 年 12 月"),  # a date, not the document's year
    ("date-at-the-years-end", "2023 年期末，漯河市", "截至 2023 年 12 月 31 日，漯河市"),
    ("date-in-the-year", "2023 年期末，漯河市", "截至 2024 年 2 月，漯河市"),
    ("a-budget-unit-in-metadata", "部门名称：漯河市人民政府办公室\n", "部门名称：漯河市人民政府驻北京联络处\n"),
    ("department-named-shorter", "\n二、机构设置\n\n漯河市", "\n市政府办公室机构设置\n\n漯河市"),
    ("units-budgets-of-a-department", "所属事业单位预算包括：", "所属事业单位预算和下属单位预算包括："),
    ("reason-given-after-colon", "主要原因：无购买公务车辆计划。", "主要原因是：无购买公务车辆计划。"),
    ("quotes-balanced", "督促“放管服”改革", "督促“放管服”“最多跑一次”改革"),
    ("compared-with-the-last-final-account", "与 2023 年预算相比", "与 2022 年决算相比"),  # the latest final account of a 2024 budget
    ("heading-on-a-final-account", "\n十、其他重要事项的情况说明\n", "\n十、2022年部门决算情况\n"),
    ("heading-on-execution", "\n十、其他重要事项的情况说明\n", "\n十、2023年预算执行情况\n"),
    # a budget prints the evaluation of an earlier year's spending (西安 卫健委: 2021年度…补助资金绩效评价报告)
    ("heading-on-an-evaluation", "\n十、其他重要事项的情况说明\n", "\n十、2022年度项目支出绩效自评表\n"),
    # the same title printed on two lines (西安 卫健委: 2021年度西安市基本公共卫生 / 服务项目补助资金绩效评价报告)
    ("evaluation-title-on-two-lines", "\n十、其他重要事项的情况说明\n", "\n2022年度漯河市基本公共卫生\n服务项目补助资金绩效评价报告\n"),
    # a fund named by its year, in brackets (西安: 1.5TMRI（2021年医疗卫生机构能力提升补助资金）项目绩效目标表)
    ("year-of-a-name-in-brackets", "\n十、其他重要事项的情况说明\n", "\n十、1.5TMRI（2021年医疗卫生机构能力提升补助资金）项目情况\n"),
    ("period-in-the-year", "\n（五）专项转移支付项目情况\n", "\n实施周期\n\n2024年1月1日-2024年12月31日\n\n（五）专项转移支付项目情况\n"),
    # the axis of a bar chart of two years (西安: “2019年度 2020年度” under the figures' scale)
    ("chart-axis-of-years", "\n（五）专项转移支付项目情况\n", "\n金额（万元）\n\n2023年度 2024年度\n\n（五）专项转移支付项目情况\n"),
]


@pytest.mark.parametrize("name, old, new", NEAR_MISSES, ids=[m[0] for m in NEAR_MISSES])
def test_near_miss_raises_nothing(text, tmp_path, name, old, new):
    outcome = run(change_sentence(text, old, new), tmp_path)
    assert text_findings(outcome) == [], [f.message for f in text_findings(outcome)]


def test_period_over_before_the_budget_year(text, tmp_path):
    inserted = "\n实施周期\n\n2023年1月1日-2023年12月31日\n\n（五）专项转移支付项目情况\n"
    outcome = run(change_sentence(text, "\n（五）专项转移支付项目情况\n", inserted), tmp_path)
    (hit,) = outcome.of("PeriodBeforeYear")
    assert hit.severity == "Warning" and "2023年1月1日-2023年12月31日" in hit.message and "2024年度" in hit.message
    assert [f.shape for f in text_findings(outcome)] == [LPS + "PeriodBeforeYear"]


FINAL_ACCOUNT = ("2024 年度部门预算公开说明", "2024 年度部门决算公开说明")  # the example's cover as a final account's


@pytest.mark.parametrize(
    "old, new, shape, line",
    [
        ("与 2023 年预算相比", "与 2024 年预算相比", None, None),  # a final account compares with its own year's budget
        ("与 2023 年预算相比", "与 2025 年预算相比", "ComparedYear", 109),
        ("2023 年期末，漯河市", "截至 2024 年 12 月 31 日，漯河市", None, None),  # the year's end
        ("2023 年期末，漯河市", "截至 2025 年 6 月 30 日，漯河市", None, None),  # when it was drawn up, the year after
        ("2023 年期末，漯河市", "截至 2023 年 12 月 31 日，漯河市", "DateYear", 175),  # the year before: a budget's date
        # an evaluation of the year before's spending, its title on two lines (西安 卫健委's 2022 final account)
        ("\n十、其他重要事项的情况说明\n", "\n2023年度漯河市基本公共卫生\n服务项目补助资金绩效评价报告\n", None, None),
        # a final account's heading on an earlier year's final account is not its own
        ("\n十、其他重要事项的情况说明\n", "\n十、2023年度部门决算情况说明\n", "HeadingYear", 155),
    ],
    ids=["own-year-budget", "next-year", "years-end", "year-after", "year-before", "evaluation-of-the-year-before", "final-account-of-the-year-before"],
)
def test_years_of_a_final_account(text, tmp_path, old, new, shape, line):
    outcome = run(change_sentence(change_sentence(text, *FINAL_ACCOUNT), old, new), tmp_path)
    if shape is None:
        assert text_findings(outcome) == [], [f.message for f in text_findings(outcome)]
    else:
        fires_at(outcome, shape, line, "决算")


def test_unit_budget_calling_itself_department_budget(text, tmp_path):
    """The cover says 单位预算: the headings that say 部门预算 are reported, not the classification 部门预算经济分类
    nor the sentences about the department."""
    outcome = run(change_sentence(text, "2024 年度部门预算公开说明", "2024 年度单位预算公开说明"), tmp_path)
    hits = outcome.of("BudgetScope")
    assert {16, 105} <= {line_of(f) for f in hits}
    assert all(f.severity == "Violation" and "这份文件是单位预算" in f.message and "部门预算" in f.message for f in hits)
    assert 90 not in {line_of(f) for f in hits}  # 漯河市人民政府办公室部门预算包括…: the department's budget, not this one


# -- the corpus ------------------------------------------------------------------------------


def _corpus_findings(path: Path, shapes: Graph | None = None):
    from lodpub.mapping import DEFAULT_BASE
    from lodpub.pipeline import document_quads, process
    from lodpub.validate import validate_document
    from lodpub.vocabulary import code_usage, vocabulary_quads

    result = process(str(path), validate=False, keep_records=True)
    assert result.error is None, result.error
    own, shared = document_quads(result.records, DEFAULT_BASE)
    vocab = vocabulary_quads(code_usage([result.records]), DEFAULT_BASE)
    return validate_document(result.records.docid, own + shared, vocab, shapes=shapes)


def document_shapes() -> Graph:
    """shapes/document.ttl with the prefixes its queries use (declared for lps: in the other files)."""
    lps = URIRef(LPS)
    shapes = Graph().parse(SHAPES / "document.ttl")
    for name in ("structure.ttl", "arithmetic.ttl"):
        other = Graph().parse(SHAPES / name)
        for declaration in other.objects(lps, SH.declare):
            shapes.add((lps, SH.declare, declaration))
            for triple in other.triples((declaration, None, None)):
                shapes.add(triple)
    return shapes


@needs_corpus
def test_notes_on_the_text_of_real_documents():
    """Checked by hand against the PDFs: sifaju 2026 p.8 prints 支出。。2025年 (line 78), and p.23 开展“人民调解协议书检查”、
    优秀调解案例”活动 with its opening quotation mark missing (line 300); fuliyuan 2024 p.16 breaks off at
    主要原因是。 (line 201)."""
    sifaju = [f for f in _corpus_findings(CORPUS / "sh-putuo-sifaju-2026-dept-budget.pdf", document_shapes()) if f.severity == "Info"]
    assert {(f.shape.rsplit("#", 1)[-1], line_of(f)) for f in sifaju} == {("DoubledPunctuation", 78), ("BalancedQuotesAndBrackets", 300)}
    assert any("第8页" in f.message and "。。" in f.message for f in sifaju)
    fuliyuan = [f for f in _corpus_findings(CORPUS / "sh-putuo-fuliyuan-2024-unit-budget.pdf", document_shapes()) if f.severity == "Info"]
    assert [(f.shape.rsplit("#", 1)[-1], line_of(f)) for f in fuliyuan] == [("ReasonCutShort", 201)]
    assert "主要原因是。" in fuliyuan[0].message and "第16页" in fuliyuan[0].message


@needs_corpus
def test_the_2026_budget_compared_with_2026():
    """sifaju 2026, p.8 (checked by hand): 比2026年预算增加793.14万元 in the paragraphs on income (line 62) and on
    expenditure (line 64), where the 2025 budget is meant; p.23: the 实施周期 2025年1月1日-2025年12月31日 (line 302)."""
    findings = _corpus_findings(CORPUS / "sh-putuo-sifaju-2026-dept-budget.pdf", document_shapes())
    compared = [f for f in findings if f.shape == LPS + "ComparedYear"]
    assert sorted(line_of(f) for f in compared) == [62, 64]
    assert all("比2026年预算增加793.14万元" in f.message and "第8页" in f.message and "应与2025年比较" in f.message for f in compared)
    (period,) = [f for f in findings if f.shape == LPS + "PeriodBeforeYear"]
    assert line_of(period) == 302 and "2025年1月1日-2025年12月31日" in period.message


REGIONS = CORPUS / "regions"
needs_regions = pytest.mark.skipif(not REGIONS.is_dir(), reason=f"regional corpus not found at {REGIONS}")


@needs_regions
def test_template_text_left_in_a_regional_document():
    """烟台市水利局 2026, checked by hand: p.33 keeps （注：上年1,367.19万元，公开时请删除注释） and leaves the vehicle counts
    blank (共有车辆辆，其中机要通信用车辆、应急保障用车辆); p.34 keeps （注：部门预算公开请保留“一级”字样，单位预算公开请删除。
    修改时删除此注释）."""
    findings = _corpus_findings(REGIONS / "shandong-yantai" / "2026年烟台市水利局部门预算.pdf", document_shapes())
    assert {(f.severity, f.shape.rsplit("#", 1)[-1], line_of(f)) for f in findings} == {
        ("Violation", "TemplatePlaceholder", 577),
        ("Violation", "TemplatePlaceholder", 594),
        ("Warning", "CountLeftBlank", 586),
    }


# regional documents whose wording once gave false alarms: contents worded unlike the tables' titles (杭州
# 表1., 长沙 总表 / 总体情况表, 烟台 情况表, 江苏 支出预算表), headings naming one project form among several
# (福州, 武汉), sentences wrapped at narrow lines and quotation marks at the end of a line (福州, 广州), a
# table of one column numbered ** | 1 (杭州), 所用车辆 (国家信访局)
CLEAN_REGIONAL = [
    "zhejiang-hangzhou/2026年杭州市公安局部门预算.pdf",
    "hunan-changsha/教育局_2026年部门预算.pdf",
    "shandong-yantai/2026年烟台市医疗保障局部门预算.pdf",
    "jiangsu-province/江苏省人大办公厅__江苏省人大办公厅2017年度预算公开.pdf",
    "fujian-fuzhou/2026年福州市公安局部门预算.pdf",
    "fujian-fuzhou/公安局交通警察局_2026年度福州市公安局交通管理支队单位预算.pdf",
    "central-ministries/2026年武汉市信访局部门预算.pdf",
    "central-ministries/信访局_国家信访局2024年度部门决算公开.pdf",
    "guangdong-guangzhou/2026年广州市商务局部门预算.pdf",
]


@needs_regions
@pytest.mark.parametrize("name", CLEAN_REGIONAL)
def test_no_false_alarm_on_regional_documents(name):
    findings = _corpus_findings(REGIONS / name, document_shapes())
    assert findings == [], [f.message for f in findings]


# -- rerun by anyone ---------------------------------------------------------------------------


def test_document_rules_read_only_published_terms_the_ontology_defines(example_store):
    """Every lp: term the queries of shapes/document.ttl name is defined in the ontology and is in the published graph
    (no helper predicate of lodpub/validate/derived.py, lp:v…)."""
    ontology = Graph().parse(SHAPES.parent / "ontology" / "lodpub.ttl")
    shapes = Graph().parse(SHAPES / "document.ttl")
    queries = " ".join(str(q) for q in shapes.objects(None, SH.select))
    terms = set(re.findall(r"\blp:([A-Za-z]+)", queries))
    assert {"text", "textRole", "namesTableKind", "sourceLine", "sourcePage", "fiscalYear", "budgetPhase"} <= terms
    for term in sorted(terms):
        iri = URIRef("https://w3id.org/lodpub/ontology#" + term)
        assert (iri, RDF.type, None) in ontology, term
        rows = select(example_store, f"SELECT ?s WHERE {{ {{ ?s <{iri}> ?o }} UNION {{ ?s a <{iri}> }} }} LIMIT 1")
        # a text document has no pages; the PDFs' passages, scanned pages and pages of glyph numbers do; the
        # example is one file, not a disclosure of several (lp:SourceFile)
        assert rows or term in ("sourcePage", "imagePage", "unreadablePage", "SourceFile"), term


def test_pyshacl_on_the_published_dump_gives_the_published_findings(text, tmp_path):
    """Build a mutated example (several errors of the text at once), then run shapes/document.ttl with pyshacl on an
    rdflib graph of the published N-Quads: the findings are those of the published validation report."""
    import pyshacl

    from lodpub.build import build

    changed = change_sentence(text, "与 2023 年预算相比", "与 2024 年预算相比")
    changed = change_sentence(changed, "漯河市人民政府办公室部门 2024 年度无财政重点", "XX局 2024 年度无财政重点")
    changed = change_sentence(changed, "无变动。主要原因", "无变动。。主要原因")
    changed = change_sentence(changed, "督促“放管服”改革", "督促“放管服改革")
    changed = change_sentence(changed, "部门名称：漯河市人民政府办公室\n", "部门名称：漯河市财政局\n")
    source = tmp_path / "mutated.txt"
    source.write_text(changed, encoding="utf-8")
    out = tmp_path / "out"
    build([str(source)], out, base=BASE, issued="2024-03-01")

    dataset = Dataset()
    with gzip.open(out / "lodpub.nq.gz", "rt", encoding="utf-8") as f:
        dataset.parse(data=f.read(), format="nquads")
    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    shapes = document_shapes()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=False, allow_warnings=True, inference="none")
    ours = set(shapes.subjects(RDF.type, SH.NodeShape))

    def results(graph: Graph) -> set[tuple]:
        return {
            (graph.value(r, SH.sourceShape), graph.value(r, SH.resultSeverity), graph.value(r, SH.value), str(graph.value(r, SH.resultMessage)))
            for r in graph.subjects(RDF.type, SH.ValidationResult)
            if graph.value(r, SH.sourceShape) in ours
        }

    published = Graph().parse(out / "validation-report.ttl")
    rerun = results(report)
    assert rerun == results(published)
    assert {str(shape).rsplit("#", 1)[-1] for shape, _, _, _ in rerun} == {
        "ComparedYear",
        "TemplatePlaceholder",
        "DoubledPunctuation",
        "BalancedQuotesAndBrackets",
        "OtherOrganisationNamed",
        "ListedTableMissing",
    }


@pytest.mark.parametrize(
    ("pages", "page", "term", "shape", "message"),
    [
        # a scanned page among text pages: an image, no text
        ("image_pages", 7, "imagePage", "ImagePageNotRead", "第7页是没有文字层的图片（扫描件？）：这一页上印的内容（表格、数字）没有读出"),
        # a page whose fonts map no characters to Unicode: glyph numbers, no text
        (
            "unreadable_pages",
            5,
            "unreadablePage",
            "UnreadablePageNotRead",
            "第5页的文字读不出：字体没有到 Unicode 的映射，取出的是字形编号而不是汉字；这一页上印的内容（表格、数字）没有读出",
        ),
    ],
)
def test_a_page_whose_text_is_not_read_is_reported(pages, page, term, shape, message):
    """A page whose text is not read (lp:imagePage, lp:unreadablePage) is a warning naming the page: what it
    prints is not read, and is in no table and no skipped cell. The example's records with such a page."""
    from lodpub.extract import extract
    from lodpub.pipeline import code_usage, document_quads, vocabulary_quads
    from lodpub.recognise import recognise
    from lodpub.records import build_records
    from lodpub.sources import from_path
    from lodpub.validate import validate_document

    document = extract(from_path(EXAMPLE))
    setattr(document, pages, [page])
    records = build_records(recognise(document))
    own, shared = document_quads(records, BASE)
    assert any(f'<https://w3id.org/lodpub/ontology#{term}> "{page}"^^<http://www.w3.org/2001/XMLSchema#integer>' in q for q in own)
    findings = validate_document(records.docid, own + shared, vocabulary_quads(code_usage([records]), BASE))
    found = [f for f in findings if f.shape.endswith("#" + shape)]
    assert [(f.severity, f.message) for f in found] == [("Warning", message)]


def test_a_page_not_read_in_one_file_of_several_names_the_file(tmp_path):
    """In a disclosure read from several files, a page not read is stated of its file
    (<doc/file/2> lp:imagePage 3), and the warning names the file as well as the page."""
    from lodpub.extract import extract_together
    from lodpub.pipeline import code_usage, document_quads, vocabulary_quads
    from lodpub.recognise import recognise
    from lodpub.records import build_records
    from lodpub.sources import from_path
    from lodpub.validate import validate_document

    notes = tmp_path / "情况说明.txt"
    notes.write_text("一、部门职责\n本部门负责……\n", encoding="utf-8")
    document = extract_together([from_path(notes), from_path(EXAMPLE)])
    document.part_image_pages = [[], [3]]
    records = build_records(recognise(document))
    own, shared = document_quads(records, BASE)
    stated = [q for q in own if "#imagePage>" in q]
    assert len(stated) == 1 and stated[0].startswith(f"<{BASE}") and "/file/2> " in stated[0]
    findings = validate_document(records.docid, own + shared, vocabulary_quads(code_usage([records]), BASE))
    found = [f for f in findings if f.shape.endswith("#ImagePageNotRead")]
    title = records.parts[1].file_name
    assert [(f.severity, f.message) for f in found] == [
        ("Warning", f"文件“{title}”第3页是没有文字层的图片（扫描件？）：这一页上印的内容（表格、数字）没有读出")
    ]

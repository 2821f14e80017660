"""The brief's document (examples/luohe-2024-budget.txt) as published linked data.

Expected figures were read from the document by hand; the tests query the built store.
"""

from __future__ import annotations

import re
from decimal import Decimal

from conftest import EXAMPLE, select

TABLE_KINDS = [
    "income-expenditure-summary",
    "income-by-unit",
    "expenditure-by-function",
    "fiscal-appropriation-summary",
    "general-public-budget-expenditure",
    "general-public-budget-basic-expenditure",
    "three-public-expenditure",
    "government-fund-expenditure",
    "state-capital-expenditure",
    "project-expenditure",
    "project-performance-targets",
    "overall-performance-targets",
]
AMOUNT = re.compile(r"^-?[\d,]*\d\.\d+$")


def test_every_table_is_recognised_in_order(example_records):
    assert [t.kind for t in example_records.tables] == TABLE_KINDS
    assert example_records.department == "漯河市人民政府办公室"
    assert (example_records.fiscal_year, example_records.phase) == ("2024", "budget")


def test_contents_lists_a_table_the_document_lacks(example_records):
    listed = [kind for _, kind, _ in example_records.listed_tables]
    assert len(listed) == 13
    assert "expenditure-by-economic-classification" in listed
    assert "expenditure-by-economic-classification" not in [t.kind for t in example_records.tables]


def test_row_accounting_every_amount_cell_is_in_the_graph_or_reported(example_build, example_store):
    """Independently of lodpub's reading, count the cells printing an amount in each table.

    A table runs from its title line (the graph's lp:sourceLine) to the next title; an amount
    cell is a tab-separated cell printing a number with decimals (every amount in this document
    has them; codes have none).
    """
    result, out = example_build
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    tables = select(
        example_store,
        """
        SELECT ?t ?line WHERE { ?t a lp:BudgetTable ; lp:sourceLine ?line } ORDER BY ?line""",
    )
    starts = [int(t["line"]) for t in tables]
    skipped = (out / "skipped.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    for n, table in enumerate(tables):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines)
        body = lines[starts[n] : end]
        in_source = sum(1 for raw in body if "\t" in raw for cell in raw.split("\t") if AMOUNT.match(cell.strip()))
        in_graph = int(select(example_store, f"SELECT (COUNT(?o) AS ?n) WHERE {{ ?o qb:dataSet <{table['t']}> }}")[0]["n"])
        ordinal = table["t"].rsplit("/", 1)[1]
        reported = sum(1 for row in skipped if row.split(",")[1] == ordinal)
        assert in_source == in_graph + reported, (table["t"], in_source, in_graph, reported)
        assert in_source > 0 or n in (7, 8), table  # only the two tables that state they are empty have none


def test_empty_tables_are_recorded_as_declared_empty(example_store):
    rows = select(
        example_store,
        """
        SELECT ?title ?why WHERE { ?t lp:declaredEmpty true ; dcterms:title ?title ; rdfs:comment ?why }""",
    )
    assert sorted(r["title"] for r in rows) == ["国有资本经营预算支出情况表", "政府性基金预算支出情况表"]
    assert all("本表无数据" in r["why"] for r in rows)


def test_function_classes_sum_to_the_documents_total(example_store):
    query = (EXAMPLE.parents[1] / "lodpub" / "queries" / "01-expenditure-by-function-class.rq").read_text(encoding="utf-8")
    answer = example_store.query(query, use_default_graph_as_union=True)
    by_class = {row["class"].value.rsplit("/", 1)[1]: Decimal(row["wanyuan"].value) for row in answer}
    assert by_class == {"201": Decimal("3385.51"), "208": Decimal("512.35"), "210": Decimal("128.7"), "221": Decimal("186.43")}
    assert sum(by_class.values()) == Decimal("4212.99")
    printed_total = select(
        example_store,
        """
        SELECT ?amount WHERE {
          ?o qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/expenditure-by-function> ;
             lp:rowRole <https://w3id.org/lodpub/code/row-role/total> ; lp:columnLabel "总计"@zh ; lp:amount ?amount }""",
    )
    assert [Decimal(r["amount"]) for r in printed_total] == [Decimal("42129900")]


def test_amounts_are_exact_decimals_in_yuan_with_the_printed_figure(example_store):
    rows = select(
        example_store,
        """
        SELECT ?amount ?printed ?unit ?line WHERE {
          ?o lp:functionalClassification <https://w3id.org/lodpub/code/function/2010301> ; lp:columnLabel "工资福利支出"@zh ;
             qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/expenditure-by-function> ;
             lp:amount ?amount ; lp:printedValue ?printed ; lp:printedUnit ?unit ; lp:sourceLine ?line }""",
    )
    assert len(rows) == 1
    assert Decimal(rows[0]["amount"]) == Decimal("8866100")
    assert (rows[0]["printed"], rows[0]["unit"], rows[0]["line"]) == ("886.61", "万元", "277")


def test_basic_expenditure_rows_carry_both_economic_codes(example_store):
    rows = select(
        example_store,
        """
        SELECT ?dept ?gov ?amount WHERE {
          ?o lp:sourceLine 377 ; lp:columnLabel "合计"@zh ; lp:amount ?amount ;
             lp:economicClassification/skos:notation ?dept ; lp:governmentEconomicClassification/skos:notation ?gov }""",
    )
    assert [(r["dept"], r["gov"], Decimal(r["amount"])) for r in rows] == [("30228", "50201", Decimal("106400"))]
    # the row below it prints only the government code: its department code is the merged cell above
    rows = select(
        example_store,
        """
        SELECT ?dept ?gov WHERE { ?o lp:sourceLine 378 ; lp:columnLabel "合计"@zh ;
             lp:economicClassification/skos:notation ?dept ; lp:governmentEconomicClassification/skos:notation ?gov }""",
    )
    assert rows == [{"dept": "30228", "gov": "50502"}]


def test_budget_units_belong_to_the_department(example_store):
    rows = select(
        example_store,
        """
        SELECT ?code ?name WHERE { ?u a lp:BudgetUnit ; skos:notation ?code ; skos:prefLabel ?name ;
                                     org:subOrganizationOf ?d . ?d a lp:Department } ORDER BY ?code""",
    )
    assert [r["code"] for r in rows] == ["001001", "001005", "001006", "001009", "001010"]
    assert rows[1]["name"] == "漯河市人民政府驻北京联络处"  # the cell broken across lines, joined


def test_all_31_projects_with_type_unit_and_amount(example_store):
    rows = select(
        example_store,
        """
        SELECT ?name ?type ?unit ?amount WHERE {
          ?p a lp:Project ; rdfs:label ?name ; lp:projectTypeLabel ?type ; lp:implementingUnit/skos:prefLabel ?unit .
          ?o lp:project ?p ; lp:columnLabel "合计"@zh ; lp:amount ?amount ;
             qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/project-expenditure> }""",
    )
    assert len(rows) == 31
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("14589000")  # 1,458.9 万元 printed
    assert ("装修改造资金", "其他运转类", "漯河市人民政府驻北京联络处", Decimal("3780000")) in {
        (r["name"], r["type"], r["unit"], Decimal(r["amount"])) for r in rows
    }


def test_performance_indicators_of_a_project(example_store):
    rows = select(
        example_store,
        """
        SELECT ?category ?name ?value WHERE {
          ?p a lp:Project ; rdfs:label "参事事务费"@zh ; skos:notation "411100220000000007009" ; lp:hasIndicator ?i .
          ?i lp:indicatorCategory/skos:notation ?category ; rdfs:label ?name ; lp:targetValue ?value }""",
    )
    got = sorted((r["category"], r["name"], r["value"]) for r in rows)
    assert got == sorted(
        [
            ("cost", "参事事务经费", "≤10万元"),
            ("output", "参与政府重点工作督查次数", "≥3次"),
            ("output", "参事外出学习考察次数", "≥2次"),
            ("output", "参事调研课题数", "≥6个"),
            ("output", "参事工作完成时间", "2024年12月31日前"),
            ("benefit", "提高参事履职效益", "提高"),
            ("satisfaction", "服务对象满意度", "≥95%"),
        ]
    )


def test_department_wide_targets(example_store):
    rows = select(
        example_store,
        """
        SELECT ?l1 ?name ?value WHERE { ?d a lp:BudgetDocument ; lp:hasIndicator ?i .
          ?i lp:indicatorLevel1 ?l1 ; rdfs:label ?name ; lp:targetValue ?value }""",
    )
    assert ("投入管理指标", "预算调整率", "≤15%") in {(r["l1"], r["name"], r["value"]) for r in rows}
    budget = select(
        example_store,
        """
        SELECT ?amount WHERE { ?o qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/overall-performance-targets> ;
          lp:expenditureKind <https://w3id.org/lodpub/code/kind/basic> ; lp:amount ?amount }""",
    )
    assert [Decimal(r["amount"]) for r in budget] == [Decimal("27541000")]


def test_narrative_figures_can_be_compared_with_tables(example_store):
    rows = select(
        example_store,
        """
        SELECT ?figure ?amount ?share WHERE { ?s a lp:NarrativeFigure ; lp:statesFigure/skos:notation ?figure .
          OPTIONAL { ?s lp:statedAmount ?amount } OPTIONAL { ?s lp:statedShare ?share } }""",
    )
    facts = {(r["figure"], r["amount"] and Decimal(r["amount"]), r["share"] and Decimal(r["share"])) for r in rows}
    assert ("basic-expenditure", Decimal("27541000"), Decimal("65.4")) in facts
    assert ("three-public-total", Decimal("470000"), None) in facts
    assert ("operating-cost", Decimal("1963600"), None) in facts
    assert ("procurement-total", Decimal("3000000"), None) in facts
    changes = select(
        example_store,
        """
        SELECT ?change ?rate ?year WHERE { ?s lp:statesFigure <https://w3id.org/lodpub/code/figure/income-total> ; lp:statedChange ?change ;
          lp:statedChangeRate ?rate ; lp:comparedWithYear ?year }""",
    )
    assert [(Decimal(c["change"]), Decimal(c["rate"]), c["year"]) for c in changes] == [(Decimal("-3837200"), Decimal("-8.3"), "2023")]
    vehicles = select(example_store, "SELECT ?n WHERE { ?s lp:statesFigure <https://w3id.org/lodpub/code/figure/vehicles-held> ; lp:statedQuantity ?n }")
    assert [Decimal(v["n"]) for v in vehicles] == [13]


def test_glossary_defines_shared_concepts(example_store):
    rows = select(
        example_store,
        """
        SELECT ?term ?concept WHERE { ?g a lp:GlossaryEntry ; lp:term ?term ; skos:definition ?d . OPTIONAL { ?g lp:defines ?concept } }""",
    )
    assert len(rows) == 10
    defined = {r["term"]: r["concept"] for r in rows}
    assert defined["基本支出"] == "https://w3id.org/lodpub/code/kind/basic"
    assert defined["“三公”经费"] == "https://w3id.org/lodpub/code/three-public/total"


def test_function_codes_form_a_hierarchy_linked_to_cofog(example_store):
    rows = select(
        example_store,
        """
        SELECT ?kuan ?lei ?cofog WHERE { <https://w3id.org/lodpub/code/function/2010301> skos:notation "2010301" ; skos:broader ?kuan .
          ?kuan skos:broader ?lei . ?lei skos:topConceptOf <https://w3id.org/lodpub/code/function> ; skos:closeMatch ?cofog }""",
    )
    assert rows == [
        {
            "kuan": "https://w3id.org/lodpub/code/function/20103",
            "lei": "https://w3id.org/lodpub/code/function/201",
            "cofog": "https://w3id.org/lodpub/code/cofog/01",
        }
    ]


def test_every_budget_line_names_document_table_and_row(example_store):
    missing = select(
        example_store,
        """
        SELECT (COUNT(?o) AS ?n) WHERE { ?o a lp:BudgetLine .
          FILTER NOT EXISTS { ?o prov:wasDerivedFrom ?d ; qb:dataSet ?t ; lp:sourceRow ?r ; lp:sourceLine ?l .
                              ?d lp:sha256 ?sum . ?t dcterms:title ?title } }""",
    )
    assert missing == [{"n": "0"}]


def _english_names() -> dict[str, dict[str, str]]:
    """scheme → code → name_en of the national code lists (mappings/codes/*.csv)."""
    import csv

    from lodpub.resources import MAPPINGS

    names: dict[str, dict[str, str]] = {}
    for scheme, files in {
        "function": ("function-classes.csv", "function.csv"),
        "economic-dept": ("economic-dept.csv",),
        "economic-gov": ("economic-gov.csv",),
    }.items():
        for file in files:
            with (MAPPINGS / "codes" / file).open(encoding="utf-8") as f:
                names.setdefault(scheme, {}).update({r["code"]: r["name_en"] for r in csv.DictReader(f) if r["name_en"]})
    return names


def test_national_codes_have_their_english_names(example_store):
    """Every concept of the national classifications in the graph whose code the code lists name in
    English carries that name as skos:prefLabel @en, beside its Chinese one."""
    names = _english_names()
    rows = select(
        example_store,
        """
        SELECT ?scheme ?code ?en WHERE { VALUES ?s { code:function code:economic-dept code:economic-gov }
          ?c skos:inScheme ?s ; skos:notation ?code . BIND(STRAFTER(STR(?s), "/code/") AS ?scheme)
          FILTER(?code != "_T")
          OPTIONAL { ?c skos:prefLabel ?en FILTER(LANG(?en) = "en") } }""",
    )
    assert len(rows) > 40
    named = [r for r in rows if r["code"] in names[r["scheme"]]]
    assert len(named) >= 40 and {r["scheme"] for r in named} == {"function", "economic-dept", "economic-gov"}
    assert [r for r in named if r.get("en") != names[r["scheme"]][r["code"]]] == []
    classes = [r for r in rows if r["scheme"] == "function" and len(r["code"]) == 3]
    assert classes and all(r.get("en") for r in classes)
    assert {"code": "201", "en": "General public services"} in [{"code": r["code"], "en": r["en"]} for r in classes]


def test_cofog_links_point_to_described_concepts(example_store):
    """The COFOG divisions the function classes match are concepts of a described scheme: notation and
    English name from mappings/codes/cofog.csv."""
    undescribed = select(
        example_store,
        """
        SELECT DISTINCT ?cofog WHERE { ?class skos:inScheme code:function ; skos:closeMatch ?cofog .
          FILTER NOT EXISTS { ?cofog a skos:Concept ; skos:inScheme code:cofog ; skos:topConceptOf code:cofog ; skos:notation ?n ;
                                     skos:prefLabel ?name FILTER(LANG(?name) = "en") } }""",
    )
    assert undescribed == []
    assert select(example_store, "SELECT (COUNT(*) AS ?n) WHERE { ?class skos:inScheme code:function ; skos:closeMatch ?cofog }") != [{"n": "0"}]
    divisions = select(
        example_store, "SELECT ?n ?name WHERE { code:cofog a skos:ConceptScheme ; skos:hasTopConcept ?c . ?c skos:notation ?n ; skos:prefLabel ?name }"
    )
    assert len(divisions) == 10 and {"n": "01", "name": "General public services"} in divisions
    assert select(example_store, 'SELECT ?l WHERE { code:cofog skos:prefLabel ?l FILTER(LANG(?l) = "en") }')


def test_national_codes_have_their_national_chinese_names(example_store):
    """A class, 款 or economic code the national lists name (mappings/codes) carries that name as its
    skos:prefLabel @zh, whatever spelling a document prints (维修(护)费 for 维修（护）费); 款 printed only
    through their 项 have one too."""
    import csv

    from lodpub.resources import MAPPINGS

    national: dict[tuple[str, str], str] = {}
    for scheme, file, column in (
        ("function", "function-classes.csv", "name_zh"),
        ("function", "function.csv", "name"),
        ("economic-dept", "economic-dept.csv", "name"),
        ("economic-gov", "economic-gov.csv", "name"),
    ):
        with (MAPPINGS / "codes" / file).open(encoding="utf-8") as f:
            national.update({(scheme, r["code"]): r[column] for r in csv.DictReader(f)})
    rows = select(
        example_store,
        """
        SELECT ?scheme ?code ?zh WHERE { VALUES ?s { code:function code:economic-dept code:economic-gov }
          ?c skos:inScheme ?s ; skos:notation ?code . BIND(STRAFTER(STR(?s), "/code/") AS ?scheme)
          OPTIONAL { ?c skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") } }""",
    )
    known = [r for r in rows if (r["scheme"], r["code"]) in national]
    assert len([r for r in known if r["scheme"] == "function" and len(r["code"]) == 5]) >= 5
    assert [r for r in known if r.get("zh") != national[(r["scheme"], r["code"])]] == []

"""The reference corpus of real disclosure PDFs (../shared/corpus) built into one publication.

Expected figures of each general-public-budget function table were read from the rendered PDF
pages (pdftoppm) by hand; the row accounting counts amount cells from the extracted lines,
independently of lodpub's table reading. Skipped when the corpus is absent.
"""

from __future__ import annotations

import csv
import hashlib
import re
from decimal import Decimal

import pytest

from conftest import BASE, EXAMPLE, corpus_pdfs, needs_corpus, select

pytestmark = needs_corpus

# file → (department, fiscal year, phase, number of tables)
DOCUMENTS = {
    "sh-putuo-czj-2024-final-account.pdf": ("上海市普陀区财政局", "2024", "final-account", 9),
    "sh-putuo-fuliyuan-2024-unit-budget.pdf": ("上海市普陀区社会福利院", "2024", "budget", 9),
    "sh-putuo-sifaju-2026-dept-budget.pdf": ("上海市普陀区司法局", "2026", "budget", 9),
    "sh-putuo-sww-2025-dept-budget.pdf": ("上海市普陀区商务委员会", "2025", "budget", 9),
    "sh-putuo-wanli-2023-dept-budget.pdf": ("上海市普陀区人民政府万里街道办事处", "2023", "budget", 14),
    "sh-putuo-wanli-2024-dept-budget.pdf": ("上海市普陀区人民政府万里街道办事处", "2024", "budget", 9),
    "sh-putuo-zfbgs-2025-dept-budget.pdf": ("上海市普陀区人民政府办公室", "2025", "budget", 9),
}

# The 合计 column of 一般公共预算支出功能分类预算表 / 一般公共预算财政拨款支出决算表:
# 7-digit function code → (name, amount as printed) for every 项 line, and the table total.
FUNCTION_TABLES = {
    "sh-putuo-czj-2024-final-account.pdf": {  # 一般公共预算财政拨款支出决算表, pages [15]
        "2010601": ("行政运行", "1,511.89"),
        "2010602": ("一般行政管理事务", "10.00"),
        "2010607": ("信息化建设", "135.25"),
        "2010608": ("财政委托业务支出", "449.52"),
        "2080501": ("行政单位离退休", "84.65"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "160.75"),
        "2080506": ("机关事业单位职业年金缴费支出", "80.38"),
        "2080599": ("其他行政事业单位养老支出", "0.94"),
        "2101101": ("行政单位医疗", "60.99"),
        "2210201": ("住房公积金", "187.19"),
        "2210203": ("购房补贴", "258.50"),
        "total": "2,940.05",
    },
    "sh-putuo-fuliyuan-2024-unit-budget.pdf": {  # 2024年预算单位一般公共预算支出功能分类预算表, pages [11]
        "2080502": ("事业单位离退休", "538,440"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "767,579"),
        "2080506": ("机关事业单位职业年金缴费支出", "383,789"),
        "2080599": ("其他行政事业单位养老支出", "7,020"),
        "2081005": ("社会福利事业单位", "6,964,796"),
        "71102": ("事业单位医疗", "503,724"),  # printed “7 | 11 | 02”: the 类 is misprinted (210 above it)
        "2210201": ("住房公积金", "335,816"),
        "total": "9,501,164",
    },
    "sh-putuo-sifaju-2026-dept-budget.pdf": {  # 2026年部门一般公共预算支出功能分类预算表, pages [15, 16]
        "2040601": ("行政运行", "16726725.44"),
        "2040604": ("基层司法业务", "21703947.00"),
        "2040605": ("普法宣传", "1242900.00"),
        "2040607": ("公共法律服务", "6860000.00"),
        "2040613": ("信息化建设", "2278800.00"),
        "2040699": ("其他司法支出", "38454900.00"),
        "2080501": ("行政单位离退休", "578040.00"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "1839485.00"),
        "2080506": ("机关事业单位职业年金缴费支出", "919739.00"),
        "2080599": ("其他行政事业单位养老支出", "6440.00"),
        "2101101": ("行政单位医疗", "1149678.00"),
        "2210201": ("住房公积金", "2087959.00"),
        "2210203": ("购房补贴", "2433600.00"),
        "total": "96282213.44",
    },
    "sh-putuo-sww-2025-dept-budget.pdf": {  # 2025年部门一般公共预算支出功能分类预算表, pages [15, 16]
        "2011301": ("行政运行", "9,389,913.00"),
        "2011302": ("一般行政管理事务", "4,545,000.00"),
        "2011350": ("事业运行", "2,901,820.00"),
        "2011399": ("其他商贸事务支出", "4,765,000.00"),
        "2060503": ("科技条件专项", "17,200,000.00"),
        "2080501": ("行政单位离退休", "1,661,216.00"),
        "2080502": ("事业单位离退休", "17,280.00"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "1,410,886.00"),
        "2080506": ("机关事业单位职业年金缴费支出", "705,443.00"),
        "2080599": ("其他行政事业单位养老支出", "13,260.00"),
        "2101101": ("行政单位医疗", "631,941.00"),
        "2101102": ("事业单位医疗", "249,862.00"),
        "2150899": ("其他支持中小企业发展和管理支出", "293,810,000.00"),
        "2169999": ("其他商业服务业等支出", "31,364,000.00"),
        "2210201": ("住房公积金", "1,361,034.00"),
        "2210203": ("购房补贴", "1,488,000.00"),
        "total": "371,514,655.00",
    },
    "sh-putuo-wanli-2023-dept-budget.pdf": {  # 2023年部门一般公共预算支出功能分类预算表, pages [20, 21, 22, 23]
        "2010506": ("统计管理", "26,300"),
        "2010507": ("专项普查活动", "601,300"),
        "2012902": ("一般行政管理事务", "454,100"),
        "2013202": ("一般行政管理事务", "656,900"),
        "2013302": ("一般行政管理事务", "1,002,000"),
        "2013402": ("一般行政管理事务", "90,000"),
        "2013802": ("一般行政管理事务", "146,200"),
        "2040607": ("公共法律服务", "150,000"),
        "2049999": ("其他公共安全支出", "1,102,300"),
        "2060702": ("科普活动", "100,000"),
        "2070308": ("群众体育", "200,000"),
        "2080206": ("社会组织管理", "215,000"),
        "2080501": ("行政单位离退休", "177,240"),
        "2080502": ("事业单位离退休", "52,080"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "4,412,547"),
        "2080506": ("机关事业单位职业年金缴费支出", "2,206,272"),
        "2080599": ("其他行政事业单位养老支出", "3,120"),
        "2080705": ("公益性岗位补贴", "6,351,000"),
        "2081602": ("一般行政管理事务", "43,300"),
        "2082501": ("其他城市生活救助", "300,000"),
        "2089999": ("其他社会保障和就业支出", "13,312,677"),
        "2100717": ("计划生育服务", "200,000"),
        "2101101": ("行政单位医疗", "1,445,495"),
        "2101102": ("事业单位医疗", "1,450,237"),
        "2120101": ("行政运行", "18,373,632"),
        "2120102": ("一般行政管理事务", "18,229,543"),
        "2120104": ("城管执法", "6,905,798"),
        "2120199": ("其他城乡社区管理事务支出", "49,927,105"),
        "2120399": ("其他城乡社区公共设施支出", "7,750,000"),
        "2120501": ("城乡社区环境卫生", "5,633,800"),
        "2129999": ("其他城乡社区支出", "14,500,000"),
        "2210201": ("住房公积金", "3,526,694"),
        "2210203": ("购房补贴", "3,256,800"),
        "2210399": ("其他城乡社区住宅支出", "2,177,200"),
        "total": "164,978,640",
    },
    "sh-putuo-wanli-2024-dept-budget.pdf": {  # 2024年部门一般公共预算支出功能分类预算表, pages [22, 23, 24, 25, 26]
        "2010507": ("专项普查活动", "257,700"),
        "2012902": ("一般行政管理事务", "426,000"),
        "2013202": ("一般行政管理事务", "888,700"),
        "2013302": ("一般行政管理事务", "1,106,000"),
        "2013402": ("一般行政管理事务", "119,100"),
        "2013802": ("一般行政管理事务", "135,200"),
        "2040607": ("公共法律服务", "300,000"),
        "2049999": ("其他公共安全支出", "1,333,000"),
        "2059999": ("其他教育支出", "250,000"),
        "2060702": ("科普活动", "100,000"),
        "2070308": ("群众体育", "200,000"),
        "2080501": ("行政单位离退休", "243,120"),
        "2080502": ("事业单位离退休", "76,620"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "4,608,515"),
        "2080506": ("机关事业单位职业年金缴费支出", "2,302,815"),
        "2080599": ("其他行政事业单位养老支出", "3,900"),
        "2080705": ("公益性岗位补贴", "4,212,300"),
        "2081602": ("一般行政管理事务", "44,400"),
        "2082501": ("其他城市生活救助", "300,000"),
        "2089999": ("其他社会保障和就业支出", "7,812,394"),
        "2100717": ("计划生育服务", "200,000"),
        "2101101": ("行政单位医疗", "1,422,233"),
        "2101102": ("事业单位医疗", "1,601,424"),
        "2120101": ("行政运行", "16,603,248"),
        "2120102": ("一般行政管理事务", "17,591,003"),
        "2120104": ("城管执法", "6,043,390"),
        "2120199": ("其他城乡社区管理事务支出", "54,212,362"),
        "2120399": ("其他城乡社区公共设施支出", "9,721,800"),
        "2120501": ("城乡社区环境卫生", "5,993,300"),
        "2129999": ("其他城乡社区支出", "9,220,200"),
        "2210201": ("住房公积金", "3,503,499"),
        "2210203": ("购房补贴", "3,201,700"),
        "2210399": ("其他城乡社区住宅支出", "2,177,200"),
        "total": "156,211,123",
    },
    "sh-putuo-zfbgs-2025-dept-budget.pdf": {  # 2025年部门一般公共预算支出功能分类预算表, pages [14, 15]
        "2010301": ("行政运行", "12,029,501.84"),
        "2010302": ("一般行政管理事务", "46,140,000.00"),
        "2010350": ("事业运行", "3,807,295.58"),
        "2010399": ("其他政府办公厅（室）及相关机构事务支出", "20,120,000.00"),
        "2080501": ("行政单位离退休", "1,554,220.00"),
        "2080505": ("机关事业单位基本养老保险缴费支出", "1,763,159.52"),
        "2080506": ("机关事业单位职业年金缴费支出", "881,579.76"),
        "2080599": ("其他行政事业单位养老支出", "14,820.00"),
        "2101101": ("行政单位医疗", "782,855.28"),
        "2101102": ("事业单位医疗", "314,218.15"),
        "2210201": ("住房公积金", "1,741,445.22"),
        "2210203": ("购房补贴", "1,867,680.00"),
        "total": "91,016,775.35",
    },
}


def docid(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every corpus PDF and the text example built into one publication: (result, folder, store)."""
    import pyoxigraph as ox

    from lodpub.build import build

    out = tmp_path_factory.mktemp("corpus") / "out"
    inputs = [str(p) for p in corpus_pdfs()] + [str(EXAMPLE)]
    result = build(inputs, out, base=BASE, jobs=4, issued="2024-03-01")
    return result, out, ox.Store.read_only(str(out / "store"))


def test_every_pdf_builds(corpus):
    result, out, _ = corpus
    assert not result.failed, [d.error for d in result.failed]
    by_name = {d.location.rsplit("/", 1)[1]: d for d in result.succeeded}
    assert set(DOCUMENTS) <= set(by_name)
    for name, (department, year, phase, tables) in DOCUMENTS.items():
        d = by_name[name]
        assert (d.department, d.fiscal_year, d.phase, d.counts["tables"]) == (department, year, phase, tables), name
        assert d.counts["budget_lines"] > 100, name
        assert d.counts["skipped_cells"] == 0, (name, (out / "skipped.csv").read_text(encoding="utf-8-sig")[:500])


@pytest.mark.parametrize("name", sorted(FUNCTION_TABLES))
def test_general_public_budget_function_table(corpus, name):
    _, _, store = corpus
    path = next(p for p in corpus_pdfs() if p.name == name)
    doc = f"{BASE}doc/{docid(path)}"
    rows = select(
        store,
        f"""
        SELECT ?code ?label ?printed ?amount ?unit ?role WHERE {{
          ?t dcterms:isPartOf <{doc}> ; qb:structure <https://w3id.org/lodpub/dsd/general-public-budget-expenditure> .
          ?o qb:dataSet ?t ; lp:columnLabel "合计"@zh ; lp:rowRole ?r ; lp:printedValue ?printed ; lp:amount ?amount ;
             lp:printedUnit ?unit ; lp:functionalClassification ?f ; lp:fundingSource <https://w3id.org/lodpub/code/funding/general-public-budget> .
          ?r skos:notation ?role .
          OPTIONAL {{ ?o lp:rowLabel ?label }}
          BIND(REPLACE(STR(?f), "^.*/", "") AS ?code) }}""",
    )
    expected = FUNCTION_TABLES[name]
    items = {r["code"]: (r["label"], r["printed"]) for r in rows if r["role"] == "item"}
    assert items == {k: v for k, v in expected.items() if k != "total"}
    totals = [r for r in rows if r["role"] == "total"]
    assert [(t["code"], t["printed"]) for t in totals] == [("_T", expected["total"])]
    unit = totals[0]["unit"]
    factor = Decimal(10000) if unit == "万元" else Decimal(1)
    for r in rows:
        assert Decimal(r["amount"]) == Decimal(r["printed"].replace(",", "")) * factor


# --- row accounting, counted from the extracted lines --------------------------------------

AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
SHORT_CODE = re.compile(r"^\d{1,3}$")


def amount_cells(cells: tuple[str, ...]) -> int:
    """Cells printing a figure: a number that is not a code. A code is a short run of digits
    (类 201, 款 03, 项 01) followed, after other codes or empty cells, by a name."""
    n = 0
    for j, c in enumerate(cells):
        c = c.strip()
        if not AMOUNT.match(c):
            continue
        if SHORT_CODE.match(c):
            rest = [x.strip() for x in cells[j + 1 :] if x.strip() and not SHORT_CODE.match(x.strip())]
            if rest and not AMOUNT.match(rest[0]):
                continue  # a code before its name
        n += 1
    return n


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_row_accounting_for_every_table(corpus, name):
    """Amount cells between a table's title line and the next table's title line = budget lines
    of that table in the graph + cells reported as skipped (with a reason)."""
    from lodpub.extract.pdf import extract
    from lodpub.sources import from_path

    _, out, store = corpus
    path = next(p for p in corpus_pdfs() if p.name == name)
    ident = docid(path)
    lines = extract(from_path(path)).lines
    tables = select(
        store,
        f"""
        SELECT ?t ?line ?kind ?empty WHERE {{ ?t dcterms:isPartOf <{BASE}doc/{ident}> ; lp:sourceLine ?line ; qb:structure ?kind .
          OPTIONAL {{ ?t lp:declaredEmpty ?empty }} }} ORDER BY ?line""",
    )
    assert len(tables) == DOCUMENTS[name][3]
    starts = [int(t["line"]) for t in tables]
    with (out / "skipped.csv").open(encoding="utf-8-sig") as f:
        skipped = [row for row in csv.DictReader(f) if row["document"] == ident]
    assert all(row["reason"] for row in skipped)
    for n, table in enumerate(tables):
        end = starts[n + 1] if n + 1 < len(starts) else 10**9
        in_source = sum(amount_cells(l.cells) for l in lines if starts[n] <= l.number < end and l.is_row)
        in_graph = int(select(store, f"SELECT (COUNT(?o) AS ?n) WHERE {{ ?o qb:dataSet <{table['t']}> }}")[0]["n"])
        ordinal = table["t"].rsplit("/", 1)[1]
        reported = sum(1 for row in skipped if row["table"] == ordinal)
        assert in_source == in_graph + reported, (name, table["t"], table["kind"], in_source, in_graph, reported)
        if in_source == 0:
            assert table["empty"] == "true", (name, table)


def test_empty_tables_are_declared_empty(corpus):
    _, _, store = corpus
    rows = select(
        store,
        """
        SELECT ?kind (COUNT(?t) AS ?n) WHERE { ?t lp:declaredEmpty true ; qb:structure ?kind ; rdfs:comment ?why }
        GROUP BY ?kind""",
    )
    counts = {r["kind"].rsplit("/", 1)[1]: int(r["n"]) for r in rows}
    # every Shanghai budget has empty fund and state-capital tables; the final account its two fund tables
    assert counts["government-fund-expenditure"] >= 7 + 1
    assert counts["state-capital-expenditure"] >= 6 + 1


# --- the same kind of resource from a PDF and from the text document ------------------------


def test_function_lines_of_one_department_across_two_years(corpus):
    """万里街道: its general-public-budget function lines of 2023 and 2024 in one query."""
    _, _, store = corpus
    rows = select(
        store,
        """
        SELECT ?year ?code ?amount WHERE {
          ?dept a lp:Department ; skos:prefLabel "上海市普陀区人民政府万里街道办事处"@zh .
          ?o lp:organisation ?dept ; lp:fiscalYear ?year ; lp:functionalClassification ?f ; lp:rowRole <https://w3id.org/lodpub/code/row-role/item> ;
             lp:columnLabel "合计"@zh ; lp:amount ?amount ;
             qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/general-public-budget-expenditure> .
          ?f skos:notation ?code }
        ORDER BY ?code ?year""",
    )
    years = {r["year"] for r in rows}
    assert years == {"2023", "2024"}
    both = {(r["code"], r["year"]): Decimal(r["amount"]) for r in rows}
    assert both[("2120101", "2023")] == Decimal("18373632") and both[("2120101", "2024")] == Decimal("16603248")
    assert ("2059999", "2024") in both and ("2059999", "2023") not in both  # 其他教育支出: new in 2024
    assert sum(v for (c, y), v in both.items() if y == "2023") == Decimal("164978640")
    assert sum(v for (c, y), v in both.items() if y == "2024") == Decimal("156211123")


def test_two_government_offices_compared_by_function_class(corpus):
    """漯河 2024 (text) and 普陀 2025 (PDF) 政府办公室: general-public-budget expenditure by 类."""
    _, _, store = corpus
    rows = select(
        store,
        """
        SELECT ?dept ?year ?class (SUM(?amount) AS ?total) WHERE {
          ?o qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/general-public-budget-expenditure> ;
             lp:rowRole <https://w3id.org/lodpub/code/row-role/item> ; lp:columnLabel ?col ; lp:amount ?amount ; lp:fiscalYear ?year ;
             lp:organisation/skos:prefLabel ?dept ; lp:functionalClassification/skos:broader/skos:broader ?c .
          ?c skos:notation ?class .
          FILTER(?col IN ("合计"@zh, "总计"@zh))
          FILTER(?dept IN ("漯河市人民政府办公室"@zh, "上海市普陀区人民政府办公室"@zh)) }
        GROUP BY ?dept ?year ?class ORDER BY ?dept ?class""",
    )
    table = {(r["dept"], r["year"], r["class"]): Decimal(r["total"]) for r in rows}
    assert table[("上海市普陀区人民政府办公室", "2025", "201")] == Decimal("82096797.42")
    assert table[("上海市普陀区人民政府办公室", "2025", "208")] == Decimal("4213779.28")
    assert table[("上海市普陀区人民政府办公室", "2025", "210")] == Decimal("1097073.43")
    assert table[("上海市普陀区人民政府办公室", "2025", "221")] == Decimal("3609125.22")
    luohe = {c: v for (d, y, c), v in table.items() if d == "漯河市人民政府办公室"}
    putuo = {c: v for (d, y, c), v in table.items() if d == "上海市普陀区人民政府办公室"}
    assert {y for (d, y, c) in table if d == "漯河市人民政府办公室"} == {"2024"}
    # the same four function classes in both offices; 漯河 prints 万元, 普陀 元: compared in 元
    assert set(luohe) == set(putuo) == {"201", "208", "210", "221"}
    assert luohe == {"201": Decimal("33855100"), "208": Decimal("5123500"), "210": Decimal("1287000"), "221": Decimal("1864300")}
    assert sum(luohe.values()) == Decimal("42129900") and sum(putuo.values()) == Decimal("91016775.35")


def test_project_performance_forms(corpus):
    """万里街道 2023 p.31–35: five 财政项目支出绩效目标填报表, each a project with its funds and indicators."""
    _, _, store = corpus
    path = next(p for p in corpus_pdfs() if p.name == "sh-putuo-wanli-2023-dept-budget.pdf")
    doc = f"{BASE}doc/{docid(path)}"
    rows = select(
        store,
        f"""
        SELECT ?name ?type ?item ?funding ?amount WHERE {{
          ?p a lp:Project ; rdfs:label ?name ; lp:projectTypeLabel ?type ; prov:wasDerivedFrom <{doc}> .
          ?o lp:project ?p ; lp:amount ?amount ; lp:lineItem/skos:notation ?item ; lp:fundingSource/skos:notation ?funding }}""",
    )
    funds = {(r["name"], r["item"], r["funding"]): Decimal(r["amount"]) for r in rows}
    assert {r["name"] for r in rows} == {"新建万里街道社区公共服务中心", "就业援助基地补贴", "社区环境整治和建设经费", "各类工作经费", "公共服务设施运行经费"}
    assert funds[("新建万里街道社区公共服务中心", "project-funds", "_T")] == Decimal("4100000")
    assert funds[("各类工作经费", "annual-request", "fiscal-appropriation")] == Decimal("7595500")
    # as printed: the year's appropriation exceeds the year's total request on p.35
    assert funds[("公共服务设施运行经费", "annual-request", "_T")] == Decimal("10903043")
    assert funds[("公共服务设施运行经费", "annual-request", "fiscal-appropriation")] == Decimal("11419043")
    indicators = select(
        store,
        f"""
        SELECT ?l1 ?l2 ?name ?value WHERE {{
          ?p rdfs:label "新建万里街道社区公共服务中心"@zh ; prov:wasDerivedFrom <{doc}> ; lp:hasIndicator ?i .
          ?i lp:indicatorLevel1 ?l1 ; lp:indicatorLevel2 ?l2 ; lp:indicatorLevel3 ?name ; lp:targetValue ?value }}""",
    )
    assert ("产出指标", "数量指标", "规划建筑面积", "≥13459.00(平方米)") in {(r["l1"], r["l2"], r["name"], r["value"]) for r in indicators}
    assert len(indicators) == 5


def test_final_account_three_public_columns_carry_their_phase(corpus):
    """财政局 2024 决算: the 三公 table prints 预算数 and 决算数 for each item; 0.95 万元 budgeted for 公务接待费."""
    _, _, store = corpus
    path = next(p for p in corpus_pdfs() if p.name == "sh-putuo-czj-2024-final-account.pdf")
    rows = select(
        store,
        f"""
        SELECT ?item ?phase ?amount WHERE {{
          ?t dcterms:isPartOf <{BASE}doc/{docid(path)}> ; qb:structure <https://w3id.org/lodpub/dsd/three-public-expenditure> .
          ?o qb:dataSet ?t ; lp:controlledExpense/skos:notation ?item ; lp:budgetPhase/skos:notation ?phase ; lp:amount ?amount }}""",
    )
    assert sorted((r["item"], r["phase"], Decimal(r["amount"])) for r in rows) == [
        ("reception", "budget", Decimal("9500")),
        ("total", "budget", Decimal("9500")),
    ]


def test_every_table_the_contents_lists_is_read(corpus):
    from lodpub.recognise import candidate_kinds, title_core

    _, _, store = corpus
    for path in corpus_pdfs():
        doc = f"{BASE}doc/{docid(path)}"
        listed = [r["title"] for r in select(store, f"SELECT ?title WHERE {{ <{doc}> lp:listsTable ?title }}")]
        kinds = {
            r["kind"].rsplit("/", 1)[1]
            for r in select(
                store,
                f"""
            SELECT ?kind WHERE {{ ?t dcterms:isPartOf <{doc}> ; qb:structure ?kind }}""",
            )
        }
        missing = [t for t in listed if not {s.kind for s in candidate_kinds(title_core(t))} & kinds]
        assert not missing, (path.name, missing)


def test_data_package_rows_are_the_answer_of_the_sparql_query(corpus):
    """Across PDFs of several departments, years and phases: the rows the build writes from the document
    graphs and the shared graphs apart are exactly what budget_lines_query answers on the store."""
    import csv

    from budget_lines_reference import budget_line_rows

    _, out, store = corpus
    with open(out / "budget-lines.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 3000
    assert budget_line_rows(store) == rows


def test_landing_chart_sums_are_the_sparql_sums(corpus):
    """Across departments, years and phases (and a final account): the landing page's chart sums,
    taken from the CSV rows, equal the SPARQL definitions on the store."""
    from chart_reference import sparql_sums, totals_sums
    from lodpub.publish.charts import ChartTotals

    _, out, store = corpus
    expected = sparql_sums(store)
    assert len({k[0] for k in expected["function"]}) >= 5  # departments
    assert totals_sums(ChartTotals.from_csv(out / "budget-lines.csv")) == expected


def test_aggregates_are_the_sums_of_the_budget_lines(corpus):
    """Across departments, years and phases: the published function-class totals equal the sums of
    the budget lines they stand for, with their line and document counts."""
    from chart_reference import national_sums, published_aggregates

    _, _, store = corpus
    expected = national_sums(store)
    assert len({k[0] for k in expected}) >= 3 and len({k[1] for k in expected}) >= 2  # years, phases
    assert published_aggregates(store) == expected

"""The landing page's chart sums as SPARQL queries on the published store: the definition that
`lodpub.publish.charts.ChartTotals` (sums of budget-lines.csv rows) is held equal to."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from conftest import select

CODE = "https://w3id.org/lodpub/code/"
DSD = "https://w3id.org/lodpub/dsd/"
ZH = 'FILTER(LANG(?{v}) = "zh" || LANG(?{v}) = "")'

# Item lines of each 部门支出预算表, total over expenditure kinds, summed by function class (类).
FUNCTION_QUERY = f"""
SELECT ?department ?year ?phase ?class (SUM(?amount) AS ?yuan) WHERE {{
  ?line qb:dataSet ?table ; lp:rowRole <{CODE}row-role/item> ; lp:expenditureKind <{CODE}kind/_T> ;
        lp:functionalClassification ?code ; lp:fiscalYear ?y ; lp:budgetPhase ?ph ; lp:amount ?amount .
  ?table qb:structure <{DSD}expenditure-by-function> ; dcterms:isPartOf/dcterms:publisher/skos:prefLabel ?department .
  ?code skos:broader* ?c . ?c skos:topConceptOf <{CODE}function> ; skos:notation ?class .
  OPTIONAL {{ ?ph skos:prefLabel ?phase {ZH.format(v="phase")} }}
  BIND(STR(?y) AS ?year)
}}
GROUP BY ?department ?year ?phase ?class
"""

# The 合计 column of each 部门收入预算表, by budget unit: its code, else (a code printed that is no
# code, so no organisation of the shared graph) the name its row prints.
UNIT_QUERY = f"""
SELECT ?department ?year ?phase ?code (SUM(?amount) AS ?yuan) WHERE {{
  ?line qb:dataSet ?table ; lp:rowRole <{CODE}row-role/item> ; lp:fundingSource <{CODE}funding/_T> ;
        lp:organisation ?u ; lp:fiscalYear ?y ; lp:budgetPhase ?ph ; lp:amount ?amount .
  ?table qb:structure <{DSD}income-by-unit> ; dcterms:isPartOf/dcterms:publisher/skos:prefLabel ?department .
  OPTIONAL {{ ?u skos:notation ?notation }}
  OPTIONAL {{ ?u skos:prefLabel ?name {ZH.format(v="name")} }}
  OPTIONAL {{ ?line lp:rowLabel ?label }}
  BIND(COALESCE(?notation, CONCAT("name:", COALESCE(?name, REPLACE(?label, "\\\\s+", "")))) AS ?code)
  OPTIONAL {{ ?ph skos:prefLabel ?phase {ZH.format(v="phase")} }}
  BIND(STR(?y) AS ?year)
}}
GROUP BY ?department ?year ?phase ?code
"""

# 基本支出 and 项目支出 of each 部门支出预算表: their 小计 columns (every other dimension at its total).
KIND_QUERY = f"""
SELECT ?department ?year ?phase ?kind (SUM(?amount) AS ?yuan) WHERE {{
  VALUES ?k {{ <{CODE}kind/basic> <{CODE}kind/project> }}
  ?line qb:dataSet ?table ; lp:rowRole <{CODE}row-role/item> ; lp:expenditureKind ?k ;
        lp:fiscalYear ?y ; lp:budgetPhase ?ph ; lp:amount ?amount .
  ?table qb:structure <{DSD}expenditure-by-function> ; dcterms:isPartOf/dcterms:publisher/skos:prefLabel ?department .
  FILTER NOT EXISTS {{ ?line lp:economicClassification ?e FILTER(?e != <{CODE}economic-dept/_T>) }}
  FILTER NOT EXISTS {{ ?line lp:projectType ?t FILTER(?t != <{CODE}project-type/_T>) }}
  OPTIONAL {{ ?ph skos:prefLabel ?phase {ZH.format(v="phase")} }}
  BIND(STR(?y) AS ?year)
  BIND(STRAFTER(STR(?k), "/kind/") AS ?kind)
}}
GROUP BY ?department ?year ?phase ?kind
"""


def sparql_sums(store) -> dict[str, dict]:
    """chart → {(department, "year 年phase", category): yuan} from the store."""
    out: dict[str, dict] = {}
    for chart, query, key in (("function", FUNCTION_QUERY, "class"), ("unit", UNIT_QUERY, "code"), ("kind", KIND_QUERY, "kind")):
        sums: dict = defaultdict(Decimal)
        for r in select(store, query):
            sums[(r["department"], f"{r['year']} 年{r['phase'] or ''}", r[key])] += Decimal(r["yuan"])
        out[chart] = dict(sums)
    return out


def totals_sums(totals) -> dict[str, dict]:
    """The same shape from a ChartTotals."""
    out: dict[str, dict] = {"function": {}, "unit": {}, "kind": {}}
    for chart, by_department in (("function", totals.functions), ("unit", totals.units)):
        for department, d in by_department.items():
            for (key, series), value in d["values"].items():
                out[chart][(department, series, key)] = value
    for department, by_series in totals.kinds.items():
        for series, by_kind in by_series.items():
            for kind, value in by_kind.items():
                out["kind"][(department, series, kind)] = value
    return out


# Item lines of every 部门支出预算表 at the total over kinds, summed by year, phase and function class
# over all departments: what the aggregates graph (lodpub/aggregates.py) publishes.
NATIONAL_QUERY = f"""
SELECT ?year ?phase ?class (SUM(?amount) AS ?yuan) (COUNT(?line) AS ?lines) (COUNT(DISTINCT ?doc) AS ?documents) WHERE {{
  ?line a lp:BudgetLine ; qb:dataSet ?table ; lp:rowRole <{CODE}row-role/item> ; lp:expenditureKind <{CODE}kind/_T> ;
        lp:functionalClassification ?code ; lp:fiscalYear ?y ; lp:budgetPhase ?ph ; lp:amount ?amount .
  ?table qb:structure <{DSD}expenditure-by-function> ; dcterms:isPartOf ?doc .
  ?code skos:broader* ?c . ?c skos:topConceptOf <{CODE}function> ; skos:notation ?class .
  ?ph skos:notation ?phase .
  BIND(STR(?y) AS ?year)
}}
GROUP BY ?year ?phase ?class
"""


def national_sums(store) -> dict[tuple[str, str, str], tuple[Decimal, int, int]]:
    """(year, phase, class) → (yuan, lines, documents), from the budget lines on the store."""
    return {(r["year"], r["phase"], r["class"]): (Decimal(r["yuan"]), int(r["lines"]), int(r["documents"])) for r in select(store, NATIONAL_QUERY)}


AGGREGATES_QUERY = """
SELECT ?year ?phase ?class ?amount ?lines ?documents WHERE {
  ?o a lp:AggregateObservation ; qb:dataSet/qb:structure <https://w3id.org/lodpub/dsd/function-class-totals> ;
     lp:fiscalYear ?y ; lp:budgetPhase/skos:notation ?phase ; lp:functionalClassification/skos:notation ?class ;
     lp:amount ?amount ; lp:lineCount ?lines ; lp:documentCount ?documents .
  BIND(STR(?y) AS ?year)
}
"""


def published_aggregates(store) -> dict[tuple[str, str, str], tuple[Decimal, int, int]]:
    """The same, as the aggregates graph publishes it."""
    return {(r["year"], r["phase"], r["class"]): (Decimal(r["amount"]), int(r["lines"]), int(r["documents"])) for r in select(store, AGGREGATES_QUERY)}

"""The reference for budget-lines.csv: the SPARQL query whose answer on the published store the
CSV must equal (the build makes the same rows without querying, `lodpub.publish.lines` and
`lodpub.publish.codefacts`)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from lodpub.namespaces import sparql_prefixes
from lodpub.publish.columns import CODED
from lodpub.publish.columns import int_key as _int_key
from lodpub.publish.columns import tail as _tail

PREFIXES = sparql_prefixes("lp", "qb", "skos", "rdfs", "dcterms", "prov")


def _label(node: str, var: str) -> str:
    """An OPTIONAL Chinese (or untagged) label of ?node as ?var."""
    return f'OPTIONAL {{ ?{node} skos:prefLabel ?{var} FILTER(LANG(?{var}) = "zh" || LANG(?{var}) = "") }}'


def budget_lines_query() -> str:
    """The SPARQL query behind budget-lines.csv: one solution per lp:BudgetLine."""
    where = [
        "?line a lp:BudgetLine ; qb:dataSet ?table ; prov:wasDerivedFrom ?doc ; lp:organisation ?org ;",
        "      lp:fiscalYear ?year ; lp:amount ?amount .",
        "OPTIONAL { ?doc dcterms:title ?document_title }",
        "OPTIONAL { ?doc dcterms:publisher ?dept . ?dept skos:prefLabel ?department",
        "           OPTIONAL { ?dept skos:notation ?department_code } }",
        "OPTIONAL { ?org skos:notation ?organisation_code }",
        _label("org", "organisation_name"),
        "OPTIONAL { ?table qb:structure ?dsd }",
        "OPTIONAL { ?table dcterms:title ?table_title }",
        "OPTIONAL { ?line lp:project ?p . OPTIONAL { ?p skos:notation ?project_code } OPTIONAL { ?p rdfs:label ?project_name } }",
        "OPTIONAL { ?line lp:printedValue ?printed_value }",
        "OPTIONAL { ?line lp:printedUnit ?printed_unit }",
        "OPTIONAL { ?line lp:sourcePage ?source_page }",
        "OPTIONAL { ?line lp:sourceLine ?source_line }",
        "OPTIONAL { ?line lp:sourceRow ?source_row }",
        "OPTIONAL { ?line lp:sourceColumn ?source_column }",
        "OPTIONAL { ?line lp:columnLabel ?column_label }",
        "OPTIONAL { ?line lp:rowLabel ?row_label }",
    ]
    selected = [
        "document_title",
        "department",
        "department_code",
        "organisation_code",
        "organisation_name",
        "dsd",
        "table_title",
        "project_code",
        "project_name",
        "printed_value",
        "printed_unit",
        "source_page",
        "source_line",
        "source_row",
        "source_column",
        "column_label",
        "row_label",
    ]
    for prefix, prop, hierarchy in CODED:
        c = f"{prefix}_c"
        clause = f"OPTIONAL {{ ?line {prop} ?{c} . OPTIONAL {{ ?{c} skos:notation ?{prefix}_code }} {_label(c, prefix + '_name')}"
        selected += [f"{prefix}_code", f"{prefix}_name"]
        if hierarchy:  # the top concept (类) above the code
            top = f"{prefix}_top"
            clause += (
                f"\n    OPTIONAL {{ ?{c} skos:inScheme ?{prefix}_s ; skos:broader* ?{top} . ?{top} skos:topConceptOf ?{prefix}_s ;"
                f" skos:notation ?{prefix}_class_code . {_label(top, prefix + '_class_name')} }}"
            )
            selected += [f"{prefix}_class_code", f"{prefix}_class_name"]
        where.append(clause + " }")
    aggregates = " ".join(f"(MIN(STR(?{v})) AS ?{v}_)" for v in selected)
    return (
        PREFIXES
        + "SELECT ?line ?doc ?table ?org (MIN(STR(?year)) AS ?year_) (MIN(?amount) AS ?amount_) "
        + aggregates
        + "\nWHERE {\n  "
        + "\n  ".join(where)
        + "\n}\nGROUP BY ?line ?doc ?table ?org\n"
    )


def budget_line_rows(store: ox.Store) -> list[dict]:
    """Every budget line of the store as a flat row, sorted by document, table, row, column."""
    answer = store.query(budget_lines_query(), use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    rows = []
    for solution in answer:
        s = {n: (None if t is None else t.value) for n, t in zip(names, solution)}
        g = lambda name: s.get(name + "_") or ""  # noqa: E731
        table = s["table"] or ""
        row = {
            "budget_line": s["line"],
            "document_id": _tail(s["doc"] or ""),
            "document_title": g("document_title"),
            "department_code": g("department_code"),
            "department": g("department"),
            "organisation_code": g("organisation_code"),
            "organisation_name": g("organisation_name"),
            "fiscal_year": g("year"),
            "phase": g("phase_code"),
            "phase_name": g("phase_name"),
            "table_number": _tail(table) if _tail(table).isdigit() else "",
            "table_kind": _tail(g("dsd")) if g("dsd") else "",
            "table_title": g("table_title"),
            "direction": g("direction_code"),
            "direction_name": g("direction_name"),
            "row_role": g("row_role_code"),
            "row_label": g("row_label"),
            "column_label": g("column_label"),
            "amount": str(Decimal(g("amount"))) if g("amount") else "",
            "printed_value": g("printed_value"),
            "printed_unit": g("printed_unit"),
            "project_code": g("project_code"),
            "project_name": g("project_name"),
        }
        for prefix in ("function", "economic_dept", "economic_gov"):
            for part in ("class_code", "class_name", "code", "name"):
                row[f"{prefix}_{part}"] = g(f"{prefix}_{part}")
        for prefix in ("funding", "kind", "project_type"):
            row[f"{prefix}_code"] = g(f"{prefix}_code")
            row[f"{prefix}_name"] = g(f"{prefix}_name")
        for name in ("source_page", "source_line", "source_row", "source_column"):
            row[name] = g(name)
        rows.append(row)
    rows.sort(key=lambda r: (r["document_id"], _int_key(r["table_number"]), _int_key(r["source_row"]), _int_key(r["source_column"]), r["budget_line"]))
    return rows


DOCUMENTS_QUERY = (
    PREFIXES
    + """
SELECT ?doc (MIN(STR(?t)) AS ?title) (MIN(STR(?h)) AS ?sha256) WHERE {
  ?doc a lp:BudgetDocument . OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc lp:sha256 ?h }
} GROUP BY ?doc ORDER BY ?doc
"""
)


def document_sources(store: ox.Store) -> list[dict]:
    """The source documents as `sources` of the package: title, IRI and SHA-256 of the bytes."""
    out = []
    for doc, title, sha in store.query(DOCUMENTS_QUERY, use_default_graph_as_union=True):
        source = {"title": title.value if title else _tail(doc.value), "path": doc.value}
        if sha:
            source["description"] = f"SHA-256 {sha.value}"
        out.append(source)
    return out

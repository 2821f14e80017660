"""A Fiscal Data Package of the budget lines: `datapackage.json` and a tidy `budget-lines.csv`.

The CSV is what the SPARQL query `budget_lines_query` answers on the published graph: one row per
`lp:BudgetLine`, every dimension as a code and its Chinese name, the amount in 元 as an exact
decimal, and the place in the source it was read from. Rows are sorted by document, table, row
and column; the same graph gives byte-identical files.

At scale the query is not run on the store (it costs 0.1–0.2 s per document on a large store).
The same rows are made from the graph in two halves that meet by IRI: the worker that read a
document takes each budget line's own facts from the document's triples (`write_document_lines`),
and the build fills in the names and classes of the codes and organisations from the shared graphs
(`CodeFacts`) as it writes the CSV. The tests hold the result equal to the query's answer.

The descriptor is a Tabular Data Package carrying the Fiscal Data Package parts: a column type
(`columnType`, from the FDP budget taxonomy) on every field, the logical `model` (the measure
`amount` in CNY, the dimensions with their classification hierarchies), `fiscalPeriod` and
`countryCode`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .csvsafe import safe_dict, safe_rows
from .namespaces import sparql_prefixes
from .publish import DEFAULT_LICENSE, _unescape, document_file

CSV_NAME = "budget-lines.csv"
DESCRIPTOR_NAME = "datapackage.json"

PREFIXES = sparql_prefixes("lp", "qb", "skos", "rdfs", "dcterms", "prov")

# Code-list dimensions of a budget line: (column prefix, property, with the top level of the hierarchy).
CODED = [
    ("phase", "lp:budgetPhase", False),
    ("direction", "lp:direction", False),
    ("function", "lp:functionalClassification", True),
    ("economic_dept", "lp:economicClassification", True),
    ("economic_gov", "lp:governmentEconomicClassification", True),
    ("funding", "lp:fundingSource", False),
    ("kind", "lp:expenditureKind", False),
    ("project_type", "lp:projectType", False),
    ("row_role", "lp:rowRole", False),
]


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
        '           OPTIONAL { ?dept skos:notation ?department_code } }',
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
    selected = ["document_title", "department", "department_code", "organisation_code", "organisation_name",
                "dsd", "table_title", "project_code", "project_name", "printed_value", "printed_unit",
                "source_page", "source_line", "source_row", "source_column", "column_label", "row_label"]
    for prefix, prop, hierarchy in CODED:
        c = f"{prefix}_c"
        clause = f"OPTIONAL {{ ?line {prop} ?{c} . OPTIONAL {{ ?{c} skos:notation ?{prefix}_code }} {_label(c, prefix + '_name')}"
        selected += [f"{prefix}_code", f"{prefix}_name"]
        if hierarchy:  # the top concept (类) above the code
            top = f"{prefix}_top"
            clause += (f"\n    OPTIONAL {{ ?{c} skos:inScheme ?{prefix}_s ; skos:broader* ?{top} . ?{top} skos:topConceptOf ?{prefix}_s ;"
                       f" skos:notation ?{prefix}_class_code . {_label(top, prefix + '_class_name')} }}")
            selected += [f"{prefix}_class_code", f"{prefix}_class_name"]
        where.append(clause + " }")
    aggregates = " ".join(f"(MIN(STR(?{v})) AS ?{v}_)" for v in selected)
    return (PREFIXES + "SELECT ?line ?doc ?table ?org (MIN(STR(?year)) AS ?year_) (MIN(?amount) AS ?amount_) "
            + aggregates + "\nWHERE {\n  " + "\n  ".join(where) + "\n}\nGROUP BY ?line ?doc ?table ?org\n")


# Columns of budget-lines.csv: (name, type, FDP column type, title).
COLUMNS = [
    ("budget_line", "string", "budget-line-id", "预算数据行 IRI / budget line IRI"),
    ("document_id", "string", None, "文件编号（SHA-256 前 16 位）/ document id"),
    ("document_title", "string", None, "文件标题 / document title"),
    ("department_code", "string", "administrative-classification:generic:level1:code", "部门编码 / department code"),
    ("department", "string", "administrative-classification:generic:level1:label", "部门 / department"),
    ("organisation_code", "string", "administrative-classification:generic:level2:code", "单位编码 / unit code"),
    ("organisation_name", "string", "administrative-classification:generic:level2:label", "单位名称 / unit name"),
    ("fiscal_year", "integer", "date:fiscal-year", "年度 / fiscal year"),
    ("phase", "string", "phase:id", "阶段 / budget phase"),
    ("phase_name", "string", "phase:label", "阶段名称 / budget phase name"),
    ("table_number", "integer", None, "表序号 / table number in the document"),
    ("table_kind", "string", None, "表类型 / table kind"),
    ("table_title", "string", None, "表名 / table title"),
    ("direction", "string", "direction", "收支 / direction"),
    ("direction_name", "string", None, "收支名称 / direction name"),
    ("function_class_code", "string", "functional-classification:generic:level1:code", "功能分类类编码 / function class code"),
    ("function_class_name", "string", "functional-classification:generic:level1:label", "功能分类类名称 / function class name"),
    ("function_code", "string", "functional-classification:generic:code", "功能分类编码 / function code"),
    ("function_name", "string", "functional-classification:generic:label", "功能分类名称 / function name"),
    ("economic_dept_class_code", "string", "economic-classification:generic:level1:code", "部门预算经济分类类编码 / economic class code (department budget)"),
    ("economic_dept_class_name", "string", "economic-classification:generic:level1:label", "部门预算经济分类类名称 / economic class name (department budget)"),
    ("economic_dept_code", "string", "economic-classification:generic:code", "部门预算经济分类编码 / economic code (department budget)"),
    ("economic_dept_name", "string", "economic-classification:generic:label", "部门预算经济分类名称 / economic name (department budget)"),
    ("economic_gov_class_code", "string", None, "政府预算经济分类类编码 / economic class code (government budget)"),
    ("economic_gov_class_name", "string", None, "政府预算经济分类类名称 / economic class name (government budget)"),
    ("economic_gov_code", "string", None, "政府预算经济分类编码 / economic code (government budget)"),
    ("economic_gov_name", "string", None, "政府预算经济分类名称 / economic name (government budget)"),
    ("funding_code", "string", "fin-source:generic:code", "资金来源编码 / funding source code"),
    ("funding_name", "string", "fin-source:generic:label", "资金来源 / funding source"),
    ("kind_code", "string", "expenditure-type:code", "支出类型编码 / expenditure kind code"),
    ("kind_name", "string", "expenditure-type:label", "支出类型 / expenditure kind"),
    ("project_code", "string", "activity:generic:project:code", "项目编码 / project code"),
    ("project_name", "string", "activity:generic:project:label", "项目名称 / project"),
    ("project_type_code", "string", None, "项目类型编码 / project type code"),
    ("project_type_name", "string", None, "项目类型 / project type"),
    ("row_role", "string", None, "行角色（明细/小计/合计）/ row role"),
    ("row_label", "string", None, "行标签 / row label as printed"),
    ("column_label", "string", None, "列标签 / column label as printed"),
    ("amount", "number", "value", "金额（元）/ amount in yuan"),
    ("printed_value", "string", None, "原文数值 / value as printed"),
    ("printed_unit", "string", None, "原文单位 / unit as printed"),
    ("source_page", "integer", None, "原文页码 / source page"),
    ("source_line", "integer", None, "原文行号 / source line"),
    ("source_row", "integer", None, "表内行 / row in the table"),
    ("source_column", "integer", None, "表内列 / column in the table"),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _int_key(text: str) -> tuple:
    return (0, int(text)) if text and text.lstrip("-").isdigit() else (1, text or "")


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
    rows.sort(key=lambda r: (r["document_id"], _int_key(r["table_number"]), _int_key(r["source_row"]),
                             _int_key(r["source_column"]), r["budget_line"]))
    return rows


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_dict(r) for r in rows)
    return buffer.getvalue().encode("utf-8")


def _dimension(attributes: list[tuple], dimension_type: str, classification: str | None = None) -> dict:
    """attributes: (name, labelfor or None, parent or None); the key attributes form the primary key."""
    attrs = {}
    for name, labelfor, parent in attributes:
        a = {"source": name, "title": next(c[3] for c in COLUMNS if c[0] == name)}
        if labelfor:
            a["labelfor"] = labelfor
        if parent:
            a["parent"] = parent
        attrs[name] = a
    d = {"dimensionType": dimension_type, "primaryKey": [n for n, labelfor, _ in attributes if not labelfor],
         "attributes": attrs}
    if classification:
        d["classificationType"] = classification
    return d


def model() -> dict:
    """The FDP logical model: one measure, the dimensions with their hierarchies."""
    return {
        "measures": {"amount": {"source": "amount", "title": "金额（元）/ amount in yuan", "currency": "CNY", "factor": 1}},
        "dimensions": {
            "budget-line": _dimension([("budget_line", None, None)], "fact"),
            "document": _dimension([("document_id", None, None), ("document_title", "document_id", None)], "other"),
            "administrative-classification": _dimension([
                ("department", None, None),
                ("organisation_code", None, "department"), ("organisation_name", "organisation_code", None),
            ], "classification", "administrative"),
            "date": _dimension([("fiscal_year", None, None)], "datetime"),
            "phase": _dimension([("phase", None, None), ("phase_name", "phase", None)], "other"),
            "direction": _dimension([("direction", None, None), ("direction_name", "direction", None)], "other"),
            "table": _dimension([("document_id", None, None), ("table_number", None, "document_id"),
                                 ("table_kind", None, None), ("table_title", "table_number", None)], "other"),
            "functional-classification": _dimension([
                ("function_class_code", None, None), ("function_class_name", "function_class_code", None),
                ("function_code", None, "function_class_code"), ("function_name", "function_code", None),
            ], "classification", "functional"),
            "economic-classification": _dimension([
                ("economic_dept_class_code", None, None), ("economic_dept_class_name", "economic_dept_class_code", None),
                ("economic_dept_code", None, "economic_dept_class_code"), ("economic_dept_name", "economic_dept_code", None),
            ], "classification", "economic"),
            "government-economic-classification": _dimension([
                ("economic_gov_class_code", None, None), ("economic_gov_class_name", "economic_gov_class_code", None),
                ("economic_gov_code", None, "economic_gov_class_code"), ("economic_gov_name", "economic_gov_code", None),
            ], "classification", "economic"),
            "funding-source": _dimension([("funding_code", None, None), ("funding_name", "funding_code", None)], "other"),
            "expenditure-kind": _dimension([("kind_code", None, None), ("kind_name", "kind_code", None)], "other"),
            "project": _dimension([("project_code", None, None), ("project_name", "project_code", None)], "activity"),
            "project-type": _dimension([("project_type_code", None, None), ("project_type_name", "project_type_code", None)],
                                       "other"),
            "row-role": _dimension([("row_role", None, None)], "other"),
        },
    }


DOCUMENTS_QUERY = PREFIXES + """
SELECT ?doc (MIN(STR(?t)) AS ?title) (MIN(STR(?h)) AS ?sha256) WHERE {
  ?doc a lp:BudgetDocument . OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc lp:sha256 ?h }
} GROUP BY ?doc ORDER BY ?doc
"""


def document_sources(store: ox.Store) -> list[dict]:
    """The source documents as `sources` of the package: title, IRI and SHA-256 of the bytes."""
    out = []
    for doc, title, sha in store.query(DOCUMENTS_QUERY, use_default_graph_as_union=True):
        source = {"title": title.value if title else _tail(doc.value), "path": doc.value}
        if sha:
            source["description"] = f"SHA-256 {sha.value}"
        out.append(source)
    return out


def descriptor(years: list[int], size: int, sha256: str, license_iri: str = DEFAULT_LICENSE,
               sources: list[dict] | None = None) -> dict:
    """The datapackage.json of a CSV of `size` bytes with that hash, covering those fiscal years."""
    years = sorted(years)
    sources = sources or []
    fields = []
    for name, type_, column_type, title in COLUMNS:
        f = {"name": name, "title": title, "type": type_}
        if column_type:
            f["columnType"] = column_type
        if name == "amount":
            f["decimalChar"] = "."
            f["constraints"] = {"required": True}
        if name in ("budget_line", "document_id", "fiscal_year", "row_role"):
            f.setdefault("constraints", {})["required"] = True
        fields.append(f)
    package = {
        "profile": "tabular-data-package",
        "name": "lodpub-budget-lines",
        "title": "部门预算公开数据：预算数据行 / Department budget disclosures: budget lines",
        "description": ("Every budget line (one amount cell of a table) of the published budget disclosure documents, "
                        "generated from the linked-data graph by a SPARQL query. Amounts are in yuan (元), exact "
                        "decimals; each row carries the document, table, row and column it was read from. "
                        "Rows with row_role item are the details; subtotal and total rows repeat their sums."),
        "keywords": ["budget", "部门预算", "fiscal-data-package"],
        "countryCode": "CN",
        "licenses": [{"path": license_iri, "name": _license_name(license_iri), "title": _license_name(license_iri)}],
        "sources": sources,
        "resources": [{
            "name": "budget-lines",
            "path": CSV_NAME,
            "profile": "tabular-data-resource",
            "title": "预算数据行 / budget lines",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": "sha256:" + sha256,
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": {"fields": fields, "primaryKey": ["budget_line"], "missingValues": [""]},
        }],
        "model": model(),
    }
    if years:
        package["fiscalPeriod"] = {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"}
    return package


def _license_name(iri: str) -> str:
    if "creativecommons.org/licenses/by/4.0" in iri:
        return "CC-BY-4.0"
    if "publicdomain/zero/1.0" in iri:
        return "CC0-1.0"
    return iri.rstrip("/").rsplit("/", 1)[-1] or "license"


# Facts of one budget line the worker reads from the document's own graph: CSV column → predicate
# path from the line (MIN of the string values when there are several, as the query does).
_LP = "https://w3id.org/lodpub/ontology#"
_QB = "http://purl.org/linked-data/cube#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_LINE_LITERALS = {
    "printed_value": _LP + "printedValue", "printed_unit": _LP + "printedUnit", "source_page": _LP + "sourcePage",
    "source_line": _LP + "sourceLine", "source_row": _LP + "sourceRow", "source_column": _LP + "sourceColumn",
    "column_label": _LP + "columnLabel", "row_label": _LP + "rowLabel", "fiscal_year": _LP + "fiscalYear",
}
_CODED_PREDICATES = {prefix: prop.replace("lp:", _LP) for prefix, prop, _ in CODED}
_HIERARCHY = {prefix for prefix, _, hierarchy in CODED if hierarchy}
LINES_SUFFIX = ".lines.json"


def _index(triples) -> dict[str, dict[str, list]]:
    """subject → predicate → objects (pyoxigraph terms)."""
    index: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        index[t.subject.value][t.predicate.value].append(t.object)
    return index


class _Blank(str):
    """A blank node's label among the values of `_text_index` (it has no string value in SPARQL)."""


def _text_index(triple_lines: list[str]) -> dict[str, dict[str, list[str]]]:
    """subject → predicate → object values, from N-Triples lines as lodpub writes them (IRIs and
    literals as their string values, blank nodes as `_Blank`)."""
    index: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in triple_lines:
        s, p, rest = line.split(" ", 2)
        obj = rest[:-2]
        if obj[0] == "<":
            value = obj[1:-1]
        elif obj[0] == '"':
            body = obj[1:obj.rfind('"')]
            value = _unescape(body) if "\\" in body else body
        else:
            value = _Blank(obj)
        index[s[1:-1] if s[0] == "<" else s][p[1:-1]].append(value)
    return index


def _min_str(values) -> str:
    values = [v for v in values if type(v) is not _Blank]
    return min(values) if values else ""


def document_lines(triple_lines: list[str]) -> tuple[list[dict], list[dict]]:
    """The budget lines of one document graph as partial rows (codes and organisations as IRIs, named
    later by `CodeFacts`), sorted; and the document as a `source` of the package."""
    index = _text_index(triple_lines)
    get = lambda subject, predicate: index.get(subject, {}).get(predicate, [])  # noqa: E731
    rows = []
    for line, props in index.items():
        if not any(t == _LP + "BudgetLine" for t in props.get(_RDF_TYPE, [])):
            continue
        amounts = props.get(_LP + "amount", [])
        years = props.get(_LP + "fiscalYear", [])
        combos = itertools.product(props.get("http://www.w3.org/ns/prov#wasDerivedFrom", []),
                                   props.get(_QB + "dataSet", []), props.get(_LP + "organisation", []))
        if not amounts or not years:
            continue
        projects = list(props.get(_LP + "project", []))
        for doc, table, org in combos:
            dsd = _min_str(get(table, _QB + "structure"))
            row = {
                "budget_line": line,
                "document_id": _tail(doc),
                "document_title": _min_str(get(doc, _DCT + "title")),
                "table_number": _tail(table) if _tail(table).isdigit() else "",
                "table_kind": _tail(dsd) if dsd else "",
                "table_title": _min_str(get(table, _DCT + "title")),
                "amount": str(Decimal(min(amounts, key=Decimal))),
                "project_code": _min_str([n for p in projects for n in get(p, _SKOS + "notation")]),
                "project_name": _min_str([n for p in projects for n in get(p, _RDFS_LABEL)]),
                "_projects": projects,
                "_organisation": org,
                "_publishers": sorted(get(doc, _DCT + "publisher")),
                "_codes": {prefix: sorted(props.get(prop, [])) for prefix, prop in _CODED_PREDICATES.items()},
            }
            for column, predicate in _LINE_LITERALS.items():
                row[column] = _min_str(props.get(predicate, []))
            rows.append(row)
    rows.sort(key=_row_key)
    sources = []
    for subject, props in sorted(index.items()):
        if any(t == _LP + "BudgetDocument" for t in props.get(_RDF_TYPE, [])):
            source = {"title": _min_str(props.get(_DCT + "title", [])) or _tail(subject), "path": subject}
            if props.get(_LP + "sha256"):
                source["description"] = f"SHA-256 {_min_str(props[_LP + 'sha256'])}"
            sources.append(source)
    return rows, sources


def _row_key(r: dict) -> tuple:
    return (r["document_id"], _int_key(r["table_number"]), _int_key(r["source_row"]), _int_key(r["source_column"]),
            r["budget_line"])


def write_document_lines(stem: Path, triple_lines: list[str]) -> list[dict]:
    """Write the partial rows of one document graph beside its other files (stem + LINES_SUFFIX);
    returns the document as a `source` of the package."""
    rows, sources = document_lines(triple_lines)
    data = json.dumps({"rows": [_pack(r) for r in rows], "sources": sources}, ensure_ascii=False, separators=(",", ":"))
    document_file(stem, LINES_SUFFIX).write_bytes(data.encode("utf-8"))
    return sources


class CodeFacts:
    """Notations, names and classes of the code concepts and organisations in the shared graphs, as
    the query reads them (MIN of the string values, Chinese or untagged names)."""

    def __init__(self, shared_lines: list[str]):
        quads = ox.parse(("\n".join(shared_lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_QUADS) if shared_lines else []
        self.index = _index(q.triple for q in quads)
        self._memo: dict[tuple, list[str] | tuple[list[str], list[str]]] = {}

    def _values(self, subject: str, predicate: str, zh: bool = False) -> list[str]:
        key = (subject, predicate, zh)
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = self._lookup(subject, predicate, zh)
        return known

    def _lookup(self, subject: str, predicate: str, zh: bool) -> list[str]:
        terms = self.index.get(subject, {}).get(predicate, [])
        if zh:
            terms = [t for t in terms if isinstance(t, ox.Literal) and (t.language in (None, "zh"))]
        return [t.value for t in terms if not isinstance(t, ox.BlankNode)]

    def notation(self, subject: str) -> list[str]:
        return self._values(subject, _SKOS + "notation")

    def name(self, subject: str) -> list[str]:
        return self._values(subject, _SKOS + "prefLabel", zh=True)

    def classes(self, concept: str) -> tuple[list[str], list[str]]:
        """Notations and names of the top concepts of the concept's schemes above it (skos:broader*)."""
        known = self._memo.get(("classes", concept))
        if known is None:
            known = self._memo[("classes", concept)] = self._classes(concept)
        return known

    def _classes(self, concept: str) -> tuple[list[str], list[str]]:
        schemes = set(self._values(concept, _SKOS + "inScheme"))
        seen, todo = {concept}, [concept]
        while todo:
            for parent in self._values(todo.pop(), _SKOS + "broader"):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        codes, names = [], []
        for top in seen:
            if schemes & set(self._values(top, _SKOS + "topConceptOf")) and self.notation(top):
                codes += self.notation(top)
                names += self.name(top)
        return codes, names

    def _memo_of(self, key: tuple, compute) -> list[tuple[int, str]]:
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = [(COLUMN_NAMES.index(k), v) for k, v in compute().items()]
        return known

    def resolve(self, organisation: str, publishers: list[str], codes: dict[str, list[str]],
                projects: list[str]) -> list[tuple[int, str]]:
        """The columns of a row that come from the shared graphs, as (column index, value), for a line's
        organisation, its document's publishers, its code concepts (by CODED prefix) and its projects."""
        out = self._memo_of(("organisation", organisation), lambda: {
            "organisation_code": min(self.notation(organisation), default=""),
            "organisation_name": min(self.name(organisation), default="")})
        # a line's project is in its document's graph, or a code of the shared vocabulary (the total _T)
        # (not remembered: projects are many, and mostly in the document's graph only)
        out = out + [(_PROJECT_COLUMNS[0], min((v for p in projects for v in self._lookup(p, _SKOS + "notation", False)), default="")),
                     (_PROJECT_COLUMNS[1], min((v for p in projects for v in self._lookup(p, _RDFS_LABEL, False)), default=""))]
        out = out + self._memo_of(("publishers", *publishers), lambda: self._department(publishers))
        for prefix, concepts in codes.items():
            out = out + self._memo_of((prefix, *concepts), lambda: self._coded(prefix, concepts))
        return out

    def _department(self, publishers: list[str]) -> dict[str, str]:
        publishers = [p for p in publishers if self._values(p, _SKOS + "prefLabel")]
        return {"department": min((v for p in publishers for v in self._values(p, _SKOS + "prefLabel")), default=""),
                "department_code": min((v for p in publishers for v in self.notation(p)), default="")}

    def _coded(self, prefix: str, concepts: list[str]) -> dict[str, str]:
        code = min((v for c in concepts for v in self.notation(c)), default="")
        name = min((v for c in concepts for v in self.name(c)), default="")
        if prefix in ("phase", "direction", "row_role"):
            return {prefix: code} if prefix == "row_role" else {prefix: code, prefix + "_name": name}
        out = {f"{prefix}_code": code, f"{prefix}_name": name}
        if prefix in _HIERARCHY:
            classes = [self.classes(c) for c in concepts]
            out[f"{prefix}_class_code"] = min((v for c in classes for v in c[0]), default="")
            out[f"{prefix}_class_name"] = min((v for c in classes for v in c[1]), default="")
        return out


_PROJECT_COLUMNS = (COLUMN_NAMES.index("project_code"), COLUMN_NAMES.index("project_name"))


def _pack(row: dict) -> list:
    """A partial row as its worker writes it: the column values it knows (COLUMNS order), and its
    IRIs into the shared graphs as one JSON text (equal texts resolve to equal names)."""
    foreign = [row["_organisation"], row["_publishers"], row["_codes"], row["_projects"]]
    return [[row.get(c, "") for c in COLUMN_NAMES], json.dumps(foreign, ensure_ascii=False, sort_keys=True)]


def complete_rows(packed: list, facts: CodeFacts) -> list[list[str]]:
    """The CSV rows (lists in COLUMNS order) of a document's packed partial rows."""
    rows = []
    memo: dict[str, list] = {}  # per document: its lines share few organisations and code sets
    for values, foreign in packed:
        resolved = memo.get(foreign)
        if resolved is None:
            resolved = memo[foreign] = facts.resolve(*json.loads(foreign))
        row = list(values)
        for i, value in resolved:
            if i in _PROJECT_COLUMNS:  # the smaller of the document's and the shared graphs' values
                row[i] = min((v for v in (row[i], value) if v), default="")
            else:
                row[i] = value
        rows.append(row)
    return rows


def write_datapackage(out_dir: Path, documents: list, shared_lines: list[str], license_iri: str = DEFAULT_LICENSE,
                      consume: bool = False, observe: Callable[[list[list[str]]], None] | None = None) -> None:
    """Write datapackage.json and budget-lines.csv into out_dir: the rows of each document (by docid,
    from the file its worker wrote beside the graph, deleted once read when `consume`) completed
    with the shared graphs' code facts. `observe` sees each document's rows (lists in COLUMNS order)
    as they are written, so that other outputs can be drawn from them in the same pass."""
    out_dir = Path(out_dir)
    facts = CodeFacts(shared_lines)
    digest, size, years, sources = hashlib.sha256(), 0, set(), []
    year_column = COLUMN_NAMES.index("fiscal_year")
    with (out_dir / CSV_NAME).open("wb") as f:
        def write(data: bytes) -> None:
            nonlocal size
            f.write(data)
            digest.update(data)
            size += len(data)

        write(csv_bytes([]))  # the header
        for doc in documents:
            lines = document_file(doc.files, LINES_SUFFIX)
            part = json.loads(lines.read_bytes())
            if consume:
                lines.unlink()
            sources += part["sources"]
            rows = complete_rows(part["rows"], facts)
            if observe is not None:
                observe(rows)
            years |= {int(r[year_column]) for r in rows if r[year_column].isdigit()}
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(safe_rows(rows))
            write(buffer.getvalue().encode("utf-8"))
    sources.sort(key=lambda s: s["path"])
    package = descriptor(sorted(years), size, digest.hexdigest(), license_iri, sources)
    text = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    (out_dir / DESCRIPTOR_NAME).write_bytes(text.encode("utf-8"))

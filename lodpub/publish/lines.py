"""A document's budget lines as partial rows of budget-lines.csv, made by the worker that read it.

The worker takes each budget line's own facts from the document's triples and writes them beside
its other pieces; the codes and organisations stay IRIs, named later from the shared graphs
(`codefacts`) as the build writes the CSV.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from functools import lru_cache

from .columns import CODED_PREDICATES, COLUMN_NAMES, DCT, LINE_LITERALS, LP, QB, RDFS_LABEL, SKOS, int_key, tail
from .ntriples import RDF_TYPE, TERMS_KEPT, Subjects, unescape


class _Blank(str):
    """A blank node's label among the values of `_values` (it has no string value in SPARQL)."""


@lru_cache(maxsize=TERMS_KEPT)
def _value(obj: str) -> str:
    """The value of an object term as lodpub writes it: an IRI or a literal as its string value, a
    blank node as `_Blank`."""
    if obj[0] == "<":
        return obj[1:-1]
    if obj[0] == '"':
        body = obj[1 : obj.rfind('"')]
        return unescape(body) if "\\" in body else body
    return _Blank(obj)


def _values(props: dict[str, list[str]] | None, predicate: str) -> list[str]:
    """The values of a subject's predicate (its predicate terms → object terms)."""
    return list(map(_value, props.get(predicate, ()))) if props else []


def _min_str(values) -> str:
    values = [v for v in values if type(v) is not _Blank]
    return min(values) if values else ""


def _min_value(props: dict[str, list[str]] | None, predicate: str) -> str:
    """The least string value of a subject's predicate (MIN, as the query takes it), or ""."""
    objects = props.get(predicate) if props else None
    if not objects:
        return ""
    if len(objects) == 1:
        value = _value(objects[0])
        return "" if type(value) is _Blank else value
    return _min_str(map(_value, objects))


def _term(iri: str) -> str:
    return f"<{iri}>"


_TYPE, _LINE, _DOCUMENT = _term(RDF_TYPE), LP + "BudgetLine", LP + "BudgetDocument"
_AMOUNT, _YEAR, _PROJECT, _SHA256 = _term(LP + "amount"), _term(LP + "fiscalYear"), _term(LP + "project"), _term(LP + "sha256")
_DERIVED_FROM, _DATA_SET, _ORGANISATION = _term("http://www.w3.org/ns/prov#wasDerivedFrom"), _term(QB + "dataSet"), _term(LP + "organisation")
_STRUCTURE, _TITLE, _PUBLISHER = _term(QB + "structure"), _term(DCT + "title"), _term(DCT + "publisher")
_NOTATION, _LABEL = _term(SKOS + "notation"), _term(RDFS_LABEL)
_LINE_LITERALS = {column: _term(predicate) for column, predicate in LINE_LITERALS.items()}
_CODED = {prefix: _term(predicate) for prefix, predicate in CODED_PREDICATES.items()}


def document_lines(subjects: Subjects) -> tuple[list[dict], list[dict]]:
    """The budget lines of one document graph (parsed sorted N-Triples, `ntriples.subjects_of`) as
    partial rows (codes and organisations as IRIs, named later by `CodeFacts`), sorted; and the
    document as a `source` of the package."""
    index = {(s[1:-1] if s[0] == "<" else s): dict(predicates) for s, predicates in subjects}
    get = lambda subject, predicate: _values(index.get(subject), predicate)  # noqa: E731
    least = lambda subject, predicate: _min_value(index.get(subject), predicate)  # noqa: E731
    tables: dict[tuple[str, str], dict] = {}  # the columns of a line's document and table
    rows = []
    for line, props in index.items():
        if _LINE not in map(_value, props.get(_TYPE, ())):
            continue
        amounts = _values(props, _AMOUNT)
        if not amounts or not props.get(_YEAR):
            continue
        projects = _values(props, _PROJECT)
        line_columns = {column: _min_value(props, predicate) for column, predicate in _LINE_LITERALS.items()}
        line_columns["budget_line"] = line
        line_columns["amount"] = str(Decimal(min(amounts, key=Decimal)))
        line_columns["project_code"] = _min_str([n for p in projects for n in get(p, _NOTATION)])
        line_columns["project_name"] = _min_str([n for p in projects for n in get(p, _LABEL)])
        line_columns["_projects"] = projects
        line_columns["_codes"] = {prefix: sorted(map(_value, props.get(prop, ()))) for prefix, prop in _CODED.items()}
        for doc, table, org in itertools.product(_values(props, _DERIVED_FROM), _values(props, _DATA_SET), _values(props, _ORGANISATION)):
            table_columns = tables.get((doc, table))
            if table_columns is None:
                dsd = least(table, _STRUCTURE)
                table_columns = tables[doc, table] = {
                    "document_id": tail(doc),
                    "document_title": least(doc, _TITLE),
                    "table_number": tail(table) if tail(table).isdigit() else "",
                    "table_kind": tail(dsd) if dsd else "",
                    "table_title": least(table, _TITLE),
                    "_publishers": sorted(get(doc, _PUBLISHER)),
                }
            rows.append({**line_columns, **table_columns, "_organisation": org})
    rows.sort(key=_row_key)
    sources = []
    for subject, props in sorted(index.items()):
        if _DOCUMENT in map(_value, props.get(_TYPE, ())):
            source = {"title": _min_value(props, _TITLE) or tail(subject), "path": subject}
            if props.get(_SHA256):
                source["description"] = f"SHA-256 {_min_value(props, _SHA256)}"
            sources.append(source)
    return rows, sources


def _row_key(r: dict) -> tuple:
    return (r["document_id"], int_key(r["table_number"]), int_key(r["source_row"]), int_key(r["source_column"]), r["budget_line"])


def lines_piece(subjects: Subjects) -> bytes:
    """The piece of budget-lines.csv of one document graph (parsed sorted N-Triples): its partial
    rows and the document as a `source` of the package, as JSON."""
    rows, sources = document_lines(subjects)
    data = json.dumps({"rows": [_pack(r) for r in rows], "sources": sources}, ensure_ascii=False, separators=(",", ":"))
    return data.encode("utf-8")


def _pack(row: dict) -> list:
    """A partial row as its worker writes it: the column values it knows (COLUMNS order), and its
    IRIs into the shared graphs as one JSON text (equal texts resolve to equal names)."""
    foreign = [row["_organisation"], row["_publishers"], row["_codes"], row["_projects"]]
    return [[row.get(c, "") for c in COLUMN_NAMES], _FOREIGN_JSON(foreign)]


_FOREIGN_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode

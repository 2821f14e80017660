"""A document's budget lines as partial rows of budget-lines.csv, made by the worker that read it.

The worker takes each budget line's own facts from the document's triples and writes them beside
its other pieces; the codes and organisations stay IRIs, named later from the shared graphs
(`codefacts`) as the build writes the CSV.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from decimal import Decimal

from .columns import CODED_PREDICATES, COLUMN_NAMES, DCT, LINE_LITERALS, LP, QB, RDFS_LABEL, SKOS, int_key, tail
from .ntriples import RDF_TYPE, unescape


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
            body = obj[1 : obj.rfind('"')]
            value = unescape(body) if "\\" in body else body
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
        if not any(t == LP + "BudgetLine" for t in props.get(RDF_TYPE, [])):
            continue
        amounts = props.get(LP + "amount", [])
        years = props.get(LP + "fiscalYear", [])
        combos = itertools.product(props.get("http://www.w3.org/ns/prov#wasDerivedFrom", []), props.get(QB + "dataSet", []), props.get(LP + "organisation", []))
        if not amounts or not years:
            continue
        projects = list(props.get(LP + "project", []))
        for doc, table, org in combos:
            dsd = _min_str(get(table, QB + "structure"))
            row = {
                "budget_line": line,
                "document_id": tail(doc),
                "document_title": _min_str(get(doc, DCT + "title")),
                "table_number": tail(table) if tail(table).isdigit() else "",
                "table_kind": tail(dsd) if dsd else "",
                "table_title": _min_str(get(table, DCT + "title")),
                "amount": str(Decimal(min(amounts, key=Decimal))),
                "project_code": _min_str([n for p in projects for n in get(p, SKOS + "notation")]),
                "project_name": _min_str([n for p in projects for n in get(p, RDFS_LABEL)]),
                "_projects": projects,
                "_organisation": org,
                "_publishers": sorted(get(doc, DCT + "publisher")),
                "_codes": {prefix: sorted(props.get(prop, [])) for prefix, prop in CODED_PREDICATES.items()},
            }
            for column, predicate in LINE_LITERALS.items():
                row[column] = _min_str(props.get(predicate, []))
            rows.append(row)
    rows.sort(key=_row_key)
    sources = []
    for subject, props in sorted(index.items()):
        if any(t == LP + "BudgetDocument" for t in props.get(RDF_TYPE, [])):
            source = {"title": _min_str(props.get(DCT + "title", [])) or tail(subject), "path": subject}
            if props.get(LP + "sha256"):
                source["description"] = f"SHA-256 {_min_str(props[LP + 'sha256'])}"
            sources.append(source)
    return rows, sources


def _row_key(r: dict) -> tuple:
    return (r["document_id"], int_key(r["table_number"]), int_key(r["source_row"]), int_key(r["source_column"]), r["budget_line"])


def lines_piece(triple_lines: list[str]) -> bytes:
    """The piece of budget-lines.csv of one document graph: its partial rows and the document as a
    `source` of the package, as JSON."""
    rows, sources = document_lines(triple_lines)
    data = json.dumps({"rows": [_pack(r) for r in rows], "sources": sources}, ensure_ascii=False, separators=(",", ":"))
    return data.encode("utf-8")


def _pack(row: dict) -> list:
    """A partial row as its worker writes it: the column values it knows (COLUMNS order), and its
    IRIs into the shared graphs as one JSON text (equal texts resolve to equal names)."""
    foreign = [row["_organisation"], row["_publishers"], row["_codes"], row["_projects"]]
    return [[row.get(c, "") for c in COLUMN_NAMES], json.dumps(foreign, ensure_ascii=False, sort_keys=True)]

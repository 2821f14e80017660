"""A Fiscal Data Package of the budget lines: `datapackage.json` and a tidy `budget-lines.csv`.

The CSV is what a SPARQL query answers on the published graph (tests/budget_lines_reference.py): one row per
`lp:BudgetLine`, every dimension as a code and its Chinese name, the amount in 元 as an exact
decimal, and the place in the source it was read from. Rows are sorted by document, table, row
and column; the same graph gives byte-identical files.

At scale the query is not run on the store (it costs 0.1–0.2 s per document on a large store).
The same rows are made from the graph in two halves that meet by IRI: the worker that read a
document takes each budget line's own facts from the document's triples (`lines`),
and the build fills in the names and classes of the codes and organisations from the shared graphs
(`codefacts`) as it writes the CSV. The tests hold the result equal to the query's answer.

The descriptor is a Tabular Data Package carrying the Fiscal Data Package parts: a column type
(`columnType`, from the FDP budget taxonomy) on every field, the logical `model` (the measure
`amount` in CNY, the dimensions with their classification hierarchies), `fiscalPeriod` and
`countryCode`.

The CSV files of a publication begin with a UTF-8 byte-order mark (`BOM`), so that Excel on a
Chinese Windows opens them as UTF-8 rather than in the local code page; the descriptor declares the
standard name `utf-8` (a BOM is allowed in UTF-8, and frictionless reads past it), and readers in
Python open them as `utf-8-sig`. Every code column is a string (`001` stays `001`), those of the
national classifications with their pattern.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Callable

from .codefacts import CodeFacts, complete_rows
from ..csvsafe import safe_rows
from .columns import COLUMN_NAMES, COLUMNS
from .manifest import BOM, CSV_NAME, DESCRIPTOR_NAME
from .pieces import LINES_SUFFIX, document_file

DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/"

# Codes of the national classifications: 类 (3 digits), 款 (5), 项 (7), or the total _T.
CLASS_PATTERN = "^(_T|[0-9]{3})$"
CODE_PATTERN = "^(_T|[0-9]{3}|[0-9]{5}|[0-9]{7})$"
PATTERNS = {
    "function_class_code": CLASS_PATTERN,
    "function_code": CODE_PATTERN,
    "economic_dept_class_code": CLASS_PATTERN,
    "economic_dept_code": CODE_PATTERN,
    "economic_gov_class_code": CLASS_PATTERN,
    "economic_gov_code": CODE_PATTERN,
}
ROW_ROLES = ["item", "subtotal", "total"]
SUMMING = (
    "Sum only the rows whose row_role is item, within one table_kind, choosing one code of each other "
    "dimension (_T is the total of a dimension): subtotal and total rows repeat the sums of their item rows, "
    "and the same money is printed in several tables and columns, so a sum over all rows (amount.sum()) "
    "counts it several times. 只对 row_role 为 item（明细）的行、在同一 table_kind 内求和，其他维度各取一个代码"
    "（_T 为该维度的合计）：小计、合计行重复其明细之和，同一笔钱也印在多张表、多栏中，对全部行求和会重复计算。"
)


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(safe_rows(rows))
    return buffer.getvalue().encode("utf-8")


def _code_and_name(prefix: str) -> list[tuple]:
    """The attributes of a coded dimension: its code (the key) and its name."""
    return [(f"{prefix}_code", None, None), (f"{prefix}_name", f"{prefix}_code", None)]


def _classification_fields(prefix: str) -> list[tuple]:
    """The attributes of a classification: its class, then its code (under the class), each with its name."""
    return [
        (f"{prefix}_class_code", None, None),
        (f"{prefix}_class_name", f"{prefix}_class_code", None),
        (f"{prefix}_code", None, f"{prefix}_class_code"),
        (f"{prefix}_name", f"{prefix}_code", None),
    ]


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
    d = {"dimensionType": dimension_type, "primaryKey": [n for n, labelfor, _ in attributes if not labelfor], "attributes": attrs}
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
            "administrative-classification": _dimension(
                [
                    ("department", None, None),
                    ("organisation_code", None, "department"),
                    ("organisation_name", "organisation_code", None),
                ],
                "classification",
                "administrative",
            ),
            "date": _dimension([("fiscal_year", None, None)], "datetime"),
            "phase": _dimension([("phase", None, None), ("phase_name", "phase", None)], "other"),
            "direction": _dimension([("direction", None, None), ("direction_name", "direction", None)], "other"),
            "table": _dimension(
                [("document_id", None, None), ("table_number", None, "document_id"), ("table_kind", None, None), ("table_title", "table_number", None)], "other"
            ),
            "functional-classification": _dimension(
                _classification_fields("function"),
                "classification",
                "functional",
            ),
            "economic-classification": _dimension(
                _classification_fields("economic_dept"),
                "classification",
                "economic",
            ),
            "government-economic-classification": _dimension(
                _classification_fields("economic_gov"),
                "classification",
                "economic",
            ),
            "funding-source": _dimension(_code_and_name("funding"), "other"),
            "expenditure-kind": _dimension(_code_and_name("kind"), "other"),
            "project": _dimension(_code_and_name("project"), "activity"),
            "project-type": _dimension(_code_and_name("project_type"), "other"),
            "row-role": _dimension([("row_role", None, None)], "other"),
        },
    }


def descriptor(years: list[int], size: int, sha256: str, license_iri: str = DEFAULT_LICENSE, sources: list[dict] | None = None) -> dict:
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
        if name in PATTERNS:
            f.setdefault("constraints", {})["pattern"] = PATTERNS[name]
        if name == "row_role":
            f["constraints"]["enum"] = ROW_ROLES
        fields.append(f)
    package = {
        "profile": "tabular-data-package",
        "name": "lodpub-budget-lines",
        "title": "部门预算公开数据：预算数据行 / Department budget disclosures: budget lines",
        "description": (
            "Every budget line (one amount cell of a table) of the published budget disclosure documents, "
            "generated from the linked-data graph by a SPARQL query. Amounts are in yuan (元), exact "
            "decimals; each row carries the document, table, row and column it was read from. "
            "Rows with row_role item are the details. " + SUMMING
        ),
        "keywords": ["budget", "部门预算", "fiscal-data-package"],
        "countryCode": "CN",
        "licenses": [{"path": license_iri, "name": _license_name(license_iri), "title": _license_name(license_iri)}],
        "sources": sources,
        "resources": [
            {
                "name": "budget-lines",
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "title": "预算数据行 / budget lines",
                "description": (
                    "One row per budget line (one amount cell of a table), amounts in yuan. UTF-8 with a byte-order mark "
                    "(so that spreadsheets open it as UTF-8); codes are text, keep their leading zeros. " + SUMMING
                ),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": size,
                "hash": "sha256:" + sha256,
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True},
                "schema": {"fields": fields, "primaryKey": ["budget_line"], "missingValues": [""]},
            }
        ],
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


def document_rows(piece: Path, facts: CodeFacts) -> tuple[list[list[str]], list[dict]]:
    """A document's rows of budget-lines.csv (lists in COLUMNS order), from the piece its worker wrote,
    completed with the shared graphs' code facts; and the document as a source of the package."""
    part = json.loads(Path(piece).read_bytes())
    return complete_rows(part["rows"], facts), part["sources"]


def write_datapackage(
    out_dir: Path,
    documents: list,
    shared_lines: list[str],
    license_iri: str = DEFAULT_LICENSE,
    consume: bool = False,
    observe: Callable[[list[list[str]]], None] | None = None,
) -> None:
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

        write(BOM + _csv_bytes([COLUMN_NAMES]))  # the header, after the byte-order mark
        for doc in documents:
            lines = document_file(doc.files, LINES_SUFFIX)
            rows, found = document_rows(lines, facts)
            if consume:
                lines.unlink()
            sources += found
            if observe is not None:
                observe(rows)
            years |= {int(r[year_column]) for r in rows if r[year_column].isdigit()}
            write(_csv_bytes(rows))
    sources.sort(key=lambda s: s["path"])
    package = descriptor(sorted(years), size, digest.hexdigest(), license_iri, sources)
    text = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    (out_dir / DESCRIPTOR_NAME).write_bytes(text.encode("utf-8"))

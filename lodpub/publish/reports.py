"""The reports of a publication: the SHACL validation report and the row accounting, written a
document at a time."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .. import uris
from ..csvsafe import safe_dict
from ..mapping import Mapping
from ..resources import MAPPINGS
from .accounting import ACCOUNTING_COLUMNS, SKIPPED_COLUMNS, accounting_rows, skipped_rows
from .manifest import ACCOUNTING, CSV_ENCODING, REPORT, SKIPPED
from .turtle import prefix_lines, turtle_text_of_lines


def write_reports(folder: Path, documents: list, base: str) -> None:
    """validation-report.ttl, accounting.csv and skipped.csv, one document at a time (by docid)."""
    violations = sum(d.counts.get("violations", 0) for d in documents)
    with (
        (folder / REPORT).open("wb") as report,
        (folder / ACCOUNTING).open("w", encoding=CSV_ENCODING, newline="") as accounting_file,
        (folder / SKIPPED).open("w", encoding=CSV_ENCODING, newline="") as skipped_file,
    ):
        accounting = csv.DictWriter(accounting_file, fieldnames=ACCOUNTING_COLUMNS, lineterminator="\n")
        skipped = csv.DictWriter(skipped_file, fieldnames=SKIPPED_COLUMNS, lineterminator="\n")
        accounting.writeheader()
        skipped.writeheader()
        report.write(_report_head(violations == 0, base))
        for doc in documents:
            details = doc.load_details()
            accounting.writerows(safe_dict(r) for r in accounting_rows(doc.docid, details))
            skipped.writerows(safe_dict(r) for r in skipped_rows(doc.docid, details))
            report.write(_report_results(details.findings, base))


def report_turtle(findings: list, base: str) -> bytes:
    """The SHACL validation report as Turtle (mappings/report.yaml): a standard sh:ValidationReport, one
    sh:ValidationResult per finding with a stable IRI (BASE validation/{docid}/{key}), sorted, so the
    same input gives the same bytes. A build writes the same text a document at a time (`write_reports`)."""
    violations = sum(1 for f in findings if f.severity == "Violation")
    return _report_head(violations == 0, base) + _report_results(findings, base)


@lru_cache(maxsize=1)
def report_mapping() -> Mapping:
    return Mapping(MAPPINGS / "report.yaml")


def _report_head(conforms: bool, base: str) -> bytes:
    """The prefixes and the report's own triples."""
    lines = list(report_mapping().triples({"report": [{"report": uris.validation_report(base), "conforms": "true" if conforms else "false"}]}))
    return prefix_lines() + turtle_text_of_lines(lines)


def _finding_values(f, base: str) -> dict[str, str]:
    """The fields of mappings/report.yaml for one finding: a focus, shape or value that is an IRI in
    the *_iri field, any other in the *_literal one."""
    values = {
        "report": uris.validation_report(base),
        "result": uris.validation_result(base, f.document, f.key),
        "doc": uris.document(base, f.document),
        "severity": f.severity,
        "message": f.message,
        "path": f.path or "",
    }
    for name, value in (("focus", f.focus), ("shape", f.shape), ("value", f.value)):
        if value is not None:
            values[f"{name}_iri" if value.startswith(("http://", "https://")) else f"{name}_literal"] = value
    return values


def _report_results(findings: list, base: str) -> bytes:
    """The results of some findings (all of one document, or of several) in report order, each after
    the report's sh:result link to it."""
    mapping, lines = report_mapping(), []
    for f in sorted(findings, key=lambda f: (f.document, f.key)):
        lines.extend(mapping.triples({"findings": [_finding_values(f, base)]}))  # its sh:result link, then it
    return turtle_text_of_lines(lines)

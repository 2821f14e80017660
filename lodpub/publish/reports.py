"""The reports of a publication: the SHACL validation report and the row accounting, written a
document at a time."""

from __future__ import annotations

import csv
from pathlib import Path

from .. import uris
from ..csvsafe import safe_dict
from ..mapping import iri_term, literal_text
from .accounting import ACCOUNTING_COLUMNS, SKIPPED_COLUMNS, accounting_rows, skipped_rows
from .manifest import ACCOUNTING, CSV_ENCODING, REPORT, SKIPPED

SH, LP = "http://www.w3.org/ns/shacl#", uris.ONTOLOGY


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
    """The SHACL validation report as Turtle: a standard sh:ValidationReport, one sh:ValidationResult
    per finding with a stable IRI (BASE validation/{docid}/{key}), sorted, so the same input gives
    the same bytes. A build writes the same text a document at a time (`write_reports`)."""
    violations = sum(1 for f in findings if f.severity == "Violation")
    return _report_head(violations == 0, base) + _report_results(findings, base)


def _report_head(conforms: bool, base: str) -> bytes:
    report = iri_term(uris.validation_report(base))
    return "\n".join(
        [
            f"@prefix sh: <{SH}> .",
            f"@prefix lp: <{LP}> .",
            "",
            f"{report} a sh:ValidationReport ;",
            f"    sh:conforms {'false' if not conforms else 'true'} .",
            "",
        ]
    ).encode("utf-8")


def _report_results(findings: list, base: str) -> bytes:
    """The results of some findings (all of one document, or of several) in report order."""

    def term(value: str) -> str:
        return iri_term(value) if value.startswith(("http://", "https://")) else literal_text(value)

    report = iri_term(uris.validation_report(base))
    out = []
    for f in sorted(findings, key=lambda f: (f.document, f.key)):
        node = iri_term(uris.validation_result(base, f.document, f.key))
        lines = [
            "",
            f"{report} sh:result {node} .",
            f"{node} a sh:ValidationResult ;",
            f"    sh:resultSeverity sh:{f.severity} ;",
            f"    sh:focusNode {term(f.focus)} ;",
            f"    sh:resultMessage {literal_text(f.message)}{'@zh' if f.message else ''} ;",
            f"    sh:sourceShape {term(f.shape)} ;",
        ]
        if f.path:
            lines.append(f"    sh:resultPath {iri_term(f.path)} ;")
        if f.value is not None:
            lines.append(f"    sh:value {term(f.value)} ;")
        lines.append(f"    lp:document {iri_term(uris.document(base, f.document))} .")
        out.extend(lines)
    return ("\n".join(out) + "\n").encode("utf-8") if out else b""

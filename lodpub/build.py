"""The whole job: documents in, validated publication out. The CLI calls these functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import LodpubError
from .mapping import DEFAULT_BASE
from .pipeline import DocumentResult, process_all
from .publish import Publication, accounting_rows, write_publication
from .sources import expand_inputs
from .validate import ValidationResult, report_graph, validate_document
from .vocabulary import vocabulary_quads


@dataclass
class BuildResult:
    documents: list[DocumentResult]
    validation: ValidationResult = field(default_factory=ValidationResult)
    publication: Publication | None = None

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if not d.ok]

    @property
    def succeeded(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.ok]

    def titles(self) -> dict[str, str]:
        return {d.records.docid: d.records.title for d in self.succeeded}


def read_and_validate(inputs: list[str], base: str = DEFAULT_BASE, jobs: int = 1, cache_dir: Path | None = None,
                      progress: Callable[[DocumentResult], None] | None = None) -> tuple[BuildResult, list[str]]:
    """Stages 1–6 for every input; returns the results and the shared vocabulary quads."""
    locations = expand_inputs(inputs)
    results = process_all(locations, base=base, jobs=jobs, cache_dir=cache_dir, progress=progress)
    result = BuildResult(documents=results)
    records = [d.records for d in result.succeeded]
    vocabulary = vocabulary_quads(records, base)
    seen: set[str] = set()
    for d in result.succeeded:
        if d.records.docid in seen:  # the same bytes given twice: one graph
            continue
        seen.add(d.records.docid)
        result.validation.findings.extend(validate_document(d.records.docid, d.quads, vocabulary))
    return result, vocabulary


def summary(result: BuildResult, base: str) -> dict:
    docs = []
    accounting = accounting_rows([d.records for d in result.succeeded])
    for d in result.documents:
        if not d.ok:
            docs.append({"location": d.location, "error": d.error})
            continue
        r = d.records
        findings = [f for f in result.validation.findings if f.document == r.docid]
        docs.append({
            "location": d.location, "docid": r.docid, "title": r.title, "department": r.department,
            "fiscal_year": r.fiscal_year, "phase": r.phase, "tables": len(r.tables),
            "budget_lines": len(r.observations), "skipped_cells": len(r.skipped), "projects": len(r.projects),
            "indicators": len(r.indicators), "narrative_figures": len(r.statements), "glossary": len(r.definitions),
            "amount_cells": sum(a["amount_cells"] for a in accounting if a["document"] == r.docid),
            "violations": sum(1 for f in findings if f.severity == "Violation"),
            "warnings": sum(1 for f in findings if f.severity == "Warning"),
        })
    return {"documents": docs, "base": base}


def build(inputs: list[str], out: Path, base: str = DEFAULT_BASE, jobs: int = 1, issued: str | None = None,
          license_iri: str | None = None, endpoint: str | None = None, cache_dir: Path | None = None,
          progress: Callable[[DocumentResult], None] | None = None) -> BuildResult:
    """Read, map, validate and publish; documents that fail are reported, the others published."""
    if not base.endswith(("/", "#")):
        raise LodpubError(f"--base must end with / or #: {base}")
    result, vocabulary = read_and_validate(inputs, base, jobs, cache_dir, progress)
    if not result.succeeded:
        raise LodpubError("no document could be read: " + "; ".join(d.error or "" for d in result.failed))
    quads: set[str] = set(vocabulary)
    for d in result.succeeded:
        quads.update(d.quads)
    report = report_graph(result.validation, base).serialize(format="turtle").encode("utf-8")
    kwargs = {"license_iri": license_iri} if license_iri else {}
    result.publication = write_publication(
        Path(out), [d.records for d in result.succeeded], sorted(quads), report, summary(result, base), base,
        issued=issued, endpoint=endpoint, **kwargs,
    )
    return result

"""The whole job: documents in, validated publication out. The CLI calls these functions."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .checks import check_base, check_date, check_http_iri, check_iri, check_out_folder
from .errors import LodpubError, printable
from .outlock import publication_lock
from .distributed import check_scheduler, process_on_cluster
from .pipeline import DocumentResult, process, process_all
from .publish.catalogue import About
from .records.identity import org_key
from .publish.publication import Publication, documents_loader, write_publication
from .sources import MAX_SIZE, distinct_inputs, expand_inputs
from .store import StoreLoader
from .uris import DEFAULT_BASE
from .validate import ValidationResult
from .vocabulary import merge_usage, vocabulary_quads


# Findings a build keeps in memory for its summary (the report it publishes has them all)
KEPT_FINDINGS = 2000


@dataclass
class BuildResult:
    documents: list[DocumentResult]  # in input order
    validation: ValidationResult = field(default_factory=ValidationResult)
    publication: Publication | None = None
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (location, location read instead): same bytes

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if not d.ok]

    @property
    def succeeded(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.ok]

    def published(self) -> list[DocumentResult]:
        """The documents that make the publication: one per distinct content, by docid."""
        unique: dict[str, DocumentResult] = {}
        for d in self.succeeded:
            unique.setdefault(d.docid, d)
        return [unique[k] for k in sorted(unique)]

    def titles(self) -> dict[str, str]:
        return {d.docid: d.title for d in self.succeeded}


def read_and_validate(
    inputs: list[str],
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress: Callable[[DocumentResult], None] | None = None,
    workdir: Path | None = None,
    keep_records: bool = False,
    kept_findings: int | None = None,
    together: bool = False,
    validate: bool = True,
    max_size: int | None = MAX_SIZE,
    scheduler: str | None = None,
    counted: Callable[[int], None] | None = None,
) -> BuildResult:
    """Every per-document stage for every input (graphs and details written into `workdir` when given).

    With `together`, the inputs are the files of one disclosure, read as one document. Otherwise a
    file without tables (a 情况说明) whose text states the department, year and phase of exactly one
    other input that has tables (its 报表) is read together with it.

    The findings are counted in `validation`, and kept there whole unless `kept_findings` bounds
    how many are kept (a large build: the others are in the report it publishes).

    A document given twice (the same bytes under two names) is read and counted once (`duplicates`);
    one larger than `max_size` bytes is refused with a message (a failed document).

    With a `scheduler` (tcp://HOST:8786), the documents are read by the workers of that Dask cluster
    (`distributed`) rather than by `jobs` local processes."""
    check_base(base)
    locations, duplicates = distinct_inputs(expand_inputs(inputs, max_size, cache_dir))
    units: list[str | list[str]] = [locations] if together and len(locations) > 1 else list(locations)
    if counted:
        counted(len(units))
    options = dict(base=base, workdir=workdir, cache_dir=cache_dir, keep_records=keep_records, validate=validate, max_size=max_size)  # how a document is read
    if scheduler:
        results = process_on_cluster(units, scheduler, progress=progress, **options)
    else:
        results = process_all(units, jobs=jobs, progress=progress, **options)
    if not together and any(d.narrative_identity for d in results):
        results = pair_files(results, progress, scheduler=scheduler, **options)
    results, same = _distinct_documents(results)  # a URL and a file of the same bytes, say
    result = BuildResult(documents=results, validation=ValidationResult(keep=kept_findings), duplicates=duplicates + same)
    for d in result.published():
        if validate:
            result.validation.add(d.load_details().findings)
    return result


def _distinct_documents(results: list[DocumentResult]) -> tuple[list[DocumentResult], list[tuple[str, str]]]:
    """The results of distinct documents, and (location, location kept) for each later one of the same bytes."""
    first: dict[str, str] = {}
    kept, same = [], []
    for d in results:
        if d.ok and d.docid in first:
            same.append((d.location, first[d.docid]))
            continue
        if d.ok:
            first[d.docid] = d.location
        kept.append(d)
    return kept, same


def pair_files(
    results: list[DocumentResult],
    progress: Callable[[DocumentResult], None] | None,
    scheduler: str | None = None,
    **options,
) -> list[DocumentResult]:
    """Read each file without tables (a 情况说明) together with the one file of tables whose text states
        the same department, year and phase (its 报表): the pair becomes one document, each figure keeping
        its own file and page. `options` are those of `pipeline.process` (base, workdir, cache, …); with a
    `scheduler`, the pairs are read on that Dask cluster."""
    tables: dict[tuple, list[int]] = {}
    for n, document in enumerate(results):
        if document.ok:
            tables.setdefault((org_key(document.department), document.fiscal_year, document.phase), []).append(n)
    narrative: dict[int, list[int]] = {}
    for n, document in enumerate(results):
        if document.narrative_identity:
            department, year, phase = document.narrative_identity
            match = tables.get((org_key(department), year, phase), [])
            if len(match) == 1:
                narrative.setdefault(match[0], []).append(n)
    dropped: set[int] = set()
    for main, files in narrative.items():
        unit = [results[n].location for n in files] + [results[main].location]
        combined = process_on_cluster([unit], scheduler, **options)[0] if scheduler else process(unit, **options)
        if combined.ok:
            results[main] = combined
            dropped.update(files)
            if progress:
                progress(combined)
    return [d for n, d in enumerate(results) if n not in dropped]


def shared_quads(documents: list[DocumentResult], base: str) -> list[str]:
    """The shared graphs: vocabulary (with the codes in use) and organisations, sorted."""
    lines: set[str] = set()

    def usages():  # one document's details at a time
        for d in documents:
            details = d.load_details()
            lines.update(details.shared_quads)
            yield details.usage

    lines.update(vocabulary_quads(merge_usage(usages()), base))
    return sorted(lines)


def summary(result: BuildResult, base: str) -> dict:
    docs = []
    for d in result.documents:
        if not d.ok:
            docs.append({"location": d.location, "error": d.error})
            continue
        docs.append(
            {"location": d.location, "docid": d.docid, "title": d.title, "department": d.department, "fiscal_year": d.fiscal_year, "phase": d.phase, **d.counts}
        )
    out = {"documents": docs, "base": base}
    if result.duplicates:  # only when there are: the summary of distinct inputs stays as it was
        out["duplicates"] = [{"location": a, "same_as": b} for a, b in result.duplicates]
    return out


def check_arguments(
    base: str = DEFAULT_BASE,
    issued: str | None = None,
    license_iri: str | None = None,
    endpoint: str | None = None,
    out: Path | None = None,
    about: About | None = None,
) -> None:
    """The arguments of a build, checked before it starts: a one-line LodpubError for the first bad one."""
    check_base(base)
    if issued is not None:
        check_date(issued, "--issued")
    if license_iri is not None:
        check_iri(license_iri, "--license")
    if endpoint is not None:
        check_http_iri(endpoint, "--endpoint")
    if about is not None:
        about.check()
    if out is not None:
        check_out_folder(out)


def build(
    inputs: list[str],
    out: Path,
    base: str = DEFAULT_BASE,
    jobs: int = 1,
    issued: str | None = None,
    license_iri: str | None = None,
    endpoint: str | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[DocumentResult], None] | None = None,
    keep_records: bool = False,
    together: bool = False,
    max_size: int | None = MAX_SIZE,
    about: About | None = None,
    scheduler: str | None = None,
    counted: Callable[[int], None] | None = None,
    workbook: bool = True,
) -> BuildResult:
    """Read, map, validate and publish; documents that fail are reported, the others published.
    `counted` is told how many documents will be read, once the inputs are expanded (before `progress`
    hears of the first).
    `about` is what the catalogue says of the publication (publisher, contact, titles, landing page).
    `workbook`: also budget-lines.xlsx (when the lines fit one worksheet).
    With a `scheduler` (tcp://HOST:8786), the documents are read on that Dask cluster; the
    publication is written here all the same.

    Every argument is checked before any work starts (LodpubError, one line)."""
    check_arguments(base=base, issued=issued, license_iri=license_iri, endpoint=endpoint, out=out, about=about)
    if scheduler:
        check_scheduler(scheduler)
    out = Path(out)
    with publication_lock(out), tempfile.TemporaryDirectory(prefix=f".{out.name}.work-", dir=out.parent) as work:
        loader: StoreLoader | None = None
        try:
            started = time.perf_counter()
            result = read_and_validate(
                inputs,
                base,
                jobs,
                cache_dir,
                progress,
                Path(work),
                keep_records,
                KEPT_FINDINGS,
                together,
                max_size=max_size,
                scheduler=scheduler,
                counted=counted,
            )
            read = time.perf_counter() - started
            published = result.published()
            if not published:
                raise LodpubError("no document could be read: " + "; ".join(d.error or "" for d in result.failed))
            # the store is loaded once the documents are read, the workers' cores free, in a thread
            # while the other files are written (benchmarks/build_growth.py: sooner costs more)
            loader = documents_loader(Path(work) / "store", published)
            kwargs = {"license_iri": license_iri} if license_iri else {}
            result.publication = write_publication(
                out,
                published,
                shared_quads(published, base),
                summary(result, base),
                base,
                issued=issued,
                endpoint=endpoint,
                loader=loader,
                consume=True,
                about=about or About(),
                workbook=workbook,
                **kwargs,
            )
            result.publication.seconds = {"documents": read, **result.publication.seconds}
        finally:
            if loader is not None:
                loader.close()
    return result


def document_lines(result: BuildResult) -> list[str]:
    """A line per document of a build (ok with its counts, or FAILED with the error), and one per file given twice."""
    lines = []
    for d in result.documents:
        if not d.ok:
            lines.append(f"FAILED  {d.error}")
            continue
        c = d.counts
        lines.append(
            f"ok      {printable(d.location)}: {d.department} {d.fiscal_year or '?'} {d.phase}, {c['tables']} tables, "
            f"{c['budget_lines']} budget lines, {c['skipped_cells']} cells skipped, {c['violations']} violations, "
            f"{c['warnings']} warnings"
        )
    for location, same_as in result.duplicates:
        lines.append(f"same    {printable(location)}: the same bytes as {printable(same_as)}, read and counted once")
    return lines

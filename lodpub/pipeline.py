"""Run the per-document stages: source → extract → recognise → records → RDF → validate.

Each document is one unit of work, done in a worker process when jobs > 1: its graph is written
to a file of sorted N-Quads in the work folder and only a small summary travels back, so memory
does not grow with the corpus. A document that fails is reported with its file and place and
does not stop the others.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import __version__, archive

from .children import end_with_parent, stop_workers
from .errors import LodpubError, printable
from .extract import extract, extract_together
from .model import Source, combined_source
from . import uris
from .mapping import default_mapping
from .recognise import recognise
from .publish.accounting import accounting_rows
from .publish.pieces import DOCUMENT_FILES, LINES_SUFFIX, document_file, write_document_pieces
from .records import DocumentRecords, SkippedCell, TableRecord, UnreadTableRecord, build_records
from .records.document import _document_title
from .records.identity import identify
from .resources import CODE, MAPPINGS, ONTOLOGY, SHAPES
from .sources import MAX_SIZE, from_path, open_source
from .validate import Finding, validate_document
from .vocabulary import CodeUsage, code_usage, vocabulary_quads


@dataclass
class DocumentDetails:
    """What a build needs of a document once, to write the reports and the shared graphs: its tables,
    the cells it skipped, its findings and the codes and organisations it names. In a build they wait
    on disk (the work folder) rather than in memory, so that memory does not grow with the corpus."""

    tables: list[TableRecord] = field(default_factory=list)
    unread: list[UnreadTableRecord] = field(default_factory=list)  # tables seen but not read
    table_counts: dict[int, int] = field(default_factory=dict)  # table ordinal → budget lines in the graph
    skipped: list[SkippedCell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    usage: CodeUsage = field(default_factory=dict)
    shared_quads: list[str] = field(default_factory=list)  # quads of the shared graphs (organisations)


@dataclass
class DocumentResult:
    """What a build keeps of one document: who, what and how many. Its graph is in the files named
    `files`; its details (`DocumentDetails`) are in `details`, or in a file beside the graph's."""

    location: str
    error: str | None = None
    docid: str = ""
    sha256: str = ""
    url: str | None = None
    title: str = ""
    department: str = ""
    fiscal_year: str | None = None
    phase: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # budget lines, tables, skipped cells, violations …
    files: Path | None = None  # workdir/docid: the document's graph as the files of publish.pieces
    quads: int = 0
    details: DocumentDetails | None = None  # None when they are on disk (files + DETAILS_SUFFIX)
    records: DocumentRecords | None = None  # kept only when asked for
    narrative_identity: tuple[str, str, str] | None = None  # (department, year, phase) of a file without tables

    @property
    def ok(self) -> bool:
        return self.error is None

    def load_details(self) -> DocumentDetails:
        """The document's details, from memory or from the work folder (while the build runs)."""
        if self.details is not None:
            return self.details
        path = document_file(self.files, DETAILS_SUFFIX) if self.files is not None else None
        if path is None or not path.exists():
            raise LodpubError(f"{self.location}: its details were only kept while the build ran")
        return pickle.loads(path.read_bytes())


DETAILS_SUFFIX = ".details.pickle"


def _counts(records: DocumentRecords, details: DocumentDetails) -> dict[str, int]:
    severities = Counter(f.severity for f in details.findings)
    return {
        "budget_lines": len(records.observations),
        "projects": len(records.projects),
        "indicators": len(records.indicators),
        "narrative_figures": len(records.statements),
        "glossary": len(records.definitions),
        "organisations": len(records.organisations),
        "tables": len(details.tables),
        "unread_tables": len(details.unread),
        "skipped_cells": len(details.skipped),
        "amount_cells": sum(r["amount_cells"] for r in accounting_rows(records.docid, details)),
        "violations": severities["Violation"],
        "warnings": severities["Warning"],
    }


def document_quads(records: DocumentRecords, base: str) -> tuple[list[str], list[str]]:
    """The sorted quads of the document's own graph, and those of the shared graphs."""
    own_graph = f"<{uris.graph(base, records.docid)}> ."
    own, shared = set(), set()
    for line in default_mapping().quads(records, base):
        (own if line.endswith(own_graph) else shared).add(line)
    return sorted(own), sorted(shared)


FILE_SUFFIXES = (*DOCUMENT_FILES, LINES_SUFFIX, DETAILS_SUFFIX)  # what a worker writes for a document, and the cache keeps


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What a document's result depends on besides its bytes: lodpub's version, code and data files."""
    digest = hashlib.sha256(__version__.encode())
    for name, folder, pattern in (("lodpub", CODE, "**/*.py"), ("mappings", MAPPINGS, "**/*"), ("ontology", ONTOLOGY, "*.ttl"), ("shapes", SHAPES, "*.ttl")):
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                digest.update(f"{name}/{path.relative_to(folder).as_posix()}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def result_key(sha256: str, base: str, validate: bool) -> str:
    """The name of a document's result in the cache: its bytes' digest, the base, lodpub's fingerprint."""
    return hashlib.sha256(f"{sha256}|{base}|{fingerprint()}|{validate}".encode()).hexdigest()[:32]


def cached_result(results: Path, key: str, location: str, workdir: Path | None) -> DocumentResult | None:
    """A result kept by an earlier build of the same bytes with the same lodpub, or None."""
    entry, kept = results / f"{key}.pickle", results / key
    if not entry.exists() or not all(document_file(kept, x).exists() for x in FILE_SUFFIXES):
        return None
    try:
        result = pickle.loads(entry.read_bytes())
    except Exception:  # a damaged or foreign entry is rebuilt
        return None
    result = replace(result, location=location)
    if workdir is not None:
        result.files = Path(workdir) / result.docid
        for suffix in FILE_SUFFIXES:
            shutil.copyfile(document_file(kept, suffix), document_file(result.files, suffix))
    return result


def keep_result(results: Path, key: str, result: DocumentResult) -> None:
    results.mkdir(parents=True, exist_ok=True)
    if result.files is not None:
        for suffix in FILE_SUFFIXES:
            shutil.copyfile(document_file(result.files, suffix), results / f"{key}{suffix}.tmp")
            (results / f"{key}{suffix}.tmp").replace(results / f"{key}{suffix}")
    (results / f"{key}.pickle.tmp").write_bytes(pickle.dumps(replace(result, records=None, files=None)))
    (results / f"{key}.pickle.tmp").replace(results / f"{key}.pickle")


def process(
    location: str | list[str],
    base: str = uris.DEFAULT_BASE,
    workdir: Path | None = None,
    cache_dir: Path | None = None,
    validate: bool = True,
    keep_records: bool = False,
    max_size: int | None = MAX_SIZE,
    copies: dict[str, str] | None = None,
) -> DocumentResult:
    """All per-document stages; errors become a result, never an exception. `location` may name the
    several files of one disclosure (its 情况说明 and its 报表): they are read as one document.
    `copies` maps a location to a local file holding its bytes (a worker of a cluster, `distributed`):
    the document is read from the copy and named by its location, as if read there.

    With a `cache_dir`, results are kept under cache_dir/results, keyed by the document's SHA-256,
    the base URI and lodpub's fingerprint: an unchanged document is not read again.

    A document larger than `max_size` bytes (None: no limit) is refused with a message. A document
    inside a zip archive (budgets.zip/部门预算.pdf, or https://host/budgets.zip/部门预算.pdf: the archive
    fetched through the cache) is read from a copy made for the while (`archive`).
    """
    locations = [location] if isinstance(location, str) else list(location)
    members = {loc: where for loc in locations if loc not in (copies or {}) and (where := archive.split(loc) or archive.split_url(loc))}
    if not members:
        return _process(locations, base, workdir, cache_dir, validate, keep_records, max_size, copies or {})
    with tempfile.TemporaryDirectory(prefix="lodpub-archive-") as tmp:
        copies = dict(copies or {})
        try:
            for n, (loc, where) in enumerate(members.items()):
                copy = Path(tmp) / str(n) / archive.copy_name(loc)
                copy.parent.mkdir()
                copy.write_bytes(archive.read_member(loc, max_size, where, cache_dir))
                copies[loc] = str(copy)
        except LodpubError as exc:
            return DocumentResult(" + ".join(locations), error=str(exc))
        except Exception as exc:  # a bug or an archive nobody foresaw: this document's failure, not the run's
            return DocumentResult(" + ".join(locations), error=f"{printable(' + '.join(locations))}: unexpected {type(exc).__name__}: {exc}")
        return _process(locations, base, workdir, cache_dir, validate, keep_records, max_size, copies)


def _copied(location: str, copy: str, max_size: int | None, cache_dir: Path | None) -> Source:
    """The source of a document read from a copy: a document of an archive at a URL keeps the archive's
    URL and when it was fetched (dcterms:source, prov:generatedAtTime), as a document fetched alone does."""
    source = from_path(copy, location=location, max_size=max_size)
    at_url = archive.split_url(location)
    if at_url is None:
        return source
    from .fetch import cached

    fetched = cached(at_url[0], cache_dir)
    return replace(source, url=at_url[0], retrieved=fetched.retrieved if fetched else None)


def _process(
    locations: list[str],
    base: str,
    workdir: Path | None,
    cache_dir: Path | None,
    validate: bool,
    keep_records: bool,
    max_size: int | None,
    copies: dict[str, str],
) -> DocumentResult:
    location = " + ".join(locations)
    try:
        sources = [
            _copied(loc, copies[loc], max_size, cache_dir) if loc in copies else open_source(loc, cache_dir=cache_dir, max_size=max_size) for loc in locations
        ]
        source = sources[0] if len(sources) == 1 else combined_source(sources)
        key = result_key(source.sha256, base, validate)
        results = Path(cache_dir) / "results" if cache_dir is not None else None
        if results is not None and not keep_records and workdir is not None:
            cached = cached_result(results, key, location, workdir)
            if cached is not None:
                return cached
        document = extract(source) if len(sources) == 1 else extract_together(sources)
        recognition = recognise(document)
        if not recognition.tables:
            return DocumentResult(
                location, error=no_tables_message(location, recognition), sha256=source.sha256, narrative_identity=_identity_of(recognition, locations)
            )
        records = build_records(recognition)
        own, shared = document_quads(records, base)
        per_table = Counter(o.table for o in records.observations)  # one pass, not one per table
        details = DocumentDetails(
            tables=records.tables,
            unread=records.unread,
            skipped=records.skipped,
            usage=code_usage([records]),
            shared_quads=shared,
            table_counts={t.ordinal: per_table[t.ordinal] for t in records.tables},
        )
        if validate:
            details.findings = validate_document(records.docid, own + shared, vocabulary_quads(details.usage, base))
        result = DocumentResult(
            location=location,
            docid=records.docid,
            sha256=records.sha256,
            url=records.url,
            title=records.title,
            department=records.department,
            fiscal_year=records.fiscal_year,
            phase=records.phase,
            counts=_counts(records, details),
            quads=len(own),
            details=details,
            records=records if keep_records else None,
        )
        if workdir is not None:  # the graph and the details wait in the work folder; a summary travels back
            result.files = Path(workdir) / records.docid
            write_document_pieces(result.files, own)
            document_file(result.files, DETAILS_SUFFIX).write_bytes(pickle.dumps(details))
            result.details = None
            if results is not None:
                keep_result(results, key, result)
        return result
    except LodpubError as exc:
        return DocumentResult(location, error=str(exc))
    except Exception as exc:  # a bug or an input nobody foresaw: report it, go on with the others
        return DocumentResult(location, error=f"{printable(location)}: unexpected {type(exc).__name__}: {exc}")


def _identity_of(recognition, locations: list[str]) -> tuple[str, str, str] | None:
    """(department, year, phase) a document without tables states, for pairing it with its tables."""
    lines = recognition.document.lines
    ident = identify([], lines, locations, _document_title(lines))
    if ident.department and ident.fiscal_year:
        return (ident.department, ident.fiscal_year, ident.phase or "budget")
    return None


def no_tables_message(location: str, recognition) -> str:
    """Why a document gives no budget table, in words a user can act on."""
    unread = recognition.unread
    location = printable(location)
    if recognition.document.extractor == "html" and not unread:
        links = recognition.document.links
        if links:
            shown = "; ".join(f"{printable(name)} <{printable(url)}>" for name, url in links[:10])
            more = f" and {len(links) - 10} more" if len(links) > 10 else ""
            return f"{location}: is an HTML page with no budget table in it; it links to {len(links)} document(s): {shown}{more}: build those"
        return f"{location}: is an HTML page with no budget table in it (a URL that answers with a web page, a login or an error page instead of the document)"
    if unread:
        seen = "; ".join(f"“{u.title or '(no title)'}” page {u.page}" for u in unread[:5])
        return (
            f"{location}: no table of a kind lodpub knows: {len(unread)} table(s) seen but not recognised ({seen}); "
            "a region's new title or header wording is a line of mappings/tables/kinds.yaml or headers.yaml"
        )
    titles = [t for t, _, _ in recognition.listed_titles]
    if titles:
        return (
            f"{location}: no budget table in this file, although its contents list {len(titles)} "
            f"(“{titles[0]}” …): a 情况说明 whose tables are published in another file, or printed as images; "
            "build it together with the file of tables (lodpub build A.pdf B.pdf --together)"
        )
    return f"{location}: no budget table in this file (no table title of mappings/tables/kinds.yaml and no grid of figures)"


def _process_args(args):
    return process(*args)


def process_all(
    locations: list[str | list[str]],
    base: str = uris.DEFAULT_BASE,
    jobs: int = 1,
    workdir: Path | None = None,
    cache_dir: Path | None = None,
    validate: bool = True,
    keep_records: bool = False,
    progress: Callable[[DocumentResult], None] | None = None,
    max_size: int | None = MAX_SIZE,
) -> list[DocumentResult]:
    """Process every document, in parallel processes when jobs > 1; results in input order."""
    args = [(loc, base, workdir, cache_dir, validate, keep_records, max_size) for loc in locations]
    results: list[DocumentResult] = []
    if jobs <= 1 or len(locations) <= 1:
        for a in args:
            results.append(process(*a))
            if progress:
                progress(results[-1])
        return results
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=end_with_parent, initargs=(os.getpid(),))
    try:
        for result in pool.map(_process_args, args, chunksize=max(1, min(16, len(args) // (jobs * 4)))):
            results.append(result)
            if progress:
                progress(result)
    except BaseException:  # Ctrl-C, a full disk …: the workers end now, with the build
        stop_workers(pool)
        raise
    pool.shutdown()
    return results

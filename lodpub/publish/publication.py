"""Stage 7: publish. Write every file of a publication (`manifest`): the data package, the dumps,
the reports, the catalogue (DCAT + VoID), the store and the landing page, each by its own writer.

Everything is written into a temporary folder beside the output and moved into place at the
end, so a failed run never leaves a half-written publication. Dumps are sorted and gzip headers
carry no time, so the same input gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import uris
from ..store import StoreLoader
from .aggregates import FunctionClassTotals, aggregate_quads
from .catalogue import DEFAULT_LICENSE, About, catalogue_turtle, file_digests
from .charts import ChartTotals
from .datapackage import SUMMING, write_datapackage
from .dumps import write_dumps
from .jsonld import context_document
from .landing import write_landing_page
from .manifest import CATALOGUE, CONTEXT, FORMATS, STORE, SUMMARY, XLSX_NAME
from .pieces import LINES_SUFFIX, document_file
from .reports import write_reports
from .workbook import MAX_LINES, WorkbookProcess


@dataclass
class Publication:
    out: Path
    quads: int
    triples: int
    files: dict[str, int]  # file name → bytes
    seconds: dict[str, float] = field(default_factory=dict)  # time of each step of the publication


def write_publication(
    out: Path,
    documents: list,
    shared_lines: list[str],
    summary: dict,
    base: str,
    issued: str | None = None,
    license_iri: str = DEFAULT_LICENSE,
    endpoint: str | None = None,
    loader: StoreLoader | None = None,
    consume: bool = False,
    about: About = About(),
    workbook: bool = True,
) -> Publication:
    """Write every file of the publication into `out`, atomically.

    `documents` are pipeline results with their graph files and details, in publication order (by
    docid); `shared_lines` the sorted quads of the shared graphs (vocabulary, organisations), to
    which the aggregates graph is added (`aggregates`); `loader` a store's loader that has been given
    the documents' graphs (else it is made and given them here), to which the shared graphs are added;
    with `consume`, the documents' files are deleted as soon as they are written into the publication
    (but their N-Quads, which the loader may not have read yet). Every file is
    written as a stream, one document at a time. `about` is what the catalogue says of the
    publication beyond its facts (publisher, contact, titles, landing page). With `workbook`, the budget
    lines are also written as budget-lines.xlsx when they fit one worksheet (`workbook.MAX_LINES`).
    """
    issued = issued or dt.date.today().isoformat()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    book = None
    try:
        if loader is None:  # the store is loaded in a thread while the other files are written
            loader = documents_loader(tmp / STORE, documents)
        clock = _Clock()
        # the workbook from the documents' rows in a process of its own, while this one writes the rest
        lines = sum(d.get("budget_lines") or 0 for d in summary.get("documents", []))
        pieces = [document_file(d.files, LINES_SUFFIX) for d in documents]
        book = WorkbookProcess(tmp / XLSX_NAME, issued, SUMMING, pieces, shared_lines) if workbook and lines <= MAX_LINES else None
        # one pass over the budget lines' rows: the CSV, the landing page's chart sums, the aggregates
        charts, totals = ChartTotals(), FunctionClassTotals()

        def observe(rows: list[list[str]]) -> None:
            charts.add(rows)
            totals.add(rows)

        write_datapackage(tmp, documents, shared_lines, license_iri=license_iri, consume=consume and book is None, observe=observe)
        clock.lap("data package")
        shared_lines = sorted(set(shared_lines).union(aggregate_quads(totals, base)))
        if shared_lines:
            loader.add(("\n".join(shared_lines) + "\n").encode("utf-8"))
        loader.finish_soon()  # the store's last load and compaction in its thread, while the other files are written
        dumps, quads, triples = write_dumps(tmp, shared_lines, documents, consume=consume)
        clock.lap("dumps")
        write_reports(tmp, documents, base)
        (tmp / CONTEXT).write_bytes(context_document())
        clock.lap("reports")
        if book is not None:
            book.wait()
            if consume:  # (the CSV's pass left them to the workbook)
                for piece in pieces:
                    piece.unlink()
        clock.lap("workbook")
        endpoint = endpoint or uris.sparql_endpoint(base)
        files = {**file_digests(tmp, sorted(set(FORMATS) - set(dumps))), **dumps}  # every distribution's size and digest
        (tmp / CATALOGUE).write_bytes(catalogue_turtle(base, documents, files, triples, issued, license_iri, endpoint, about))
        (tmp / SUMMARY).write_bytes(json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n")
        clock.lap("reports")
        loader.finish()
        clock.lap("store")
        if loader.path != tmp / STORE:
            loader.path.rename(tmp / STORE)
        write_landing_page(tmp, summary, tmp / CATALOGUE, charts)  # lists the data package too
        clock.lap("landing page")
        sizes = {p.name: p.stat().st_size for p in sorted(tmp.iterdir()) if p.is_file()}
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        if book is not None:
            book.stop()
        if loader is not None:
            loader.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Publication(out=out, quads=quads, triples=triples, files=sizes, seconds=clock.laps)


def documents_loader(path: Path, documents: list) -> StoreLoader:
    """A store at `path` loading the documents' graphs (their N-Quads pieces) in its thread from now on."""
    loader = StoreLoader(path)
    for doc in documents:
        loader.add_gzip_file(document_file(doc.files, ".nq.gz"))
    return loader


class _Clock:
    """Seconds between laps, by name (what a publication step took)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now

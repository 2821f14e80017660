"""Run the stages for each document: source → extract → recognise → records → RDF.

A document that fails is reported with its file and place and does not stop the others.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LodpubError
from .extract import extract
from .mapping import DEFAULT_BASE, default_mapping
from .recognise import recognise
from .records import DocumentRecords, build_records
from .sources import open_source


@dataclass
class DocumentResult:
    location: str
    records: DocumentRecords | None = None
    quads: list[str] = field(default_factory=list)  # sorted N-Quads lines of the document's graph
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def process(location: str, base: str = DEFAULT_BASE, cache_dir: Path | None = None) -> DocumentResult:
    """All stages up to RDF for one document; errors become a result, never an exception."""
    try:
        source = open_source(location, cache_dir=cache_dir)
        document = extract(source)
        recognition = recognise(document)
        if not recognition.tables:
            raise LodpubError(f"{location}: no budget table recognised (titles known: mappings/tables/*.yaml)")
        records = build_records(recognition)
        quads = sorted(set(default_mapping().quads(records, base)))
        return DocumentResult(location, records, quads)
    except LodpubError as exc:
        return DocumentResult(location, error=str(exc))
    except Exception as exc:  # a bug or an input we did not foresee: report it, go on with the others
        return DocumentResult(location, error=f"{location}: unexpected {type(exc).__name__}: {exc}")


def _process_args(args):
    return process(*args)


def process_all(locations: list[str], base: str = DEFAULT_BASE, jobs: int = 1, cache_dir: Path | None = None,
                progress=None) -> list[DocumentResult]:
    """Process every document, in parallel processes when jobs > 1; results in input order."""
    args = [(loc, base, cache_dir) for loc in locations]
    results: list[DocumentResult] = []
    if jobs <= 1 or len(locations) <= 1:
        for a in args:
            results.append(process(*a))
            if progress:
                progress(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(_process_args, args, chunksize=max(1, len(args) // (jobs * 8))):
            results.append(result)
            if progress:
                progress(result)
    return results

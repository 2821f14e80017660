"""The per-document stage on a Dask cluster (`lodpub build --scheduler tcp://HOST:8786`).

Each document is one task: `pipeline.process`, run by a worker of the cluster. The bytes travel
with the task and back, so no folder needs to be shared: the build's process reads a local file and
sends its bytes (a URL is fetched by the worker), the worker reads the document from a copy named
as the file was, and sends back the summary and the files of the work folder (`pipeline.FILE_SUFFIXES`, the text
ones compressed: ~0.3 MB for a document of the example's size), which the build's process writes
into its work folder. Everything after that (the store, the dumps, the reports) is the local build's: the
same inputs give the same files, byte for byte.

As in the local pool: results in input order, one document's failure is that document's (a result
with its error, never an exception), and a worker lost while it holds a task has the task run again
elsewhere by Dask's scheduler (up to its `distributed.scheduler.allowed-failures`, 3 by default;
then the document fails with the reason). Only a window of tasks is in flight at a time, so the
memory of the build's process and of the scheduler does not grow with the corpus. A result made by
a worker running another lodpub (another fingerprint: code, mappings, shapes) is refused.

Dask is an optional dependency: `pip install 'lodpub[distributed]'`.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import uuid
import zlib
from pathlib import Path
from typing import Callable

from . import archive, uris
from .errors import LodpubError, printable
from .model import Source, combined_source
from .pipeline import FILE_SUFFIXES, DocumentResult, cached_result, fingerprint, keep_result, process, result_key
from .publish.pieces import document_file
from .sources import MAX_SIZE

MISSING = "--scheduler needs Dask, an optional dependency: pip install 'lodpub[distributed]'"


SCHEME = re.compile(r"^(tcp|tls|ws|wss|ucx|inproc)://[^\s/]+$")


def check_scheduler(address: str) -> None:
    """Dask is installed and `address` is a scheduler's address (tcp://HOST:8786): else one line (LodpubError)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise LodpubError(MISSING) from None
    if not SCHEME.match(address):
        raise LodpubError(f"--scheduler {address!r}: not the address of a Dask scheduler (tcp://HOST:8786)")


def _client(scheduler: str, timeout: float):
    try:
        from distributed import Client
    except ImportError:
        raise LodpubError(MISSING) from None
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise LodpubError(f"--scheduler {scheduler}: no Dask scheduler answers there ({type(exc).__name__}: {exc})") from None


def run_on_worker(unit: str | list[str], payloads: dict[str, bytes], files: bool, options: dict) -> tuple[str, DocumentResult, dict[str, bytes]]:
    """The task a worker runs: the document read from copies of `payloads` (location → bytes; a URL
    is fetched here), its work-folder files (when `files`) read back to travel with the summary."""
    with tempfile.TemporaryDirectory(prefix="lodpub-task-") as tmp:
        copies = {}
        for n, (location, data) in enumerate(payloads.items()):
            folder = Path(tmp) / f"in{n}"
            folder.mkdir()
            copy = folder / (Path(location).name or "document")  # the name, as media types are sniffed from it
            copy.write_bytes(data)
            copies[location] = str(copy)
        workdir = Path(tmp) / "work" if files else None
        if workdir is not None:
            workdir.mkdir()
        result = process(unit, workdir=workdir, copies=copies, **options)
        pieces = {}
        if result.files is not None:
            pieces = {suffix: _packed(suffix, document_file(result.files, suffix).read_bytes()) for suffix in FILE_SUFFIXES}
            result.files = None
    return fingerprint(), result, pieces


def _packed(suffix: str, data: bytes) -> bytes:
    """A work-folder file for the trip back: the text ones compressed (zlib level 1, ~20 ms a document
    of the example's size: 2.3 MB become 0.3 MB), the gzip members as they are."""
    return data if suffix.endswith(".gz") else zlib.compress(data, 1)


def _readable(location: str, max_size: int | None) -> bool:
    """A local file the build's process can send (else it is read here, for the same error a local build gives)."""
    try:
        path = Path(location)
        size = path.stat().st_size
        return path.is_file() and 0 < size and (max_size is None or size <= max_size)
    except OSError:
        return False


def _payload(location: str, max_size: int | None) -> bytes | None:
    """The bytes the build's process sends for a local document, a file or one inside a zip archive;
    None when they cannot be read (the document is read here then, for the same error a local build gives)."""
    where = archive.split(location)
    if where:
        try:
            return archive.read_member(location, max_size, where)
        except LodpubError:
            return None
    return Path(location).read_bytes() if _readable(location, max_size) else None


def process_on_cluster(
    units: list[str | list[str]],
    scheduler: str,
    workdir: Path | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[DocumentResult], None] | None = None,
    window: int | None = None,
    timeout: float = 30.0,
    **reading,
) -> list[DocumentResult]:
    """Every document as a task on the Dask cluster of `scheduler`; results in input order, as
    `pipeline.process_all` gives them. `reading`: the options of `pipeline.process` (base, validate,
    keep_records, max_size), its defaults where not given. With a `cache_dir`, a local document's result is
    looked up and kept here, in the build's process (URLs are fetched by the workers, without the cache)."""
    options = dict(base=uris.DEFAULT_BASE, validate=True, keep_records=False, max_size=MAX_SIZE) | reading
    base, validate, keep_records, max_size = (options[k] for k in ("base", "validate", "keep_records", "max_size"))
    results_dir = Path(cache_dir) / "results" if cache_dir is not None and workdir is not None and not keep_records else None
    here = fingerprint()
    cluster = _Cluster(scheduler, timeout, window)
    done: dict[int, DocumentResult] = {}
    keys: dict[int, str] = {}  # the cache's key of a document sent
    todo = iter(enumerate(units))
    out: list[DocumentResult] = []

    def submit_next() -> bool:
        for n, unit in todo:
            locations = [unit] if isinstance(unit, str) else list(unit)
            local = [loc for loc in locations if "://" not in loc]
            payloads = {loc: _payload(loc, max_size) for loc in local}
            if any(data is None for data in payloads.values()):
                done[n] = process(unit, cache_dir=cache_dir, **options)  # fails at once, with a local build's words
                continue
            if results_dir is not None and len(local) == len(locations):
                sources = [Source(loc, Path(loc), hashlib.sha256(payloads[loc]).hexdigest(), "") for loc in locations]
                keys[n] = key = result_key((sources[0] if len(sources) == 1 else combined_source(sources)).sha256, base, validate)
                hit = cached_result(results_dir, key, " + ".join(locations), workdir)
                if hit is not None:
                    done[n] = hit
                    continue
            cluster.submit(n, unit, payloads, workdir is not None, options)
            return True
        return False

    def emit() -> None:  # the results ready, in input order
        while len(out) in done:
            out.append(done.pop(len(out)))
            if progress:
                progress(out[-1])

    try:
        while submit_next() and not cluster.full():
            pass
        emit()
        for n, unit, future in cluster.completed():
            done[n] = _received(future, unit, here, workdir, results_dir, keys.get(n))
            future.release()
            submit_next()
            emit()
        emit()
        return out
    finally:
        cluster.close()


class _Cluster:
    """The client of the scheduler, connected at the first task (a build whose documents are all in
    the cache needs no cluster), and the window of tasks in flight."""

    def __init__(self, scheduler: str, timeout: float, window: int | None):
        self.scheduler, self.timeout, self.window = scheduler, timeout, window
        self.client = self.futures = None
        self.pending: dict[str, tuple[int, str | list[str]]] = {}  # task → (its place in the input, the unit)

    def submit(self, n: int, unit, payloads: dict[str, bytes], files: bool, options: dict) -> None:
        if self.client is None:
            from distributed import as_completed

            self.client = _client(self.scheduler, self.timeout)
            try:  # tasks sent to a cluster without workers would wait for ever
                self.client.wait_for_workers(1, timeout=self.timeout)
            except TimeoutError:
                self.client.close()
                raise LodpubError(
                    f"--scheduler {self.scheduler}: no worker joined the cluster in {self.timeout:.0f} s (dask worker {self.scheduler})"
                ) from None
            self.window = self.window or max(4, 2 * sum(self.client.nthreads().values()))
            self.futures = as_completed(loop=self.client.loop)
        future = self.client.submit(run_on_worker, unit, payloads, files, options, key=f"lodpub-{uuid.uuid4().hex}-{n}", pure=False)
        self.pending[future.key] = (n, unit)
        self.futures.add(future)

    def full(self) -> bool:
        return self.client is not None and len(self.pending) >= self.window

    def completed(self):
        """(place, unit, future) of each task as it ends, while tasks are added."""
        for future in self.futures or ():
            n, unit = self.pending.pop(future.key)
            yield n, unit, future

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def _received(future, unit, here: str, workdir: Path | None, results_dir: Path | None, key: str | None) -> DocumentResult:
    """A task's result as the local pool gives it: its files written into the work folder, or a failed document."""
    location = unit if isinstance(unit, str) else " + ".join(unit)
    try:
        theirs, result, pieces = future.result()
    except Exception as exc:  # the task could not run: its worker was lost too often, lodpub missing there …
        return DocumentResult(location, error=f"{printable(location)}: failed on the cluster: {type(exc).__name__}: {exc}")
    if theirs != here:
        return DocumentResult(
            location,
            error=f"{printable(location)}: read by a worker running another lodpub (fingerprint {theirs}, here {here}): install the same on every worker",
        )
    if pieces and workdir is not None:
        result.files = Path(workdir) / result.docid
        for suffix, data in pieces.items():
            document_file(result.files, suffix).write_bytes(data if suffix.endswith(".gz") else zlib.decompress(data))
        if results_dir is not None and key is not None:
            keep_result(results_dir, key, result)
    return result

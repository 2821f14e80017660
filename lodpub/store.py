"""The embedded SPARQL store: a pyoxigraph database on disk holding the published quads."""

from __future__ import annotations

import gzip
import queue
import threading
from pathlib import Path

import pyoxigraph as ox


CHUNK_BYTES = 48_000_000  # N-Quads per bulk load (about 200,000 quads): memory stays flat; smaller pieces cost more CPU


class StoreLoader:
    """Builds the store while the documents are still being read: each document's N-Quads (a gzip
    file its worker wrote) is loaded by a background thread as soon as the document is done, so the
    load overlaps the other stages (pyoxigraph loads without holding the GIL). Quads are a set, so
    the order in which documents arrive changes nothing in the store. The last steps (the rest of the
    quads, compaction) can run in the thread too while the caller writes other files: `finish_soon`,
    then `finish` waits for them.

        loader = StoreLoader(path); loader.add_gzip_file(f); ...; loader.add(shared_bytes); loader.finish()
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._store = ox.Store(str(self.path))
        self._queue: queue.Queue = queue.Queue(maxsize=256)
        self._error: BaseException | None = None
        self._finishing = False
        self._count = 0
        self._thread = threading.Thread(target=self._run, name="lodpub-store-loader", daemon=True)
        self._thread.start()

    def add(self, nquads: bytes) -> None:
        """N-Quads text (whole lines)."""
        self._queue.put(("bytes", nquads))

    def add_gzip_file(self, path: Path) -> None:
        """A gzip file of N-Quads (read and decompressed in the loading thread)."""
        self._queue.put(("gzip", Path(path)))

    def remove_graph(self, iri: str) -> None:
        """Take a named graph out again (a document read anew together with another file)."""
        self._queue.put(("remove", iri))

    def load_pending(self) -> None:
        """Load what is waiting for a full batch now, in the thread (the documents are all added and
        the caller has other work to do meanwhile)."""
        self._queue.put(("flush", None))

    def _run(self) -> None:
        batch: list[bytes] = []
        size = 0

        def load_batch() -> None:
            nonlocal batch, size
            if batch:
                self._store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
                batch, size = [], 0

        while True:
            item = self._queue.get()
            if item is None:
                self._queue.task_done()
                break
            if self._error is not None:
                self._queue.task_done()
                continue  # drain: the error is raised by finish()
            try:
                kind, value = item
                if kind == "remove":
                    load_batch()
                    self._store.remove_graph(ox.NamedNode(value))
                elif kind == "flush":
                    load_batch()
                else:
                    data = gzip.decompress(value.read_bytes()) if kind == "gzip" else value
                    batch.append(data)
                    size += len(data)
                    if size >= CHUNK_BYTES:
                        load_batch()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller by finish()
                self._error = exc
            self._queue.task_done()
        if self._error is None:
            try:
                load_batch()
                self._store.optimize()  # (compacted: see benchmarks/store_load.py)
                self._count = len(self._store)
                self._store.flush()
            except BaseException as exc:  # noqa: BLE001
                self._error = exc

    def wait(self) -> None:
        """Block until everything added so far has been read (its files may then be deleted)."""
        self._queue.join()

    def finish_soon(self) -> None:
        """Nothing more will be added: the thread loads the rest, compacts the store and flushes it
        while the caller goes on; `finish` then waits for it."""
        if not self._finishing:
            self._finishing = True
            self._queue.put(None)

    def finish(self) -> int:
        """Wait for everything added, compact the store, close it; returns the number of quads."""
        self.finish_soon()
        self._thread.join()
        if self._error is not None:
            self.close()
            raise self._error
        self.close()
        return self._count

    def close(self) -> None:
        """Stop without finishing (after a failure elsewhere); the store's files may then be deleted."""
        if self._thread.is_alive():
            self._error = self._error or RuntimeError("store load abandoned")
            self.finish_soon()
            self._thread.join()
        self._store = None


def open_store(path: Path) -> ox.Store:
    if not (Path(path) / "CURRENT").exists() and not any(Path(path).glob("*")):
        raise FileNotFoundError(f"{path}: no lodpub store here (run `lodpub build` first)")
    return ox.Store.read_only(str(path))


def query(path: Path, sparql: str):
    """Run a SPARQL query on the store; the default graph is the union of all named graphs."""
    store = open_store(path)
    return store.query(sparql, use_default_graph_as_union=True)


def solution_rows(answer) -> tuple[list[str], list[list[str]]]:
    """The variables of a SELECT answer and its solutions as rows of text ("" where unbound)."""
    names = [v.value for v in answer.variables]
    return names, [[("" if t is None else t.value) for t in solution] for solution in answer]


def aligned(names: list[str], rows: list[list[str]]) -> list[str]:
    """Solutions as lines of text: the names, then a line per row, each column as wide as its widest value."""
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in [names, *rows]]

"""The embedded SPARQL store: a pyoxigraph database on disk holding the published quads."""

from __future__ import annotations

import gzip
import queue
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

import pyoxigraph as ox


SEGMENT_BYTES = 48_000_000  # N-Quads per bulk load (about 200,000 quads): larger ones took more memory, no less time (benchmarks/build_growth.py)
LOADS_AT_ONCE = 2  # segments bulk-loaded at the same time once everything is added: one load keeps about one core busy (benchmarks/build_growth.py)


class StoreLoader:
    """Builds the store in a thread: what it is given (gzip files of N-Quads, decompressed in the
    thread, and N-Quads text) is bulk-loaded in segments of SEGMENT_BYTES, then the store is compacted.
    Oxigraph parses a segment and writes its sorted files without holding the GIL, so the caller
    writes other files meanwhile; a bulk load keeps about one core busy (it parses, then sorts). While
    the caller still adds, one segment is loaded at a time (the caller's own work needs the other
    core); once everything is added (`finish_soon`), LOADS_AT_ONCE segments are loaded at the same
    time, into the same store, each by a thread of its own. A segment is handed to Oxigraph as
    bytes: read from a Python stream, Oxigraph asks for 2 KB at a time, each read waiting for the GIL.

        loader = StoreLoader(path); loader.add_gzip_file(f); ...; loader.add(more_bytes); loader.finish()
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._store = ox.Store(str(self.path))
        self._items: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._all_added = Future()  # done when finish_soon is called: the loads may then run side by side
        self._abandoned = threading.Event()
        self._count = 0
        self._thread = threading.Thread(target=self._run, name="lodpub-store-loader", daemon=True)
        self._thread.start()

    def add(self, nquads: bytes) -> None:
        """N-Quads text (whole lines)."""
        self._items.put(("bytes", nquads))

    def add_gzip_file(self, path: Path) -> None:
        """A gzip file of N-Quads (read and decompressed in the loading thread: it must stay until `finish`)."""
        self._items.put(("gzip", Path(path)))

    def _run(self) -> None:
        try:
            with ThreadPoolExecutor(LOADS_AT_ONCE, thread_name_prefix="lodpub-store-load") as loads:
                running: deque = deque()  # the segments being loaded; leaving the block waits for them all

                def load(segment: bytearray) -> None:
                    while len(running) >= (LOADS_AT_ONCE if self._all_added.done() else 1):
                        # wait for the oldest load, or for the caller to add its last item
                        wait([running[0]] if self._all_added.done() else [running[0], self._all_added], return_when=FIRST_COMPLETED)
                        if running[0].done():
                            running.popleft().result()  # (raises the load's error)
                    running.append(loads.submit(self._store.bulk_load, segment, format=ox.RdfFormat.N_QUADS))

                segment = bytearray()
                while True:
                    item = self._items.get()
                    if self._abandoned.is_set():
                        raise RuntimeError("store load abandoned")
                    if item is None:
                        break
                    kind, value = item
                    segment += gzip.decompress(value.read_bytes()) if kind == "gzip" else value
                    if len(segment) >= SEGMENT_BYTES:
                        load(segment)
                        segment = bytearray()
                if segment:
                    load(segment)
                while running:
                    running.popleft().result()
            self._store.optimize()  # (compacted: see benchmarks/store_load.py)
            self._count = len(self._store)
            self._store.flush()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by finish()
            self._error = exc

    def finish_soon(self) -> None:
        """Nothing more will be added: the thread loads the rest, compacts the store and flushes it
        while the caller goes on; `finish` then waits for it."""
        if not self._all_added.done():
            self._items.put(None)
            self._all_added.set_result(None)

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
            self._abandoned.set()  # the load stops before its next item
            self.finish_soon()
            self._thread.join()
            self._error = self._error or RuntimeError("store load abandoned")
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

"""The embedded SPARQL store: a pyoxigraph database on disk holding the published quads."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox


CHUNK_BYTES = 12_000_000  # N-Quads per bulk load (about 50,000 quads): bounds memory whatever the corpus


def load_store(path: Path, nquads: Path | bytes | Iterable[bytes]) -> int:
    """Create the store at `path` from N-Quads: a file, bytes, or pieces of whole lines (bytes);
    returns the number of quads.

    Pieces are bulk-loaded about CHUNK_BYTES at a time and the store is compacted at the end, so
    memory stays flat (about 120 MiB for the load) whatever the size of the corpus.
    """
    store = ox.Store(str(path))
    if isinstance(nquads, (bytes, bytearray)):
        pieces: Iterable[bytes] = [bytes(nquads)]
    elif isinstance(nquads, (str, Path)):
        pieces = _file_pieces(Path(nquads))
    else:
        pieces = nquads
    batch: list[bytes] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
            batch, size = [], 0
    if batch:
        store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    count = len(store)
    store.flush()
    del store
    return count


def _file_pieces(path: Path, lines: int = 50_000) -> Iterable[bytes]:
    with open(path, "rb") as f:
        chunk: list[bytes] = []
        for line in f:
            chunk.append(line)
            if len(chunk) >= lines:
                yield b"".join(chunk)
                chunk = []
        if chunk:
            yield b"".join(chunk)


def open_store(path: Path) -> ox.Store:
    if not (Path(path) / "CURRENT").exists() and not any(Path(path).glob("*")):
        raise FileNotFoundError(f"{path}: no lodpub store here (run `lodpub build` first)")
    return ox.Store.read_only(str(path))


def query(path: Path, sparql: str):
    """Run a SPARQL query on the store; the default graph is the union of all named graphs."""
    store = open_store(path)
    return store.query(sparql, use_default_graph_as_union=True)

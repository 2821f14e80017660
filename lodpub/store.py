"""The embedded SPARQL store: a pyoxigraph database on disk holding the published quads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


CHUNK_LINES = 50_000  # quads per bulk load: bounds memory (one bulk load of everything grows with it)


def load_store(path: Path, nquads: Path | bytes) -> int:
    """Create the store at `path` from an N-Quads file (or bytes); returns the number of quads.

    The file is bulk-loaded in chunks of whole lines and compacted at the end, so that memory
    stays flat (about 120 MiB for the load) whatever the size of the corpus.
    """
    store = ox.Store(str(path))
    if isinstance(nquads, (bytes, bytearray)):
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    else:
        with open(nquads, "rb") as f:
            chunk: list[bytes] = []
            for line in f:
                chunk.append(line)
                if len(chunk) >= CHUNK_LINES:
                    store.bulk_load(b"".join(chunk), format=ox.RdfFormat.N_QUADS)
                    chunk = []
            if chunk:
                store.bulk_load(b"".join(chunk), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    count = len(store)
    store.flush()
    del store
    return count


def open_store(path: Path) -> ox.Store:
    if not (Path(path) / "CURRENT").exists() and not any(Path(path).glob("*")):
        raise FileNotFoundError(f"{path}: no lodpub store here (run `lodpub build` first)")
    return ox.Store.read_only(str(path))


def query(path: Path, sparql: str):
    """Run a SPARQL query on the store; the default graph is the union of all named graphs."""
    store = open_store(path)
    return store.query(sparql, use_default_graph_as_union=True)

"""The dumps: every graph of the publication in N-Quads, N-Triples, Turtle and JSON-LD, streamed.

The shared graphs come first, then each document's pieces as its worker wrote them, by docid.
Dumps are sorted and gzip headers carry no time, so the same input gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .jsonld import context_bytes, jsonld_text_of_lines
from .manifest import DUMPS, JSONLD, NQUADS, NTRIPLES, TURTLE
from .ntriples import gzip_member, lines_bytes, strip_graph
from .pieces import DOCUMENT_FILES, document_file
from .turtle import turtle_document


class _HashingWriter:
    """A binary file that counts and hashes what is written to it."""

    def __init__(self, path: Path):
        self.path = path
        self.file = path.open("wb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.file.write(data)
        self.hash.update(data)
        self.size += len(data)
        return len(data)

    def flush(self):
        self.file.flush()

    def close(self):
        self.file.close()


def write_dumps(folder: Path, shared_lines: list[str], documents: list, consume: bool = False) -> tuple[dict[str, tuple[int, str]], int, int]:
    """Stream every dump: the shared graphs, then each document's files (DOCUMENT_FILES) as its
    worker wrote them (deleted once written when `consume`, so that a large build needs less disk);
    returns {file: (bytes, sha256)} and the quad and triple counts."""
    writers = {name: _HashingWriter(folder / name) for name in DUMPS}
    quads = triples = 0
    writers[JSONLD].write(b'{"@context": ' + context_bytes() + b',\n"@graph": [\n')
    first_node = True

    def jsonld(nodes: bytes) -> None:
        nonlocal first_node
        if nodes:
            writers[JSONLD].write((b"" if first_node else b",\n") + nodes)
            first_node = False

    # the shared graphs: a triple stated in two of them is one triple of the union
    triple_lines = sorted({strip_graph(line) for line in shared_lines})
    quads += len(shared_lines)
    triples += len(triple_lines)
    writers[NQUADS].write(gzip_member(lines_bytes(shared_lines)))
    writers[NTRIPLES].write(gzip_member(lines_bytes(triple_lines)))
    writers[TURTLE].write(turtle_document(triple_lines))
    jsonld(jsonld_text_of_lines(triple_lines))
    # then each document's own graph, by docid: its triples are its own (no duplicates across graphs)
    for doc in documents:
        writers[NQUADS].write(document_file(doc.files, ".nq.gz").read_bytes())
        writers[NTRIPLES].write(document_file(doc.files, ".nt.gz").read_bytes())
        writers[TURTLE].write(document_file(doc.files, ".ttl").read_bytes())
        jsonld(document_file(doc.files, ".jsonld").read_bytes())
        if consume:
            for suffix in DOCUMENT_FILES:
                if suffix != ".nq.gz":  # (the store's loader reads it, maybe later)
                    document_file(doc.files, suffix).unlink()
        quads += doc.quads
        triples += doc.quads
    writers[JSONLD].write(b"\n]}\n")
    for w in writers.values():
        w.close()
    return {name: (w.size, w.hash.hexdigest()) for name, w in writers.items()}, quads, triples

"""The pieces of the publication one document gives, written by the worker that read it.

Beside each other in the work folder, named by the docid: gzip members of the N-Quads and
N-Triples dumps (a dump is the members one after the other, a valid gzip file), Turtle without
prefix lines, JSON-LD node objects, and the document's partial rows of budget-lines.csv. The
publication (`dumps`, `datapackage`) concatenates them in docid order. This is all the per-document
pipeline imports of the publish stage.
"""

from __future__ import annotations

from pathlib import Path

from .jsonld import jsonld_text
from .lines import lines_piece
from .ntriples import gzip_member, triples_of_quads
from .turtle import turtle_text

# The pieces of the dumps, which `dumps.write_dumps` concatenates, and the piece of budget-lines.csv.
DOCUMENT_FILES = (".nq.gz", ".nt.gz", ".ttl", ".jsonld")
LINES_SUFFIX = ".lines.json"


def document_file(stem: Path, suffix: str) -> Path:
    """The file `suffix` of the document whose files are named `stem` (workdir/docid)."""
    return stem.parent / (stem.name + suffix)


def write_document_pieces(stem: Path, quad_lines: list[str]) -> None:
    """A document's sorted quads (its own graph) as the pieces of every dump and of budget-lines.csv:
    the N-Triples from the N-Quads text, the other formats from its lines parsed once."""
    quad_bytes = ("\n".join([*quad_lines, ""]) or "\n").encode("utf-8")  # (not `+ "\n"`: a copy of the text)
    triple_bytes, subjects = triples_of_quads(quad_lines, quad_bytes)
    document_file(stem, ".nq.gz").write_bytes(gzip_member(quad_bytes))
    document_file(stem, ".nt.gz").write_bytes(gzip_member(triple_bytes))
    document_file(stem, ".ttl").write_bytes(turtle_text(subjects))
    document_file(stem, ".jsonld").write_bytes(jsonld_text(subjects))
    document_file(stem, LINES_SUFFIX).write_bytes(lines_piece(subjects))

"""N-Triples and N-Quads text as lodpub's mapping writes it: one statement per line, `<s> <p> object .`
(plus ` <graph>` in N-Quads), sorted. The writers of the other formats read these lines as text."""

from __future__ import annotations

import gzip
import re

from ..namespaces import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_TYPE_IRI = f"<{RDF_TYPE}>"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# How many conversions of a document's terms (or of predicate and object pairs) a writer keeps: more
# than a document has (5,410 pairs in the largest of the corpus, 141,458 quads), few enough that a
# worker writing many documents holds little.
TERMS_KEPT = 1 << 13


def strip_graph(line: str) -> str:
    """The N-Triples line of an N-Quads line."""
    head = line[:-2].rstrip()
    return head[: head.rfind(" <")] + " ."


# N-Triples lines parsed once for the writers of the other formats, in line order: per subject
# (subject term, [(predicate term, [object terms])]), the terms as the text writes them.
Subjects = list[tuple[str, list[tuple[str, list[str]]]]]


def subjects_of(triple_lines: list[str], end: int = 2) -> Subjects:
    """The statements of sorted N-Triples lines (as lodpub writes them) grouped by subject, then by
    predicate; `end` the length of what follows the object on every line (` .`, or in N-Quads lines
    of one graph, ` <graph> .`)."""
    subjects: Subjects = []
    subject = predicate = None
    for line in triple_lines:
        s, p, rest = line.split(" ", 2)
        if s != subject:
            subject, predicate, objects = s, p, [rest[:-end]]
            predicates = [(p, objects)]
            subjects.append((s, predicates))
        elif p != predicate:
            predicate, objects = p, [rest[:-end]]
            predicates.append((p, objects))
        else:
            objects.append(rest[:-end])
    return subjects


def triples_of_quads(quad_lines: list[str], quad_bytes: bytes) -> tuple[bytes, Subjects]:
    """The N-Triples text (UTF-8) of sorted N-Quads lines, given theirs (each line ended by a
    newline), and their statements parsed (`subjects_of`). Where every quad is in the graph of the
    first, its name is cut from every line's end in one pass over the text (as many cuts as lines:
    each ended a line), and the quads parsed as they are; else line by line."""
    if quad_lines:
        graph = quad_lines[0].rsplit(" ", 2)[1]
        graph_end = f" {graph} .\n".encode("utf-8")
        triple_bytes = quad_bytes.replace(graph_end, b" .\n")
        if len(quad_bytes) - len(triple_bytes) == len(quad_lines) * (len(graph_end) - 3):
            return triple_bytes, subjects_of(quad_lines, len(graph) + 3)
    triple_lines = [strip_graph(line) for line in quad_lines]
    return ("\n".join(triple_lines) + "\n").encode("utf-8"), subjects_of(triple_lines)


def gzip_member(data: bytes) -> bytes:
    """One gzip member with no time or name in its header: the same data gives the same bytes.

    Level 6 by measurement (zlib 1.2.13, the only deflate in the environment; 25 documents' N-Quads
    and N-Triples, 156 MB): 1.15 s CPU for 4.59 MB. Levels 4, 5 and 7 cost about as much (1.0-1.2 s)
    for 5.53, 5.24 and 4.53 MB; 1-3 a third of it (0.37 s) for 6.20-5.68 MB (+24 % at 3); 8 and 9
    take 1.6 and 2.8 times as long for 10 and 12 % less. A dump is compressed once per build and
    downloaded many times."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def lines_bytes(lines: list[str]) -> bytes:
    """Lines as the bytes of a file (nothing for no lines)."""
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape(body: str) -> str:
    """The value of an N-Triples string literal's body (ECHAR and UCHAR escapes)."""
    return _ECHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2)) else _ECHARS[m.group(3)], body)


_PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda p: -len(p[1]))


def prefixed(iri: str) -> tuple[str, str] | None:
    """(prefix, local part) of the longest published namespace the IRI starts with, or None."""
    for prefix, ns in _PREFIXES_LONGEST_FIRST:
        if iri.startswith(ns):
            return prefix, iri[len(ns) :]
    return None

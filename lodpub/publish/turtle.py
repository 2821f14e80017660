"""Turtle written from N-Triples text (lodpub's one Turtle writer for graphs).

pyoxigraph's layout (subject, then `;`-separated predicates on tab-indented lines, `,`-separated
objects), its prefixed names and its number shorthands, so that the text is the bytes pyoxigraph's
serialiser gives for the same triples (the tests hold them equal, pyoxigraph being the reference)
at a third of the cost (no parsing into terms).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .ntriples import RDF_TYPE_IRI, TERMS_KEPT, XSD_STRING, Subjects, prefixed, subjects_of

_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_./-]*[A-Za-z0-9_/-])?")
_TURTLE_NUMBER = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"true|false"),
}
_TURTLE_ESCAPES = {"\t": "\\t", "\b": "\\b", "\f": "\\f"}


@lru_cache(maxsize=1)
def prefix_lines() -> bytes:
    """The `@prefix` lines of the published prefixes, in the order pyoxigraph's serialiser writes them
    (the head of the Turtle dump)."""
    probe = ox.Triple(ox.NamedNode(PREFIXES["lp"] + "x"), ox.NamedNode(PREFIXES["lp"] + "y"), ox.Literal("z"))
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return b"".join(line + b"\n" for line in text.split(b"\n") if line.startswith(b"@prefix "))


@lru_cache(maxsize=1 << 16)
def turtle_iri(iri: str) -> str:
    """An IRI as a prefixed name (`/` escaped, as pyoxigraph writes it) where a published prefix
    fits and the local part is plainly safe, else as <iri>."""
    split = prefixed(iri)
    if split is not None and (split[1] == "" or _PN_LOCAL.fullmatch(split[1])):
        return f"{split[0]}:{split[1].replace('/', chr(92) + '/')}"
    return f"<{iri}>"


@lru_cache(maxsize=TERMS_KEPT)
def _turtle_object(obj: str) -> str:
    """An N-Triples object term (as lodpub's mapping writes it) in Turtle."""
    first = obj[0]
    if first == "<":
        return turtle_iri(obj[1:-1])
    if first != '"':
        return obj  # a blank node label
    end = obj.rfind('"')
    body, suffix = obj[1:end], obj[end + 1 :]
    if any(c in body for c in _TURTLE_ESCAPES):
        body = "".join(_TURTLE_ESCAPES.get(c, c) for c in body)
    if suffix.startswith("^^<"):
        datatype = suffix[3:-1]
        shorthand = _TURTLE_NUMBER.get(datatype)
        if shorthand is not None and shorthand.fullmatch(body):
            return body
        if datatype == XSD_STRING:
            return f'"{body}"'
        return f'"{body}"^^{turtle_iri(datatype)}'
    return f'"{body}"{suffix}'


@lru_cache(maxsize=1 << 12)
def _turtle_predicate(predicate: str) -> str:
    """An N-Triples predicate term in Turtle (`a` for rdf:type)."""
    return "a" if predicate == RDF_TYPE_IRI else turtle_iri(predicate[1:-1])


@lru_cache(maxsize=TERMS_KEPT)
def _turtle_statement(predicate: str, obj: str) -> str:
    """A predicate and its one object in Turtle."""
    return _turtle_predicate(predicate) + " " + _turtle_object(obj)


def turtle_text(subjects: Subjects) -> bytes:
    """Turtle without prefix lines of parsed N-Triples lines (`ntriples.subjects_of`)."""
    out = []
    for s, predicates in subjects:
        statements = [
            _turtle_statement(p, objects[0]) if len(objects) == 1 else _turtle_predicate(p) + " " + " , ".join(map(_turtle_object, objects))
            for p, objects in predicates
        ]
        out.append((turtle_iri(s[1:-1]) if s[0] == "<" else s) + " " + " ;\n\t".join(statements) + " .\n")
    return "".join(out).encode("utf-8")


def turtle_text_of_lines(triple_lines: list[str]) -> bytes:
    """Turtle without prefix lines of N-Triples lines sorted by subject (as lodpub writes them)."""
    return turtle_text(subjects_of(triple_lines))


def turtle_document(triple_lines: list[str]) -> bytes:
    """A Turtle document (prefix lines, then the triples) of sorted N-Triples lines; nothing for none."""
    return prefix_lines() + turtle_text_of_lines(triple_lines) if triple_lines else b""

"""JSON-LD node objects written from N-Triples text (lodpub's one JSON-LD writer): one node per
subject, sorted by subject, IRIs compacted with the published prefixes. The tests hold the text
equal to the node objects of the parsed triples."""

from __future__ import annotations

import json
from functools import lru_cache

from ..namespaces import PREFIXES
from .ntriples import RDF_TYPE, XSD_STRING, prefixed, unescape


@lru_cache(maxsize=1 << 16)
def compact(iri: str) -> str:
    """A compact IRI (prefix:local) where a published prefix fits, else the IRI."""
    split = prefixed(iri)
    if split is not None and "/" not in split[1] and "#" not in split[1]:
        return f"{split[0]}:{split[1]}"
    return iri


def _json_string(text: str) -> str:
    if '"' in text or "\\" in text or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return '"' + text + '"'


def _literal_json(body: str) -> str:
    if "\\" in body or not body.isprintable():
        return json.dumps(unescape(body), ensure_ascii=False)
    return '"' + body + '"'


@lru_cache(maxsize=1 << 16)
def _iri_json(iri: str) -> str:
    """A compacted IRI as a JSON string."""
    return _json_string(compact(iri))


def jsonld_text_of_lines(triple_lines: list[str]) -> bytes:
    """The node objects of the triples of these N-Triples lines (as lodpub's mapping writes them: one
    triple per line, `<s> <p> object .`), comma-separated (a piece of the dump's @graph array),
    made from the text without parsing it into terms."""
    nodes: dict[str, dict[str, list[str]]] = {}
    for line in triple_lines:
        s, p, rest = line.split(" ", 2)
        obj = rest[:-2]
        subject = s[1:-1] if s[0] == "<" else s
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {}
        predicate = p[1:-1]
        first = obj[0]
        if first == "<" and predicate == RDF_TYPE:
            key, value = '"@type"', _iri_json(obj[1:-1])
        elif first == "<":
            key, value = _iri_json(predicate), '{"@id": ' + _iri_json(obj[1:-1]) + "}"
        elif first == '"':
            end = obj.rfind('"')
            text, suffix = _literal_json(obj[1:end]), obj[end + 1 :]
            if not suffix or suffix == f"^^<{XSD_STRING}>":
                value = '{"@value": ' + text + "}"
            elif suffix[0] == "@":
                value = '{"@value": ' + text + ', "@language": ' + _json_string(suffix[1:]) + "}"
            else:
                value = '{"@value": ' + text + ', "@type": ' + _iri_json(suffix[3:-1]) + "}"
            key = _iri_json(predicate)
        else:  # a blank node
            key, value = _iri_json(predicate), '{"@id": ' + _json_string(obj) + "}"
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    out = []
    for subject in sorted(nodes):
        parts = "".join(f", {key}: [{', '.join(values)}]" for key, values in nodes[subject].items())
        out.append('{"@id": ' + _iri_json(subject) + parts + "}")
    return ",\n".join(out).encode("utf-8")


def context_bytes() -> bytes:
    """The JSON-LD context of the published prefixes (the head of the JSON-LD dump)."""
    return json.dumps(PREFIXES, ensure_ascii=False, indent=1).encode("utf-8")


def context_document() -> bytes:
    """context.jsonld: the context alone, for data that names it."""
    return json.dumps({"@context": PREFIXES}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"

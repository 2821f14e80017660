"""JSON-LD node objects written from N-Triples text (lodpub's one JSON-LD writer): one node per
subject, sorted by subject, in the compacted form of the publication's context (`context`): keys are
terms ("amount"), a value its term fits is a plain string ("4212.99"), texts are language maps
({"zh": "…"}), a key with one value holds it bare, with several an array. A value its term does
not fit goes under the compact IRI of its property ("lp:amount") as a value object. The tests
expand the text with a JSON-LD processor and hold the triples equal to those of the N-Triples."""

from __future__ import annotations

import itertools
import json
from functools import lru_cache

from .context import IRI, LANGUAGE, STRING, context
from .ntriples import RDF_TYPE_IRI, TERMS_KEPT, XSD_STRING, Subjects, prefixed, subjects_of, unescape


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


@lru_cache(maxsize=1 << 12)
def _type_json(iri: str) -> str:
    """A class as a JSON string: its term, else its compact IRI."""
    name = context().classes.get(iri)
    return '"' + name + '"' if name else _iri_json(iri)


@lru_cache(maxsize=1 << 12)
def _key(predicate: str) -> tuple[str, str | None, str]:
    """(term key or None, its kind, the key of values the term does not fit) of a predicate."""
    ctx = context()
    name = ctx.terms.get(predicate)
    return ('"' + name + '"' if name else None), ctx.kinds.get(predicate), _iri_json(predicate)


def _value(values: list[str] | dict[str, list[str]]) -> str:
    if isinstance(values, dict):  # a language map
        return "{" + ", ".join(f"{_json_string(lang)}: {_value(texts)}" for lang, texts in values.items()) + "}"
    return values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"


@lru_cache(maxsize=TERMS_KEPT)
def _entry(predicate: str, obj: str) -> tuple[str, str, str | None]:
    """(key, value, language) of a statement's predicate and object terms in its node: the value
    under the key, or where `language` is not None, a text of that language in the key's language map."""
    first = obj[0]
    if first == "<" and predicate == RDF_TYPE_IRI:
        return '"@type"', _type_json(obj[1:-1]), None
    term, kind, other = _key(predicate[1:-1])
    if first != '"':  # an IRI or a blank node
        target = _iri_json(obj[1:-1]) if first == "<" else _json_string(obj)
        return (term, target, None) if kind == IRI and term else (other, '{"@id": ' + target + "}", None)
    end = obj.rfind('"')
    text, suffix = _literal_json(obj[1:end]), obj[end + 1 :]
    if not suffix or suffix == f"^^<{XSD_STRING}>":
        return (term, text, None) if kind == STRING and term else (other, '{"@value": ' + text + "}", None)
    if suffix[0] == "@":
        language = suffix[1:]
        if kind == LANGUAGE and term and language == language.lower():
            return term, text, language
        return other, '{"@value": ' + text + ', "@language": ' + _json_string(language) + "}", None
    if term and kind == suffix[3:-1]:
        return term, text, None
    return other, '{"@value": ' + text + ', "@type": ' + _iri_json(suffix[3:-1]) + "}", None


@lru_cache(maxsize=TERMS_KEPT)
def _single_member(predicate: str, obj: str) -> str | None:
    """The member (`, key: value`) of a node whose predicate has this one object; None for a type."""
    key, value, language = _entry(predicate, obj)
    if key == '"@type"':
        return None
    return f", {key}: {value}" if language is None else f", {key}: {{{_json_string(language)}: {value}}}"


def _add_members(predicate: str, objects: list[str], types: list[str], members: list[str]) -> None:
    """The types of a node, and the members (`, key: value`) of its other keys, that one
    predicate's objects give (each of its keys all its own)."""
    keys: dict[str, list | dict] = {}
    for key, value, language in map(_entry, itertools.repeat(predicate), objects):
        if language is not None:
            keys.setdefault(key, {}).setdefault(language, []).append(value)
        else:
            keys.setdefault(key, []).append(value)
    for key, values in keys.items():
        if key == '"@type"':
            types.extend(values)
        else:
            members.append(f", {key}: {_value(values)}")


def jsonld_text(subjects: Subjects) -> bytes:
    """The node objects of parsed N-Triples lines sorted by subject (`ntriples.subjects_of`), sorted
    by subject IRI, comma-separated (a piece of the dump's @graph array), made from the terms' text."""
    nodes = []
    for s, predicates in subjects:
        types: list[str] = []
        members: list[str] = []
        for p, objects in predicates:
            member = _single_member(p, objects[0]) if len(objects) == 1 else None  # most often
            if member is None:
                _add_members(p, objects, types, members)
            else:
                members.append(member)
        subject = s[1:-1] if s[0] == "<" else s
        head = '{"@id": ' + _iri_json(subject) + (', "@type": ' + _value(types) if types else "")
        nodes.append((subject, head + "".join(members) + "}"))
    nodes.sort()
    return ",\n".join([node for _, node in nodes]).encode("utf-8")


def jsonld_text_of_lines(triple_lines: list[str]) -> bytes:
    """The node objects of the triples of these N-Triples lines (as lodpub's mapping writes them: one
    triple per line, `<s> <p> object .`), as `jsonld_text`."""
    return jsonld_text(subjects_of(triple_lines))


def context_object() -> dict:
    """The @context of the publication (`context.Context.definitions`)."""
    return context().definitions()


def context_bytes() -> bytes:
    """The JSON-LD context (the head of the JSON-LD dump)."""
    return json.dumps(context_object(), ensure_ascii=False, indent=1).encode("utf-8")


def context_document() -> bytes:
    """context.jsonld: the context alone, for data that names it."""
    return json.dumps({"@context": context_object()}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def jsonld_document(triple_lines: list[str]) -> bytes:
    """A whole JSON-LD document of these (sorted) N-Triples lines, the context inline."""
    return b'{"@context": ' + context_bytes() + b',\n"@graph": [\n' + jsonld_text_of_lines(triple_lines) + b"\n]}\n"

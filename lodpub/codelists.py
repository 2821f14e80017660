"""The fixed code lists of ontology/codelists.ttl: the notations of each scheme, and their labels (read once)."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from .resources import ONTOLOGY
from .uris import CODE

CODELISTS = ONTOLOGY / "codelists.ttl"
_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
_BROADER = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")


@lru_cache(maxsize=None)
def _notations() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for triple in ox.parse(path=str(CODELISTS), format=ox.RdfFormat.TURTLE):
        if triple.predicate == _IN_SCHEME and triple.object.value.startswith(CODE):
            scheme = triple.object.value[len(CODE) :]
            concept = triple.subject.value
            if concept.startswith(CODE + scheme + "/"):
                found.setdefault(scheme, set()).add(concept[len(CODE) + len(scheme) + 1 :])
    return {k: frozenset(v) for k, v in found.items()}


def codes(scheme: str) -> frozenset[str]:
    """The notations of a fixed scheme (funding, kind, item, three-public …)."""
    return _notations().get(scheme, frozenset())


@lru_cache(maxsize=None)
def labels(scheme: str, language: str = "zh") -> dict[str, str]:
    """The preferred labels of a fixed scheme's concepts in a language, by notation."""
    prefix = f"{CODE}{scheme}/"
    found = {}
    for triple in ox.parse(path=str(CODELISTS), format=ox.RdfFormat.TURTLE):
        if (
            triple.predicate == _PREF_LABEL
            and triple.subject.value.startswith(prefix)
            and isinstance(triple.object, ox.Literal)
            and triple.object.language == language
        ):
            found[triple.subject.value[len(prefix) :]] = triple.object.value
    return found


@lru_cache(maxsize=None)
def broader() -> dict[str, frozenset[str]]:
    """Every concept of the fixed code lists with a broader one → the IRIs of all concepts above it
    (skos:broader, followed to the top)."""
    parent: dict[str, set[str]] = {}
    for triple in ox.parse(path=str(CODELISTS), format=ox.RdfFormat.TURTLE):
        if triple.predicate == _BROADER:
            parent.setdefault(triple.subject.value, set()).add(triple.object.value)
    above: dict[str, frozenset[str]] = {}
    for concept, ups in parent.items():
        seen: set[str] = set()
        todo = list(ups)
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(parent.get(up, ()))
        above[concept] = frozenset(seen)
    return above

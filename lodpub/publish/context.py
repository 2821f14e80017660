"""The JSON-LD context of the publication (context.jsonld, the head of lodpub.jsonld and of the JSON-LD
answers of `lodpub serve`): the published prefixes, and a term for each property lodpub writes and
each class of its ontology, so that keys read "amount" rather than "lp:amount" and a value the term
fits is a plain JSON string ("amount": "4212.99", typed xsd:decimal by the context).

Nothing here is listed by hand. What a property's values are is read from what states it:

* the declarative mappings (`mappings/rdf.yaml`, `structures.yaml`, `catalogue.yaml`): an object ending in
  `~iri` is an IRI, a third element `@zh` a language, else a datatype; a dimension is an IRI;
* the ontology and the fixed code lists (`ontology/*.ttl`): a property's `rdfs:range` (an XSD
  datatype, `rdf:langString`, a class), an `owl:ObjectProperty`, and the values the files
  themselves state (rdfs:label "…"@zh, skos:inScheme <…>, …);
* the concepts `lodpub.vocabulary` writes for the codes in use, asked for a code or two of a
  sample (skos:narrower <…>, skos:altLabel "…"@zh).

A property's term takes the kind most of these give (the mappings and the declarations count far
more than the values of the files): "@type": "@id" for IRIs, "@type": a datatype for typed literals,
"@container": "@language" for texts in languages (a language map, {"zh": "…", "en": "…"}), none
for plain strings. A value its term does not fit (another datatype, say) is written under the
compact IRI of its property with its type or language spelled out, so nothing is lost.

A term is named by the local name of its property (or of a class the mappings, the ontology or the
vocabulary name as a type: "@type": ["Observation", "BudgetLine"]); a name two vocabularies share
goes to lodpub's ontology, or else to nobody (both keep "prefix:name"); a prefix's name is not taken.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..resources import MAPPINGS, ONTOLOGY
from ..specs import load_yaml
from ..uris import ONTOLOGY as LP
from ..vocabulary import code_concepts, divisions, former_function_names

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"
LANG_STRING = RDF + "langString"
XSD_STRING = XSD + "string"

IRI, LANGUAGE, STRING = "@id", "@language", "string"  # the kinds of value; a datatype IRI is a kind too
_DECLARED = 100  # what a mapping writes, or a declaration says, outweighs the values of the files
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*$")
_MAPPING_SPECS = ("rdf.yaml", "structures.yaml", "catalogue.yaml")


def _expand(name: str, prefixes: dict[str, str] = PREFIXES) -> str:
    prefix, _, local = name.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else name


def _mapping_kinds(evidence: dict[str, Counter], classes: set[str]) -> None:
    for spec_name in _MAPPING_SPECS:
        spec = load_yaml(MAPPINGS / spec_name)
        prefixes = {**PREFIXES, **(spec.get("prefixes") or {})}
        for key in ("dimension_values", "total_values"):
            for predicate in spec.get(key) or {}:
                evidence[_expand(predicate, prefixes)][IRI] += _DECLARED
        for mapping in (spec.get("mappings") or {}).values():
            for po in mapping.get("po") or []:
                if not isinstance(po, list):
                    continue
                if po[0] == "a":  # a class the mapping names
                    if "{" not in str(po[1]):
                        classes.add(_expand(str(po[1]).removesuffix("~iri"), prefixes))
                    continue
                if str(po[1]).endswith("~iri"):
                    kind = IRI
                elif len(po) > 2 and str(po[2]).startswith("@"):
                    kind = LANGUAGE
                elif len(po) > 2:
                    kind = _expand(str(po[2]), prefixes)
                else:
                    kind = STRING
                evidence[_expand(po[0], prefixes)][kind if kind != XSD_STRING else STRING] += _DECLARED


def _ontology_kinds(evidence: dict[str, Counter], classes: set[str]) -> None:
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            p, o = t.predicate.value, t.object
            if p == RDF_TYPE:
                if o.value in (OWL + "ObjectProperty",):
                    evidence[t.subject.value][IRI] += _DECLARED
                elif o.value in (OWL + "Class", RDFS + "Class") and isinstance(t.subject, ox.NamedNode):
                    classes.add(t.subject.value)
                classes.add(o.value)
                continue
            if p == RDFS + "range" and isinstance(o, ox.NamedNode):
                if o.value == LANG_STRING:
                    evidence[t.subject.value][LANGUAGE] += _DECLARED
                elif o.value.startswith(XSD) and o.value != XSD_STRING:
                    evidence[t.subject.value][o.value] += _DECLARED
                elif not o.value.startswith((XSD, RDF, RDFS)):
                    evidence[t.subject.value][IRI] += _DECLARED
            if isinstance(o, (ox.NamedNode, ox.BlankNode)):
                evidence[p][IRI] += 1
            elif o.language:
                evidence[p][LANGUAGE] += 1
            else:
                evidence[p][STRING if o.datatype.value == XSD_STRING else o.datatype.value] += 1


def _concept_kinds(evidence: dict[str, Counter], classes: set[str]) -> None:
    """The values of the concepts of code lists, as the vocabulary writes them for a sample of codes
    (a function code printed under a former name, a division with one above it)."""
    formers, places = former_function_names(), divisions()
    sample = {
        "function": dict.fromkeys(sorted(formers)[:1], ""),
        "division": dict.fromkeys([code for code in sorted(places) if places[code].parent][:1], ""),
    }
    for line in code_concepts(sample):
        _, p, obj = line[:-2].split(" ", 2)
        if p[1:-1] == RDF_TYPE:
            classes.add(obj[1:-1])
            continue
        if obj[0] in "<_":
            kind = IRI
        else:
            suffix = obj[obj.rfind('"') + 1 :]
            kind = LANGUAGE if suffix.startswith("@") else suffix[3:-1] if suffix else STRING
        evidence[p[1:-1]][STRING if kind == XSD_STRING else kind] += 1


def _compact(iri: str) -> str | None:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and _NAME.match(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return None


def _names(iris: list[str]) -> dict[str, str]:
    """IRI → term name: the local name, when no other IRI (or a prefix) wants it, or lodpub's own."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for iri in iris:
        compact = _compact(iri)
        if compact is not None:
            wanted[compact.split(":", 1)[1]].append(iri)
    names = {}
    for name, claimants in wanted.items():
        if name in PREFIXES:
            continue
        own = [iri for iri in claimants if iri.startswith(LP)]
        if len(claimants) == 1 or len(own) == 1:
            names[(own or claimants)[0]] = name
    return names


class Context:
    """The terms of the context: for each property IRI its term name and kind, for each class its name."""

    def __init__(self) -> None:
        evidence: dict[str, Counter] = defaultdict(Counter)
        classes: set[str] = set()
        _mapping_kinds(evidence, classes)
        _ontology_kinds(evidence, classes)
        _concept_kinds(evidence, classes)
        evidence.pop(RDF_TYPE, None)
        properties = sorted(p for p in evidence if _compact(p))
        classes = {c for c in classes if _compact(c) and c not in evidence}
        names = _names(properties + sorted(classes))
        self.kinds: dict[str, str] = {p: evidence[p].most_common(1)[0][0] for p in properties}
        self.terms: dict[str, str] = {p: names[p] for p in properties if p in names}  # property → term
        self.classes: dict[str, str] = {c: names[c] for c in sorted(classes) if c in names}

    def definitions(self) -> dict:
        """The @context object: the prefixes, then a term per class and per property, by name."""
        context: dict = dict(PREFIXES)
        for iri, name in sorted(self.classes.items(), key=lambda item: item[1]):
            context[name] = _compact(iri)
        for iri, name in sorted(self.terms.items(), key=lambda item: item[1]):
            kind = self.kinds[iri]
            if kind == STRING:
                context[name] = _compact(iri)
            elif kind == LANGUAGE:
                context[name] = {"@id": _compact(iri), "@container": "@language"}
            else:
                context[name] = {"@id": _compact(iri), "@type": kind if kind == IRI else (_compact(kind) or kind)}
        return context


@lru_cache(maxsize=1)
def context() -> Context:
    return Context()

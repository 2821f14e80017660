"""The core constraints of the simple property shapes of shapes/ run straight on the Oxigraph store of the data
graph, as lodpub.validate.direct runs the SHACL-SPARQL ones: one query per property shape and document instead of
pyshacl's walk through rdflib, focus node by focus node (tests/test_validate_shared.py and
tests/test_shape_examples.py hold the findings equal to pyshacl's).

A node shape is run here when it has class targets and property shapes only, each with a predicate path and no
constraints but sh:minCount, sh:maxCount, sh:class, sh:datatype and sh:pattern (with sh:flags), and one message;
what a result is follows SHACL as pyshacl implements it (pyshacl.constraints.core): a count out of bounds is one
result on the focus node, a value that is no instance of the class, not a well-formed literal of the datatype, or
a blank node or a text the pattern does not find, is one result with that value. Every other shape stays with
pyshacl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

_NODE_PREDICATES = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, SH.name, SH.description, SH.targetClass, SH.property}
_PROPERTY_PREDICATES = {RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group, SH.message, SH.severity, SH.path}
_CONSTRAINTS = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.pattern, SH.flags}


@dataclass(frozen=True)
class PropertyCheck:
    """A property shape (the results' source shape) and the classes whose instances are its focus nodes."""

    shape: URIRef | BNode
    targets: tuple[URIRef, ...]
    path: URIRef
    severity: URIRef
    message: Literal
    min_count: int | None
    max_count: int | None
    of_class: URIRef | None
    datatype: URIRef | None
    pattern: re.Pattern | None


def _one(shapes: Graph, node, predicate):
    """The one object of (node, predicate), None when there is none; a KeyError when there are several."""
    found = list(shapes.objects(node, predicate))
    if len(found) > 1:
        raise KeyError(predicate)
    return found[0] if found else None


def _check(shapes: Graph, prop, targets: tuple) -> PropertyCheck | None:
    if set(shapes.predicates(prop)) - _PROPERTY_PREDICATES - _CONSTRAINTS or set(shapes.predicates(prop)) & _CONSTRAINTS <= {SH.flags}:
        return None
    try:
        path, message = _one(shapes, prop, SH.path), _one(shapes, prop, SH.message)
        low, high = _one(shapes, prop, SH.minCount), _one(shapes, prop, SH.maxCount)
        pattern, flags = _one(shapes, prop, SH.pattern), _one(shapes, prop, SH.flags)
        of_class, datatype, severity = _one(shapes, prop, SH["class"]), _one(shapes, prop, SH.datatype), _one(shapes, prop, SH.severity)
    except KeyError:
        return None
    if not isinstance(path, URIRef) or not isinstance(message, Literal):
        return None
    re_flags = (re.I if "i" in str(flags).lower() else 0) | (re.M if "m" in str(flags).lower() else 0) if flags is not None else 0
    return PropertyCheck(
        shape=prop,
        targets=targets,
        path=path,
        severity=severity or SH.Violation,
        message=message,
        min_count=int(low) if low is not None else None,
        max_count=int(high) if high is not None else None,
        of_class=of_class,
        datatype=datatype,
        pattern=re.compile(str(pattern), re_flags) if pattern is not None else None,
    )


def checks(shapes: Graph) -> tuple[dict, tuple[PropertyCheck, ...]]:
    """(the node shapes run here → their property checks, all the checks)."""
    out: dict = {}
    for node in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        if not isinstance(node, URIRef) or set(shapes.predicates(node)) - _NODE_PREDICATES:
            continue
        if set(shapes.objects(node, RDF.type)) != {SH.NodeShape}:
            continue
        targets = tuple(sorted(shapes.objects(node, SH.targetClass), key=str))
        found = [_check(shapes, prop, targets) for prop in sorted(shapes.objects(node, SH.property), key=str)]
        if found and None not in found:
            out[node] = tuple(found)
    return out, tuple(c for found in out.values() for c in found)


def _failures(check: PropertyCheck, values: list, members: set) -> list:
    """The values of one focus node that fail the check's value constraints."""
    out = []  # (one result per constraint a value fails, as pyshacl reports them)
    for v in values:
        if check.of_class is not None and (isinstance(v, Literal) or v not in members):
            out.append(v)
        if check.datatype is not None and not (
            isinstance(v, Literal)
            and v.datatype == check.datatype
            and getattr(v, "ill_typed", None) is not True
            and DatatypeConstraintComponent._assert_actual_datatype(None, v, check.datatype)
        ):
            out.append(v)
        if check.pattern is not None and (isinstance(v, BNode) or not check.pattern.search(str(v))):
            out.append(v)
    return out


def results(checks: tuple[PropertyCheck, ...], store: ox.Store) -> list[tuple]:
    """(property shape, focus node, value or None, path, message, severity) of every result of the checks."""
    out = []
    for check in checks:
        classes = " ".join(f"<{c}>" for c in check.targets)
        found = store.query(
            f"SELECT DISTINCT ?f ?v WHERE {{ VALUES ?c {{ {classes} }} ?f <{RDF.type}>/<{RDFS.subClassOf}>* ?c . OPTIONAL {{ ?f <{check.path}> ?v }} }}"
        )
        values: dict = {}
        for s in found:
            listed = values.setdefault(from_ox(s["f"]), [])
            if s["v"] is not None:
                listed.append(from_ox(s["v"]))
        members = set()
        if check.of_class is not None:
            members = {
                from_ox(s["v"])
                for s in store.query(
                    f"SELECT DISTINCT ?v WHERE {{ VALUES ?c {{ {classes} }} ?f <{RDF.type}>/<{RDFS.subClassOf}>* ?c ; <{check.path}> ?v . "
                    f"?v <{RDF.type}>/<{RDFS.subClassOf}>* <{check.of_class}> }}"
                )
            }
        for focus, listed in values.items():
            count = len(listed)
            if (check.min_count is not None and count < check.min_count) or (check.max_count is not None and count > check.max_count):
                out.append((check.shape, focus, None, check.path, check.message, check.severity))
            for v in _failures(check, listed, members):
                out.append((check.shape, focus, v, check.path, check.message, check.severity))
    return out

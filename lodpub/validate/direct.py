"""The SHACL-SPARQL constraints run straight on the Oxigraph store of the data graph: the same findings as
pyshacl's evaluation, without its per-shape machinery in between (tests/test_validate_shared.py holds the
two equal on the example, mutations and regional documents, tests/test_shape_examples.py on every example
graph of shapes/examples/).

Almost every rule of shapes/ is a node shape that targets a class and holds SHACL-SPARQL constraints only.
For those, what SHACL prescribes is done here directly: the focus nodes are the instances of the target
class; each constraint's SELECT runs once per focus node with `$this` (and `$currentShape`) pre-bound, its
prefixes those of its `sh:prefixes`; a constraint that several shapes share runs once for all of them
(shared.rewrite: one boolean per shape in place of its FILTERs on `$currentShape`); every distinct solution
is a result whose focus node is `?this`, whose value is `?value` (else the focus node) and whose message is
the template with `{?var}` replaced as pyshacl replaces it. Every other shape (core constraints, property
shapes, anything this module does not know to be the same) stays with pyshacl, in a shapes graph of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from . import core
from .engine import violations_of
from .shared import CURRENT_SHAPE, rewrite, rows_of_shape

ON = True  # tests turn it off to compare with pyshacl's own evaluation

# what a shape run here may state besides its constraints (anything else: pyshacl runs it)
_SHAPE_PREDICATES = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.targetClass,
    SH.sparql,
    SH.order,
    SH.group,
}
_CONSTRAINT_PREDICATES = {RDF.type, RDFS.label, RDFS.comment, SH.message, SH.prefixes, SH.select}


@dataclass(frozen=True)
class Shape:
    node: URIRef
    severity: URIRef
    target: URIRef  # the class whose instances are its focus nodes


@dataclass(frozen=True)
class Check:
    """One SHACL-SPARQL constraint and the shapes that hold it."""

    query: str
    prefixes: dict
    shapes: tuple[Shape, ...]
    messages: tuple[str, ...]  # the message template of each shape for this constraint
    columns: tuple[str, ...] | None  # the boolean of each shape (a shared constraint), else None
    projects_shape: bool  # the solutions bind ?currentShape


@dataclass(frozen=True)
class Plan:
    checks: tuple[Check, ...]
    properties: tuple[core.PropertyCheck, ...]  # the property shapes lodpub.validate.core runs
    rest: Graph  # the shapes graph pyshacl runs: the shapes not run here (and what they reach)


def _prefixes(shapes: Graph, constraint) -> dict:
    """The prefixes pyshacl gives a constraint: the sh:declare of its sh:prefixes (for an owl:Ontology, its own)."""
    out = {}
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    global_declares = {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    for holder in shapes.objects(constraint, SH.prefixes):
        own = set(shapes.objects(holder, SH.declare))
        for declare in own if own and holder in ontologies else own | global_declares:
            out[str(shapes.value(declare, SH.prefix))] = str(shapes.value(declare, SH.namespace))
    return out


def _messages(shapes: Graph, node) -> list[str]:
    return [str(m) for m in shapes.objects(node, SH.message) if isinstance(m, Literal)]


def _shape(shapes: Graph, node) -> tuple[Shape, list] | None:
    """The shape and its constraints, when it is one to run here."""
    if not isinstance(node, URIRef) or set(shapes.predicates(node)) - _SHAPE_PREDICATES:
        return None
    if set(shapes.objects(node, RDF.type)) != {SH.NodeShape}:
        return None  # (an implicit class target, or a property shape)
    targets = list(shapes.objects(node, SH.targetClass))
    constraints = list(shapes.objects(node, SH.sparql))
    if len(targets) != 1 or not constraints:
        return None
    for c in constraints:
        if set(shapes.predicates(c)) - _CONSTRAINT_PREDICATES or len(list(shapes.objects(c, SH.select))) != 1:
            return None
    return Shape(node, shapes.value(node, SH.severity) or SH.Violation, targets[0]), constraints


def _message(shapes: Graph, shape: URIRef, constraint) -> str | None:
    """The one message of the shape's results from the constraint (the shape's, else the constraint's);
    None when there are several (pyshacl reports them all)."""
    own = _messages(shapes, shape)
    messages = own + [m for m in _messages(shapes, constraint) if m not in own]
    return messages[0] if len(messages) == 1 else None


def _runs_here(query: str, prefixes: dict, substitutions: dict) -> bool:
    """Whether Oxigraph takes the query with these bindings (it binds only projected variables)."""
    try:
        ox.Store().query(query, prefixes=prefixes, substitutions=substitutions)
        return True
    except (SyntaxError, RuntimeError, ValueError):
        return False


def _default_prefixes() -> dict:
    """The prefixes the data graph's store adds to every query pyshacl runs (rdflib's bindings)."""
    return {p: str(ns) for p, ns in Graph(store="Oxigraph").namespaces()}


@lru_cache(maxsize=4)
def plan(shapes: Graph) -> Plan:
    """Which constraints run here, for which shapes; the rest for pyshacl (the shapes graph never changes)."""
    found = {node: _shape(shapes, node) for node in set(shapes.subjects(SH.sparql, None))}
    defaults = _default_prefixes()
    this = {ox.Variable("this"): ox.NamedNode("urn:lodpub:this")}
    candidates: dict = {}  # constraint → Check
    for c in sorted(set(shapes.objects(None, SH.sparql)), key=str):
        holders = sorted(shapes.subjects(SH.sparql, c), key=str)
        if any(found.get(h) is None for h in holders):
            continue
        members = tuple(found[h][0] for h in holders)
        messages = tuple(_message(shapes, h, c) for h in holders)
        if None in messages:
            continue
        text = str(shapes.value(c, SH.select))
        prefixes = dict(defaults, **_prefixes(shapes, c))
        columns, projects_shape = None, False
        if len(members) > 1:
            rewritten = rewrite(text, tuple(str(h) for h in holders))
            if rewritten is None:
                continue
            text, columns, projects_shape = rewritten
        elif CURRENT_SHAPE.search(text):
            continue
        if _runs_here(text, prefixes, this):
            candidates[c] = Check(text, prefixes, members, messages, columns, projects_shape)
    # a shape runs here with all its constraints or not at all, and a constraint with all its shapes
    changed = True
    while changed:
        direct = {node for node, f in found.items() if f is not None and all(c in candidates for c in f[1])}
        left = [c for c, check in candidates.items() if any(s.node not in direct for s in check.shapes)]
        for c in left:
            del candidates[c]
        changed = bool(left)
    with_properties, properties = core.checks(shapes)
    return Plan(tuple(candidates.values()), properties, _rest(shapes, direct | set(with_properties)))


def _rest(shapes: Graph, direct: set) -> Graph:
    """The shapes pyshacl runs: those with a target that are not run here, with what they reach (their
    property shapes, lists, shapes they refer to), and nothing else for pyshacl to walk through."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    todo = [s for p in targets for s in shapes.subjects(p, None) if s not in direct]
    todo += [s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, RDF.type, RDFS.Class) in shapes and s not in direct]
    rest, seen = Graph(), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            rest.add((node, p, o))
            if not isinstance(o, Literal) and (o, None, None) in shapes:
                todo.append(o)
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace, override=True)
    return rest


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _formatted(template: str, bound: dict) -> str:
    """The message as pyshacl makes it: each {?var} / {$var} replaced by the term's string. In one pass
    and as text: a value is a document's words, and neither a backslash in it (a regular expression's
    escape to re.sub) nor a “{?var}” it prints is read as anything but itself."""
    return _PLACEHOLDER.sub(lambda m: str(bound[m.group(1)]) if m.group(1) in bound else m.group(0), template)


def results(checks: tuple[Check, ...], store: ox.Store) -> list[tuple[Shape, object, object, object, str]]:
    """(shape, focus node, value, path, message) of every result of the checks on the store's default graph."""
    out = []
    focus_of: dict = {}
    for check in checks:
        target = check.shapes[0].target
        focus = focus_of.get(target)
        if focus is None:
            found = store.query(f"SELECT DISTINCT ?f WHERE {{ ?f <{RDF.type}>/<{RDFS.subClassOf}>* <{target}> }}")
            focus = focus_of[target] = sorted((s["f"] for s in found), key=str)
        for f in focus:
            solutions = store.query(check.query, prefixes=check.prefixes, substitutions={ox.Variable("this"): f})
            names = [v.value for v in solutions.variables]
            rows = [{n: from_ox(t) for n, t in zip(names, s) if t is not None} for s in solutions]
            node = from_ox(f)
            for i, shape in enumerate(check.shapes):
                for found in violations_of(_kept(check, i, rows)):
                    if len(found) == 2:  # ?failure: one result on the focus node
                        out.append((shape, node, node, None, _formatted(check.messages[i], found[1])))
                        continue
                    t, p, v, bound = found
                    value = v if v is not None else node
                    named = dict(bound)
                    named.update({k: x for k, x in (("this", t), ("path", p), ("value", value)) if x is not None})
                    out.append((shape, t or node, value, p, _formatted(check.messages[i], named)))
    return out


def _kept(check: Check, i: int, rows: list[dict]) -> list[dict]:
    """The solutions of the check's i-th shape (copies: violations_of consumes them)."""
    if check.columns is None:
        return [dict(r) for r in rows]
    return rows_of_shape(rows, check.columns, i, check.shapes[i].node if check.projects_shape else None)

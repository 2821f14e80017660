"""Stage 6: validate. Run the SHACL shapes in shapes/, one document at a time: the SHACL-SPARQL node
shapes straight on Oxigraph (validate/direct.py), the others with pyshacl.

Each document's graph is validated together with the part of the shared vocabulary graph the
shapes read (code-list membership, the code lists of dimensions, data structure definitions);
that part is computed once per batch, so per-document rules cost the same whatever the size of
a batch. The data graph is an Oxigraph store (oxrdflib for pyshacl), so every SHACL-SPARQL
constraint runs in Oxigraph's query engine. Findings get stable URIs so that the report is byte-identical for
the same input.

Rules that check a whole table or document (sums, cross-table agreement) target the table or
document and report the offending budget line as sh:value; every finding carries the table and
the row it is about (`Finding.table`, `Finding.row`).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import pyshacl
from rdflib import BNode, Graph, Namespace
from rdflib.namespace import RDF, RDFS, SH

from .. import uris
from ..resources import SHAPES
from . import core, direct
from . import engine  # noqa: F401  (pyshacl adjusted on import)
from . import shared  # noqa: F401  (a constraint shared by shapes evaluated once for them)
from .derived import _document_triples, helper_triples  # noqa: F401  (helper_triples: tests and rerun docs)

DERIVED = SHAPES / "derived.ttl"  # SHACL-AF rules: what the shapes read and the data does not state
LP = Namespace("https://w3id.org/lodpub/ontology#")


@dataclass
class Finding:
    document: str  # docid
    severity: str  # Violation | Warning | Info
    rule: str  # the shape's label (or IRI)
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str = ""
    table: int | None = None  # ordinal of the table the finding is about
    row: int | None = None  # data row inside that table (lp:sourceRow)

    @property
    def key(self) -> str:
        text = "\n".join([self.document, self.shape, self.focus, self.path or "", self.value or "", self.message])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class ValidationResult:
    """The findings of a run, counted by document, severity and rule. They are all kept in `findings`,
    or the first `keep` of them when memory must not grow with the corpus (the counts stay exact)."""

    findings: list[Finding] = field(default_factory=list)
    keep: int | None = None
    counts: Counter = field(default_factory=Counter)  # (document, severity, rule) → findings

    def __post_init__(self):
        given, self.findings = self.findings, []
        self.add(given)

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            self.counts[(f.document, f.severity, f.rule)] += 1
            if self.keep is None or len(self.findings) < self.keep:
                self.findings.append(f)

    def severities(self) -> Counter:
        out: Counter = Counter()
        for (_, severity, _), n in self.counts.items():
            out[severity] += n
        return out

    @property
    def violations(self) -> int:
        return self.severities()["Violation"]

    @property
    def warnings(self) -> int:
        return self.severities()["Warning"]

    def conforms(self, strict: bool = False) -> bool:
        return self.violations == 0 and (not strict or self.warnings == 0)


@lru_cache(maxsize=None)
def shapes_graph() -> Graph:
    """The shapes lodpub validates with: shapes/*.ttl but the rules of shapes/derived.ttl, whose
    triples `helper_triples` computes (the same, tests/test_rerun_shapes.py)."""
    g = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        if path.name != DERIVED.name:
            g.parse(path, format="turtle")
    return g


_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_QB = "http://purl.org/linked-data/cube#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
# Predicates of the vocabulary graph the shapes read; everything else (labels, definitions,
# COFOG links, the ontology's axioms) stays out of the data graph.
_VOCABULARY_PREDICATES = {
    f"<{_SKOS}inScheme>",
    f"<{_SKOS}broader>",
    f"<{_SKOS}altLabel>",
    f"<{_QB}codeList>",
    f"<{_QB}component>",
    f"<{_QB}dimension>",
    "<https://w3id.org/lodpub/ontology#subjectTerm>",  # what a kind of table records (lps:EmptyTableSaysWhy)
}
# where the tables print each figure of the narrative (ontology/figure-tables.ttl)
_VOCABULARY_PREDICATES |= {
    f"<https://w3id.org/lodpub/ontology#{p}>"
    for p in (
        "printedAs",
        "tableStructure",
        "firstDimension",
        "firstValue",
        "secondDimension",
        "secondValue",
        "anyValueOn",
        "alwaysPrinted",
        "shareOf",
        "shareAlsoOf",
    )
}
# which figures of a table add up to which (ontology/breakdowns.ttl)
_VOCABULARY_PREDICATES |= {
    f"<https://w3id.org/lodpub/ontology#{p}>"
    for p in ("breakdownDimension", "wholeValue", "partValue", "anyOtherValue", "partsOnOtherRows", "unlessPrinted", "whenPrinted", "partMayBeWithin")
}
_VOCABULARY_TYPES = {f"<{_QB}DataStructureDefinition>", f"<{_QB}DimensionProperty>"}


@dataclass(frozen=True)
class VocabularySubset:
    """The part of the vocabulary graph the shapes need, as N-Triples text (once per batch)."""

    ntriples: str
    triples: int
    dimensions: dict = field(default_factory=dict)  # DSD IRI → its dimension predicates (N-Triples form)


_subset_cache: dict[int, tuple[list[str], VocabularySubset]] = {}


def vocabulary_subset(vocabulary_quads: list[str]) -> VocabularySubset:
    """Code-list membership, dimension code lists and DSD components of the vocabulary graph."""
    cached = _subset_cache.get(id(vocabulary_quads))
    if cached is not None and cached[0] is vocabulary_quads:
        return cached[1]
    out = []
    for q in vocabulary_quads:
        s, p, rest = q.split(" ", 2)
        if p in _VOCABULARY_PREDICATES or (p == _RDF_TYPE and rest.split(" ", 1)[0] in _VOCABULARY_TYPES):
            out.append(f"{s} {p} {_object_of(rest)} .")
    components: dict[str, list[str]] = defaultdict(list)
    dimension_of: dict[str, str] = {}
    for line in out:
        s, p, o = line[:-2].split(" ", 2)
        if p == f"<{_QB}component>":
            components[s].append(o)
        elif p == f"<{_QB}dimension>":
            dimension_of[s] = o
    dimensions = {dsd: sorted(dimension_of[c] for c in comps if c in dimension_of) for dsd, comps in components.items()}
    subset = VocabularySubset("\n".join(out) + "\n", len(out), dimensions)
    _subset_cache.clear()  # one batch at a time
    _subset_cache[id(vocabulary_quads)] = (vocabulary_quads, subset)
    return subset


def _object_of(rest: str) -> str:
    """`object graph .` → object (the object may be a literal containing blanks)."""
    body = rest.rstrip()
    body = body[:-1].rstrip() if body.endswith(".") else body
    return body[: body.rfind(" <")]


class _DataGraph(Graph):
    """An Oxigraph-backed graph that is not changed while it is validated: pyshacl asks for the size
    of the data graph each time it tests whether the graph is empty, and oxrdflib would count it by
    iterating the store; the Oxigraph store holds this graph only, so its own (native) size is it."""

    _size: int | None = None

    def __len__(self) -> int:
        if self._size is None:
            self._size = len(self.store._inner)
        return self._size


def data_graph(quads: list[str], vocabulary: VocabularySubset) -> Graph:
    """The document's triples (but the predicates no shape reads), the helper triples and the
    vocabulary subset in one Oxigraph-backed rdflib graph (the default graph of its own store)."""
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    triples, helpers = _document_triples(quads, vocabulary.dimensions)
    helpers.append(vocabulary.ntriples)
    g = _DataGraph(store="Oxigraph", identifier=DATASET_DEFAULT_GRAPH_ID)
    # straight into Oxigraph (rdflib's parser plumbing copies the text); the lines are N-Triples
    # written by lodpub itself, so Oxigraph need not check every IRI again (lenient)
    text = " .\n".join(triples) + " .\n" + "\n".join(helpers) if triples else "\n".join(helpers)
    g.store._inner.load(text, ox.RdfFormat.N_TRIPLES, lenient=True)
    return g


def _place(*iris: str | None) -> tuple[int | None, int | None]:
    """(table, row) named by the first IRI of a table or budget line among `iris`."""
    for iri in iris:
        found = uris.place(iri)
        if found:
            return found.table, found.row
    return None, None


def _shape_name(shapes: Graph, shape) -> str:
    """The shape's IRI; for a property shape written as a blank node, a name made of what it says (the node
    shape holding it, its path and a digest of its statements), the same whenever the shapes are parsed."""
    if not isinstance(shape, BNode):
        return str(shape)
    parent = shapes.value(predicate=SH.property, object=shape)
    path = shapes.value(shape, SH.path)
    said = sorted(f"{p.n3()} {o.n3()}" for p, o in shapes.predicate_objects(shape) if not isinstance(o, BNode))
    digest = hashlib.sha256("\n".join(said).encode("utf-8")).hexdigest()[:12]
    where = str(parent) if parent is not None and not isinstance(parent, BNode) else str(SH.PropertyShape)
    step = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if path is not None and not isinstance(path, BNode) else "path"
    return f"{where}-{step}-{digest}"


def validate_document(
    docid: str,
    quads: list[str],
    vocabulary_quads: list[str],
    *,
    vocabulary: VocabularySubset | None = None,
    shapes: Graph | None = None,
    timings: dict | None = None,
) -> list[Finding]:
    """Validate one document graph; `vocabulary` (from `vocabulary_subset`) saves recomputing the
    vocabulary subset, `shapes` replaces the shapes of shapes/*.ttl, `timings` receives seconds."""
    t0 = time.perf_counter()
    vocabulary = vocabulary or vocabulary_subset(vocabulary_quads)
    data = data_graph(quads, vocabulary)
    t1 = time.perf_counter()
    shapes = shapes if shapes is not None else shapes_graph()
    plan = direct.plan(shapes) if direct.ON else None
    findings = []
    if plan is not None:  # the SHACL-SPARQL node shapes and the simple property shapes straight on Oxigraph, the rest with pyshacl
        for shape, focus, value, path, message in direct.results(plan.checks, data.store._inner):
            findings.append(_finding(docid, shapes, shape.node, shape.severity, focus, message, path, value))
        for shape, focus, value, path, message, severity in core.results(plan.properties, data.store._inner):
            findings.append(_finding(docid, shapes, shape, severity, focus, message, path, value))
    rest = plan.rest if plan is not None else shapes
    report = Graph()
    if len(rest):
        conforms, report, _text = pyshacl.validate(data, shacl_graph=rest, advanced=False, allow_warnings=True, inference="none", inplace=True)
    t2 = time.perf_counter()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        findings.append(
            _finding(
                docid,
                shapes,
                report.value(result, SH.sourceShape),
                report.value(result, SH.resultSeverity),
                report.value(result, SH.focusNode),
                report.value(result, SH.resultMessage),
                report.value(result, SH.resultPath),
                report.value(result, SH.value),
            )
        )
    if timings is not None:
        timings.update(load=t1 - t0, shacl=t2 - t1, total=time.perf_counter() - t0)
    return sorted(findings, key=lambda f: (f.severity, f.rule, f.focus, f.table or 0, f.row or 0, f.message))


def _finding(docid: str, shapes: Graph, shape, severity, focus, message, path, value) -> Finding:
    """A result of the shapes (from pyshacl's report or lodpub.validate.direct) as a Finding."""
    rule = shapes.value(shape, RDFS.label) or shapes.value(shape, SH.name) or shape
    table, row = _place(str(value) if value is not None else None, str(focus))
    return Finding(
        document=docid,
        severity=str(severity).rsplit("#", 1)[-1],
        rule=str(rule),
        focus=str(focus),
        message=str(message) if message else "",
        path=str(path) if path else None,
        value=str(value) if value is not None else None,
        shape=_shape_name(shapes, shape),
        table=table,
        row=row,
    )


def summary_lines(result: ValidationResult, titles: dict[str, str]) -> list[str]:
    """A readable summary: findings grouped by document and rule, up to ten messages each (of those
    the result kept)."""
    lines = []
    kept: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in result.findings:
        kept[(f.document, f.severity, f.rule)].append(f)
    by_doc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for docid, severity, rule in result.counts:
        by_doc[docid].append((severity, rule))
    for docid in sorted(by_doc):
        lines.append(f"{titles.get(docid, docid)} [{docid}]")
        for severity, rule in sorted(by_doc[docid]):
            n = result.counts[(docid, severity, rule)]
            group = kept.get((docid, severity, rule), [])[:10]
            lines.append(f"  {severity}: {rule} ({n})")
            for f in group:
                lines.append(f"    - {f.message or f.focus}")
            if n > len(group):
                lines.append(f"    … {n - len(group)} more in validation-report.ttl")
    counts = result.severities()
    lines.append(f"validation: {counts.get('Violation', 0)} violations, {counts.get('Warning', 0)} warnings, {counts.get('Info', 0)} notes")
    return lines

"""Stage 6: validate. Run the SHACL shapes in shapes/ with pyshacl, one document at a time.

Each document's graph is validated together with the part of the shared vocabulary graph the
shapes read (code-list membership, the code lists of dimensions, data structure definitions);
that part is computed once per batch, so per-document rules cost the same whatever the size of
a batch. The data graph is an Oxigraph store (oxrdflib), so pyshacl's SHACL-SPARQL constraints
run in Oxigraph's query engine. Findings get stable URIs so that the report is byte-identical for
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
from decimal import Decimal
from functools import lru_cache

import pyshacl
from rdflib import BNode, Graph, Namespace
from rdflib.namespace import RDF, RDFS, SH, SKOS

from . import uris
from .resources import ONTOLOGY, SHAPES

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
    f"<{_SKOS}inScheme>", f"<{_SKOS}broader>", f"<{_SKOS}altLabel>", f"<{_QB}codeList>", f"<{_QB}component>",
    f"<{_QB}dimension>", f"<{_QB}measure>", f"<{_QB}attribute>", f"<{_QB}order>",
}
# where the tables print each figure of the narrative (ontology/figure-tables.ttl)
_VOCABULARY_PREDICATES |= {f"<https://w3id.org/lodpub/ontology#{p}>" for p in (
    "printedAs", "tableStructure", "firstDimension", "firstValue", "secondDimension", "secondValue", "anyValueOn",
    "alwaysPrinted", "shareOf")}
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


_LP = "https://w3id.org/lodpub/ontology#"
_UNIT_FACTORS = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
_CODE_SCHEMES = {"function": "Function", "economic-dept": "Economic"}


def _literal_text(obj: str) -> str:
    """The lexical form of an N-Triples literal (`"2,940.05"`, `"万元"@zh`, `"1"^^<…>`)."""
    return obj[1:obj.rfind('"')] if obj.startswith('"') else obj


_ROW_ROLE = f"<{_LP}rowRole>"
# The dimensions along which lps:RowBreakdown adds parts up to a whole (keys only for these), and
# those whose parts may be printed on other rows than their whole (performance targets and forms).
_BREAKDOWN_DIMENSIONS = {f"<{_LP}{d}>" for d in ("expenditureKind", "economicClassification", "projectType",
                                                  "controlledExpense", "fundingSource")}
_ACROSS_ROWS_DIMENSIONS = {f"<{_LP}fundingSource>", f"<{_LP}expenditureKind>"}
# Breakdown dimensions whose codes (ontology/codelists.ttl) may be printed beside a broader or narrower code
_NESTED_DIMENSIONS = {f"<{_LP}{d}>" for d in ("expenditureKind", "fundingSource", "controlledExpense", "projectType")}
# Dimensions that never take the total _T (every rule that asks for “the other dimensions are _T” leaves them out)
_NEVER_TOTAL = {f"<{_LP}{d}>" for d in ("organisation", "fiscalYear", "budgetPhase")}
# Predicates of a document graph no shape reads: left out of the validation graph (unless a data
# structure definition makes one of them a dimension, which IC-11 and IC-19 read)
_UNREAD_PREDICATES = frozenset(
    {"<http://data.openbudgets.eu/ontology/dsd/attribute/currency>"}
    | {f"<{_LP}{p}>" for p in (
        "sourcePage", "rowCount", "comparedWithYear", "indicatorCategory",
        "indicatorLevel1", "indicatorLevel2", "indicatorLevel3", "targetValue", "targetExplanation",
        "implementingUnit", "projectTypeLabel", "defines", "extractor", "mediaType", "governmentEconomicClassification")})
_DATASET, _STRUCTURE = f"<{_QB}dataSet>", f"<{_QB}structure>"
_STATES_FIGURE, _PRINTED_PRECISION, _PRINTED_UNIT = f"<{_LP}statesFigure>", f"<{_LP}printedPrecision>", f"<{_LP}printedUnit>"
_FUNCTION, _ECONOMIC = f"<{_LP}functionalClassification>", f"<{_LP}economicClassification>"
_GOV_ECONOMIC = f"<{_LP}governmentEconomicClassification>"
_SOURCE_COLUMN, _SOURCE_ROW, _ORGANISATION = f"<{_LP}sourceColumn>", f"<{_LP}sourceRow>", f"<{_LP}organisation>"
_DERIVED_FROM = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
_DECIMAL = "<http://www.w3.org/2001/XMLSchema#decimal>"
_SOURCE_PAGE = f"<{_LP}sourcePage>"


def _str(term: str) -> str:
    """SPARQL's STR() of an N-Triples term: an IRI without its brackets, a literal's lexical form."""
    return term[1:-1] if term.startswith("<") else _literal_text(term)


def _key(*parts: str) -> str:
    """A join key as the rules of shapes/derived.ttl write it: the parts joined by blanks."""
    text = " ".join(parts).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _document_triples(quads: list[str], dimensions: dict) -> tuple[list[str], list[str]]:
    """One pass over a document's N-Quads lines: (its triples as N-Triples lines without the
    predicates no shape reads, the derived triples of `helper_triples`)."""
    leave_out = _UNREAD_PREDICATES.difference(d for dims in dimensions.values() for d in dims)
    lp = f"<{_LP}"
    triples = []
    out = []
    statements: dict[str, None] = {}  # narrative figures, in order
    function_codes: dict[str, str] = {}
    table_of: dict[str, str] = {}
    dsd_of: dict[str, str] = {}
    derived: set[str] = set()  # subjects prov:wasDerivedFrom the document (lines, narrative figures)
    props: dict[str, dict[str, str]] = defaultdict(dict)
    for q in quads:
        body = q[: q.rstrip(" .").rfind(" <")]  # drop the graph name
        s, p, o = body.split(" ", 2)
        if p in leave_out and not (p == _SOURCE_PAGE and s.rfind("/text/") > s.rfind("/doc/") > 0):
            continue  # (the page of a passage, BASE doc/{docid}/text/{line}, is in the messages about its text)
        triples.append(body + " .")
        if p.startswith(lp):
            props[s][p] = o
            if p == _STATES_FIGURE:
                statements[s] = None
        elif p == _DATASET:
            table_of[s] = o
        elif p == _STRUCTURE:
            dsd_of[s] = o
        elif p == _DERIVED_FROM and not uris.is_table_part(o):
            derived.add(s)
    for s in derived:  # the codes of budget lines and narrative figures
        for p, name in ((_FUNCTION, "Function"), (_ECONOMIC, "Economic")):
            o = props.get(s, {}).get(p)
            if o is None:
                continue
            code = o.strip("<>").partition(f"/code/{'function' if name == 'Function' else 'economic-dept'}/")[2]
            if not code.isdigit():
                continue
            out.append(f'{s} <{_LP}v{name}Code> "{code}" .')
            if name == "Function":
                function_codes[s] = code
                out.append(f'{s} <{_LP}vFunctionClass> "{code[:3]}" .')
    out.extend(f'{s} <{_LP}vStatedCode> "{function_codes.get(s, "")}" .' for s in statements)
    _join_keys(table_of, dsd_of, props, dimensions, out)
    factors: dict[str, str] = {}
    for s, values in props.items():
        precision, unit = values.get(_PRINTED_PRECISION), values.get(_PRINTED_UNIT)
        if precision is None or unit is None or s not in table_of:
            continue
        tolerance = Decimal(_literal_text(precision)) / 2
        factor = factors.get(unit)
        if factor is None:
            factor = factors[unit] = str(_UNIT_FACTORS.get(_literal_text(unit), 10000))
        out.append(f'{s} <{_LP}vTolerance> "{tolerance.normalize():f}"^^{_DECIMAL} .')
        out.append(f'{s} <{_LP}vUnitFactor> "{factor}"^^{_DECIMAL} .')
    return triples, out


def _join_keys(table_of: dict, dsd_of: dict, props: dict, dimensions: dict, out: list[str]) -> None:
    """The join keys of `helper_triples` (see there), appended to `out`."""
    structure: dict[str, tuple] = {}  # DSD → (its dimensions, those but rowRole, breakdown dimensions)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)  # join key → (line, its value on the key's dimension)
    for line, table in table_of.items():
        values = props.get(line, {})
        t = _str(table)
        col, row, org = values.get(_SOURCE_COLUMN, ""), values.get(_SOURCE_ROW, ""), values.get(_ORGANISATION, "")
        col_key = (t, _str(col) if col else "")
        col_org_key = col_key + (_str(org) if org else "",)
        fcode = values.get(_FUNCTION, "").strip("<>").partition("/code/function/")[2]
        out.append(f'{line} <{_LP}vStatedCode> "{fcode if fcode.isdigit() else ""}" .')
        out.append(f"{line} <{_LP}vColumnKey> {_key(*col_key)} .")
        out.append(f"{line} <{_LP}vColumnOrgKey> {_key(*col_org_key)} .")
        if fcode.isdigit():
            if len(fcode) in (3, 5):
                out.append(f"{line} <{_LP}vFunctionKey> {_key(*col_org_key, fcode)} .")
            if len(fcode) == 5:
                out.append(f"{line} <{_LP}vFunctionSectionOf> {_key(*col_org_key, fcode[:3])} .")
            elif len(fcode) == 7:
                out.append(f"{line} <{_LP}vFunctionParentKey> {_key(*col_org_key, fcode[:3])} .")
                out.append(f"{line} <{_LP}vFunctionParentKey> {_key(*col_org_key, fcode[:5])} .")
        ecode = values.get(_ECONOMIC, "").strip("<>").partition("/code/economic-dept/")[2]
        if ecode.isdigit():
            # a line classified both ways (烟台: 301 × 501 and 301 × 505) is keyed by its government class too; an
            # item is the child of its department class with and without it
            gcode = values.get(_GOV_ECONOMIC, "").strip("<>").partition("/code/economic-gov/")[2]
            gclass = gcode[:3] if gcode.isdigit() and len(gcode) in (3, 5) else ""
            if len(ecode) == 3:
                out.append(f"{line} <{_LP}vEconomicKey> {_key(*col_org_key, ecode, gclass)} .")
            elif len(ecode) == 5:
                out.append(f"{line} <{_LP}vEconomicParentKey> {_key(*col_org_key, ecode[:3], '')} .")
                if gclass:
                    out.append(f"{line} <{_LP}vEconomicParentKey> {_key(*col_org_key, ecode[:3], gclass)} .")
        dsd = dsd_of.get(table, "")
        shape = structure.get(dsd)
        if shape is None:
            every = tuple(dimensions.get(dsd, ()))
            dims = tuple(d for d in every if d != _ROW_ROLE)
            shape = structure[dsd] = (every, dims, tuple(d for d in dims if d in _BREAKDOWN_DIMENSIONS))
        every, dims, breakdown = shape
        for d in dims:
            v = values.get(d)
            if d not in _NEVER_TOTAL and v is not None and not v.endswith('/_T>'):
                out.append(f"{line} <{_LP}vNonTotalDimension> {d} .")
        parts = {d: f"{_str(d)}={_str(values[d]) if d in values else ''}" for d in every}
        out.append(f"{line} <{_LP}vDimensionsKey> {_key(t, *sorted(parts.values()))} .")
        for d in breakdown:
            others = sorted(parts[e] for e in dims if e != d)
            row_key = _key(_str(d), t, _str(row) if row else '', *others)
            out.append(f"{line} <{_LP}vRowSansKey> {row_key} .")
            if d in _NESTED_DIMENSIONS and d in values:
                groups[row_key].append((line, values[d]))
            if d in _ACROSS_ROWS_DIMENSIONS:
                across_key = _key(_str(d), t, *others)
                out.append(f"{line} <{_LP}vSansKey> {across_key} .")
                if d in _NESTED_DIMENSIONS and d in values:
                    groups[across_key].append((line, values[d]))
    _nesting(groups, out)


def _nesting(groups: dict[str, list[tuple[str, str]]], out: list[str]) -> None:
    """lp:vBroaderPrinted and lp:vNarrowerPrinted: the codes printed beside a line (same lp:vRowSansKey or
    lp:vSansKey) that are broader or narrower than its own in the code lists (基本支出 beside 人员经费)."""
    broader = _broader_closure()
    nested: set[str] = set()
    for members in groups.values():
        printed = {value for _, value in members}
        if len(printed) < 2:
            continue
        for line, value in members:
            for other in printed:
                if other in broader.get(value, ()):
                    nested.add(f"{line} <{_LP}vBroaderPrinted> {other} .")
                elif value in broader.get(other, ()):
                    nested.add(f"{line} <{_LP}vNarrowerPrinted> {other} .")
    out.extend(sorted(nested))


@lru_cache(maxsize=1)
def _broader_closure() -> dict[str, frozenset[str]]:
    """Every code of the code lists (ontology/codelists.ttl) → the codes it is skos:broader+ of, as N-Triples IRIs."""
    graph = Graph().parse(ONTOLOGY / "codelists.ttl", format="turtle")
    parent: dict[str, set[str]] = defaultdict(set)
    for child, up in graph.subject_objects(SKOS.broader):
        parent[f"<{child}>"].add(f"<{up}>")
    closure: dict[str, frozenset[str]] = {}
    for code in parent:
        seen: set[str] = set()
        todo = list(parent[code])
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(parent.get(up, ()))
        closure[code] = frozenset(seen)
    return closure


def helper_triples(quads: list[str], dimensions: dict | None = None) -> str:
    """The triples the rules of shapes/derived.ttl derive from a document's published triples, computed
    here in one pass (a test holds them equal to what pyshacl's SHACL-AF engine derives), as N-Triples
    text for the validation graph (never published: anyone who reruns the shapes derives them again):

    * `lp:vTolerance` of a budget line: half its published lp:printedPrecision (a figure printed as
      1,234.56 万元 is exact to ±50 元); `lp:vUnitFactor`: 元 per printed unit, to show figures in it;
    * `lp:vFunctionCode`, `lp:vFunctionClass` (its first 3 digits) and `lp:vEconomicCode`: the digits
      of the codes of budget lines and narrative figures;
    * join keys (the parts joined by blanks) that let a rule find the lines that belong together with
      one equality instead of several joins and FILTER NOT EXISTS: `lp:vColumnKey` (table and column),
      `lp:vColumnOrgKey` (table, column and organisation), `lp:vFunctionKey` / `lp:vFunctionParentKey`
      (… and the code of a class or section row / of the class and section a 7-digit line belongs
      to), `lp:vFunctionSectionOf` (… and the class a 5-digit section belongs to), `lp:vEconomicKey` / `lp:vEconomicParentKey` (the same for economic classes and their
      5-digit items), and per breakdown dimension D of the table's structure `lp:vRowSansKey` (D,
      table, row and the line's “dimension=value” on every other dimension but rowRole, sorted) and
      `lp:vSansKey` (the same without the row, for fundingSource and expenditureKind): lines that
      differ only in D have equal keys; `lp:vDimensionsKey` (table and every dimension=value: twins
      have equal keys) and `lp:vNonTotalDimension` (each dimension of the table's structure on which
      the line's value is not the total _T; rowRole, organisation, fiscal year and phase aside);
      `lp:vStatedCode` of a budget line and of a narrative figure: the digits of its function code,
      "" when it has none (or the total _T).
    """
    return "\n".join(_document_triples(quads, dimensions or {})[1]) + "\n"


def data_graph(quads: list[str], vocabulary: VocabularySubset) -> Graph:
    """The document's triples (but the predicates no shape reads), the helper triples and the
    vocabulary subset in one Oxigraph-backed rdflib graph (the default graph of its own store)."""
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    triples, helpers = _document_triples(quads, vocabulary.dimensions)
    triples.extend(helpers)
    triples.append(vocabulary.ntriples)
    g = _DataGraph(store="Oxigraph", identifier=DATASET_DEFAULT_GRAPH_ID)
    # straight into Oxigraph (rdflib's parser plumbing copies the text); the lines are N-Triples
    # written by lodpub itself, so Oxigraph need not check every IRI again (lenient)
    g.store._inner.load("\n".join(triples), ox.RdfFormat.N_TRIPLES, lenient=True)
    return g


def _cache_sparql_checks() -> None:
    """pyshacl checks the text of a SHACL-SPARQL query (no MINUS/VALUES/SERVICE, nested SELECTs
    project $this) with regular expressions each time it runs the query for a focus node; on long
    queries that costs more than the query. The check depends on the text only, so a text that
    passed once is not checked again."""
    try:
        from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
    except ImportError:  # a pyshacl without this helper: nothing to speed up
        return
    check = SPARQLQueryHelper.check_invalid_sparql
    if getattr(check, "_lodpub_cached", False):
        return
    passed: set = set()

    def cached_check(self, sparql_text, valuenode=None, extravars=None):
        key = (sparql_text, valuenode is None, tuple(sorted(extravars or ())))
        if key in passed:
            return None
        result = check(self, sparql_text, valuenode=valuenode, extravars=extravars)
        passed.add(key)
        return result

    cached_check._lodpub_cached = True
    SPARQLQueryHelper.check_invalid_sparql = cached_check

    # The prefixes of a SPARQL constraint depend on the shapes graph and the constraint node only;
    # pyshacl collects them from the shapes graph again for every constraint of every document.
    collect = SPARQLQueryHelper.collect_prefixes
    collected: dict = {}

    def cached_collect(self):
        key = (id(self.shape.sg.graph), self.node)
        known = collected.get(key)
        if known is not None and known[0] is self.shape.sg.graph:
            self.prefixes.update(known[1])
            return None
        result = collect(self)
        collected[key] = (self.shape.sg.graph, dict(self.prefixes))
        return result

    SPARQLQueryHelper.collect_prefixes = cached_collect


_cache_sparql_checks()


def _dedup_results_by_hash() -> None:
    """pyshacl drops the repeated solutions of a SHACL-SPARQL query by looking each one up in the list
    of those kept (`in` on a list): quadratic in the solutions, which a long document has many of
    (7,680 for one rule on a document of 16 copies of the example, 2 s of list scanning). The same
    solutions are kept, in the same order, looked up in a set instead."""
    try:
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
    except ImportError:  # another pyshacl: leave it as it is
        return
    if getattr(SPARQLBasedConstraint._validate_sparql_query, "_lodpub_hashed", False):
        return

    def _validate_sparql_query(self, query, init_binds, target_graph):
        results = target_graph.query(query, initBindings=init_binds)
        if not results or len(results.bindings) < 1:
            return []
        violations = []
        seen = set()
        for r in results:
            var_dict = r.asdict()
            f = var_dict.pop('failure', None)
            if f is not None:
                if True in seen:
                    continue
                violations.append((True, var_dict))
                seen.add(True)
            else:
                p = var_dict.pop('path', None)
                v = var_dict.pop('value', None)
                t = var_dict.pop('this', None)
                if (p is not None) or (v is not None) or (t is not None):
                    key = (t, p, v, frozenset(var_dict.items()))
                    if key in seen:
                        continue
                    seen.add(key)
                    violations.append((t, p, v, var_dict))
        return violations

    _validate_sparql_query._lodpub_hashed = True
    SPARQLBasedConstraint._validate_sparql_query = _validate_sparql_query


_dedup_results_by_hash()


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


def validate_document(docid: str, quads: list[str], vocabulary_quads: list[str], *,
                      vocabulary: VocabularySubset | None = None, shapes: Graph | None = None,
                      timings: dict | None = None) -> list[Finding]:
    """Validate one document graph; `vocabulary` (from `vocabulary_subset`) saves recomputing the
    vocabulary subset, `shapes` replaces the shapes of shapes/*.ttl, `timings` receives seconds."""
    t0 = time.perf_counter()
    vocabulary = vocabulary or vocabulary_subset(vocabulary_quads)
    data = data_graph(quads, vocabulary)
    t1 = time.perf_counter()
    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=False, allow_warnings=True, inference="none", inplace=True
    )
    t2 = time.perf_counter()
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        shape = report.value(result, SH.sourceShape)
        rule = shapes.value(shape, RDFS.label) or shapes.value(shape, SH.name) or shape
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        focus = str(report.value(result, SH.focusNode))
        table, row = _place(str(value) if value is not None else None, focus)
        findings.append(Finding(
            document=docid, severity=severity, rule=str(rule), focus=focus,
            message=str(message) if message else "", path=str(path) if path else None,
            value=str(value) if value is not None else None, shape=_shape_name(shapes, shape), table=table, row=row,
        ))
    if timings is not None:
        timings.update(load=t1 - t0, shacl=t2 - t1, total=time.perf_counter() - t0)
    return sorted(findings, key=lambda f: (f.severity, f.rule, f.focus, f.table or 0, f.row or 0, f.message))


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

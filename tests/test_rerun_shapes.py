"""Anyone can rerun the checks: the published shapes (shapes/*.ttl), run by a stock SHACL engine
(pyshacl with SHACL-AF rules) on the published dump, give the findings of the published
validation-report.ttl; and the triples lodpub/validate/derived.py computes for speed are the ones the rules
of shapes/derived.ttl derive from the published triples.

The data graph is rdflib's Graph over an Oxigraph store (oxrdflib), as lodpub itself validates:
pyshacl is the engine, Oxigraph only answers its SPARQL queries faster than rdflib's own evaluator.
"""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from conftest import BASE, CORPUS, EXAMPLE, build_text
from mutations import change_figure, change_sentence

LP = "https://w3id.org/lodpub/ontology#"
SHAPES = Path(__file__).resolve().parent.parent / "shapes"


def shapes() -> Graph:
    g = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def findings(report: Graph) -> set[tuple]:
    return {
        (
            str(report.value(r, SH.sourceShape)),
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.value)),
            str(report.value(r, SH.resultSeverity)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def rerun(dump: Path) -> set[tuple]:
    """pyshacl, SHACL-AF rules on, over the published union graph."""
    data = Graph(store="Oxigraph")
    data.parse(data=gzip.decompress(dump.read_bytes()).decode("utf-8"), format="nt")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes(), advanced=True, allow_warnings=True, inplace=True)
    return findings(report)


def published(out: Path) -> set[tuple]:
    report = Graph()
    report.parse(out / "validation-report.ttl")
    return findings(report)


def test_the_example_rerun_gives_the_published_report(example_build):
    _, out = example_build
    expected = published(out)
    assert expected, "the example has warnings to compare"
    assert rerun(out / "lodpub.nt.gz") == expected


def test_a_mutated_document_rerun_gives_the_published_violations(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = change_figure(text, "部门支出预算表", "合计", "4,212.99", "4,222.99")  # a total off its items
    text = change_figure(text, "一般公共预算支出预算表", "行政运行", "886.61", "896.61")  # a row and a cross-table figure
    text = change_sentence(text, "公务接待费10万元", "公务接待费12万元")  # the narrative against its table
    out = build_text(text, tmp_path)
    expected = published(out)
    violations = {f for f in expected if f[3].endswith("Violation")}
    assert len(violations) >= 4, violations
    assert rerun(out / "lodpub.nt.gz") == expected


def derived_by_rules(quads: list[str], vocabulary: list[str]) -> set[tuple]:
    def triple(q: str) -> str:
        return q[: q.rstrip(" .").rfind(" <")] + " ."

    data = Graph(store="Oxigraph")
    data.parse(data="\n".join(triple(q) for q in quads + vocabulary), format="nt")
    pyshacl.validate(data, shacl_graph=shapes(), advanced=True, allow_warnings=True, inplace=True)
    return derived_of(data)


def derived_of(graph: Graph) -> set[tuple]:
    out = set()
    for s, p, o in graph:
        if str(p).startswith(LP + "v"):
            value = Decimal(str(o)) if isinstance(o, Literal) and o.datatype and str(o.datatype).endswith("decimal") else str(o)
            out.add((str(s), str(p), value))
    return out


def computed_by_python(quads: list[str], vocabulary: list[str]) -> set[tuple]:
    from lodpub.validate import helper_triples, vocabulary_subset

    g = Graph()
    g.parse(data=helper_triples(quads, vocabulary_subset(vocabulary).dimensions), format="nt")
    return derived_of(g)


def document(path: Path):
    from lodpub.pipeline import document_quads, process
    from lodpub.vocabulary import code_usage, vocabulary_quads

    result = process(str(path), validate=False, keep_records=True)
    assert result.error is None, result.error
    own, shared = document_quads(result.records, BASE)
    return own + shared, vocabulary_quads(code_usage([result.records]), BASE)


DOCUMENTS = [EXAMPLE, CORPUS / "sh-putuo-czj-2024-final-account.pdf", CORPUS / "regions" / "guangdong-shenzhen" / "2026年深圳市司法局部门预算.pdf"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_python_computes_what_the_rules_derive(path):
    if not path.exists():
        pytest.skip(f"{path} not found (reference corpus absent)")
    quads, vocabulary = document(path)
    python = computed_by_python(quads, vocabulary)
    assert len(python) > 1000
    assert python == derived_by_rules(quads, vocabulary)


def test_every_predicate_the_shapes_read_is_defined_in_the_ontology():
    import re

    ontology = Graph()
    ontology.parse(SHAPES.parent / "ontology" / "lodpub.ttl", format="turtle")
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(LP)}
    text = "".join(p.read_text(encoding="utf-8") for p in SHAPES.glob("*.ttl"))
    used = {LP + name for name in re.findall(r"\blp:([A-Za-z][A-Za-z0-9]*)", text)}
    assert used - defined == set()


def _parse_tree_nodes(node):
    """Every CompValue of a parsed SPARQL query (rdflib's parse tree), depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _parse_tree_nodes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _parse_tree_nodes(value)


def test_every_sparql_constraint_follows_the_syntax_rules_of_pre_binding():
    """SHACL 1.0 §5.2.1: a SHACL-SPARQL query has no MINUS, SERVICE or VALUES, never binds a pre-bound
    variable with AS, and every subquery projects $this. pyshacl and lodpub run queries that break the
    last rule, but strict engines (shacl-rust, pyshifty, pyshacl-turbo: docs/engines-evaluation.md)
    refuse them, and anyone must be able to rerun the shapes. No SAMPLE either: what a finding names
    (its sh:value, the label in its message) is the same on every engine (MIN over the IRIs' strings)."""
    from rdflib.plugins.sparql.parser import parseQuery

    from lodpub.validate import shapes_graph

    shapes = shapes_graph()
    queries = sorted((str(c), str(q)) for c, q in shapes.subject_objects(SH.select))
    assert len(queries) > 40
    broken = []
    for constraint, text in queries:
        nodes = list(_parse_tree_nodes(parseQuery(text)[1]))
        names = {n.name for n in nodes}
        for forbidden in ("MinusGraphPattern", "ServiceGraphPattern", "InlineData"):
            if forbidden in names:
                broken.append((constraint, forbidden))
        for n in nodes:
            if n.name == "AliasedExpression" and str(n.get("evar")) in ("this", "currentShape", "shapesGraph"):
                broken.append((constraint, f"AS ?{n.get('evar')}"))
            if n.name == "SubSelect":
                projected = {str(p.get("var") or p.get("evar")) for p in n.get("projection") or ()}
                if "this" not in projected:
                    broken.append((constraint, f"a subquery projects {sorted(projected)} but not $this"))
            if n.name == "Aggregate_Sample":
                broken.append((constraint, "SAMPLE: each engine may pick another member (the report would name another cell)"))
    assert broken == []

"""lodpub's own evaluation of the SHACL-SPARQL shapes (lodpub/validate/direct.py) and its adjustments of pyshacl
(lodpub/validate/engine.py, lodpub/validate/shared.py) change the cost of a validation, never its findings: the findings of the example, of mutations of it that fire the rules whose
two shapes share one query, and of some regional documents (skipped without the corpus) are those of a
stock pyshacl, its own functions put back for the comparison."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import EXAMPLE
from lodpub.pipeline import document_quads, process
from lodpub.uris import DEFAULT_BASE
from lodpub.validate import direct, shared, validate_document
from lodpub.vocabulary import code_usage, vocabulary_quads
from mutations import change_figure
from test_validate_narrative import ITEM, shanghai_item, with_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REGIONAL = (
    "regions/jiangsu-suzhou/2026年苏州市审计局部门预算.pdf",  # (column totals, a side of the summary)
    "regions/guangdong-shenzhen/2026年深圳市司法局部门预算.pdf",  # (differences within rounding in five rules)
    "sh-putuo-czj-2024-final-account.pdf",  # (two printings of one figure differ, the narrative against the tables)
)
EXPENDITURE, GPB = "部门支出预算表", "一般公共预算支出预算表"


def _fresh(name: str):
    """A fresh copy of one of pyshacl's modules: its functions as pyshacl ships them."""
    spec = importlib.util.find_spec(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def stock(monkeypatch):
    """A function that validates with pyshacl alone (every shape), its own functions in place of lodpub's adjustments."""
    from pyshacl.constraints.sparql import sparql_based_constraints
    from pyshacl.helper import sparql_query_helper
    from pyshacl import shape, validator
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    constraints = _fresh("pyshacl.constraints.sparql.sparql_based_constraints").SPARQLBasedConstraint
    helper = _fresh("pyshacl.helper.sparql_query_helper").SPARQLQueryHelper
    fresh_validator = _fresh("pyshacl.validator").Validator
    fresh_shape = _fresh("pyshacl.shape").Shape

    def run(*args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(direct, "ON", False)
            for name in ("_evaluate_sparql_constraint", "_validate_sparql_query"):
                m.setattr(sparql_based_constraints.SPARQLBasedConstraint, name, constraints.__dict__[name])
            for name in ("check_invalid_sparql", "collect_prefixes"):
                m.setattr(sparql_query_helper.SPARQLQueryHelper, name, helper.__dict__[name])
            m.setattr(validator.Validator, "run", fresh_validator.__dict__["run"])
            m.setattr(shape.Shape, "focus_nodes", fresh_shape.__dict__["focus_nodes"])
            m.setattr(shape, "CONSTRAINT_PARAMS", (list(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP))
            assert sparql_based_constraints.SPARQLBasedConstraint._validate_sparql_query is constraints.__dict__["_validate_sparql_query"]
            return validate_document(*args, **kwargs)

    return run


def _same_findings(path: Path, stock) -> list:
    result = process(str(path), validate=False, keep_records=True)
    assert not result.error, result.error
    own, shared_quads = document_quads(result.records, DEFAULT_BASE)
    vocabulary = vocabulary_quads(code_usage([result.records]), DEFAULT_BASE)
    adjusted = validate_document(result.records.docid, own + shared_quads, vocabulary)
    assert adjusted == stock(result.records.docid, own + shared_quads, vocabulary)
    return adjusted


def test_the_example(stock):
    findings = _same_findings(EXAMPLE, stock)
    assert findings  # (the example's warnings: something to compare)


MUTATIONS = [
    # beyond rounding and within it, in the shared queries of shapes/arithmetic.ttl
    ("total-beyond-rounding", lambda t: change_figure(t, EXPENDITURE, "合计", "4,212.99", "4,222.99")),
    ("total-within-rounding", lambda t: change_figure(t, EXPENDITURE, "合计", "4,212.99", "4,213.00")),
    ("line-beyond-and-within", lambda t: change_figure(change_figure(t, GPB, "行政运行", "886.61", "896.61"), GPB, "合计", "4,212.99", "4,213.00")),
    # and of shapes/narrative.ttl
    ("figure-within-precision", lambda t: with_sentences(t, ITEM.format("1026.26"))[0]),
    ("figure-beyond-precision", lambda t: with_sentences(t, ITEM.format("1036.27"))[0]),
    ("numbers-both-grades", lambda t: with_sentences(t, shanghai_item(rate="3.63"), shanghai_item(previous="1000", rate="2.66"))[0]),
]


@pytest.mark.parametrize("name,mutate", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutations(name, mutate, stock, tmp_path):
    path = tmp_path / f"{name}.txt"
    path.write_text(mutate(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    findings = _same_findings(path, stock)
    assert any(f.shape.endswith(("Rounding", "WithinPrecision", "Agree", "MatchesTable", "Totals", "Agreement", "Breakdown")) for f in findings), name


@pytest.mark.parametrize("document", REGIONAL)
def test_regional_documents(document, stock):
    path = CORPUS / document
    if not path.exists():
        pytest.skip(f"the corpus is not here ({CORPUS})")
    _same_findings(path, stock)


def test_a_shared_query_is_rewritten_only_where_that_is_the_same():
    shapes = ("https://example.org/A", "https://example.org/B")
    plain = "SELECT $this ?value $currentShape WHERE { ?value ?p ?o . BIND (IF(?o, <https://example.org/A>, <https://example.org/B>) AS ?g) FILTER (?g = $currentShape) }"
    text, names, projects = shared.rewrite(plain, shapes)
    assert projects and names == ("lodpubShape0", "lodpubShape1") and "$currentShape" not in text
    assert "(?g = <https://example.org/A>)" in text and "(?g = <https://example.org/B>)" in text
    for other in (
        plain.replace("}", "} ORDER BY ?value"),  # a solution modifier
        plain.replace("WHERE { ?value", "WHERE { OPTIONAL { ?x ?y $currentShape } ?value"),  # $currentShape in a pattern
        plain.replace("FILTER (?g = $currentShape) }", "OPTIONAL { ?value ?q ?r FILTER (?r = $currentShape) } }"),  # not the outer group
        plain.replace("SELECT $this", "SELECT (STR($this) AS ?s)"),  # an expression projected
        plain.replace("= $currentShape) }", "= $currentShape) FILTER (?o<$currentShape&&?g>?value) }"),  # (`<…>` an IRI?)
    ):
        assert shared.rewrite(other, shapes) is None, other

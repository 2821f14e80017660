"""`lodpub serve` over the example's publication: JSON-LD answers written as the dump is (the same
context, the same triples as the N-Triples answer), and the named graphs' IRIs dereferenced to a
VoID description of each graph."""

from __future__ import annotations

import gzip
from collections import Counter

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph
from test_serve import running

from conftest import BASE

VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
LP = "https://w3id.org/lodpub/ontology#"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser


@pytest.fixture(scope="module")
def served(example_build):
    from lodpub.serve import make_app

    _, out = example_build
    with running(make_app(out, base=BASE, workers=1)) as u:
        yield u, out


def triples(data: bytes, fmt) -> set[str]:
    return {str(t) for t in ox.parse(data, format=fmt)}


def test_jsonld_answers_hold_the_triples_of_the_ntriples_answers_and_use_the_context(served):
    from lodpub.publish.jsonld import context_object

    u, out = served
    query = f"CONSTRUCT {{ ?o ?p ?v }} WHERE {{ ?o a <{LP}BudgetLine> ; ?p ?v }} LIMIT 3000"
    nt = requests.get(f"{u}/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}, timeout=60)
    js = requests.get(f"{u}/sparql", params={"query": query}, headers={"Accept": "application/ld+json"}, timeout=60)
    assert js.status_code == 200 and js.headers["Content-Type"].startswith("application/ld+json")
    reference = triples(nt.content, ox.RdfFormat.N_TRIPLES)
    assert len(reference) == 3000
    assert triples(js.content, ox.RdfFormat.JSON_LD) == reference
    by_rdflib = Graph().parse(data=js.content, format="json-ld")
    assert set(by_rdflib) == set(Graph().parse(data=nt.content, format="nt"))
    document = js.json()
    assert document["@context"] == context_object()
    assert any("amount" in node and isinstance(node["amount"], str) for node in document["@graph"])
    docid = sorted(name for name in _graph_sizes(out) if len(name) == 16)[0]
    for path in (f"doc/{docid}/table/2", f"doc/{docid}"):  # dereferenced resources, too
        nt = requests.get(f"{u}/{path}", headers={"Accept": "application/n-triples"}, timeout=60)
        js = requests.get(f"{u}/{path}", headers={"Accept": "application/ld+json"}, timeout=60)
        assert js.json()["@context"] == context_object()
        assert triples(js.content, ox.RdfFormat.JSON_LD) == triples(nt.content, ox.RdfFormat.N_TRIPLES) != set()


def _graph_sizes(out) -> Counter:
    """Triples per graph of lodpub.nq.gz, by the graph's name (graph/{name})."""
    quads = ox.parse(gzip.decompress((out / "lodpub.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
    return Counter(q.graph_name.value.rsplit("/graph/", 1)[1] for q in quads)


def test_graph_iris_dereference_to_a_void_description(served):
    u, out = served
    sizes = _graph_sizes(out)
    assert {"vocabulary", "organisations", "aggregates"} <= set(sizes)
    for name, size in sizes.items():
        iri = f"{BASE}graph/{name}"
        r = requests.get(f"{u}/graph/{name}", headers={"Accept": "text/turtle"}, timeout=60)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle"), name
        g = ox.Store()
        g.load(r.content, format=ox.RdfFormat.TURTLE)
        s = ox.NamedNode(iri)
        assert ox.Quad(s, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(VOID + "Dataset")) in g
        counted = [q.object.value for q in g.quads_for_pattern(s, ox.NamedNode(VOID + "triples"), None)]
        assert counted == [str(size)], name
        dumps = {q.object.value for q in g.quads_for_pattern(s, ox.NamedNode(VOID + "dataDump"), None)}
        assert f"{BASE}lodpub.nq.gz" in dumps and f"{BASE}lodpub.jsonld" in dumps
        documents = [q.object.value for q in g.quads_for_pattern(s, ox.NamedNode(PROV + "wasDerivedFrom"), None)]
        assert documents == ([f"{BASE}doc/{name}"] if len(name) == 16 else []), name
        js = requests.get(f"{u}/graph/{name}", headers={"Accept": "application/ld+json"}, timeout=60)
        assert triples(js.content, ox.RdfFormat.JSON_LD) == {str(q.triple) for q in g}
        assert js.json()["@graph"][0]["triples"] == str(size)  # typed xsd:integer by the context
    page = requests.get(f"{u}/graph/vocabulary", headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "void:Dataset" in page.text and str(sizes["vocabulary"]) in page.text
    assert "format=turtle" in page.headers["Link"] and "lodpub.nq.gz" in page.text
    for missing in ("graph/nothing-here", "graph/0000000000000000"):
        assert requests.get(f"{u}/{missing}", headers={"Accept": "text/turtle"}, timeout=60).status_code == 404
        assert requests.get(f"{u}/{missing}", headers={"Accept": "text/html"}, timeout=60).status_code == 404

"""JSON-LD as researchers read it: short keys and plain values by the publication's context, and
nothing lost: a JSON-LD processor expands the dump (and serve's answers) back to the very triples."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef

LP = "https://w3id.org/lodpub/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def nquads_triples(out) -> set[str]:
    data = gzip.decompress((out / "lodpub.nq.gz").read_bytes())
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}


def test_the_dump_expands_to_the_triples_of_the_nquads_dump(example_build):
    """Expanded by two JSON-LD processors (pyoxigraph's, rdflib's), lodpub.jsonld gives the triples of
    lodpub.nq.gz (the union of its graphs), literals with their datatypes and languages."""
    _, out = example_build
    reference = nquads_triples(out)
    expanded = {str(t) for t in ox.parse((out / "lodpub.jsonld").read_bytes(), format=ox.RdfFormat.JSON_LD)}
    assert len(reference) > 10000
    assert expanded == reference
    quads = Dataset()
    quads.parse(data=gzip.decompress((out / "lodpub.nq.gz").read_bytes()).decode("utf-8"), format="nquads")
    by_rdflib = Graph().parse(out / "lodpub.jsonld", format="json-ld")
    assert set(by_rdflib) == {(s, p, o) for s, p, o, _ in quads.quads()}


def test_the_dump_reads_as_researchers_expect(example_build):
    """Keys are terms, a single value is no array, amounts are plain strings typed by the context."""
    _, out = example_build
    document = json.loads((out / "lodpub.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    lines = [node for node in document["@graph"] if node.get("@type") == ["Observation", "BudgetLine"]]
    assert lines
    line = lines[0]
    assert isinstance(line["amount"], str) and float(line["amount"]) >= 0
    assert line["functionalClassification"].startswith("https://w3id.org/lodpub/code/function/")
    assert set(line["rowLabel"]) == {"zh"} and isinstance(line["rowLabel"]["zh"], str)
    assert isinstance(line["sourceRow"], str) and line["sourceRow"].isdigit()
    terms = {(d["@id"] if isinstance(d, dict) else d): d for name, d in context.items() if ":" not in name}
    for node in document["@graph"]:  # under a compact IRI only what its term cannot hold
        for key, values in node.items():
            if key in terms:
                term = terms[key]
                coerced = term.get("@type") or term.get("@container") if isinstance(term, dict) else None
                for value in values if isinstance(values, list) else [values]:
                    assert isinstance(value, dict) and (value.get("@type") or "@language" in value and "@language") != coerced, (key, value)
    assert context["functionalClassification"] == {"@id": "lp:functionalClassification", "@type": "@id"}
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["rowCount"] == {"@id": "lp:rowCount", "@type": "xsd:integer"}
    assert json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"] == context


def test_the_context_is_derived_from_the_ontology_and_the_mappings():
    from lodpub.publish.context import context
    from lodpub.resources import MAPPINGS, ONTOLOGY
    from lodpub.specs import load_yaml

    ctx = context()
    ranges = {}
    for path in ONTOLOGY.glob("*.ttl"):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#range" and t.object.value.startswith(XSD):
                ranges[t.subject.value] = t.object.value
    typed = {p: r for p, r in ranges.items() if r != XSD + "string"}
    assert typed and all(ctx.kinds[p] == r for p, r in typed.items())
    for dimension in load_yaml(MAPPINGS / "rdf.yaml")["dimension_values"]:
        assert ctx.kinds[LP + dimension.split(":")[1]] == "@id"
    assert ctx.terms[LP + "amount"] == "amount" and ctx.kinds[LP + "amount"] == XSD + "decimal"


TRICKY = ['say "三公"', "tab\there", "line\nbreak", "back\\slash", "bell\x07", "\u3000全角空格", "emoji 𝄞", ""]


def tricky_lines() -> list[str]:
    """Triples that do not fit their terms, escapes, languages a map cannot hold, blank nodes."""
    from lodpub.mapping import literal_text

    s = "<https://example.org/s>"
    lines = [
        f"{s} <https://example.org/p{i}> {literal_text(t)}{suffix} ."
        for i, t in enumerate(TRICKY)
        for suffix in ("", "@zh", "^^<http://www.w3.org/2001/XMLSchema#string>")
    ]
    lines += [f"{s} <{LP}text> {literal_text(t)}@zh ." for t in TRICKY]
    lines += [
        f'{s} <{LP}amount> "12"^^<{XSD}integer> .',
        f'{s} <{LP}amount> "4212.99"^^<{XSD}decimal> .',
        f'{s} <{LP}amount> "1.0"^^<{XSD}decimal> .',
        f"{s} <{LP}amount> <https://example.org/not-a-number> .",
        f'{s} <{LP}organisation> "not an IRI" .',
        f'{s} <{LP}text> "简体"@zh-Hans .',
        f'{s} <{LP}text> "English"@en .',
        f'{s} <{LP}text> "plain" .',
        f'{s} <{LP}printedValue> "296.36" .',
        f'{s} <{LP}printedValue> "二百"@zh .',
        f"{s} <{LP}organisation> _:b1 .",
        '_:b1 <http://www.w3.org/2004/02/skos/core#prefLabel> "部门"@zh .',
        f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{LP}BudgetLine> .",
        f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Other> .",
        f"{s} <https://example.org/q> <{LP}amount> .",
    ]
    return sorted(set(lines))


def same(one: Graph, other: Graph) -> bool:
    """The same triples, the one blank node of the lines named alike (as rdflib.compare would, were
    its hashes not thrown by some of the literals)."""

    def named(graph):
        return {tuple(URIRef("urn:blank") if isinstance(term, BNode) else term for term in triple) for triple in graph}

    return len(one) == len(other) and named(one) == named(other)


def test_written_jsonld_expands_to_the_same_triples_escapes_and_all():
    from lodpub.publish.jsonld import jsonld_document

    lines = tricky_lines()
    document = jsonld_document(lines)
    nt = ("\n".join(lines) + "\n").encode("utf-8")
    # the N-Triples read in RDF 1.1 terms ("x" and "x"^^xsd:string are one literal), then by rdflib
    reference = Graph().parse(data=ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    assert len(reference) == len(lines) - len(TRICKY)
    assert same(Graph().parse(data=document.decode("utf-8"), format="json-ld"), reference)
    by_oxigraph = Graph().parse(data=ox.serialize(ox.parse(document, format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    assert same(by_oxigraph, reference)
    node = next(n for n in json.loads(document)["@graph"] if n["@id"] == "https://example.org/s")
    assert node["amount"] == ["1.0", "4212.99"] and node["lp:amount"][0] == {"@value": "12", "@type": "xsd:integer"}
    assert node["@type"] == ["https://example.org/Other", "BudgetLine"]  # in the order of the lines
    assert set(node["text"]["zh"]) == set(TRICKY) and node["text"]["en"] == "English"

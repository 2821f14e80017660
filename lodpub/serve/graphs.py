"""What a named graph's IRI (`BASE graph/{name}`: a document's graph, `graph/vocabulary`, …) answers
when dereferenced: a VoID description of the graph, made by a query over the store: a void:Dataset,
its number of triples, the document it was read from (prov:wasDerivedFrom, void:rootResource), the
publication it is part of, the dumps that hold it and the SPARQL endpoint that answers for it."""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from ..namespaces import sparql_prefixes
from ..uris import dataset, download, sparql_endpoint, split_graph
from .worker import _prim


def graph_query(iri: str, dumps: Iterable[str]) -> str | None:
    """The CONSTRUCT describing the graph `iri` (nothing when it holds no triple), or None when the
    IRI names no graph of lodpub's scheme. `dumps` are the names of the dump files to link."""
    split = split_graph(iri)
    if split is None:
        return None
    base = split[0]
    files = " ".join(f"<{download(base, name)}>" for name in dumps)
    return (
        sparql_prefixes("rdf", "lp", "prov", "dcterms", "void")
        + f"""CONSTRUCT {{
  <{iri}> a void:Dataset ; void:triples ?n ; dcterms:isPartOf <{dataset(base)}> ;
    void:sparqlEndpoint <{sparql_endpoint(base)}> ; void:dataDump ?dump ;
    prov:wasDerivedFrom ?doc ; void:rootResource ?doc .
}} WHERE {{
  {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} }}
  FILTER(?n > 0)
  OPTIONAL {{ VALUES ?dump {{ {files} }} }}
  OPTIONAL {{ GRAPH <{iri}> {{ ?doc a lp:BudgetDocument }} }}
}}"""
    )


def page_result(iri: str, ntriples: bytes) -> dict:
    """The description (N-Triples) as the rows of a resource's HTML page (`pages.resource_page`)."""
    subject = ox.NamedNode(iri)
    rows = sorted(
        ((t.predicate, t.object) for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES) if t.subject == subject), key=lambda r: (str(r[0]), str(r[1]))
    )
    return {
        "outgoing": [(_prim(p), _prim(o), None) for p, o in rows],
        "incoming": [],
        "more_incoming": False,
        "labels": {},
        "graphs": [],
        "count": len(rows),
    }

"""The SPARQL server (lodpub.serve) answers over a real loopback socket: requests, curl and
SPARQLWrapper as clients; every answer parsed back and compared with pyoxigraph's own."""

from __future__ import annotations

import csv
import decimal
import gzip
import io
import json
import re
import shutil
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager

import pyoxigraph as ox
import pytest
import rdflib
import requests

from lodpub.errors import LodpubError
from lodpub.serve import make_app, make_http_server, negotiate

BASE = "https://data.example.org/lodpub/"
LP = "https://w3id.org/lodpub/ontology#"
QB = "http://purl.org/linked-data/cube#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
SRX = "{http://www.w3.org/2005/sparql-results#}"

EXAMPLES = [
    ("Total per document (合计)", f"PREFIX lp: <{LP}>\nSELECT ?g (SUM(?a) AS ?total) WHERE {{ GRAPH ?g {{ ?o lp:amount ?a }} }} GROUP BY ?g"),
    ("Datasets & <labels>", f"SELECT ?d ?l WHERE {{ ?d a <{QB}DataSet> ; <{RDFS}label> ?l }}"),
]
SELECT_OBS = f"PREFIX lp: <{LP}>\nSELECT ?o ?a ?note WHERE {{ ?o lp:amount ?a OPTIONAL {{ ?o <{RDFS}comment> ?note }} }} ORDER BY ?o"
CONSTRUCT_T1 = f"PREFIX lp: <{LP}>\nCONSTRUCT {{ ?o ?p ?v }} WHERE {{ ?o <{QB}dataSet> <{BASE}doc/d1/table/1> ; ?p ?v }}"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def nn(x):
    return ox.NamedNode(x)


def build_publication(root):
    """A publication folder like `lodpub build` writes: store/ with two document graphs and
    a shared code-list graph, plus lodpub.nq.gz. ~3,000 quads so that a triple cross join is
    hopeless within a small timeout."""
    quads = []
    for doc, rows in (("d1", 1200), ("d2", 300)):
        g = nn(f"{BASE}graph/{doc}")
        table = nn(f"{BASE}doc/{doc}/table/1")
        quads += [
            ox.Quad(table, nn(RDF_TYPE), nn(QB + "DataSet"), g),
            ox.Quad(table, nn(RDFS + "label"), ox.Literal(f"部门收支预算表 {doc}", language="zh"), g),
            ox.Quad(nn(f"{BASE}doc/{doc}"), nn(LP + "table"), table, g),
        ]
        for r in range(1, rows + 1):
            o = nn(f"{BASE}doc/{doc}/table/1/r{r}c1")
            quads += [
                ox.Quad(o, nn(RDF_TYPE), nn(QB + "Observation"), g),
                ox.Quad(o, nn(QB + "dataSet"), table, g),
                ox.Quad(o, nn(LP + "amount"), ox.Literal(f"{r * 7 % 1000}.{r % 100:02d}", datatype=nn(XSD + "decimal")), g),
                ox.Quad(o, nn(LP + "function"), nn(f"https://w3id.org/lodpub/code/function/20103{r % 3:02d}"), g),
            ]
            if r == 2:
                quads.append(ox.Quad(o, nn(RDFS + "comment"), ox.Literal('含"引号", 逗号\tand tab\nnewline'), g))
    codes = nn("https://w3id.org/lodpub/code/function")
    for i in range(3):
        quads.append(
            ox.Quad(
                nn(f"https://w3id.org/lodpub/code/function/20103{i:02d}"),
                nn("http://www.w3.org/2004/02/skos/core#prefLabel"),
                ox.Literal(f"行政运行 {i}", language="zh"),
                codes,
            )
        )
    store = ox.Store(str(root / "store"))
    store.extend(quads)
    store.flush()
    dump = ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS)
    (root / "lodpub.nq.gz").write_bytes(gzip.compress(dump, mtime=0))
    del store
    return root


@pytest.fixture(scope="module")
def publication(tmp_path_factory):
    return build_publication(tmp_path_factory.mktemp("pub"))


@pytest.fixture(scope="module")
def reference(publication, tmp_path_factory):
    """The same quads in an in-memory store, to compute the expected answers."""
    store = ox.Store()
    with gzip.open(publication / "lodpub.nq.gz") as f:
        store.load(f.read(), format=ox.RdfFormat.N_QUADS)
    return store


@contextmanager
def running(app):
    server = make_http_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        app.close()


@pytest.fixture(scope="module")
def url(publication):
    with running(make_app(publication, base=BASE, timeout=20, max_results=10000, examples=EXAMPLES, workers=2, yasgui=None)) as u:
        yield u


@pytest.fixture(scope="module")
def limited_url(publication):
    with running(make_app(publication / "store", base=BASE, timeout=0.5, max_results=5, workers=1)) as u:
        yield u


def expected_rows(reference, query):
    res = reference.query(query, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return names, [[sol[i] for i in range(len(names))] for sol in res]


# ---- SELECT in every format ------------------------------------------------------------------


def test_select_json(url, reference):
    r = requests.get(f"{url}/sparql", params={"query": SELECT_OBS}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    data = r.json()
    names, rows = expected_rows(reference, SELECT_OBS)
    assert data["head"]["vars"] == names == ["o", "a", "note"]
    got = data["results"]["bindings"]
    assert len(got) == len(rows) == 1500
    for b, row in zip(got, rows):
        assert b["o"] == {"type": "uri", "value": row[0].value}
        assert b["a"] == {"type": "literal", "value": row[1].value, "datatype": XSD + "decimal"}
        assert ("note" in b) == (row[2] is not None)
    note = next(b["note"] for b in got if "note" in b)
    assert note == {"type": "literal", "value": '含"引号", 逗号\tand tab\nnewline'}


def test_select_xml(url, reference):
    r = requests.post(f"{url}/sparql", data={"query": SELECT_OBS}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(r.content)
    assert [v.get("name") for v in root.find(f"{SRX}head")] == ["o", "a", "note"]
    results = root.find(f"{SRX}results").findall(f"{SRX}result")
    _, rows = expected_rows(reference, SELECT_OBS)
    assert len(results) == len(rows)
    for res, row in zip(results, rows):
        b = {x.get("name"): x[0] for x in res}
        assert b["o"].tag == f"{SRX}uri" and b["o"].text == row[0].value
        assert b["a"].tag == f"{SRX}literal" and b["a"].get("datatype") == XSD + "decimal"
        assert decimal.Decimal(b["a"].text) == decimal.Decimal(row[1].value)
        if row[2] is not None:
            assert b["note"].text == row[2].value


def test_select_csv(url, reference):
    r = requests.post(f"{url}/sparql", data=SELECT_OBS.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8"), newline="")))
    _, rows = expected_rows(reference, SELECT_OBS)
    assert table[0] == ["o", "a", "note"]
    assert table[1:] == [[row[0].value, row[1].value, row[2].value if row[2] else ""] for row in rows]


def test_select_tsv(url, reference):
    r = requests.get(f"{url}/sparql", params={"query": SELECT_OBS}, headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200, r.text
    lines = r.content.decode("utf-8").split("\n")
    assert lines[0] == "?o\t?a\t?note" and lines[-1] == ""
    _, rows = expected_rows(reference, SELECT_OBS)
    assert len(lines) - 2 == len(rows)
    for line, row in zip(lines[1:], rows):
        cells = line.split("\t")
        assert cells[0] == f"<{row[0].value}>"
        assert cells[1] == f'"{row[1].value}"^^<{XSD}decimal>'
        if row[2] is not None:  # the literal's tab and newline are escaped, so one line
            assert cells[2] == '"含\\"引号\\", 逗号\\tand tab\\nnewline"'


def test_sum_matches_pyoxigraph(url, reference):
    q = EXAMPLES[0][1]
    r = requests.get(f"{url}/sparql", params={"query": q})
    assert r.status_code == 200
    got = {b["g"]["value"]: decimal.Decimal(b["total"]["value"]) for b in r.json()["results"]["bindings"]}
    _, rows = expected_rows(reference, q)
    assert got == {row[0].value: decimal.Decimal(row[1].value) for row in rows}
    assert len(got) == 2


# ---- ASK ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"])
def test_ask_every_format(url, accept):
    answers = []
    for q in (f"ASK {{ ?o <{LP}amount> ?a }}", f"ASK {{ ?o <{LP}amount> 'nope' }}"):
        r = requests.get(f"{url}/sparql", params={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        if "json" in accept:
            answers.append(r.json()["boolean"])
        elif "xml" in accept:
            answers.append(ET.fromstring(r.content).find(f"{SRX}boolean").text == "true")
        else:
            answers.append(r.text.split()[-1] == "true")
    assert answers == [True, False]


# ---- CONSTRUCT / DESCRIBE --------------------------------------------------------------------


def expected_graph(reference):
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in reference.query(CONSTRUCT_T1, use_default_graph_as_union=True)}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize(
    "accept,rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")]
)
def test_construct_every_format(url, reference, accept, rdflib_format):
    r = requests.post(f"{url}/sparql", data={"query": CONSTRUCT_T1}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    want = expected_graph(reference)
    assert len(want) == 1200 * 4 + 1
    assert set(g) == set(as_rdflib(want))


def test_construct_default_is_turtle_and_parses_with_pyoxigraph(url, reference):
    r = requests.get(f"{url}/sparql", params={"query": CONSTRUCT_T1})
    assert r.headers["Content-Type"].startswith("text/turtle")
    got = {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    assert got == expected_graph(reference)


def as_rdflib(triples):
    nt = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    return rdflib.Graph().parse(data=nt, format="nt")


# ---- negotiation, dataset, errors -------------------------------------------------------------


def test_negotiate_unit():
    offers = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offers) == offers[0]
    assert negotiate("text/csv;q=0.9, application/*;q=0.5", offers) == "text/csv"
    assert negotiate("*/*;q=0.1, text/csv;q=0", offers) == offers[0]
    assert negotiate("image/png", offers) is None
    assert negotiate("application/sparql-results+json;q=0.2, text/*;q=0.3", offers) == "text/csv"


def test_q_values_honoured(url):
    q = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    r = requests.get(f"{url}/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json;q=0.2, text/csv;q=0.8"})
    assert r.headers["Content-Type"].startswith("text/csv")
    r = requests.get(f"{url}/sparql", params={"query": q}, headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    r = requests.get(f"{url}/sparql", params={"query": q}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = requests.get(f"{url}/sparql", params={"query": CONSTRUCT_T1}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "text/turtle" in r.text
    r = requests.get(f"{url}/sparql", params={"query": q, "format": "tsv"})
    assert r.headers["Content-Type"].startswith("text/tab-separated-values")


def test_dataset_parameters(url):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(**params):
        r = requests.get(f"{url}/sparql", params={"query": q, **params})
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    total, d2 = count(), count(**{"default-graph-uri": f"{BASE}graph/d2"})
    assert total == 2 * 3 + 1200 * 4 + 300 * 4 + 2 + 3  # 2 comments, 3 code labels
    assert d2 == 3 + 300 * 4 + 1
    assert count(**{"default-graph-uri": [f"{BASE}graph/d1", f"{BASE}graph/d2"]}) == total - 3
    gq = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = requests.get(f"{url}/sparql", params={"query": gq, "named-graph-uri": f"{BASE}graph/d2"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == d2
    # FROM in the query is honoured when the protocol names no dataset
    r = requests.get(f"{url}/sparql", params={"query": q.replace("WHERE", f"FROM <{BASE}graph/d2> WHERE")})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == d2


def test_malformed_query_is_400_with_parser_message(url):
    r = requests.get(f"{url}/sparql", params={"query": "SELEKT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400
    assert "malformed query" in r.text and "error at 1:" in r.text
    assert requests.get(f"{url}/sparql").status_code == 400
    r = requests.post(f"{url}/sparql", data="x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_updates_and_other_methods_refused(url):
    upd = f"INSERT DATA {{ <{BASE}x> <{BASE}p> 1 }}"
    r = requests.post(f"{url}/sparql", data={"update": upd})
    assert r.status_code == 403 and "read-only" in r.text
    r = requests.post(f"{url}/sparql", data=upd, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403 and "read-only" in r.text
    r = requests.get(f"{url}/sparql", params={"query": "PREFIX a: <http://a/>\n" + upd})
    assert r.status_code == 403
    for method in ("PUT", "DELETE", "PATCH"):
        r = requests.request(method, f"{url}/sparql", data="x")
        assert r.status_code == 405 and "read-only" in r.text
        assert "GET" in r.headers["Allow"]
    r = requests.get(f"{url}/sparql", params={"query": f"ASK {{ <{BASE}x> ?p ?o }}"})
    assert r.json()["boolean"] is False


def test_head(url):
    r = requests.head(f"{url}/sparql", params={"query": "ASK {}"})
    assert r.status_code == 200 and r.content == b""
    assert int(r.headers["Content-Length"]) > 0


# ---- limits ------------------------------------------------------------------------------------


def test_slow_query_times_out_and_server_recovers(limited_url):
    t0 = time.monotonic()
    r = requests.get(f"{limited_url}/sparql", params={"query": SLOW}, timeout=30)
    elapsed = time.monotonic() - t0
    assert r.status_code == 503
    assert "time limit" in r.text
    assert elapsed < 5
    # the killed worker was replaced: the next query is answered
    r = requests.get(f"{limited_url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_client_can_lower_timeout(url):
    t0 = time.monotonic()
    r = requests.get(f"{url}/sparql", params={"query": SLOW, "timeout": "0.3"}, timeout=30)
    assert r.status_code == 503 and time.monotonic() - t0 < 5


def test_result_cap_truncates(limited_url):
    r = requests.get(f"{limited_url}/sparql", params={"query": SELECT_OBS})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 5
    assert r.headers["X-Lodpub-Truncated"] == "true" and r.headers["X-SPARQL-MaxRows"] == "5"
    r = requests.get(f"{limited_url}/sparql", params={"query": CONSTRUCT_T1}, headers={"Accept": "application/n-triples"})
    assert len(r.text.strip().splitlines()) == 5 and r.headers["X-Lodpub-Truncated"] == "true"
    r = requests.get(f"{limited_url}/sparql", params={"query": "SELECT ?o WHERE { ?o a <%sDataSet> }" % QB})
    assert len(r.json()["results"]["bindings"]) == 2 and "X-Lodpub-Truncated" not in r.headers


# ---- CORS, page, resources ---------------------------------------------------------------------


def test_cors(url):
    r = requests.get(f"{url}/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://x.test"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = requests.options(
        f"{url}/sparql", headers={"Origin": "http://x.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    )
    assert r.status_code in (200, 204)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()


def test_query_page_has_examples(url):
    r = requests.get(url + "/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    assert "Total per document (合计)" in page and "Datasets &amp; &lt;labels&gt;" in page
    assert "GROUP BY ?g" in page and '<script src="/static/query.js">' in page
    # the examples are embedded as JSON the script reads
    start = page.index('id="examples-data" type="application/json">') + len('id="examples-data" type="application/json">')
    data = json.loads(page[start : page.index("</script>", start)])
    assert [(d["title"], d["query"]) for d in data] == EXAMPLES
    js = requests.get(url + "/static/query.js")
    assert js.status_code == 200 and 'fetch("/sparql"' in js.text
    assert requests.get(url + "/static/style.css").status_code == 200
    assert requests.get(url + "/static/..%2Fserve.py").status_code == 404
    r = requests.get(f"{url}/sparql", headers={"Accept": "text/html"}, allow_redirects=False)
    assert r.status_code == 303


def test_dereference_resource(url, reference):
    iri = f"{BASE}doc/d1/table/1/r2c1"
    r = requests.get(f"{url}/doc/d1/table/1/r2c1", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    got = {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    want = {(str(q.subject), str(q.predicate), str(q.object)) for q in reference.quads_for_pattern(nn(iri), None, None, None)}
    assert got == want and len(want) == 5
    r = requests.get(f"{url}/doc/d1/table/1/r2c1", headers={"Accept": "application/ld+json"})
    assert r.headers["Content-Type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=r.content, format="json-ld")) == 5
    r = requests.get(f"{url}/doc/d1/table/1", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "部门收支预算表 d1" in r.text  # its label is the title
    assert 'href="/doc/d1"' in r.text  # incoming link from the document, as a local link
    assert re.search(r'href="/doc/d1/table/1/r\d+c1"', r.text)  # observations pointing at it
    assert "query them all" in r.text  # 1200 of them: the page shows 200 and links a query
    # a code IRI outside the base is browsable through /resource
    r = requests.get(f"{url}/doc/d1/table/1/r2c1", headers={"Accept": "text/html"})
    assert "行政运行 2" in r.text and "/resource?uri=https%3A%2F%2Fw3id.org" in r.text
    r = requests.get(f"{url}/resource", params={"uri": "https://w3id.org/lodpub/code/function/2010302"}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and "行政运行 2" in r.text
    assert requests.get(f"{url}/doc/nothing-here").status_code == 404
    assert requests.get(f"{url}/doc/nothing-here", headers={"Accept": "text/html"}).status_code == 404
    assert requests.get(f"{url}/doc/d1/table/1", params={"format": "nt"}).headers["Content-Type"].startswith("application/n-triples")


def test_dump_download(url, publication):
    r = requests.get(f"{url}/lodpub.nq.gz")
    assert r.status_code == 200
    assert r.content == (publication / "lodpub.nq.gz").read_bytes()
    assert r.headers["Content-Type"] == "application/gzip"


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(LodpubError, match="no store"):
        make_app(tmp_path / "nowhere")


# ---- other clients -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl(url, reference):
    def curl(*args):
        out = subprocess.run(["curl", "-s", "-S", "--max-time", "30", *args], capture_output=True, check=True)
        return out.stdout

    body = curl("-H", "Accept: text/csv", "--data-urlencode", f"query={SELECT_OBS}", f"{url}/sparql")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert len(rows) == 1501 and rows[0] == ["o", "a", "note"]
    body = curl("-G", "-H", "Accept: application/sparql-results+json", "--data-urlencode", f"query={EXAMPLES[0][1]}", f"{url}/sparql")
    assert len(json.loads(body)["results"]["bindings"]) == 2
    body = curl("-H", "Content-Type: application/sparql-query", "-H", "Accept: application/n-triples", "--data-binary", CONSTRUCT_T1, f"{url}/sparql")
    assert {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)} == expected_graph(reference)
    code = curl("-o", "/dev/null", "-w", "%{http_code}", "--data-urlencode", "update=CLEAR ALL", f"{url}/sparql")
    assert code == b"403"


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::DeprecationWarning")  # SPARQLWrapper
def test_sparqlwrapper(url, reference):
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    sw = SPARQLWrapper.SPARQLWrapper(f"{url}/sparql")
    sw.setQuery(EXAMPLES[0][1])
    sw.setReturnFormat(SPARQLWrapper.JSON)
    res = sw.queryAndConvert()
    assert {b["g"]["value"] for b in res["results"]["bindings"]} == {f"{BASE}graph/d1", f"{BASE}graph/d2"}
    sw.setMethod(SPARQLWrapper.POST)
    sw.setReturnFormat(SPARQLWrapper.XML)
    doc = sw.queryAndConvert()  # an xml.dom.minidom document
    assert len(doc.getElementsByTagName("result")) == 2
    sw.setReturnFormat(SPARQLWrapper.CSV)
    assert sw.queryAndConvert().decode().splitlines()[0] == "g,total"
    sw.setReturnFormat(SPARQLWrapper.JSON)
    sw.setQuery(f"ASK {{ ?o <{LP}amount> ?a }}")
    assert sw.queryAndConvert()["boolean"] is True
    sw.setQuery(CONSTRUCT_T1)
    sw.setReturnFormat(SPARQLWrapper.TURTLE)
    g = rdflib.Graph().parse(data=sw.queryAndConvert(), format="turtle")
    assert len(g) == len(expected_graph(reference))
    sw.setReturnFormat(SPARQLWrapper.XML)  # RDF/XML for a CONSTRUCT
    g = sw.queryAndConvert()
    assert isinstance(g, rdflib.Graph) and len(g) == len(expected_graph(reference))
    sw.setQuery("SELEKT nothing")
    with pytest.raises(SPARQLWrapper.SPARQLExceptions.QueryBadFormed):
        sw.query()


# ---- the real build of the committed example -----------------------------------------------------


def test_serves_the_example_build(example_build, example_store):
    _, out = example_build
    q = "SELECT ?g (COUNT(?o) AS ?n) WHERE { GRAPH ?g { ?o a <http://purl.org/linked-data/cube#Observation> } } GROUP BY ?g ORDER BY ?g"
    want = [(row[0].value, row[1].value) for row in example_store.query(q)]
    assert want and int(want[0][1]) > 0
    with running(make_app(out, base=BASE, examples=EXAMPLES)) as u:
        r = requests.get(f"{u}/sparql", params={"query": q})
        assert [(b["g"]["value"], b["n"]["value"]) for b in r.json()["results"]["bindings"]] == want
        # every observation of the first document graph dereferences
        docid = want[0][0].rsplit("/", 1)[1]
        r = requests.get(f"{u}/doc/{docid}/table/1", headers={"Accept": "text/html"})
        assert r.status_code == 200 and "<table" in r.text
        r = requests.get(f"{u}/doc/{docid}", headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) > 0


def test_serves_the_publications_files(example_build):
    """One command hosts a publication: its files by their names beside the endpoint, nothing else."""
    from lodpub.publish.manifest import CATALOGUE, CSV_NAME, DUMPS, LANDING_PAGE
    from lodpub.serve.files import NAMES

    _, out = example_build
    with running(make_app(out, base=BASE, examples=EXAMPLES, workers=1)) as u:
        present = [name for name in NAMES if (out / name).is_file()]
        assert {LANDING_PAGE, CATALOGUE, CSV_NAME, *DUMPS} <= set(present)
        for name in present:
            r = requests.get(f"{u}/{name}", timeout=30)
            assert r.status_code == 200 and r.content == (out / name).read_bytes(), name
        assert requests.get(f"{u}/{CSV_NAME}", timeout=30).headers["Content-Type"].startswith("text/csv")
        assert requests.get(f"{u}/{CATALOGUE}", timeout=30).headers["Content-Type"].startswith("text/turtle")
        landing = requests.get(f"{u}/{LANDING_PAGE}", timeout=30)
        assert landing.headers["Content-Type"].startswith("text/html") and "catalog.ttl" in landing.text
        assert "SPARQL" in requests.get(f"{u}/", timeout=30).text  # / stays the query page
        for other in ("store/CURRENT", "store", "%2e%2e/x", "etc/passwd", ".out.lock"):
            assert requests.get(f"{u}/{other}", timeout=30, headers={"Accept": "text/turtle"}).status_code in (400, 404), other

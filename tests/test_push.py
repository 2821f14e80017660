"""lodpub.push against a real Virtuoso (tests/virtuoso_fixture.py) and, for retries and request
size limits, against a small local fake Graph Store."""

from __future__ import annotations

import decimal
import gzip
import http.server
import threading

import pyoxigraph as ox
import pytest

from lodpub.errors import LodpubError
from lodpub.push import chunk_triples, push, read_dump
from virtuoso_fixture import virtuoso  # noqa: F401  (the fixture)

BASE = "https://data.example.org/lodpub/"
LP = "https://w3id.org/lodpub/ontology#"
QB = "http://purl.org/linked-data/cube#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DOCS = {"a1b2c3d4e5f60001": 40, "a1b2c3d4e5f60002": 25, "a1b2c3d4e5f60003": 3000}
CODES = "https://w3id.org/lodpub/code/function"


def nn(x):
    return ox.NamedNode(x)


def make_quads(docs):
    quads = []
    for doc, rows in docs.items():
        g = nn(f"{BASE}graph/{doc}")
        table = nn(f"{BASE}doc/{doc}/table/1")
        quads.append(ox.Quad(table, nn(RDFS + "label"), ox.Literal("一般公共预算支出预算表", language="zh"), g))
        for r in range(1, rows + 1):
            o = nn(f"{BASE}doc/{doc}/table/1/r{r}c2")
            quads += [
                ox.Quad(o, nn(QB + "dataSet"), table, g),
                ox.Quad(o, nn(LP + "amount"), ox.Literal(f"{(r * 7919) % 100000}.{r % 100:02d}", datatype=nn(XSD + "decimal")), g),
            ]
        # a provenance record with blank nodes, which must never be split between requests
        prov = ox.BlankNode(f"prov{doc}")
        inner = ox.BlankNode(f"agent{doc}")
        quads += [
            ox.Quad(nn(f"{BASE}doc/{doc}"), nn("http://www.w3.org/ns/prov#qualifiedGeneration"), prov, g),
            ox.Quad(prov, nn("http://www.w3.org/ns/prov#agent"), inner, g),
            ox.Quad(inner, nn(RDFS + "label"), ox.Literal('漯河市财政局 "lodpub"\n'), g),
        ]
    for i in range(5):
        quads.append(
            ox.Quad(nn(f"{CODES}/20103{i:02d}"), nn("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal(f"行政运行{i}", language="zh"), nn(CODES))
        )
    return quads


def make_build(path, docs):
    path.mkdir(parents=True, exist_ok=True)
    quads = make_quads(docs)
    dump = ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS)
    (path / "lodpub.nq.gz").write_bytes(gzip.compress(dump, mtime=0))
    return path


def graph_counts(server, graphs):
    values = " ".join(f"<{g}>" for g in graphs)
    rows = server.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
    counts = {g: 0 for g in graphs}
    counts.update({r["g"]: int(r["n"]) for r in rows})
    return counts


ALL_GRAPHS = [f"{BASE}graph/{d}" for d in DOCS] + [CODES]


@pytest.fixture
def creds(virtuoso):  # noqa: F811
    return (virtuoso.user, virtuoso.password)


# ---- against Virtuoso ----------------------------------------------------------------------------


def test_push_counts_and_sum_match(virtuoso, creds, tmp_path):  # noqa: F811
    build = make_build(tmp_path / "full", DOCS)
    report = push(build, virtuoso.crud_auth_url, auth=creds)
    dump = read_dump(build / "lodpub.nq.gz")
    assert set(report.graphs) == set(dump) == set(ALL_GRAPHS)
    assert report.manifest_graph == f"{BASE}graph/push-manifest"
    assert graph_counts(virtuoso, ALL_GRAPHS) == {g: len(lines) for g, lines in dump.items()}
    # the same SUM as pyoxigraph's over the same data, to the last digit
    ref = ox.Store()
    ref.extend(make_quads(DOCS))
    q = f"SELECT (SUM(?a) AS ?total) WHERE {{ GRAPH <{BASE}graph/a1b2c3d4e5f60003> {{ ?o <{LP}amount> ?a }} }}"
    expected = decimal.Decimal(next(iter(ref.query(q)))[0].value)
    got = decimal.Decimal(virtuoso.select(q)[0]["total"])
    assert got == expected and expected > 0
    # Chinese text, escapes and blank-node structure survive the trip
    rows = virtuoso.select(
        f"SELECT ?l WHERE {{ GRAPH <{BASE}graph/a1b2c3d4e5f60001> {{ "
        "?d <http://www.w3.org/ns/prov#qualifiedGeneration>/<http://www.w3.org/ns/prov#agent>"
        f"/<{RDFS}label> ?l }} }}"
    )
    assert rows == [{"l": '漯河市财政局 "lodpub"\n'}]


def test_repush_is_idempotent(virtuoso, creds, tmp_path):  # noqa: F811
    build = make_build(tmp_path / "full", DOCS)
    push(build, virtuoso.crud_auth_url, auth=creds)
    before = graph_counts(virtuoso, ALL_GRAPHS)
    report = push(build, virtuoso.crud_auth_url, auth=creds)
    assert report.deleted == []
    assert graph_counts(virtuoso, ALL_GRAPHS) == before


def test_withdrawn_document_is_deleted(virtuoso, creds, tmp_path):  # noqa: F811
    push(make_build(tmp_path / "full", DOCS), virtuoso.crud_auth_url, auth=creds)
    fewer = {k: v for k, v in DOCS.items() if k != "a1b2c3d4e5f60002"}
    report = push(make_build(tmp_path / "fewer", fewer), virtuoso.crud_auth_url, auth=creds)
    gone = f"{BASE}graph/a1b2c3d4e5f60002"
    assert report.deleted == [gone]
    counts = graph_counts(virtuoso, ALL_GRAPHS)
    assert counts[gone] == 0
    dump = read_dump(tmp_path / "fewer" / "lodpub.nq.gz")
    assert all(counts[g] == len(dump[g]) for g in dump)
    # and the manifest remembers only what is there now
    manifest = virtuoso.select(f"SELECT ?g WHERE {{ GRAPH <{BASE}graph/push-manifest> {{ ?m <{LP}pushedGraph> ?g }} }}")
    assert {r["g"] for r in manifest} == set(dump)
    # putting the document back restores it
    push(make_build(tmp_path / "full", DOCS), virtuoso.crud_auth_url, auth=creds)
    assert graph_counts(virtuoso, [gone])[gone] == len(read_dump(tmp_path / "full" / "lodpub.nq.gz")[gone])


def test_wrong_password_is_a_clear_error(virtuoso, tmp_path):  # noqa: F811
    build = make_build(tmp_path / "full", DOCS)
    with pytest.raises(LodpubError, match=r"authentication failed for .*/sparql-graph-crud-auth as dba"):
        push(build, virtuoso.crud_auth_url, auth=("dba", "not-the-password"), retries=0)


def test_credentials_from_environment_and_netrc(virtuoso, tmp_path, monkeypatch):  # noqa: F811
    build = make_build(tmp_path / "full", DOCS)
    monkeypatch.setenv("LODPUB_PUSH_USER", virtuoso.user)
    monkeypatch.setenv("LODPUB_PUSH_PASSWORD", virtuoso.password)
    assert push(build, virtuoso.crud_auth_url).triples == sum(len(v) for v in read_dump(build / "lodpub.nq.gz").values())
    monkeypatch.delenv("LODPUB_PUSH_USER")
    monkeypatch.delenv("LODPUB_PUSH_PASSWORD")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {virtuoso.user} password {virtuoso.password}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert push(build, virtuoso.crud_auth_url, auth_scheme="digest").deleted == []
    monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(LodpubError, match="LODPUB_PUSH_USER"):
        push(build, virtuoso.crud_auth_url, retries=0)


def test_large_graph_in_chunks(virtuoso, creds, tmp_path):  # noqa: F811
    build = make_build(tmp_path / "full", DOCS)
    report = push(build, virtuoso.crud_auth_url, auth=creds, max_request_bytes=64 * 1024)
    dump = read_dump(build / "lodpub.nq.gz")
    big = f"{BASE}graph/a1b2c3d4e5f60003"
    assert report.requests > len(dump) + 5  # the 3000-row graph went in several requests
    assert graph_counts(virtuoso, ALL_GRAPHS) == {g: len(lines) for g, lines in dump.items()}
    rows = virtuoso.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{big}> {{ <{BASE}doc/a1b2c3d4e5f60003> "
        f"?p ?b . ?b ?q ?c . ?c <{RDFS}label> ?l FILTER(isBlank(?b) && isBlank(?c)) }} }}"
    )
    assert rows == [{"n": "1"}]  # the blank-node chain is one connected structure


# ---- without Virtuoso ------------------------------------------------------------------------------


def test_chunks_keep_blank_node_groups_together():
    lines = [f'<http://s/{i}> <http://p> "{"x" * 50}" .\n' for i in range(100)]
    lines.insert(10, "<http://a> <http://p> _:b1 .\n")
    lines.insert(80, "_:b1 <http://p> _:b2 .\n")
    lines.insert(95, '_:b2 <http://p> "end" .\n')
    chunks = chunk_triples(lines, 1000)
    assert len(chunks) > 5
    assert sorted(sum(chunks, [])) == sorted(lines)
    holding = [i for i, c in enumerate(chunks) if any("_:b" in x for x in c)]
    assert len(holding) == 1 and sum("_:b" in x for x in chunks[holding[0]]) == 3


class FakeStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store that fails the first requests with 503 and refuses bodies over a limit."""

    graphs: dict = {}
    failures = 0
    limit = 10**9
    log: list = []

    def log_message(self, *args):
        pass

    def _graph(self):
        from urllib.parse import parse_qs, urlsplit

        return parse_qs(urlsplit(self.path).query)["graph"][0]

    def _answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/n-triples")
        self.end_headers()
        self.wfile.write(body)

    def _write(self, replace):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).log.append((self.command, len(body)))
        if type(self).failures > 0:
            type(self).failures -= 1
            return self._answer(503)
        if len(body) > type(self).limit:
            return self._answer(413)
        g = self._graph()
        if replace:
            self.graphs[g] = []
        self.graphs.setdefault(g, []).extend(body.decode().splitlines(keepends=True))
        self._answer(201)

    def do_GET(self):
        g = self._graph()
        if g not in self.graphs:
            return self._answer(404)
        self._answer(200, "".join(self.graphs[g]).encode())

    def do_PUT(self):
        self._write(True)

    def do_POST(self):
        self._write(False)

    def do_DELETE(self):
        self._answer(204 if self.graphs.pop(self._graph(), None) is not None else 404)


@pytest.fixture
def fake_store():
    FakeStore.graphs, FakeStore.failures, FakeStore.limit, FakeStore.log = {}, 0, 10**9, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/store", FakeStore
    server.shutdown()
    server.server_close()


def test_retries_on_5xx_and_shrinks_on_413(fake_store, tmp_path):
    endpoint, store = fake_store
    build = make_build(tmp_path / "full", DOCS)
    dump = read_dump(build / "lodpub.nq.gz")
    store.failures = 2
    store.limit = 50_000
    report = push(build, endpoint, backoff=0.01)
    for g, lines in dump.items():
        assert sorted(store.graphs[g]) == sorted(lines)
    assert sum(1 for m, n in store.log if n > 50_000) >= 1  # the 413 made it split smaller
    assert report.deleted == []
    store.failures = 100
    with pytest.raises(LodpubError, match="HTTP 503"):
        push(build, endpoint, retries=2, backoff=0.01)


def test_connection_refused_is_bounded(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    build = make_build(tmp_path / "full", {"a1b2c3d4e5f60001": 2})
    with pytest.raises(LodpubError, match="failed after 3 attempts"):
        push(build, f"http://127.0.0.1:{port}/store", retries=2, backoff=0.01)


def test_push_the_example_build(virtuoso, creds, example_build):  # noqa: F811
    _, out = example_build
    dump = read_dump(out / "lodpub.nq.gz")
    dump.pop("", None)
    report = push(out, virtuoso.crud_auth_url, auth=creds)
    assert set(report.graphs) == set(dump)
    assert graph_counts(virtuoso, list(dump)) == {g: len(set(lines)) for g, lines in dump.items()}


def _plain(value: str) -> str:
    """Numbers compared by value (Virtuoso and Oxigraph print decimals differently)."""
    try:
        return str(decimal.Decimal(value).normalize())
    except (decimal.InvalidOperation, TypeError):
        return value


def test_pushed_example_answers_the_readme_queries_like_the_embedded_store(virtuoso, creds, example_build):  # noqa: F811
    from lodpub.resources import example_queries

    _, out = example_build
    push(out, virtuoso.crud_auth_url, auth=creds)
    store = ox.Store.read_only(str(out / "store"))
    for title, query in example_queries():
        answer = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in answer.variables]
        expected = sorted(tuple(_plain(t.value) if t is not None else "" for t in row) for row in answer)
        got = sorted(tuple(_plain(r.get(n, "")) for n in names) for r in virtuoso.select(query))
        assert got == expected, title
        assert expected, title  # every README query answers something on the example

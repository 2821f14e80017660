"""lodpub.push.push_bulk (Virtuoso's bulk loader through isql) against a real Virtuoso
(tests/virtuoso_fixture.py): the same data on the server as the Graph Store Protocol push."""

from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lodpub.errors import LodpubError
from lodpub.push import push, push_bulk, read_dump
from lodpub.push.bulk import split_address, sql_string
from test_push import ALL_GRAPHS, BASE, DOCS, LP, _plain, graph_counts, make_build
from virtuoso_fixture import virtuoso  # noqa: F401  (the fixture)


@pytest.fixture
def creds(virtuoso):  # noqa: F811
    return (virtuoso.user, virtuoso.password)


def bulk(build, server, creds, **kwargs):
    return push_bulk(build, str(server.sql_port), server.load_dir, auth=creds, **kwargs)


def manifest(server):
    rows = server.select(f"SELECT ?g WHERE {{ GRAPH <{BASE}graph/push-manifest> {{ ?m <{LP}pushedGraph> ?g }} }}")
    return {r["g"] for r in rows}


def answers(server, queries):
    out = {}
    for title, query in queries:
        rows = server.select(query)
        names = sorted({k for r in rows for k in r})
        out[title] = sorted(tuple(_plain(r.get(n, "")) for n in names) for r in rows)
    return out


# ---- against Virtuoso ----------------------------------------------------------------------------


def test_bulk_pushed_example_answers_like_the_graph_store_push(virtuoso, creds, example_build):  # noqa: F811
    from lodpub.resources import example_queries

    _, out = example_build
    dump = read_dump(out / "lodpub.nq.gz")
    dump.pop("", None)
    queries = example_queries()
    push(out, virtuoso.crud_auth_url, auth=creds)
    by_gsp = answers(virtuoso, queries)
    counts = graph_counts(virtuoso, list(dump))
    kept = set(virtuoso.load_dir.iterdir())
    report = bulk(out, virtuoso, creds)
    assert set(report.graphs) == set(dump) and report.deleted == []
    assert graph_counts(virtuoso, list(dump)) == counts == {g: len(set(lines)) for g, lines in dump.items()}
    by_bulk = answers(virtuoso, queries)
    assert by_bulk == by_gsp
    assert all(by_bulk.values())  # every README query answers something on the example
    # and as the embedded store answers them
    store = ox.Store.read_only(str(out / "store"))
    for title, query in queries:
        answer = store.query(query, use_default_graph_as_union=True)
        names = sorted(v.value for v in answer.variables)
        index = [v.value for v in answer.variables]
        expected = sorted(tuple(_plain(row[index.index(n)].value) if row[index.index(n)] is not None else "" for n in names) for row in answer)
        assert by_bulk[title] == expected, title
    assert manifest(virtuoso) == set(dump)
    assert set(virtuoso.load_dir.iterdir()) == kept  # the files are taken away after a push


def test_bulk_repush_is_idempotent_and_withdrawn_graphs_go(virtuoso, creds, tmp_path):  # noqa: F811
    full = make_build(tmp_path / "full", DOCS)
    expected = {g: len(lines) for g, lines in read_dump(full / "lodpub.nq.gz").items()}
    bulk(full, virtuoso, creds)
    assert graph_counts(virtuoso, ALL_GRAPHS) == expected
    report = bulk(full, virtuoso, creds, loaders=2)
    assert report.deleted == [] and report.triples == sum(expected.values())
    assert graph_counts(virtuoso, ALL_GRAPHS) == expected
    # a Graph Store push after a bulk push sees the same manifest: nothing to delete, the same data
    assert push(full, virtuoso.crud_auth_url, auth=creds).deleted == []
    assert graph_counts(virtuoso, ALL_GRAPHS) == expected
    fewer = {k: v for k, v in DOCS.items() if k != "a1b2c3d4e5f60002"}
    report = bulk(make_build(tmp_path / "fewer", fewer), virtuoso, creds)
    gone = f"{BASE}graph/a1b2c3d4e5f60002"
    assert report.deleted == [gone]
    counts = graph_counts(virtuoso, ALL_GRAPHS)
    assert counts[gone] == 0 and all(counts[g] == n for g, n in expected.items() if g != gone)
    assert manifest(virtuoso) == set(expected) - {gone}
    # blank-node structure and escapes survive the loader as they survive the Graph Store push
    rows = virtuoso.select(
        f"SELECT ?l WHERE {{ GRAPH <{BASE}graph/a1b2c3d4e5f60001> {{ "
        "?d <http://www.w3.org/ns/prov#qualifiedGeneration>/<http://www.w3.org/ns/prov#agent>"
        "/<http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    )
    assert rows == [{"l": '漯河市财政局 "lodpub"\n'}]


def test_a_file_the_loader_refuses_is_named(virtuoso, creds, tmp_path, monkeypatch):  # noqa: F811
    from lodpub.push import bulk as bulk_module

    split = bulk_module.split_dump
    broken = f"{BASE}graph/a1b2c3d4e5f60002"

    def split_and_break(dump, folder):
        files, default, size = split(dump, folder)
        with gzip.open(files[broken][0], "ab") as f:
            f.write(b"<http://a> <http://b> this is not N-Quads .\n")
        return files, default, size

    monkeypatch.setattr(bulk_module, "split_dump", split_and_break)
    build = make_build(tmp_path / "full", DOCS)
    with pytest.raises(LodpubError, match=rf"could not load \d file\(s\): .*/g\d+\.nq\.gz \(graph <{broken}>\): [^;]*syntax error.*kept in") as failed:
        bulk(build, virtuoso, creds)
    assert virtuoso.password not in str(failed.value)  # (a file loaded beside it may be reported as not loaded)
    monkeypatch.undo()
    # the manifest kept every graph, so the next push puts everything right
    bulk(build, virtuoso, creds)
    assert graph_counts(virtuoso, ALL_GRAPHS) == {g: len(lines) for g, lines in read_dump(build / "lodpub.nq.gz").items()}


def test_a_folder_the_server_may_not_read_is_refused(virtuoso, creds, tmp_path):  # noqa: F811
    build = make_build(tmp_path / "full", DOCS)
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(LodpubError, match="may not read this folder; add it to DirsAllowed"):
        push_bulk(build, str(virtuoso.sql_port), tmp_path / "elsewhere", auth=creds)
    assert list((tmp_path / "elsewhere").iterdir()) == []
    # a dump that is not N-Quads fails before the server is touched, and leaves no files behind
    (tmp_path / "bad.nq").write_bytes(b"<http://s> <http://p> nonsense <http://g> .\n")
    before = set(virtuoso.load_dir.iterdir())  # (a failed load before keeps its files)
    with pytest.raises(LodpubError, match="line 1 is not valid N-Quads"):
        push_bulk(tmp_path / "bad.nq", str(virtuoso.sql_port), virtuoso.load_dir, auth=creds)
    assert set(virtuoso.load_dir.iterdir()) == before


def test_a_wrong_password_is_one_clear_error(virtuoso, tmp_path):  # noqa: F811
    """One failed login only (Virtuoso bars the address after four), and the password never shown."""
    build = make_build(tmp_path / "full", {"a1b2c3d4e5f60001": 2})
    with pytest.raises(LodpubError, match=r"authentication failed for Virtuoso at 127\.0\.0\.1:\d+ as dba") as failed:
        push_bulk(build, str(virtuoso.sql_port), virtuoso.load_dir, auth=("dba", "not-the-password-x"))
    assert "not-the-password-x" not in str(failed.value)
    assert virtuoso.tail().count("Incorrect login") == 1


def test_the_command_line_bulk_push(virtuoso, tmp_path, monkeypatch):  # noqa: F811
    from lodpub.cli import main

    build = make_build(tmp_path / "full", DOCS)
    monkeypatch.setenv("LODPUB_PUSH_USER", virtuoso.user)
    monkeypatch.setenv("LODPUB_PUSH_PASSWORD", virtuoso.password)
    args = ["push", str(build), "--virtuoso-isql", f"127.0.0.1:{virtuoso.sql_port}", "--load-dir", str(virtuoso.load_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "by its bulk loader" in result.output and virtuoso.password not in result.output


# ---- without Virtuoso ------------------------------------------------------------------------------


def test_the_split_files_hold_each_graph_as_the_dump_does(tmp_path):
    from lodpub.push.split import graph_of, split_dump

    build = make_build(tmp_path / "full", DOCS)
    (tmp_path / "files").mkdir()
    files, default, size = split_dump(build / "lodpub.nq.gz", tmp_path / "files")
    dump = read_dump(build / "lodpub.nq.gz")
    assert default == 0 and size > 0 and set(files) == set(dump)
    for graph, (path, n) in files.items():
        quads = list(ox.parse(gzip.decompress(path.read_bytes()), format=ox.RdfFormat.N_QUADS))
        assert n == len(quads) and {q.graph_name.value for q in quads} == {graph}
        assert sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads) == sorted(dump[graph])
    assert graph_of(b'<s> <p> "a \\" b"@zh <g> .\n') == b"<g>"
    assert graph_of(b'<s> <p> "1"^^<http://t> .\n') == b""
    assert graph_of(b"_:a <p> <o> <g> .\r\n") == b"<g>"
    assert graph_of(b"# a comment\n") is None
    # lines the quick reading does not take are parsed: a comment, a quad in the default graph
    (tmp_path / "odd.nq").write_bytes(b"# made by hand\n<http://s> <http://p> <http://o> .\n<http://s> <http://p>  <http://o>  <http://g> .\n")
    (tmp_path / "odd").mkdir()
    files, default, _ = split_dump(tmp_path / "odd.nq", tmp_path / "odd")
    assert default == 1 and {g: n for g, (_, n) in files.items()} == {"http://g": 1}
    (tmp_path / "bad.nq").write_bytes(b"<http://s> <http://p> nonsense <http://g> .\n")
    with pytest.raises(LodpubError, match="line 1 is not valid N-Quads"):
        split_dump(tmp_path / "bad.nq", tmp_path / "odd")


def test_the_options_are_checked(tmp_path, monkeypatch):
    from lodpub.cli import main

    build = make_build(tmp_path / "full", {"a1b2c3d4e5f60001": 2})
    runner = CliRunner()
    assert "either --endpoint" in runner.invoke(main, ["push", str(build)]).output
    assert "either --endpoint" in runner.invoke(main, ["push", str(build), "--endpoint", "http://h/x", "--virtuoso-isql", "1111"]).output
    assert "needs --load-dir" in runner.invoke(main, ["push", str(build), "--virtuoso-isql", "1111"]).output
    with pytest.raises(LodpubError, match="not a Virtuoso SQL address"):
        split_address("host:port")
    assert split_address("1111") == ("127.0.0.1", 1111) and split_address("db.local:1112") == ("db.local", 1112)
    assert sql_string("http://x/it's") == "'http://x/it''s'"
    monkeypatch.setenv("LODPUB_ISQL", "no-such-isql-here")
    with pytest.raises(LodpubError, match=r"isql client \(no-such-isql-here\) is not on PATH"):
        push_bulk(build, "1111", tmp_path, auth=("dba", "pw"))

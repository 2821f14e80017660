"""The publication folder: dumps that other tools parse, a catalogue that tells the truth, determinism."""

from __future__ import annotations

import gzip
import hashlib
import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from conftest import BASE, EXAMPLE, ROOT, in_repository

DUMPS = ["lodpub.nq.gz", "lodpub.nt.gz", "lodpub.ttl", "lodpub.jsonld"]


def ox_triples(path) -> set[str]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    fmt = {
        "lodpub.nq.gz": ox.RdfFormat.N_QUADS,
        "lodpub.nt.gz": ox.RdfFormat.N_TRIPLES,
        "lodpub.ttl": ox.RdfFormat.TURTLE,
        "lodpub.jsonld": ox.RdfFormat.JSON_LD,
    }[path.name]
    out = set()
    for item in ox.parse(data, format=fmt):
        t = item.triple if isinstance(item, ox.Quad) else item
        out.add(str(ox.Triple(t.subject, t.predicate, t.object)))
    return out


def test_every_dump_parses_to_the_same_graph_with_pyoxigraph(example_build):
    _, out = example_build
    graphs = {name: ox_triples(out / name) for name in DUMPS}
    reference = graphs["lodpub.nt.gz"]
    assert len(reference) > 10000
    for name, triples in graphs.items():
        assert triples == reference, name


def test_dumps_parse_with_rdflib_too(example_build):
    _, out = example_build
    nt = Graph().parse(data=gzip.decompress((out / "lodpub.nt.gz").read_bytes()).decode("utf-8"), format="nt")
    ttl = Graph().parse(out / "lodpub.ttl", format="turtle")
    assert isomorphic(nt, ttl)
    jsonld = Graph().parse(out / "lodpub.jsonld", format="json-ld")
    assert len(jsonld) == len(nt)
    quads = Dataset()
    quads.parse(data=gzip.decompress((out / "lodpub.nq.gz").read_bytes()).decode("utf-8"), format="nquads")
    names = {str(g.identifier) for g in quads.graphs()}
    assert f"{BASE}graph/vocabulary" in names
    assert any(n.startswith(f"{BASE}graph/") and n != f"{BASE}graph/vocabulary" for n in names)


def test_the_store_holds_the_dump(example_build):
    _, out = example_build
    store = ox.Store.read_only(str(out / "store"))
    dump = set(ox.parse(gzip.decompress((out / "lodpub.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS))
    assert set(store) == dump


def test_catalogue_describes_each_data_file_truthfully(example_build):
    from lodpub.publish.manifest import FORMATS

    _, out = example_build
    g = Graph().parse(out / "catalog.ttl", format="turtle")
    rows = g.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sum WHERE { ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ;
                                        spdx:checksum/spdx:checksumValue ?sum }""")
    described = {str(r.url).rsplit("/", 1)[1]: (int(r.size), str(r.sum)) for r in rows}
    assert set(described) == set(FORMATS) and set(DUMPS) <= set(FORMATS)
    dumps = {str(o).rsplit("/", 1)[1] for o in g.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert dumps == set(DUMPS)  # the RDF dumps only
    for name, (size, checksum) in described.items():
        data = (out / name).read_bytes()
        assert size == len(data) and checksum == hashlib.sha256(data).hexdigest(), name
    triples = int(next(iter(g.query("SELECT ?n WHERE { ?d <http://rdfs.org/ns/void#triples> ?n }"))).n)
    assert triples == len(ox_triples(out / "lodpub.nt.gz"))
    assert (None, URIRef("http://www.w3.org/ns/dcat#endpointURL"), URIRef(f"{BASE}sparql")) in g


def test_jsonld_uses_the_published_context(example_build):
    _, out = example_build
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    document = json.loads((out / "lodpub.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context
    assert context["lp"] == "https://w3id.org/lodpub/ontology#"
    assert context["amount"] == {"@id": "lp:amount", "@type": "xsd:decimal"}
    assert any(node.get("@type") == "BudgetTable" for node in document["@graph"])


def test_same_input_gives_byte_identical_files(example_build, tmp_path):
    from lodpub.build import build

    _, first = example_build
    second = tmp_path / "again"
    copy = tmp_path / "copy.txt"  # a second document, so that two worker processes share the work
    copy.write_text(EXAMPLE.read_text(encoding="utf-8").replace("2024", "2025"), encoding="utf-8")
    build([str(EXAMPLE), str(copy)], tmp_path / "two-jobs", base=BASE, issued="2024-03-01", jobs=2)
    build([str(EXAMPLE), str(copy)], tmp_path / "one-job", base=BASE, issued="2024-03-01", jobs=1)
    with in_repository():  # the example named as the session's build names it
        build([str(EXAMPLE.relative_to(ROOT))], second, base=BASE, issued="2024-03-01")
    from golden_cases import PUBLICATION_FILES as names  # every file of a publication but the store

    for name in names:  # the number of worker processes changes nothing
        assert (tmp_path / "two-jobs" / name).read_bytes() == (tmp_path / "one-job" / name).read_bytes(), name
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_two_documents_never_collide_and_the_base_is_configurable(tmp_path):
    from lodpub.build import build

    other = tmp_path / "other.txt"
    other.write_text(EXAMPLE.read_text(encoding="utf-8").replace("4,212.99", "4,212.98", 1), encoding="utf-8")
    base = "http://example.com/budget/"
    result = build([str(EXAMPLE), str(other)], tmp_path / "out", base=base, issued="2024-03-01")
    ids = [d.docid for d in result.succeeded]
    assert len(set(ids)) == 2
    store = ox.Store.read_only(str(tmp_path / "out" / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert {f"{base}graph/{i}" for i in ids} <= graphs
    for i in ids:  # each document's resources are in its own graph only
        other_id = next(x for x in ids if x != i)
        leaked = store.query(f"""ASK {{ GRAPH <{base}graph/{other_id}> {{ ?s ?p ?o
            FILTER(STRSTARTS(STR(?s), "{base}doc/{i}")) }} }}""")
        assert not leaked
    assert all(q.subject.value.startswith(("https://w3id.org/", base)) for q in store if isinstance(q.subject, ox.NamedNode))


def parse_triples(triple_lines: list[str]) -> list:
    """N-Triples lines as pyoxigraph triples (the references' input)."""
    return list(ox.parse(("\n".join(triple_lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def _strip(line: str) -> str:
    head = line[:-2].rstrip()
    return head[: head.rfind(" <")] + " ."


def test_a_store_loader_that_lags_behind_still_gets_every_document(tmp_path, monkeypatch):
    """The dumps delete each document's pieces once they hold them, all but its N-Quads, which the
    store's loader reads, maybe later: a loader still reading earlier documents must get them all (a
    race a 30-document build once lost)."""
    import time

    import lodpub.store
    from lodpub.build import build

    slow = lodpub.store.gzip.decompress

    def decompress(data):
        time.sleep(1.5)
        return slow(data)

    monkeypatch.setattr(lodpub.store.gzip, "decompress", decompress)
    inputs = []
    for year in ("2021", "2022", "2023"):
        path = tmp_path / f"{year}.txt"
        path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("2024", year), encoding="utf-8")
        inputs.append(str(path))
    result = build(inputs, tmp_path / "out", base=BASE, issued="2024-03-01")
    store = ox.Store.read_only(str(tmp_path / "out" / "store"))
    assert len(store) == result.publication.quads
    assert not list((tmp_path).glob(".out.work-*"))


def test_a_build_keeps_each_documents_details_on_disk_and_streams_the_reports(tmp_path, monkeypatch):
    """Details (tables, skipped cells, findings) wait in the work folder, not in memory; the reports
    written from them a document at a time are what the in-memory path writes; the result counts
    every finding but keeps only KEPT_FINDINGS of them."""
    import csv

    from lodpub import build as build_module
    from lodpub.build import build, read_and_validate
    from lodpub.errors import LodpubError
    from lodpub.publish.reports import report_turtle
    from lodpub.validate import summary_lines

    other = tmp_path / "other.txt"
    other.write_text(EXAMPLE.read_text(encoding="utf-8").replace("漯河市人民政府办公室", "漯河市财政局"), encoding="utf-8")
    inputs = [str(EXAMPLE), str(other)]
    monkeypatch.setattr(build_module, "KEPT_FINDINGS", 5)
    result = build(inputs, tmp_path / "out", base=BASE, issued="2024-03-01")
    in_memory = read_and_validate(inputs, base=BASE)  # no work folder: details stay in memory, all findings kept

    for d in result.published():
        assert d.details is None
        with pytest.raises(LodpubError, match="only kept while the build ran"):
            d.load_details()
    everything = in_memory.validation.findings
    assert len(everything) > 5 and len(result.validation.findings) == 5
    assert result.validation.counts == in_memory.validation.counts
    assert (result.validation.violations, result.validation.warnings) == (in_memory.validation.violations, in_memory.validation.warnings)
    assert (tmp_path / "out" / "validation-report.ttl").read_bytes() == report_turtle(everything, BASE)
    lines = summary_lines(result.validation, result.titles())
    assert any("more in validation-report.ttl" in line for line in lines)
    assert lines[-1] == summary_lines(in_memory.validation, in_memory.titles())[-1]

    with open(tmp_path / "out" / "accounting.csv", encoding="utf-8-sig", newline="") as f:
        accounting = list(csv.DictReader(f))
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    for doc in summary["documents"]:
        mine = [a for a in accounting if a["document"] == doc["docid"]]
        assert doc["tables"] == len(mine) > 0
        assert doc["amount_cells"] == sum(int(a["amount_cells"]) for a in mine)
        assert doc["skipped_cells"] == sum(int(a["skipped"]) for a in mine)
        assert doc["budget_lines"] == sum(int(a["in_graph"]) for a in mine)


def test_turtle_made_from_text_is_what_pyoxigraph_writes(example_build):
    """Workers write a document's Turtle straight from its N-Triples text: the bytes pyoxigraph's
    serializer gives for the parsed triples; and IRIs or literals beyond lodpub's usual ones still
    make Turtle that parses back to the same triples."""
    import gzip

    from lodpub.mapping import literal_text
    from lodpub.namespaces import PREFIXES
    from lodpub.publish.turtle import turtle_text_of_lines

    _, out = example_build
    lines = sorted({_strip(l) for l in gzip.decompress((out / "lodpub.nq.gz").read_bytes()).decode("utf-8").splitlines()})
    lines = [l for l in lines if l.startswith(f"<{BASE}doc/")]  # one document's own triples, sorted
    assert len(lines) > 10000
    reference = ox.serialize(parse_triples(lines), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert turtle_text_of_lines(lines) == b"\n".join(l for l in reference.split(b"\n") if not l.startswith(b"@prefix "))

    xsd = "http://www.w3.org/2001/XMLSchema#"
    odd = [f"<https://w3id.org/lodpub/code/{local}>" for local in ("-x", "x.", "a%20b", "a(b)~c", "中文", "", "x.y", "_T")]
    literals = [literal_text(t) + suffix for t in ('say "三公"', "tab\there", "line\nbreak", "back\\slash", "bell\x07") for suffix in ("", "@zh")]
    literals += [
        f'"{v}"^^<{xsd}{t}>'
        for v, t in (
            ("4212.99", "decimal"),
            ("42129900", "decimal"),
            ("-1", "integer"),
            ("01", "integer"),
            ("true", "boolean"),
            ("2024", "gYear"),
            ("1.5E3", "double"),
            ("x", "string"),
        )
    ]
    extra = sorted(f"<https://example.org/s> <https://w3id.org/lodpub/ontology#p{i:02d}> {o} ." for i, o in enumerate(odd + literals + ["_:b1"]))
    text = turtle_text_of_lines(extra)
    header = "".join(f"@prefix {k}: <{v}> .\n" for k, v in PREFIXES.items()).encode("utf-8")
    back = {str(t) for t in ox.parse(header + text, format=ox.RdfFormat.TURTLE)}
    assert back == {str(t) for t in parse_triples(extra)}


def test_the_shared_graphs_turtle_is_what_pyoxigraph_writes(example_build):
    """The dump's head (the shared graphs, with the prefix lines) is written from N-Triples text by
    lodpub's one Turtle writer: the bytes pyoxigraph's serialiser, the reference, gives."""
    import gzip

    from lodpub.namespaces import PREFIXES
    from lodpub.publish.turtle import turtle_document

    _, out = example_build
    lines = sorted({_strip(l) for l in gzip.decompress((out / "lodpub.nq.gz").read_bytes()).decode("utf-8").splitlines()})
    lines = [l for l in lines if not l.startswith(f"<{BASE}doc/")]  # the shared graphs' triples
    assert len(lines) > 1000
    assert turtle_document(lines) == ox.serialize(parse_triples(lines), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert (out / "lodpub.ttl").read_bytes().startswith(turtle_document(lines)[:2000])


def test_the_store_finishes_in_its_thread_and_hands_back_its_errors(tmp_path, monkeypatch):
    """`finish_soon` leaves the last load and the compaction to the loader's thread; `finish` waits for
    them and returns the quads, or raises what went wrong there (the caller then removes the files)."""
    import lodpub.store
    from lodpub.store import StoreLoader

    lines = b'<https://example.org/s> <https://example.org/p> "1" <https://example.org/g> .\n'
    (tmp_path / "3.nq.gz").write_bytes(gzip.compress(lines.replace(b'"1"', b'"3"')))
    (tmp_path / "4.nq.gz").write_bytes(gzip.compress(lines.replace(b'"1"', b'"4"') * 3))
    monkeypatch.setattr(lodpub.store, "SEGMENT_BYTES", 100)  # a bulk load for every item or two
    loader = StoreLoader(tmp_path / "good")
    loader.add(lines)
    loader.add_gzip_file(tmp_path / "3.nq.gz")
    loader.add_gzip_file(tmp_path / "4.nq.gz")
    loader.add(lines.replace(b'"1"', b'"2"'))
    loader.finish_soon()
    loader.finish_soon()  # (once is enough; twice changes nothing)
    assert loader.finish() == 4
    assert sorted(q.object.value for q in ox.Store.read_only(str(tmp_path / "good"))) == ["1", "2", "3", "4"]

    (tmp_path / "cut.nq.gz").write_bytes(gzip.compress(lines)[:-6])
    cut = StoreLoader(tmp_path / "cut")
    cut.add_gzip_file(tmp_path / "cut.nq.gz")
    with pytest.raises(EOFError):
        cut.finish()

    abandoned = StoreLoader(tmp_path / "abandoned")
    abandoned.add(lines)
    abandoned.close()  # (a failure elsewhere: the load stops at its next read, nothing is compacted)
    with pytest.raises(RuntimeError, match="abandoned"):
        abandoned.finish()

    broken = StoreLoader(tmp_path / "broken")
    broken.add(lines)
    broken.add(b"<https://example.org/s> <https://example.org/p> no-term .\n")
    broken.finish_soon()
    with pytest.raises(SyntaxError):
        broken.finish()
    broken.close()  # (after a failure: nothing left to stop)


def _watched_store(bulk_load):
    """pyoxigraph's Store with its bulk loads made by `bulk_load(store, data, format)`: what a test watches of them."""
    Store = ox.Store

    class WatchedStore:
        def __init__(self, path):
            self.inner = Store(path)

        def bulk_load(self, data, format):
            bulk_load(self.inner, data, format)

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def __len__(self):
            return len(self.inner)

    return WatchedStore


def test_the_store_loads_segments_at_once_into_one_store(tmp_path, monkeypatch):
    """Once everything is added, LOADS_AT_ONCE segments are bulk-loaded at the same time, each in a thread of its own: every load
    here waits until another is running beside it (a barrier of two), which one load at a time would
    never pass. The store then holds every quad of every segment, and a segment that fails fails the
    load after the one beside it is done."""
    import threading

    import lodpub.store
    from lodpub.store import LOADS_AT_ONCE, StoreLoader

    assert LOADS_AT_ONCE == 2
    together = threading.Barrier(2, timeout=20)
    Store = ox.Store

    def paired(store, data, format):
        together.wait()  # (BrokenBarrierError when no other load comes to run beside this one)
        store.bulk_load(bytes(data), format=format)

    monkeypatch.setattr(lodpub.store.ox, "Store", _watched_store(paired))
    monkeypatch.setattr(lodpub.store, "SEGMENT_BYTES", 100)
    line = '<https://example.org/s{}> <https://example.org/p> "{}" <https://example.org/g{}> .\n'
    loader = StoreLoader(tmp_path / "paired")
    for i in range(6):  # six segments of two lines each (more than 100 bytes): three pairs of loads
        loader.add((line.format(i, i, i % 2) + line.format(i, 100 + i, i % 2)).encode())
    assert loader.finish() == 12
    assert sorted(int(q.object.value) for q in Store.read_only(str(tmp_path / "paired"))) == [*range(6), *range(100, 106)]

    broken = StoreLoader(tmp_path / "broken")
    broken.add((line.format(1, 1, 1) * 2).encode())
    broken.add(b"<https://example.org/s> <https://example.org/p> no-term .\n" * 2)
    with pytest.raises(SyntaxError):
        broken.finish()


def test_the_store_loads_one_segment_at_a_time_while_the_caller_still_adds(tmp_path, monkeypatch):
    """Until `finish_soon`, the caller is still writing files of its own and needs the other core: the
    loader bulk-loads one segment at a time (each load here lasts a moment, long enough for a second
    to start beside it if the loader let it). Once everything is added, the loads run side by side
    (the test above)."""
    import threading
    import time

    import lodpub.store
    from lodpub.store import StoreLoader

    lock = threading.Lock()
    running, most, done = [0], [0], [0]

    def counted(store, data, format):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        store.bulk_load(bytes(data), format=format)
        with lock:
            running[0] -= 1
            done[0] += 1

    monkeypatch.setattr(lodpub.store.ox, "Store", _watched_store(counted))
    monkeypatch.setattr(lodpub.store, "SEGMENT_BYTES", 100)
    line = '<https://example.org/s{}> <https://example.org/p> "{}" <https://example.org/g> .\n'
    loader = StoreLoader(tmp_path / "one-by-one")
    for i in range(5):  # five segments of two lines each (more than 100 bytes)
        loader.add((line.format(i, i) + line.format(i, 100 + i)).encode())
    deadline = time.monotonic() + 20
    while done[0] < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (done[0], most[0]) == (5, 1)
    assert loader.finish() == 10


def test_a_store_that_fails_at_the_end_leaves_no_publication_behind(tmp_path, monkeypatch):
    """The store's last steps run while the dumps are written; when they fail, the build fails and
    neither the publication nor its temporary folders stay behind."""
    import lodpub.store
    from lodpub.build import build

    monkeypatch.setattr(lodpub.store.StoreLoader, "add_gzip_file", lambda self, path: self.add(b"<https://example.org/s> <https://example.org/p> no-term .\n"))
    with pytest.raises(SyntaxError):
        build([str(EXAMPLE)], tmp_path / "out", base=BASE, issued="2024-03-01")
    assert sorted(p.name for p in tmp_path.iterdir()) == []

"""`lodpub serve` while the publication is rebuilt: it serves a snapshot, one publication whole at a
time, and switches to the new one whole. Loopback only, temporary folders only, bounded in time."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import requests

from lodpub.serve import make_app, make_http_server

GEN = "SELECT ?g { <http://example.org/publication> <http://example.org/generation> ?g }"


def write_publication(folder: Path, generation: int, triples: int = 50) -> None:
    folder.mkdir()
    store = ox.Store(str(folder / "store"))
    g = ox.NamedNode("http://example.org/graph")
    quads = [ox.Quad(ox.NamedNode("http://example.org/publication"), ox.NamedNode("http://example.org/generation"), ox.Literal(str(generation)), g)]
    quads += [
        ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(f"{generation}-{i}"), g) for i in range(triples)
    ]
    store.extend(quads)
    store.flush()
    del store
    (folder / "index.html").write_text(f"<p>generation {generation}</p>", encoding="utf-8")
    (folder / "budget-lines.csv").write_text(f"generation\n{generation}\n", encoding="utf-8")


def rebuild(out: Path, generation: int) -> None:
    """What `lodpub build` does to a publication folder: write a new one beside it, rename it in,
    delete the old one."""
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    write_publication(tmp, generation)
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old)


def generation(url: str) -> str:
    r = requests.get(f"{url}/sparql", params={"query": GEN}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"][0]["g"]["value"]


def test_a_rebuild_while_serving_is_picked_up_whole(tmp_path):
    out = tmp_path / "out"
    write_publication(out, 1)
    app = make_app(out, workers=1, timeout=10, check_every=0.2)
    server = make_http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        snapshots = list(tmp_path.glob(".out.serve-*"))
        assert len(snapshots) == 1 and app.folder == snapshots[0]
        assert generation(url) == "1" and "generation 1" in requests.get(f"{url}/index.html", timeout=30).text
        rebuild(out, 2)  # the old publication's files are gone from the folder
        seen, deadline = [], time.monotonic() + 30
        while time.monotonic() < deadline:
            seen.append(generation(url))  # every answer comes whole from one publication or the other
            if seen[-1] == "2":
                break
            time.sleep(0.05)
        assert seen[-1] == "2" and set(seen) <= {"1", "2"}, seen
        assert "generation 2" in requests.get(f"{url}/index.html", timeout=30).text
        assert requests.get(f"{url}/budget-lines.csv", timeout=30).text == "generation\n2\n"
        r = requests.get(f"{url}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/p> ?o }"}, timeout=30)
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "50"
        assert app.publication.switches == 1
    finally:
        server.shutdown()
        server.server_close()
        app.close()
    assert not list(tmp_path.glob(".out.serve-*"))  # the snapshots are removed


def test_a_dead_servers_snapshot_is_removed_and_a_store_folder_is_served_as_is(tmp_path):
    out = tmp_path / "out"
    write_publication(out, 1)
    dead = tmp_path / ".out.serve-999999999-1"
    shutil.copytree(out, dead)
    app = make_app(out, workers=1)
    try:
        assert not dead.exists() and app.folder.name.startswith(".out.serve-")
    finally:
        app.close()
    app = make_app(out / "store", workers=1)  # a store given directly: no snapshot
    try:
        assert app.folder == out and not list(tmp_path.glob(".out.serve-*"))
    finally:
        app.close()

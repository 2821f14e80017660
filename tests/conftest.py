"""Shared fixtures: the committed example, the reference corpus (optional) and one build of the example."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # helper modules beside the tests

EXAMPLE = ROOT / "examples" / "luohe-2024-budget.txt"
CORPUS = Path(os.environ.get("LODPUB_CORPUS") or ROOT.parent / "shared" / "corpus")
BASE = "https://data.example.org/lodpub/"


def corpus_pdfs() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not corpus_pdfs(), reason=f"reference corpus of PDFs not found at {CORPUS} (set LODPUB_CORPUS to its folder)")


@contextmanager
def in_repository():
    """The repository's folder as the current folder for a while."""
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The example document built once for the whole session: (BuildResult, publication folder)."""
    from lodpub.build import build

    out = tmp_path_factory.mktemp("example") / "out"
    with in_repository():  # the example named as in the repository, so that the files do not depend on where it is
        result = build([str(EXAMPLE.relative_to(ROOT))], out, base=BASE, issued="2024-03-01", keep_records=True)
    return result, out


@pytest.fixture(scope="session")
def example_records(example_build):
    result, _ = example_build
    return result.succeeded[0].records


@pytest.fixture(scope="session")
def example_store(example_build):
    import pyoxigraph as ox

    _, out = example_build
    return ox.Store.read_only(str(out / "store"))


def catalogue_about(example_build, about, folder: Path) -> Path:
    """The example's catalogue written again, told `about` (a lodpub.publish.catalogue.About: what lodpub build's options tell it)."""
    from lodpub.publish.catalogue import DEFAULT_LICENSE, catalogue_turtle, file_digests
    from lodpub.publish.manifest import FORMATS

    result, out = example_build
    files = file_digests(out, FORMATS)
    catalog = folder / "catalog.ttl"
    triples = result.publication.triples
    catalog.write_bytes(catalogue_turtle(BASE, result.published(), files, triples, "2024-03-01", DEFAULT_LICENSE, f"{BASE}sparql", about))
    return catalog


def select(store, query: str) -> list[dict]:
    """Rows of a SELECT on the union of named graphs, as dicts of plain values."""
    prefixes = """
        PREFIX lp: <https://w3id.org/lodpub/ontology#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX code: <https://w3id.org/lodpub/code/>
    """
    answer = store.query(prefixes + query, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: (None if t is None else t.value) for n, t in zip(names, row)} for row in answer]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """A publication folder holding only a store of 20 triples in one named graph (for the endpoint's tests)."""
    import pyoxigraph as ox

    root = tmp_path_factory.mktemp("endpoint")
    store = ox.Store(str(root / "store"))
    g = ox.NamedNode("http://example.org/graph/1")
    store.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(f"value {i}"), g) for i in range(20)])
    store.flush()
    del store
    return root


def free_port() -> int:
    """A loopback port nobody listens on (for a server started as a process of its own)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zip_of(members: dict[str, bytes]) -> bytes:
    """The bytes of a zip archive holding `members` (name → bytes), deflated, as portals publish them."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def build_text(text: str, directory: Path, name: str = "disclosure.txt") -> Path:
    """The publication of a text document written into `directory` (base and issue date fixed): its folder."""
    from lodpub.build import build

    source = directory / name
    source.write_text(text, encoding="utf-8")
    out = directory / "out"
    build([str(source)], out, base=BASE, issued="2024-03-01")
    return out

"""The URI scheme (docs/design.md, "URI scheme"): the one module that mints lodpub's IRIs in Python
and reads them back. The mapping's templates (mappings/rdf.yaml) build on the same values
(`document`, `organisation`); everything else asks this module.

Terms shared by every publisher live under `https://w3id.org/lodpub/`; published data lives under a
configurable base (`--base`, default `DEFAULT_BASE`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Iterable, NamedTuple

DEFAULT_BASE = "https://data.example.org/lodpub/"

# hosts reserved for examples (RFC 2606, RFC 6761): a base on one of them is a placeholder, its links lead nowhere
_PLACEHOLDER_HOST = re.compile(r"^[a-z]+://([^/@]*@)?([^/:]*\.)?(example\.(org|com|net)|[^/:]*\.(example|invalid|test))(:\d+)?(/|$)", re.I)

LODPUB = "https://w3id.org/lodpub/"
ONTOLOGY = LODPUB + "ontology#"
CODE = LODPUB + "code/"
DSD = LODPUB + "dsd/"


def is_placeholder(base: str) -> bool:
    """Whether a base is a placeholder (DEFAULT_BASE, or any address on a host reserved for examples):
    nothing is served there, so every link of a publication made with it is dead."""
    return base == DEFAULT_BASE or bool(_PLACEHOLDER_HOST.match(base or ""))


def orgid(name: str) -> str:
    """The id of a department: the first 12 hex digits of the SHA-256 of its name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def document(base: str, docid: str) -> str:
    return f"{base}doc/{docid}"


def graph(base: str, name: str) -> str:
    """The named graph of a document (by docid) or a shared graph (by name)."""
    return f"{base}graph/{name}"


def organisation(base: str, department: str) -> str:
    return f"{base}org/{orgid(department)}"


def validation_result(base: str, docid: str, key: str) -> str:
    return f"{base}validation/{docid}/{key}"


def _fixed(path: str, doc: str):
    """The minter of `{base}{path}`, a resource of which a publication has one."""

    def mint(base: str) -> str:
        return f"{base}{path}"

    mint.__doc__ = doc
    return mint


# the resources of which a publication has one
validation_report = _fixed("validation/report", "The validation report (a sh:ValidationReport).")
dataset = _fixed("dataset", "The publication as a dcat:Dataset (its catalogue is `catalog`, its files `{base}{name}`).")
catalog = _fixed("catalog", "The publication's dcat:Catalog.")
publisher = _fixed("publisher", "The publisher, when no department's IRI stands for it.")
sparql_service = _fixed("sparql-service", "The SPARQL endpoint as a dcat:DataService.")
sparql_endpoint = _fixed("sparql", "The SPARQL endpoint's URL (lodpub serve answers there).")
contact_point = _fixed("dataset/contact", "The dataset's contact point (a vcard:Kind, when the build is given --contact).")
period = _fixed("dataset/period", "The fiscal years the dataset covers (a dcterms:PeriodOfTime).")


def distribution(base: str, name: str) -> str:
    return f"{base}dataset/distribution/{name}"


def download(base: str, name: str) -> str:
    return f"{base}{name}"


# -- reading IRIs back ---------------------------------------------------------------------------

_PLACE = re.compile(r"/doc/([^/]+)/table/(\d+)(?:/r(\d+)c(\d+))?$")
_GRAPH = re.compile(r"^(.*/)graph/([^/]+)$")


class Place(NamedTuple):
    """Where in a document an IRI of a table or a budget line points (row and column 1-based)."""

    docid: str
    table: int
    row: int | None = None
    column: int | None = None


def place(iri: str | None) -> Place | None:
    """The document, table and cell named by a table's or a budget line's IRI, else None."""
    m = _PLACE.search(iri or "")
    if m is None:
        return None
    row, column = m.group(3), m.group(4)
    return Place(m.group(1), int(m.group(2)), int(row) if row else None, int(column) if column else None)


def is_table_part(iri: str) -> bool:
    """Whether an IRI is a table of a document or something inside one."""
    return "/table/" in iri


def docid_of(iri: str) -> str:
    """The docid of a document's IRI (its last path segment)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def split_graph(iri: str) -> tuple[str, str] | None:
    """(base, name) of a named graph's IRI (`BASE graph/{name}`), else None."""
    m = _GRAPH.match(iri)
    return (m.group(1), m.group(2)) if m else None


def infer_base(graph_iris: Iterable[str]) -> str | None:
    """The base most of these graph IRIs share, or None when none is a lodpub graph."""
    bases = Counter(split[0] for split in map(split_graph, graph_iris) if split)
    return bases.most_common(1)[0][0] if bases else None

"""Stage 7: publish. Write the dumps, the catalogue (DCAT + VoID), the reports and the store.

Everything is written into a temporary folder beside the output and moved into place at the
end, so a failed run never leaves a half-written publication. Dumps are sorted and gzip headers
carry no time, so the same input gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .csvsafe import safe_dict
from .namespaces import PREFIXES
from .store import StoreLoader

DUMPS = {
    "lodpub.nq.gz": ("application/n-quads", "N-Quads, gzip"),
    "lodpub.nt.gz": ("application/n-triples", "N-Triples, gzip"),
    "lodpub.ttl": ("text/turtle", "Turtle"),
    "lodpub.jsonld": ("application/ld+json", "JSON-LD"),
}
DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/"
ACCOUNTING_COLUMNS = ["document", "table", "title", "kind", "page", "line", "rows", "amount_cells", "in_graph", "skipped",
                      "declared_empty"]


@dataclass
class Publication:
    out: Path
    quads: int
    triples: int
    files: dict[str, int]  # file name → bytes
    seconds: dict[str, float] = field(default_factory=dict)  # time of each step of the publication


def _strip_graph(line: str) -> str:
    head = line[:-2].rstrip()
    return head[: head.rfind(" <")] + " ."


# The files a worker writes for one document (beside each other, named by the docid), which
# write_dumps concatenates: gzip members of the N-Quads and N-Triples dumps (a dump is the members
# one after the other, a valid gzip file), Turtle without prefix lines, and JSON-LD node objects.
DOCUMENT_FILES = (".nq.gz", ".nt.gz", ".ttl", ".jsonld")


def document_file(stem: Path, suffix: str) -> Path:
    """The file `suffix` of the document whose files are named `stem` (workdir/docid)."""
    return stem.parent / (stem.name + suffix)


def _gzip(data: bytes) -> bytes:
    """One gzip member with no time or name in its header: the same data gives the same bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def parse_triples(triple_lines: list[str]) -> list:
    return list(ox.parse(("\n".join(triple_lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def write_document_files(stem: Path, quad_lines: list[str]) -> list[str]:
    """A document's sorted quads as the files write_dumps concatenates (DOCUMENT_FILES); returns the
    document's triples as N-Triples lines."""
    triple_lines = [_strip_graph(l) for l in quad_lines]
    document_file(stem, ".nq.gz").write_bytes(_gzip(("\n".join(quad_lines) + "\n").encode("utf-8")))
    document_file(stem, ".nt.gz").write_bytes(_gzip(("\n".join(triple_lines) + "\n").encode("utf-8")))
    document_file(stem, ".ttl").write_bytes(_turtle_text_of_lines(triple_lines))
    document_file(stem, ".jsonld").write_bytes(_jsonld_text_of_lines(triple_lines))
    return triple_lines


def _turtle_chunk(triples: list, first: bool) -> bytes:
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    if first:
        return text
    return b"\n".join(l for l in text.split(b"\n") if not l.startswith(b"@prefix ")) if text.startswith(b"@prefix") else text


# Turtle written from N-Triples text: pyoxigraph's layout (subject, then `;`-separated predicates
# on tab-indented lines, `,`-separated objects), its prefixed names and its number shorthands, so
# that a document's piece is the bytes `_turtle_chunk` gives for the same triples (a test holds
# them equal) at a third of the cost (no parsing into terms).
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_./-]*[A-Za-z0-9_/-])?")
_TURTLE_NUMBER = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"true|false"),
}
_TURTLE_ESCAPES = {"\t": "\\t", "\b": "\\b", "\f": "\\f"}


@lru_cache(maxsize=1 << 16)
def _turtle_iri(iri: str) -> str:
    """An IRI as a prefixed name (`/` escaped, as pyoxigraph writes it) where a published prefix
    fits and the local part is plainly safe, else as <iri>."""
    split = _prefixed(iri)
    if split is not None and (split[1] == "" or _PN_LOCAL.fullmatch(split[1])):
        return f"{split[0]}:{split[1].replace('/', chr(92) + '/')}"
    return f"<{iri}>"


def _turtle_object(obj: str) -> str:
    """An N-Triples object term (as lodpub's mapping writes it) in Turtle."""
    first = obj[0]
    if first == "<":
        return _turtle_iri(obj[1:-1])
    if first != '"':
        return obj  # a blank node label
    end = obj.rfind('"')
    body, suffix = obj[1:end], obj[end + 1:]
    if any(c in body for c in _TURTLE_ESCAPES):
        body = "".join(_TURTLE_ESCAPES.get(c, c) for c in body)
    if suffix.startswith("^^<"):
        datatype = suffix[3:-1]
        shorthand = _TURTLE_NUMBER.get(datatype)
        if shorthand is not None and shorthand.fullmatch(body):
            return body
        if datatype == _XSD_STRING:
            return f'"{body}"'
        return f'"{body}"^^{_turtle_iri(datatype)}'
    return f'"{body}"{suffix}'


def _turtle_text_of_lines(triple_lines: list[str]) -> bytes:
    """Turtle without prefix lines of N-Triples lines sorted by subject (as lodpub writes them)."""
    out: list[str] = []
    subject = predicate = None
    for line in triple_lines:
        s, p, rest = line.split(" ", 2)
        obj = _turtle_object(rest[:-2])
        if s != subject:
            if subject is not None:
                out.append(" .\n")
            subject, predicate = s, p
            out.append(f"{_turtle_iri(s[1:-1]) if s[0] == '<' else s} {'a' if p == _RDF_TYPE_IRI else _turtle_iri(p[1:-1])} {obj}")
        elif p != predicate:
            predicate = p
            out.append(f" ;\n\t{'a' if p == _RDF_TYPE_IRI else _turtle_iri(p[1:-1])} {obj}")
        else:
            out.append(f" , {obj}")
    if subject is not None:
        out.append(" .\n")
    return "".join(out).encode("utf-8")


_PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda p: -len(p[1]))


def _prefixed(iri: str) -> tuple[str, str] | None:
    """(prefix, local part) of the longest published namespace the IRI starts with, or None."""
    for prefix, ns in _PREFIXES_LONGEST_FIRST:
        if iri.startswith(ns):
            return prefix, iri[len(ns):]
    return None


@lru_cache(maxsize=1 << 16)
def _compact(iri: str) -> str:
    """A compact IRI (prefix:local) where a published prefix fits, else the IRI."""
    split = _prefixed(iri)
    if split is not None and "/" not in split[1] and "#" not in split[1]:
        return f"{split[0]}:{split[1]}"
    return iri


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF_TYPE_IRI = f"<{_RDF_TYPE}>"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _jsonld_nodes(triples: list) -> list[dict]:
    """JSON-LD node objects, one per subject, sorted by subject."""
    compact = _compact
    named, literal = ox.NamedNode, ox.Literal
    nodes: dict[str, dict] = {}
    for t in triples:
        s = t.subject
        subject = s.value if type(s) is named else "_:" + s.value
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {"@id": compact(subject)}
        predicate = t.predicate.value
        obj = t.object
        kind = type(obj)
        if predicate == _RDF_TYPE:
            node.setdefault("@type", []).append(compact(obj.value))
            continue
        if kind is named:
            value = {"@id": compact(obj.value)}
        elif kind is literal:
            language = obj.language
            if language:
                value = {"@value": obj.value, "@language": language}
            else:
                datatype = obj.datatype.value
                value = {"@value": obj.value} if datatype == _XSD_STRING else {"@value": obj.value, "@type": compact(datatype)}
        else:
            value = {"@id": "_:" + obj.value}
        key = compact(predicate)
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    return [nodes[s] for s in sorted(nodes)]



_ECHAR = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))')
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    """The value of an N-Triples string literal's body (ECHAR and UCHAR escapes)."""
    return _ECHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2)) else _ECHARS[m.group(3)], body)


def _json_string(text: str) -> str:
    if '"' in text or "\\" in text or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return '"' + text + '"'


def _literal_json(body: str) -> str:
    if "\\" in body or not body.isprintable():
        return json.dumps(_unescape(body), ensure_ascii=False)
    return '"' + body + '"'


@lru_cache(maxsize=1 << 16)
def _iri_json(iri: str) -> str:
    """A compacted IRI as a JSON string."""
    return _json_string(_compact(iri))


def _jsonld_text_of_lines(triple_lines: list[str]) -> bytes:
    """What `_jsonld_text` gives for the triples of these N-Triples lines (as lodpub's mapping writes
    them: one triple per line, `<s> <p> object .`), made from the text without parsing it into terms."""
    nodes: dict[str, dict[str, list[str]]] = {}
    for line in triple_lines:
        s, p, rest = line.split(" ", 2)
        obj = rest[:-2]
        subject = s[1:-1] if s[0] == "<" else s
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {}
        predicate = p[1:-1]
        first = obj[0]
        if first == "<" and predicate == _RDF_TYPE:
            key, value = '"@type"', _iri_json(obj[1:-1])
        elif first == "<":
            key, value = _iri_json(predicate), '{"@id": ' + _iri_json(obj[1:-1]) + "}"
        elif first == '"':
            end = obj.rfind('"')
            text, suffix = _literal_json(obj[1:end]), obj[end + 1:]
            if not suffix or suffix == f"^^<{_XSD_STRING}>":
                value = '{"@value": ' + text + "}"
            elif suffix[0] == "@":
                value = '{"@value": ' + text + ', "@language": ' + _json_string(suffix[1:]) + "}"
            else:
                value = '{"@value": ' + text + ', "@type": ' + _iri_json(suffix[3:-1]) + "}"
            key = _iri_json(predicate)
        else:  # a blank node
            key, value = _iri_json(predicate), '{"@id": ' + _json_string(obj) + "}"
        values = node.get(key)
        if values is None:
            node[key] = [value]
        else:
            values.append(value)
    out = []
    for subject in sorted(nodes):
        parts = "".join(f", {key}: [{', '.join(values)}]" for key, values in nodes[subject].items())
        out.append('{"@id": ' + _iri_json(subject) + parts + "}")
    return ",\n".join(out).encode("utf-8")


def _jsonld_text(triples: list) -> bytes:
    """The node objects of `triples`, comma-separated (a piece of the dump's @graph array)."""
    return b",\n".join(json.dumps(node, ensure_ascii=False).encode("utf-8") for node in _jsonld_nodes(triples))


class _HashingWriter:
    """A binary file that counts and hashes what is written to it."""

    def __init__(self, path: Path):
        self.path = path
        self.file = path.open("wb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.file.write(data)
        self.hash.update(data)
        self.size += len(data)
        return len(data)

    def flush(self):
        self.file.flush()

    def close(self):
        self.file.close()


def write_dumps(folder: Path, shared_lines: list[str], documents: list,
                consume: bool = False) -> tuple[dict[str, tuple[int, str]], int, int]:
    """Stream every dump: the shared graphs, then each document's files (DOCUMENT_FILES) as its
    worker wrote them (deleted once written when `consume`, so that a large build needs less disk);
    returns {file: (bytes, sha256)} and the quad and triple counts."""
    writers = {name: _HashingWriter(folder / name) for name in DUMPS}
    quads = triples = 0
    writers["lodpub.jsonld"].write(b'{"@context": ' + json.dumps(PREFIXES, ensure_ascii=False, indent=1).encode("utf-8")
                                   + b',\n"@graph": [\n')
    first_node = True

    def jsonld(nodes: bytes) -> None:
        nonlocal first_node
        if nodes:
            writers["lodpub.jsonld"].write((b"" if first_node else b",\n") + nodes)
            first_node = False

    # the shared graphs: a triple stated in two of them is one triple of the union
    triple_lines = sorted({_strip_graph(l) for l in shared_lines})
    shared_triples = parse_triples(triple_lines) if triple_lines else []
    quads += len(shared_lines)
    triples += len(triple_lines)
    writers["lodpub.nq.gz"].write(_gzip(("\n".join(shared_lines) + "\n").encode("utf-8") if shared_lines else b""))
    writers["lodpub.nt.gz"].write(_gzip(("\n".join(triple_lines) + "\n").encode("utf-8") if triple_lines else b""))
    writers["lodpub.ttl"].write(_turtle_chunk(shared_triples, first=True))
    jsonld(_jsonld_text(shared_triples))
    # then each document's own graph, by docid: its triples are its own (no duplicates across graphs)
    for doc in documents:
        writers["lodpub.nq.gz"].write(document_file(doc.files, ".nq.gz").read_bytes())
        writers["lodpub.nt.gz"].write(document_file(doc.files, ".nt.gz").read_bytes())
        writers["lodpub.ttl"].write(document_file(doc.files, ".ttl").read_bytes())
        jsonld(document_file(doc.files, ".jsonld").read_bytes())
        if consume:
            for suffix in DOCUMENT_FILES:
                document_file(doc.files, suffix).unlink()
        quads += doc.quads
        triples += doc.quads
    writers["lodpub.jsonld"].write(b"\n]}\n")
    for w in writers.values():
        w.close()
    return {name: (w.size, w.hash.hexdigest()) for name, w in writers.items()}, quads, triples


def catalogue_turtle(base: str, documents: list, files: dict[str, tuple[int, str]], triples: int,
                     issued: str, license_iri: str, endpoint: str | None) -> bytes:
    """DCAT and VoID description of the publication, written as sorted N-Triples then Turtle."""
    DCAT, DCT, VOID, SPDX = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/", "http://rdfs.org/ns/void#", "http://spdx.org/rdf/terms#"
    RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    XSD = "http://www.w3.org/2001/XMLSchema#"
    lines: list[str] = []

    def iri(s, p, o):
        lines.append(f"<{s}> <{p}> <{o}> .")

    def lit(s, p, value, datatype=None, lang=None):
        text = json.dumps(str(value), ensure_ascii=False)
        suffix = f"@{lang}" if lang else (f"^^<{datatype}>" if datatype else "")
        lines.append(f"<{s}> <{p}> {text}{suffix} .")

    dataset = f"{base}dataset"
    catalog = f"{base}catalog"
    iri(catalog, RDF_TYPE, DCAT + "Catalog")
    lit(catalog, DCT + "title", "lodpub 预算公开关联数据目录", lang="zh")
    lit(catalog, DCT + "title", "lodpub budget disclosure linked data catalogue", lang="en")
    lit(catalog, DCT + "description", "由 lodpub 从政府部门预算、决算公开文件生成的关联开放数据。", lang="zh")
    lit(catalog, DCT + "description", "Linked open data made by lodpub from Chinese government budget and final-account disclosures.", lang="en")
    iri(catalog, DCAT + "dataset", dataset)
    iri(catalog, DCT + "publisher", f"{base}publisher")
    iri(license_iri, RDF_TYPE, DCT + "LicenseDocument")
    iri(SPDX + "checksumAlgorithm_sha256", RDF_TYPE, SPDX + "ChecksumAlgorithm")
    iri(dataset, RDF_TYPE, DCAT + "Dataset")
    iri(dataset, RDF_TYPE, VOID + "Dataset")
    lit(dataset, DCT + "title", "部门预算公开数据", lang="zh")
    lit(dataset, DCT + "title", "Department budget disclosures", lang="en")
    lit(dataset, DCT + "description", f"{len(documents)} 份预算公开文件中的全部表格、项目、绩效目标、情况说明中的数字与名词解释。", lang="zh")
    lit(dataset, DCT + "description", f"Every table, project, performance target, narrative figure and glossary entry of {len(documents)} budget disclosure document(s).", lang="en")
    lit(dataset, DCT + "issued", issued, XSD + "date")
    iri(dataset, DCT + "license", license_iri)
    lit(dataset, VOID + "triples", triples, XSD + "integer")
    iri(dataset, VOID + "vocabulary", "https://w3id.org/lodpub/ontology#")
    iri(dataset, VOID + "vocabulary", "http://purl.org/linked-data/cube#")
    iri(dataset, VOID + "rootResource", f"{base}doc/")
    lit(dataset, VOID + "uriSpace", base)
    lit(dataset, "http://www.w3.org/2002/07/owl#versionInfo", f"lodpub {__version__}")
    years = sorted({d.fiscal_year for d in documents if d.fiscal_year})
    for year in years:
        lit(dataset, DCAT + "keyword", year)
    lit(dataset, DCAT + "keyword", "部门预算", lang="zh")
    lit(dataset, DCAT + "keyword", "budget", lang="en")
    publisher = f"{base}publisher"
    iri(dataset, DCT + "publisher", publisher)
    iri(publisher, RDF_TYPE, "http://xmlns.com/foaf/0.1/Agent")
    lit(publisher, "http://xmlns.com/foaf/0.1/name", "lodpub")
    if endpoint:
        service = f"{base}sparql-service"
        iri(dataset, VOID + "sparqlEndpoint", endpoint)
        iri(service, RDF_TYPE, DCAT + "DataService")
        iri(service, DCAT + "endpointURL", endpoint)
        iri(endpoint, RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#Resource")
        iri("https://www.w3.org/TR/sparql11-protocol/", RDF_TYPE, DCT + "Standard")
        iri(service, DCAT + "servesDataset", dataset)
        iri(service, DCT + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
        lit(service, DCT + "title", "SPARQL 查询服务", lang="zh")
        lit(service, DCT + "title", "SPARQL endpoint", lang="en")
        iri(catalog, DCAT + "service", service)
    for name in sorted(files):
        if name not in DUMPS:
            continue
        media, title = DUMPS[name]
        size, checksum_value = files[name]
        dist = f"{base}dataset/distribution/{name}"
        iri(dataset, DCAT + "distribution", dist)
        iri(dataset, VOID + "dataDump", f"{base}{name}")
        iri(dist, RDF_TYPE, DCAT + "Distribution")
        lit(dist, DCT + "title", title)
        iri(dist, DCAT + "downloadURL", f"{base}{name}")
        iri(dist, DCAT + "accessURL", f"{base}{name}")
        iri(dist, DCAT + "mediaType", f"https://www.iana.org/assignments/media-types/{media}")
        iri(f"https://www.iana.org/assignments/media-types/{media}", RDF_TYPE, DCT + "MediaType")
        if name.endswith(".gz"):
            iri(dist, DCAT + "compressFormat", "https://www.iana.org/assignments/media-types/application/gzip")
            iri("https://www.iana.org/assignments/media-types/application/gzip", RDF_TYPE, DCT + "MediaType")
        lit(dist, DCAT + "byteSize", size, XSD + "nonNegativeInteger")
        iri(dist, DCT + "license", license_iri)
        lit(dist, DCT + "issued", issued, XSD + "date")
        checksum = f"{dist}/checksum"
        iri(dist, SPDX + "checksum", checksum)
        iri(checksum, RDF_TYPE, SPDX + "Checksum")
        iri(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        lit(checksum, SPDX + "checksumValue", checksum_value, XSD + "hexBinary")
    for doc in sorted(documents, key=lambda d: d.docid):
        part = f"{base}doc/{doc.docid}"
        iri(dataset, "http://www.w3.org/ns/prov#wasDerivedFrom", part)
        lit(part, DCT + "title", doc.title, lang="zh")
        lit(part, "https://w3id.org/lodpub/ontology#sha256", doc.sha256)
        if doc.url:
            iri(part, DCT + "source", doc.url)
    prefixes = {"dcat": DCAT, "dcterms": DCT, "void": VOID, "spdx": SPDX, "xsd": XSD, "foaf": "http://xmlns.com/foaf/0.1/"}
    triples_iter = ox.parse(("\n".join(sorted(set(lines))) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples_iter, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def accounting_rows(docid: str, details) -> list[dict]:
    """Per table of a document: amount cells found = budget lines in the graph + cells skipped with a reason;
    then the tables seen but not read (kind empty), whose every amount cell is skipped."""
    rows = []
    for table in details.tables:
        observed = details.table_counts.get(table.ordinal, 0)
        skipped = sum(1 for s in details.skipped if s.table == table.ordinal)
        rows.append({"document": docid, "table": table.ordinal, "title": table.title, "kind": table.kind,
                     "page": table.page or "", "line": table.line, "rows": table.rows, "amount_cells": observed + skipped,
                     "in_graph": observed, "skipped": skipped, "declared_empty": table.declared_empty})
    for unread in getattr(details, "unread", []):
        rows.append({"document": docid, "table": "", "title": unread.title, "kind": "", "page": unread.page or "",
                     "line": unread.line, "rows": unread.rows, "amount_cells": unread.amount_cells, "in_graph": 0,
                     "skipped": unread.amount_cells, "declared_empty": False})
    return rows


def skipped_rows(docid: str, details) -> list[dict]:
    """The cells of a document that are not in the graph, each with its place and the reason (table empty:
    a table lodpub does not read)."""
    return [{"document": docid, "table": s.table or "", "row": s.row, "column": s.col, "line": s.line,
             "printed": s.printed, "reason": s.reason} for s in details.skipped]


SKIPPED_COLUMNS = ["document", "table", "row", "column", "line", "printed", "reason"]


def write_publication(out: Path, documents: list, shared_lines: list[str], summary: dict,
                      base: str, issued: str | None = None, license_iri: str = DEFAULT_LICENSE,
                      endpoint: str | None = None, loader: StoreLoader | None = None,
                      consume: bool = False) -> Publication:
    """Write every file of the publication into `out`, atomically.

    `documents` are pipeline results with their graph files and details, in publication order (by
    docid); `shared_lines` the sorted quads of the shared graphs (vocabulary, organisations), to
    which the aggregates graph is added (lodpub.aggregates); `loader`
    a store that already holds the documents' graphs (else they are loaded here); with `consume`, the
    documents' files are deleted as soon as they are written into the publication. Every file is
    written as a stream, one document at a time.
    """
    issued = issued or dt.date.today().isoformat()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        if consume and loader is None:
            raise ValueError("consume needs a loader that already holds the documents' graphs")
        if consume:
            loader.wait()  # every document's .nq.gz is in the store before the pieces are deleted
        clock = _Clock()
        from .aggregates import FunctionClassTotals, aggregate_quads
        from .datapackage import write_datapackage
        from .landing import ChartTotals, write_landing_page

        # one pass over the budget lines' rows: the CSV, the landing page's chart sums, the aggregates
        charts, totals = ChartTotals(), FunctionClassTotals()

        def observe(rows: list[list[str]]) -> None:
            charts.add(rows)
            totals.add(rows)

        write_datapackage(tmp, documents, shared_lines, license_iri=license_iri, consume=consume, observe=observe)
        clock.lap("data package")
        shared_lines = sorted(set(shared_lines).union(aggregate_quads(totals, base)))
        dumps, quads, triples = write_dumps(tmp, shared_lines, documents, consume=consume)
        clock.lap("dumps")
        write_reports(tmp, documents, base)
        (tmp / "context.jsonld").write_bytes(
            json.dumps({"@context": PREFIXES}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
        endpoint = endpoint or f"{base}sparql"
        (tmp / "catalog.ttl").write_bytes(catalogue_turtle(base, documents, dumps, triples, issued, license_iri, endpoint))
        (tmp / "summary.json").write_bytes(
            json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n")
        clock.lap("reports")
        if loader is None:
            loader = StoreLoader(tmp / "store")
            for doc in documents:
                loader.add_gzip_file(document_file(doc.files, ".nq.gz"))
        if shared_lines:
            loader.add(("\n".join(shared_lines) + "\n").encode("utf-8"))
        loader.finish()
        clock.lap("store")
        if loader.path != tmp / "store":
            loader.path.rename(tmp / "store")
        write_landing_page(tmp, summary, tmp / "catalog.ttl", charts)  # lists the data package too
        clock.lap("landing page")
        sizes = {p.name: p.stat().st_size for p in sorted(tmp.iterdir()) if p.is_file()}
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        if loader is not None:
            loader.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Publication(out=out, quads=quads, triples=triples, files=sizes, seconds=clock.laps)


def write_reports(folder: Path, documents: list, base: str) -> None:
    """validation-report.ttl, accounting.csv and skipped.csv, one document at a time (by docid)."""
    violations = sum(d.counts.get("violations", 0) for d in documents)
    with (folder / "validation-report.ttl").open("wb") as report, \
            (folder / "accounting.csv").open("w", encoding="utf-8", newline="") as accounting_file, \
            (folder / "skipped.csv").open("w", encoding="utf-8", newline="") as skipped_file:
        accounting = csv.DictWriter(accounting_file, fieldnames=ACCOUNTING_COLUMNS, lineterminator="\n")
        skipped = csv.DictWriter(skipped_file, fieldnames=SKIPPED_COLUMNS, lineterminator="\n")
        accounting.writeheader()
        skipped.writeheader()
        report.write(_report_head(violations == 0, base))
        for doc in documents:
            details = doc.load_details()
            accounting.writerows(safe_dict(r) for r in accounting_rows(doc.docid, details))
            skipped.writerows(safe_dict(r) for r in skipped_rows(doc.docid, details))
            report.write(_report_results(details.findings, base))


class _Clock:
    """Seconds between laps, by name (what a publication step took)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def report_turtle(findings: list, base: str) -> bytes:
    """The SHACL validation report as Turtle: a standard sh:ValidationReport, one sh:ValidationResult
    per finding with a stable IRI (BASE validation/{docid}/{key}), sorted, so the same input gives
    the same bytes. A build writes the same text a document at a time (`write_reports`)."""
    violations = sum(1 for f in findings if f.severity == "Violation")
    return _report_head(violations == 0, base) + _report_results(findings, base)


def _report_head(conforms: bool, base: str) -> bytes:
    from .mapping import iri_term

    report = iri_term(f"{base}validation/report")
    return "\n".join([f"@prefix sh: <{SH}> .", f"@prefix lp: <{LP}> .", "",
                      f"{report} a sh:ValidationReport ;", f"    sh:conforms {'false' if not conforms else 'true'} .",
                      ""]).encode("utf-8")


def _report_results(findings: list, base: str) -> bytes:
    """The results of some findings (all of one document, or of several) in report order."""
    from .mapping import iri_term, literal_text

    def term(value: str) -> str:
        return iri_term(value) if value.startswith(("http://", "https://")) else literal_text(value)

    report = iri_term(f"{base}validation/report")
    out = []
    for f in sorted(findings, key=lambda f: (f.document, f.key)):
        node = iri_term(f"{base}validation/{f.document}/{f.key}")
        lines = ["", f"{report} sh:result {node} .", f"{node} a sh:ValidationResult ;",
                 f"    sh:resultSeverity sh:{f.severity} ;", f"    sh:focusNode {term(f.focus)} ;",
                 f"    sh:resultMessage {literal_text(f.message)}{'@zh' if f.message else ''} ;",
                 f"    sh:sourceShape {term(f.shape)} ;"]
        if f.path:
            lines.append(f"    sh:resultPath {iri_term(f.path)} ;")
        if f.value is not None:
            lines.append(f"    sh:value {term(f.value)} ;")
        lines.append(f"    lp:document {iri_term(f'{base}doc/{f.document}')} .")
        out.extend(lines)
    return ("\n".join(out) + "\n").encode("utf-8") if out else b""


SH, LP = "http://www.w3.org/ns/shacl#", "https://w3id.org/lodpub/ontology#"

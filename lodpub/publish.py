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
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml

from . import __version__
from .mapping import MAPPINGS
from .records import DocumentRecords
from .store import load_store

PREFIXES = yaml.safe_load((MAPPINGS / "rdf.yaml").read_text(encoding="utf-8"))["prefixes"]
DUMPS = {
    "lodpub.nq.gz": ("application/n-quads", "N-Quads, gzip"),
    "lodpub.nt.gz": ("application/n-triples", "N-Triples, gzip"),
    "lodpub.ttl": ("text/turtle", "Turtle"),
    "lodpub.jsonld": ("application/ld+json", "JSON-LD"),
}
DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/"


@dataclass
class Publication:
    out: Path
    quads: int
    triples: int
    files: dict[str, int]  # file name → bytes


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as f:
        f.write(data)
    return buffer.getvalue()


def _triple_lines(quad_lines: list[str]) -> list[str]:
    """Sorted, de-duplicated N-Triples lines of the union of all graphs."""
    triples = set()
    for q in quad_lines:
        head = q[:-2].rstrip()
        triples.add(head[: head.rfind(" <")] + " .")
    return sorted(triples)


def turtle_bytes(triple_lines: list[str]) -> bytes:
    triples = ox.parse(("\n".join(triple_lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _compact(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def jsonld_bytes(triple_lines: list[str]) -> bytes:
    """JSON-LD with the published context inline: one node per subject, in sorted order."""
    nodes: dict[str, dict] = {}
    for t in ox.parse(("\n".join(triple_lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else "_:" + t.subject.value
        node = nodes.setdefault(subject, {"@id": _compact(subject)})
        predicate = t.predicate.value
        obj = t.object
        if predicate == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            node.setdefault("@type", []).append(_compact(obj.value))
            continue
        if isinstance(obj, ox.NamedNode):
            value = {"@id": _compact(obj.value)}
        elif isinstance(obj, ox.Literal):
            value = {"@value": obj.value}
            if obj.language:
                value["@language"] = obj.language
            elif obj.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                value["@type"] = _compact(obj.datatype.value)
        else:
            value = {"@id": "_:" + obj.value}
        node.setdefault(_compact(predicate), []).append(value)
    document = {"@context": dict(PREFIXES), "@graph": [nodes[s] for s in sorted(nodes)]}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8") + b"\n"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def catalogue_turtle(base: str, documents: list[DocumentRecords], files: dict[str, bytes], triples: int,
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
        data = files[name]
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
        lit(dist, DCAT + "byteSize", len(data), XSD + "nonNegativeInteger")
        iri(dist, DCT + "license", license_iri)
        lit(dist, DCT + "issued", issued, XSD + "date")
        checksum = f"{dist}/checksum"
        iri(dist, SPDX + "checksum", checksum)
        iri(checksum, RDF_TYPE, SPDX + "Checksum")
        iri(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        lit(checksum, SPDX + "checksumValue", _sha256(data), XSD + "hexBinary")
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


def accounting_rows(documents: list[DocumentRecords]) -> list[dict]:
    """Per table: amount cells found = observations + cells skipped with a reason."""
    rows = []
    for doc in sorted(documents, key=lambda d: d.docid):
        for table in doc.tables:
            observed = sum(1 for o in doc.observations if o.table == table.ordinal)
            skipped = sum(1 for s in doc.skipped if s.table == table.ordinal)
            rows.append({"document": doc.docid, "table": table.ordinal, "title": table.title, "kind": table.kind,
                         "line": table.line, "rows": table.rows, "amount_cells": observed + skipped,
                         "in_graph": observed, "skipped": skipped, "declared_empty": table.declared_empty})
    return rows


def _csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_publication(out: Path, documents: list[DocumentRecords], quad_lines: list[str], report_ttl: bytes,
                      summary: dict, base: str, issued: str | None = None, license_iri: str = DEFAULT_LICENSE,
                      endpoint: str | None = None) -> Publication:
    """Write every file of the publication into `out`, atomically."""
    issued = issued or dt.date.today().isoformat()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        nquads = ("\n".join(quad_lines) + "\n").encode("utf-8")
        triple_lines = _triple_lines(quad_lines)
        ntriples = ("\n".join(triple_lines) + "\n").encode("utf-8")
        files: dict[str, bytes] = {
            "lodpub.nq.gz": _gzip(nquads),
            "lodpub.nt.gz": _gzip(ntriples),
            "lodpub.ttl": turtle_bytes(triple_lines),
            "lodpub.jsonld": jsonld_bytes(triple_lines),
            "context.jsonld": json.dumps({"@context": PREFIXES}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n",
            "validation-report.ttl": report_ttl,
        }
        endpoint = endpoint or f"{base}sparql"
        files["catalog.ttl"] = catalogue_turtle(base, documents, files, len(triple_lines), issued, license_iri, endpoint)
        accounting = accounting_rows(documents)
        files["accounting.csv"] = _csv_bytes(accounting, list(accounting[0].keys()) if accounting else ["document"])
        skipped = [{"document": d.docid, "table": s.table, "row": s.row, "column": s.col, "line": s.line,
                    "printed": s.printed, "reason": s.reason} for d in sorted(documents, key=lambda d: d.docid) for s in d.skipped]
        files["skipped.csv"] = _csv_bytes(skipped, ["document", "table", "row", "column", "line", "printed", "reason"])
        files["summary.json"] = json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        quads = load_store(tmp / "store", nquads)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Publication(out=out, quads=quads, triples=len(triple_lines), files={k: len(v) for k, v in files.items()})

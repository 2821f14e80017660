"""The catalogue of a publication (DCAT and VoID): the dataset, its distributions (the dumps, with
size and SHA-256), the SPARQL service and the documents it was made from."""

from __future__ import annotations

import json

import pyoxigraph as ox

from .. import __version__, uris
from .manifest import DUMPS

DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/"


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

    dataset = uris.dataset(base)
    catalog = uris.catalog(base)
    iri(catalog, RDF_TYPE, DCAT + "Catalog")
    lit(catalog, DCT + "title", "lodpub 预算公开关联数据目录", lang="zh")
    lit(catalog, DCT + "title", "lodpub budget disclosure linked data catalogue", lang="en")
    lit(catalog, DCT + "description", "由 lodpub 从政府部门预算、决算公开文件生成的关联开放数据。", lang="zh")
    lit(catalog, DCT + "description", "Linked open data made by lodpub from Chinese government budget and final-account disclosures.", lang="en")
    iri(catalog, DCAT + "dataset", dataset)
    iri(catalog, DCT + "publisher", uris.publisher(base))
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
    iri(dataset, VOID + "vocabulary", uris.ONTOLOGY)
    iri(dataset, VOID + "vocabulary", "http://purl.org/linked-data/cube#")
    iri(dataset, VOID + "rootResource", uris.document(base, ""))
    lit(dataset, VOID + "uriSpace", base)
    lit(dataset, "http://www.w3.org/2002/07/owl#versionInfo", f"lodpub {__version__}")
    years = sorted({d.fiscal_year for d in documents if d.fiscal_year})
    for year in years:
        lit(dataset, DCAT + "keyword", year)
    lit(dataset, DCAT + "keyword", "部门预算", lang="zh")
    lit(dataset, DCAT + "keyword", "budget", lang="en")
    publisher = uris.publisher(base)
    iri(dataset, DCT + "publisher", publisher)
    iri(publisher, RDF_TYPE, "http://xmlns.com/foaf/0.1/Agent")
    lit(publisher, "http://xmlns.com/foaf/0.1/name", "lodpub")
    if endpoint:
        service = uris.sparql_service(base)
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
        dist = uris.distribution(base, name)
        iri(dataset, DCAT + "distribution", dist)
        iri(dataset, VOID + "dataDump", uris.download(base, name))
        iri(dist, RDF_TYPE, DCAT + "Distribution")
        lit(dist, DCT + "title", title)
        iri(dist, DCAT + "downloadURL", uris.download(base, name))
        iri(dist, DCAT + "accessURL", uris.download(base, name))
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
        part = uris.document(base, doc.docid)
        iri(dataset, "http://www.w3.org/ns/prov#wasDerivedFrom", part)
        lit(part, DCT + "title", doc.title, lang="zh")
        lit(part, uris.ONTOLOGY + "sha256", doc.sha256)
        if doc.url:
            iri(part, DCT + "source", doc.url)
    prefixes = {"dcat": DCAT, "dcterms": DCT, "void": VOID, "spdx": SPDX, "xsd": XSD, "foaf": "http://xmlns.com/foaf/0.1/"}
    triples_iter = ox.parse(("\n".join(sorted(set(lines))) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples_iter, format=ox.RdfFormat.TURTLE, prefixes=prefixes)

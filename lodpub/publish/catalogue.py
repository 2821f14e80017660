"""The catalogue of a publication (DCAT and VoID): the dataset, its distributions (the dumps, with
size and SHA-256), the SPARQL service and the documents it was made from.

What the catalogue states is data, mappings/catalogue.yaml, applied by lodpub.mapping like the
mapping of the records; this module gives it the publication's facts (IRIs from lodpub.uris) and
writes the triples as Turtle."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from .. import __version__, uris
from ..mapping import Mapping
from ..resources import MAPPINGS
from .manifest import DUMPS

DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/"
GZIP = "https://www.iana.org/assignments/media-types/application/gzip"
# the prefixes catalog.ttl is written with
PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


@lru_cache(maxsize=1)
def catalogue_mapping() -> Mapping:
    return Mapping(MAPPINGS / "catalogue.yaml")


def catalogue_records(
    base: str, documents: list, files: dict[str, tuple[int, str]], triples: int, issued: str, license_iri: str, endpoint: str | None
) -> dict[str, list[dict]]:
    """The facts of the publication the catalogue mapping states, by source."""
    dataset = uris.dataset(base)
    service = uris.sparql_service(base) if endpoint else ""
    catalogue = {
        "catalog": uris.catalog(base),
        "dataset": dataset,
        "publisher": uris.publisher(base),
        "service": service,
        "license": license_iri,
        "issued": issued,
        "triples": triples,
        "documents": len(documents),
        "version": __version__,
        "base": base,
        "root": uris.document(base, ""),
        "endpoint": endpoint or "",
    }
    distributions = []
    for name in sorted(files):
        if name not in DUMPS:
            continue
        media, title = DUMPS[name]
        size, sha256 = files[name]
        dist = uris.distribution(base, name)
        distributions.append(
            {
                "dataset": dataset,
                "dist": dist,
                "download": uris.download(base, name),
                "title": title,
                "media": media,
                "compress": GZIP if name.endswith(".gz") else "",
                "size": size,
                "license": license_iri,
                "issued": issued,
                "checksum": f"{dist}/checksum",
                "sha256": sha256,
            }
        )
    return {
        "catalogue": [catalogue],
        "keywords": [{"dataset": dataset, "year": year} for year in sorted({d.fiscal_year for d in documents if d.fiscal_year})],
        "services": [{"service": service, "endpoint": endpoint, "dataset": dataset}] if endpoint else [],
        "distributions": distributions,
        "documents": [
            {"dataset": dataset, "doc": uris.document(base, d.docid), "title": d.title, "sha256": d.sha256, "url": d.url or ""}
            for d in sorted(documents, key=lambda d: d.docid)
        ],
    }


def catalogue_turtle(base: str, documents: list, files: dict[str, tuple[int, str]], triples: int, issued: str, license_iri: str, endpoint: str | None) -> bytes:
    """catalog.ttl: the catalogue mapping applied to the publication's facts, as sorted Turtle."""
    records = catalogue_records(base, documents, files, triples, issued, license_iri, endpoint)
    lines = sorted(set(catalogue_mapping().triples(records)))
    parsed = ox.parse(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)

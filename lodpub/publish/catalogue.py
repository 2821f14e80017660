"""The catalogue of a publication (DCAT and VoID): the dataset (who publishes it, whom to ask, the
years and places it covers), its distributions (every data file, with size, SHA-256, media type and
format), the SPARQL service and the documents it was made from.

What the catalogue states is data, mappings/catalogue.yaml, applied by lodpub.mapping like the
mapping of the records; this module gives it the publication's facts (IRIs from lodpub.uris, the
build's `About`) and writes the triples as Turtle."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .. import __version__, uris
from ..checks import check_contact, check_http_iri, check_iri, check_text, contact_iri
from ..mapping import Mapping
from ..records.divisions import locate
from ..resources import MAPPINGS
from ..specs import load_yaml
from .manifest import DUMPS, FORMATS, LANDING_PAGE, title

DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/"
GZIP = "https://www.iana.org/assignments/media-types/application/gzip"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
# The EU file type (DCAT-AP's vocabulary of dcterms:format) of each format name of manifest.FORMATS
FILE_TYPES = {
    "CSV": "CSV",
    "JSON": "JSON",
    "Turtle": "RDF_TURTLE",
    "N-Triples": "RDF_N_TRIPLES",
    "N-Quads": "RDF_N_QUADS",
    "JSON-LD": "JSON_LD",
    "XLSX": "XLSX",
}
# The title of a licence as CKAN's licence register names it: ckanext-dcat fills a dataset's
# license_id from the licence's IRI or, failing that, its dcterms:title (CKAN knows the licences
# by their opendefinition.org pages, not by these IRIs). The IRI says the version.
LICENCE_TITLES = {
    "http://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution",
    "https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution",
    "http://creativecommons.org/publicdomain/zero/1.0/": "Creative Commons CCZero",
    "https://creativecommons.org/publicdomain/zero/1.0/": "Creative Commons CCZero",
}
# The publisher when the build names none and the documents are not all one department's
DEFAULT_PUBLISHER = "lodpub"
CHINA = (AUTHORITY + "country/CHN", "中国")  # where a central department's documents are


@dataclass(frozen=True)
class About:
    """What a build is told about its publication for the catalogue (the options of `lodpub build`);
    None takes the default: the texts of mappings/catalogue.yaml, the department of the documents
    when they are all one department's (else "lodpub") as publisher, the landing page index.html
    under the base (where the downloads are), no contact point."""

    publisher: str | None = None
    publisher_iri: str | None = None
    contact: str | None = None  # an email address or an http(s) URL
    title: str | None = None
    title_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    landing_page: str | None = None

    def check(self) -> None:
        """Each value as the options check it: a one-line LodpubError for the first bad one."""
        for option, value in (("--publisher", self.publisher), ("--title", self.title), ("--title-en", self.title_en)):
            if value is not None:
                check_text(value, option)
        for option, value in (("--description", self.description), ("--description-en", self.description_en)):
            if value is not None:
                check_text(value, option, lines=True)
        if self.publisher_iri is not None:
            check_iri(self.publisher_iri, "--publisher-iri")
        if self.contact is not None:
            check_contact(self.contact)
        if self.landing_page is not None:
            check_http_iri(self.landing_page, "--landing-page")


@lru_cache(maxsize=1)
def catalogue_mapping() -> Mapping:
    return Mapping(MAPPINGS / "catalogue.yaml")


@lru_cache(maxsize=1)
def default_texts() -> dict[str, str]:
    """The dataset's title and description when the build is given none (`texts` of the mapping)."""
    return load_yaml(MAPPINGS / "catalogue.yaml")["texts"]


def file_digests(folder: Path, names) -> dict[str, tuple[int, str]]:
    """(size, SHA-256) of each named file of the folder that exists, read in blocks."""
    out = {}
    for name in names:
        path = Path(folder) / name
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            out[name] = (path.stat().st_size, digest.hexdigest())
    return out


def _chinese(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


def _publisher(base: str, documents: list, about: About) -> tuple[str, str]:
    """(IRI, name) of the publisher: as given, else the one department of the documents (its IRI
    in the data), else lodpub."""
    if about.publisher:
        return about.publisher_iri or uris.publisher(base), about.publisher
    departments = {d.department for d in documents if d.department}
    if len(departments) == 1:
        department = departments.pop()
        return about.publisher_iri or uris.organisation(base, department), department
    return about.publisher_iri or uris.publisher(base), DEFAULT_PUBLISHER


def _places(documents: list) -> list[dict]:
    """The administrative divisions of the documents' departments (China for a central department)."""
    places = {}
    for d in documents:
        division, level = locate(d.department or "")
        if division is not None:
            places[uris.CODE + "division/" + division.code] = division.name
        elif level == "central":
            places[CHINA[0]] = CHINA[1]
    return [{"place": iri, "name": name} for iri, name in sorted(places.items())]


def catalogue_records(
    base: str,
    documents: list,
    files: dict[str, tuple[int, str]],
    triples: int,
    issued: str,
    license_iri: str,
    endpoint: str | None,
    about: About = About(),
) -> dict[str, list[dict]]:
    """The facts of the publication the catalogue mapping states, by source."""
    dataset = uris.dataset(base)
    service = uris.sparql_service(base) if endpoint else ""
    publisher, name = _publisher(base, documents, about)
    texts = default_texts()
    years = sorted({int(d.fiscal_year) for d in documents if str(d.fiscal_year or "").isdigit()})
    catalogue = {
        "catalog": uris.catalog(base),
        "dataset": dataset,
        "publisher": publisher,
        "publisher_zh": name if _chinese(name) else "",
        "publisher_name": "" if _chinese(name) else name,
        "service": service,
        "license": license_iri,
        "license_title": LICENCE_TITLES.get(license_iri, ""),
        "issued": issued,
        "triples": triples,
        "documents": len(documents),
        "version": __version__,
        "base": base,
        "root": uris.document(base, ""),
        "endpoint": endpoint or "",
        "title": about.title or texts["title"],
        "title_en": about.title_en or texts["title_en"],
        "description": about.description or texts["description"].format(documents=len(documents)),
        "description_en": about.description_en or texts["description_en"].format(documents=len(documents)),
        "landing": about.landing_page or uris.download(base, LANDING_PAGE),
        "period": uris.period(base) if years else "",
        "start": f"{years[0]}-01-01" if years else "",
        "end": f"{years[-1]}-12-31" if years else "",
    }
    contacts = []
    if about.contact:
        iri = contact_iri(about.contact)
        email = iri if iri.startswith("mailto:") else ""
        contacts.append({**catalogue, "contact": uris.contact_point(base), "email": email, "url": "" if email else iri})
    distributions = []
    for file_name in sorted(files):
        if file_name not in FORMATS:
            continue
        media, format_name = FORMATS[file_name]
        size, sha256 = files[file_name]
        dist = uris.distribution(base, file_name)
        distributions.append(
            {
                "dataset": dataset,
                "dist": dist,
                "download": uris.download(base, file_name),
                "dump": uris.download(base, file_name) if file_name in DUMPS else "",
                "title": title(file_name),
                "media": media,
                "format": AUTHORITY + "file-type/" + FILE_TYPES[format_name],
                "format_name": format_name,
                "compress": GZIP if file_name.endswith(".gz") else "",
                "size": size,
                "license": license_iri,
                "issued": issued,
                "checksum": f"{dist}/checksum",
                "sha256": sha256,
            }
        )
    return {
        "catalogue": [catalogue],
        "contacts": contacts,
        "places": [{"dataset": dataset, **place} for place in _places(documents)],
        "keywords": [{"dataset": dataset, "year": year} for year in years],
        "services": [{"service": service, "endpoint": endpoint, "dataset": dataset}] if endpoint else [],
        "distributions": distributions,
        "documents": [
            {"dataset": dataset, "doc": uris.document(base, d.docid), "title": d.title, "sha256": d.sha256, "url": d.url or ""}
            for d in sorted(documents, key=lambda d: d.docid)
        ],
    }


def catalogue_turtle(*facts, **named) -> bytes:
    """catalog.ttl: the catalogue mapping applied to the publication's facts (the arguments of
    `catalogue_records`), as sorted Turtle."""
    records = catalogue_records(*facts, **named)
    lines = sorted(set(catalogue_mapping().triples(records)))
    parsed = ox.parse(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


# the prefixes catalog.ttl is written with
PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}

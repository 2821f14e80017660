"""CKAN can harvest the catalogue: ckanext-dcat's RDF parser reads every dataset and distribution of catalog.ttl.

The parser runs in its own virtual environment (CKAN pins many packages), created by `scripts/setup`
in `.venv-ckan` (or given by $LODPUB_CKAN_VENV); without it these tests skip. No CKAN server, database
or network is involved: `RDFParser().parse()` then `.datasets()` is what the DCAT harvester does with a
fetched catalogue before it creates the datasets.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import BASE, ROOT, catalogue_about
from lodpub import uris
from lodpub.publish.catalogue import About
from lodpub.publish.manifest import FORMATS

CKAN_VENV = Path(os.environ.get("LODPUB_CKAN_VENV") or ROOT / ".venv-ckan")
CKAN_PYTHON = CKAN_VENV / "bin" / "python"

PARSE = """
import json, sys
from ckanext.dcat.processors import RDFParser
parser = RDFParser(profiles=sys.argv[2].split(","))
with open(sys.argv[1], "rb") as f:
    parser.parse(f.read(), _format="turtle")
print(json.dumps(list(parser.datasets()), ensure_ascii=False, default=str))
"""


def _ckan_available() -> str | None:
    if not CKAN_PYTHON.exists():
        return f"no ckanext-dcat environment at {CKAN_VENV} (scripts/setup creates it; or set LODPUB_CKAN_VENV)"
    probe = subprocess.run([str(CKAN_PYTHON), "-c", "import ckanext.dcat.processors"], capture_output=True, text=True, timeout=300, env=_env())
    if probe.returncode != 0:
        return f"ckanext-dcat does not import in {CKAN_VENV}: {probe.stderr.strip().splitlines()[-1:]}"
    return None


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CKAN_INI")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


SKIP = _ckan_available()
pytestmark = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")


def harvest(catalog: Path, profiles: str, cwd: Path) -> list[dict]:
    result = subprocess.run([str(CKAN_PYTHON), "-c", PARSE, str(catalog), profiles], capture_output=True, timeout=300, env=_env(), cwd=cwd)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-3000:]
    return json.loads(result.stdout.decode("utf-8"))


def catalogue_distributions(catalog: Path) -> dict[str, dict]:
    store = ox.Store()
    store.load(catalog.read_bytes(), format=ox.RdfFormat.TURTLE)
    answer = store.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?d ?url ?media ?size ?sha ?title ?format WHERE {
          ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:mediaType ?media ; dcat:byteSize ?size ;
             dcterms:title ?title ; spdx:checksum/spdx:checksumValue ?sha ; dcterms:format/rdfs:label ?format }""")
    return {row["url"].value: {k: row[k].value for k in ("d", "media", "size", "sha", "title", "format")} for row in answer}


def extras(dataset: dict) -> dict:
    """The dataset's fields, its extras among them (where ckanext-dcat puts what CKAN has no field for)."""
    return {**{e["key"]: e["value"] for e in dataset.get("extras", [])}, **{k: v for k, v in dataset.items() if k != "extras"}}


@pytest.mark.parametrize("profiles", ["euro_dcat_ap_3", "euro_dcat_ap_2"])
def test_ckan_reads_the_dataset_and_every_distribution(example_build, tmp_path, profiles):
    _, out = example_build
    catalog = out / "catalog.ttl"
    datasets = harvest(catalog, profiles, tmp_path)
    assert len(datasets) == 1
    dataset = datasets[0]
    fields = extras(dataset)
    assert fields["uri"] == f"{BASE}dataset"
    assert dataset["title"] in ("部门预算公开数据", "Department budget disclosures")
    assert dataset["notes"]
    assert fields["issued"] == "2024-03-01"
    # the documents are one department's: it is the publisher, by its IRI in the data
    assert fields["publisher_uri"] == uris.organisation(BASE, "漯河市人民政府办公室")
    assert fields["publisher_name"] == "漯河市人民政府办公室"
    assert "contact_email" not in fields and "contact_url" not in fields  # no --contact
    assert dataset["license_id"] == "cc-by"  # CKAN's id of the licence, found by its title
    assert fields["url"] == f"{BASE}index.html"  # the landing page
    assert (fields["temporal_start"], fields["temporal_end"]) == ("2024-01-01", "2024-12-31")
    assert fields["spatial_uri"] == "https://w3id.org/lodpub/code/division/411100"
    assert fields["spatial_text"] == "漯河市"
    assert "http://publications.europa.eu/resource/authority/data-theme/GOVE" in json.loads(fields["theme"])
    assert {"2024", "部门预算", "budget"} <= {t["name"] for t in dataset.get("tags", [])}

    expected = catalogue_distributions(catalog)
    assert {url.rsplit("/", 1)[-1] for url in expected} == set(FORMATS)  # every data file
    resources = {r["download_url"]: r for r in dataset["resources"]}
    assert set(resources) == set(expected)
    csv = resources[f"{BASE}budget-lines.csv"]
    assert (csv["format"], csv["mimetype"]) == ("CSV", "https://www.iana.org/assignments/media-types/text/csv")
    assert {r["format"] for r in resources.values()} == {"CSV", "XLSX", "JSON", "Turtle", "N-Triples", "N-Quads", "JSON-LD"}
    workbook = resources[f"{BASE}budget-lines.xlsx"]
    assert workbook["mimetype"] == "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for url, dist in expected.items():
        resource = resources[url]
        name = url.rsplit("/", 1)[-1]
        data = (out / name).read_bytes()
        assert resource["url"] == url
        assert resource["uri"] == dist["d"]
        assert resource["name"] == dist["title"]
        assert resource["mimetype"] == dist["media"] == "https://www.iana.org/assignments/media-types/" + FORMATS[name][0]
        assert resource["format"] == dist["format"] == FORMATS[name][1]
        assert int(resource["size"]) == int(dist["size"]) == len(data)
        assert resource["hash"] == dist["sha"] == hashlib.sha256(data).hexdigest()
        assert resource["hash_algorithm"] == "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
        assert resource["license"] == "http://creativecommons.org/licenses/by/4.0/"
        assert resource["issued"] == "2024-03-01"
        if url.endswith(".gz"):
            assert resource["compress_format"] == "https://www.iana.org/assignments/media-types/application/gzip"


@pytest.mark.parametrize("contact", ["budget@example.org", "https://example.gov.cn/contact"])
def test_ckan_reads_the_publisher_and_contact_the_build_is_told(example_build, tmp_path, contact):
    about = About(
        publisher="漯河市财政局",
        publisher_iri="https://example.gov.cn/org/czj",
        contact=contact,
        title="漯河市预算公开数据",
        title_en="Luohe budget disclosures",
        description="漯河市部门预算。",
        description_en="Department budgets of Luohe.",
        landing_page="https://example.gov.cn/budget/",
    )
    catalog = catalogue_about(example_build, about, tmp_path)
    (dataset,) = harvest(catalog, "euro_dcat_ap_3", tmp_path)
    fields = extras(dataset)
    assert (fields["publisher_uri"], fields["publisher_name"]) == ("https://example.gov.cn/org/czj", "漯河市财政局")
    assert fields["contact_name"] == "漯河市财政局"
    if "@" in contact:
        assert fields["contact_email"] == contact and "contact_url" not in fields
    else:
        assert fields["contact_url"] == contact and "contact_email" not in fields
    assert (dataset["title"], dataset["notes"]) == ("Luohe budget disclosures", "Department budgets of Luohe.")
    assert fields["url"] == "https://example.gov.cn/budget/"
    assert dataset["license_id"] == "cc-by"

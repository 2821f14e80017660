"""The Fiscal Data Package: valid for frictionless, equal to what its SPARQL query answers on the graph."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from conftest import BASE, select
import pyoxigraph as ox

from budget_lines_reference import budget_line_rows, document_sources

frictionless = pytest.importorskip("frictionless", reason="frictionless not installed (pip install frictionless)")


@pytest.fixture(scope="module")
def package(example_build):
    _, folder = example_build
    with open(folder / "budget-lines.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return folder, json.loads((folder / "datapackage.json").read_text(encoding="utf-8")), rows


def test_rows_are_the_answer_of_the_sparql_query(package):
    """The build makes the rows from the document graphs and the shared graphs apart; the query of
    budget_lines_query on the published store must give exactly the same rows, in the same order."""
    folder, descriptor, rows = package
    store = ox.Store.read_only(str(folder / "store"))
    assert budget_line_rows(store) == rows
    assert descriptor["sources"] == document_sources(store)


def test_package_validates(package):
    folder, _, _ = package
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])[:20]


def test_descriptor_is_a_fiscal_data_package(package):
    _, descriptor, rows = package
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["fiscalPeriod"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert descriptor["countryCode"] == "CN"
    assert [s["path"] for s in descriptor["sources"]] == [f"{BASE}doc/{rows[0]['document_id']}"]
    assert descriptor["resources"][0]["path"] == "budget-lines.csv"
    model = descriptor["model"]
    assert model["measures"]["amount"] == {"source": "amount", "title": "金额（元）/ amount in yuan", "currency": "CNY", "factor": 1}
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert list(fields) == list(rows[0].keys())
    for name, dimension in model["dimensions"].items():
        for attribute in dimension["attributes"].values():
            assert attribute["source"] in fields, name
            if "parent" in attribute:
                assert attribute["parent"] in dimension["attributes"], name
            if "labelfor" in attribute:
                assert attribute["labelfor"] in dimension["attributes"], name
    functional = model["dimensions"]["functional-classification"]
    assert functional["classificationType"] == "functional"
    assert functional["attributes"]["function_code"]["parent"] == "function_class_code"
    assert fields["function_class_code"]["columnType"] == "functional-classification:generic:level1:code"
    assert fields["amount"]["columnType"] == "value"
    assert fields["fiscal_year"]["columnType"] == "date:fiscal-year"


def test_one_row_per_budget_line(package, example_store):
    _, _, rows = package
    n = int(select(example_store, "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a lp:BudgetLine }")[0]["n"])
    assert n == len(rows) > 0
    assert len({r["budget_line"] for r in rows}) == n
    lines = {r["l"] for r in select(example_store, "SELECT ?l WHERE { ?l a lp:BudgetLine }")}
    assert {r["budget_line"] for r in rows} == lines


def test_sum_of_amounts_equals_the_graph(package, example_store):
    _, _, rows = package
    total = Decimal(select(example_store, "SELECT (SUM(?a) AS ?s) WHERE { ?l a lp:BudgetLine ; lp:amount ?a }")[0]["s"])
    assert sum(Decimal(r["amount"]) for r in rows) == total


def test_item_lines_per_function_class_equal_the_sparql_sum(package, example_store):
    """The published example query 01, summed again from the CSV."""
    _, _, rows = package
    csv_sums: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r["table_kind"] == "expenditure-by-function" and r["row_role"] == "item" and r["kind_code"] == "_T":
            csv_sums[r["function_class_code"]] += Decimal(r["amount"])
    graph = select(
        example_store,
        """
        SELECT ?class (SUM(?amount) AS ?sum) WHERE {
          ?line qb:dataSet ?table ; lp:rowRole <https://w3id.org/lodpub/code/row-role/item> ;
                lp:expenditureKind <https://w3id.org/lodpub/code/kind/_T> ;
                lp:functionalClassification ?code ; lp:amount ?amount .
          ?table qb:structure <https://w3id.org/lodpub/dsd/expenditure-by-function> .
          ?code skos:broader* ?c . ?c skos:topConceptOf code:function ; skos:notation ?class .
        } GROUP BY ?class""",
    )
    assert {g["class"]: Decimal(g["sum"]) for g in graph} == dict(csv_sums)
    assert {k: v / 10000 for k, v in csv_sums.items()} == {
        "201": Decimal("3385.51"),
        "208": Decimal("512.35"),
        "210": Decimal("128.7"),
        "221": Decimal("186.43"),
    }


def test_rows_per_table_match_the_accounting(package, example_build):
    _, out = example_build
    _, _, rows = package
    per_table = Counter(r["table_number"] for r in rows)
    with open(out / "accounting.csv", encoding="utf-8-sig", newline="") as f:
        accounting = {a["table"]: int(a["in_graph"]) for a in csv.DictReader(f)}
    assert {k: v for k, v in accounting.items() if v} == dict(per_table)


def test_rows_carry_codes_names_and_source(package):
    _, _, rows = package
    line = next(r for r in rows if r["budget_line"].endswith("/table/1/r1c4"))
    assert line["function_code"] == "201" and line["function_name"] == "一般公共服务支出"
    assert line["department"] == "漯河市人民政府办公室" and line["fiscal_year"] == "2024" and line["phase"] == "budget"
    assert line["amount"] == "33855100" and line["printed_value"] == "3,385.51" and line["printed_unit"] == "万元"
    assert line["source_line"] and line["source_row"] == "1" and line["source_column"] == "4"
    assert all(r["organisation_code"] and r["organisation_name"] for r in rows)
    assert any(r["economic_dept_code"] and r["economic_dept_class_code"] for r in rows)
    assert any(r["economic_gov_code"] and r["economic_gov_name"] for r in rows)
    assert any(r["project_name"] for r in rows)
    keys = [(r["document_id"], int(r["table_number"]), int(r["source_row"]), int(r["source_column"])) for r in rows]
    assert keys == sorted(keys)


def test_csv_files_open_in_a_spreadsheet(example_build):
    """Every CSV of the publication starts with the UTF-8 byte-order mark (Excel on a Chinese Windows
    then reads it as UTF-8), which a reader told utf-8-sig does not see in the first column's name."""
    _, out = example_build
    for name, first in (("budget-lines.csv", "budget_line"), ("accounting.csv", "document"), ("skipped.csv", "document")):
        data = (out / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf" * 2), name
        with open(out / name, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        assert header[0] == first, (name, header[0])
        assert csv.DictReader(io.StringIO(data.decode("utf-8-sig"))).fieldnames[0] == first
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = descriptor["resources"][0]
    assert resource["encoding"] == "utf-8"  # the standard name: a BOM is allowed in UTF-8
    data = (out / "budget-lines.csv").read_bytes()
    assert resource["bytes"] == len(data) and resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    rows = list(frictionless.Resource(str(out / "budget-lines.csv"), encoding="utf-8").read_rows())
    assert rows and "budget_line" in rows[0] and "\ufeffbudget_line" not in rows[0]


def test_codes_are_text_and_the_sum_is_explained(package):
    _, descriptor, rows = package
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    for name in ("department_code", "organisation_code", "function_class_code", "function_code", "economic_dept_code", "economic_gov_code", "project_code"):
        assert fields[name]["type"] == "string", name
    assert fields["function_code"]["constraints"]["pattern"] == "^(_T|[0-9]{3}|[0-9]{5}|[0-9]{7})$"
    assert fields["function_class_code"]["constraints"]["pattern"] == "^(_T|[0-9]{3})$"
    assert {r["department_code"] for r in rows} == {"001"}
    assert {r["row_role"] for r in rows} == {"item", "subtotal", "total"}
    for text in (descriptor["description"], descriptor["resources"][0]["description"]):
        assert "row_role is item" in text and "amount.sum()" in text
    # what the sentence warns of: over all rows the money is counted more than once
    assert sum(Decimal(r["amount"]) for r in rows) > sum(Decimal(r["amount"]) for r in rows if r["row_role"] == "item")


def test_package_reads_codes_as_text(package):
    """frictionless (as a researcher's script would) reads 001 as the text 001."""
    folder, _, _ = package
    resource = frictionless.Package(str(folder / "datapackage.json")).get_resource("budget-lines")
    codes = {row["department_code"] for row in resource.read_rows()}
    assert codes == {"001"}


def test_row_roles_are_declared(package):
    _, descriptor, _ = package
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["row_role"]["constraints"] == {"required": True, "enum": ["item", "subtotal", "total"]}

"""One module owns the URI scheme: what lodpub.uris mints and parses is what the mapping writes,
and no other module spells the scheme."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BASE, select
from lodpub import uris

PACKAGE = Path(__file__).resolve().parents[1] / "lodpub"


def test_every_budget_line_iri_parses_to_its_document_table_and_cell(example_store):
    rows = select(
        example_store,
        """
        PREFIX lp: <https://w3id.org/lodpub/ontology#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?line ?table ?doc ?g WHERE { GRAPH ?g { ?line a lp:BudgetLine ; qb:dataSet ?table ; prov:wasDerivedFrom ?doc } }""",
    )
    assert len(rows) > 100
    for r in rows:
        place, table = uris.place(r["line"]), uris.place(r["table"])
        assert place is not None and place.row and place.column, r["line"]
        assert (place.docid, place.table) == (table.docid, table.table) and table.row is None
        assert uris.document(BASE, place.docid) == r["doc"]
        assert uris.graph(BASE, place.docid) == r["g"]
        assert uris.split_graph(r["g"]) == (BASE, place.docid)


def test_organisations_and_reports_are_minted_by_uris(example_store):
    orgs = select(
        example_store,
        """
        PREFIX lp: <https://w3id.org/lodpub/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?org ?name WHERE { ?org a lp:Department ; skos:prefLabel ?name }""",
    )
    assert orgs and all(uris.organisation(BASE, o["name"]) == o["org"] for o in orgs)
    assert uris.place("https://x.org/doc/abc/project/1") is None
    assert uris.infer_base([f"{BASE}graph/a", f"{BASE}graph/b", "https://other/graph/c"]) == BASE


def test_no_other_module_spells_the_scheme():
    """The default base is defined once, and no module parses tables or rows out of IRIs itself."""
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "uris.py":
            continue
        text = path.read_text(encoding="utf-8")
        code = re.sub(r'"""[\s\S]*?"""|#[^\n]*', "", text)  # docstrings and comments may explain the scheme
        for pattern in ("data.example.org", r"/table/\(", r"graph/\{", r"doc/\{", r'"\{base\}'):
            if re.search(pattern, code):
                spelled.append(f"{path.relative_to(PACKAGE.parent)}: {pattern}")
    assert spelled == []

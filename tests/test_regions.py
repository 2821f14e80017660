"""The regional corpus (../shared/corpus/regions: 52 documents from 13 regions and levels of government,
none of which lodpub was first built on): what of it ends in the graph, held to the figures measured
and published in README.md (scripts/region_coverage.py --readme writes them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

REGIONS = CORPUS / "regions"
pytestmark = pytest.mark.skipif(not REGIONS.is_dir(), reason=f"regional corpus not found at {REGIONS}")

sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def coverage():
    from region_coverage import region_table

    return region_table(REGIONS)


def test_readme_states_what_the_corpus_gives(coverage):
    """README's table is the one the code gives today: a change in reading shows as a changed table."""
    from region_coverage import END, START

    table, _, _ = coverage
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    printed = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert printed == table.strip(), "README's region table is stale: run scripts/region_coverage.py --readme"


def test_nearly_every_document_gives_budget_lines(coverage):
    _, groups, total = coverage
    assert len(groups) >= 13
    # the five that do not are narrative-only files (情况说明) whose tables are published elsewhere,
    # each reported with why (and how to build it together with its tables)
    assert total.with_lines >= total.documents - 5
    for failure in total.failed:
        assert "情况说明" in failure or "no table title" in failure, failure


def test_amount_cells_end_in_the_graph(coverage):
    """Of every amount cell printed, the share that is a budget line; the rest are in skipped.csv with
    a reason (mostly 增减 columns: changes between two printed figures, derived, not budget figures)."""
    _, groups, total = coverage
    assert total.share >= 0.95, f"{total.budget_lines}/{total.amount_cells}"
    for name, c in groups.items():
        assert c.share >= 0.85, (name, c.budget_lines, c.amount_cells)


def test_general_public_budget_tables_add_up_in_the_graph(coverage):
    """Each general-public-budget function table's 项 lines add up to its total: the reading holds the
    print's arithmetic. Two tables do not add up in print (北京市公安局 and 福州 交通管理支队: a 款 whose
    项 fall short), and are left to validation to report."""
    _, _, total = coverage
    assert total.gpb_tables >= 40
    assert total.gpb_tables - total.gpb_adding_up <= 2


MONEY = __import__("re").compile(r"^-?[\d,]+\.\d+$|^-?\d{1,3}(?:,\d{3})+$")


def _rows_outside_tables(path: Path) -> list[tuple[int, str]]:
    from lodpub.extract import extract
    from lodpub.recognise import recognise
    from lodpub.sources import open_source

    document = extract(open_source(str(path)))
    recognition = recognise(document)
    inside = {line.number for t in recognition.tables for line in t.rows + t.header + t.repeated_headers + t.metadata}
    inside |= {origin[0] for t in recognition.tables for origin in t.origins.values()}
    inside |= {line.number for u in recognition.unread for line in u.rows}
    return [
        (line.page, line.text[:60]) for line in document.lines if line.is_row and line.number not in inside and any(MONEY.match(c.strip()) for c in line.cells)
    ]


def test_no_row_of_money_figures_falls_between_tables():
    """Every printed row holding a money figure lies in a table that is read, or in one reported as not
    read: none falls silently between tables (a table going on after a page's running head, a grid
    after prose)."""
    lost = {}
    for path in sorted(p for p in REGIONS.rglob("*") if p.suffix in (".pdf", ".txt", ".csv")):
        rows = _rows_outside_tables(path)
        if rows:
            lost[path.name] = rows[:3]
    assert not lost

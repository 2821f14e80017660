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

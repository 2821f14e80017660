"""The example and the 上海 documents give the same budget lines as before the national reading.

The golden digests (tests/golden/budget-lines.json, see tests/budget_lines.py) were taken from the
reading that was built on these documents; the reading rewritten for every region's templates must
give, table by table, the same lines: same codes, figures, roles, labels and places.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_lines import load_golden, table_digests
from conftest import CORPUS, EXAMPLE

GOLDEN = load_golden()


def _path(name: str) -> Path:
    return EXAMPLE if name == EXAMPLE.name else CORPUS / name


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_same_budget_lines_as_the_golden_reading(name):
    from lodpub.pipeline import process

    path = _path(name)
    if not path.exists():
        pytest.skip(f"{path} not found (reference corpus absent; set LODPUB_CORPUS)")
    expected = GOLDEN[name]
    result = process(str(path), keep_records=True, validate=False)
    assert result.ok, result.error
    records = result.records
    assert (records.department, records.fiscal_year, records.phase) == (expected["department"], expected["fiscal_year"], expected["phase"])
    got = table_digests(records)
    assert [(t["kind"], t["title"], t["lines"]) for t in got] == [(t["kind"], t["title"], t["lines"]) for t in expected["tables"]]
    assert got == expected["tables"]

"""Rules rewritten so that their cost grows with the pairs that can match, not with the tables squared (issue 13),
on the cases the rewritten part decides.

lps:TwoSidedSideTotal compares a side's items with its grand total only where the side prints no current-year
total: which tables print one is now found once and joined (it was a NOT EXISTS per total)."""

from __future__ import annotations

import re
from pathlib import Path

from test_shape_examples import data_part, named, validated

EXAMPLE = Path(__file__).resolve().parents[1] / "shapes" / "examples" / "arithmetic" / "TwoSidedSideTotal.invalid.ttl"


def side_total_messages(text: str) -> list[str]:
    return sorted(m for s, _, m in validated(data_part(text)) if named(s) == "TwoSidedSideTotal")


def grand_total_off(text: str) -> str:
    """The example with its 支出总计 (r5c4, the items' sum 1,276.27) printed as 1,286.27."""
    head, block = text.split("<example/table/1/r5c4>", 1)
    block = block.replace('"1,276.27"', '"1,286.27"', 1).replace('"12762700"^^xsd:decimal', '"12862700"^^xsd:decimal', 1)
    return head + "<example/table/1/r5c4>" + block


def without_current_year_total(text: str) -> str:
    """The example without its 本年支出合计 (r3c4): the expenditure side has its grand total only."""
    return re.sub(r"<example/table/1/r3c4> .*?\.\n", "", text, count=1, flags=re.S)


def test_the_grand_total_is_compared_only_where_the_side_prints_no_current_year_total():
    text = grand_total_off(EXAMPLE.read_text(encoding="utf-8"))
    assert "本年支出合计" in text and "1,286.27" in text
    printed = side_total_messages(text)  # the current-year total is compared, the grand total not
    assert len(printed) == 1 and "本年支出合计" in printed[0] and "支出总计" not in printed[0]
    alone = side_total_messages(without_current_year_total(text))  # the grand total in its place
    assert len(alone) == 1 and "支出总计" in alone[0] and "1,286.27" in alone[0]

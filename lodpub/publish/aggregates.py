"""Sums over the whole publication, published beside the budget lines (graph BASE graph/aggregates).

A question about every department, such as spending by function class across a national corpus,
would otherwise read every budget line of every document; the aggregates answer it from a few
hundred observations. They are computed while budget-lines.csv is written (one pass over its
rows, `add`), mapped to RDF by the mappings with `graph: aggregates` in mappings/rdf.yaml, and
typed lp:AggregateObservation: no document prints them, and they are not lp:BudgetLine, so no sum
of budget lines counts them twice. Their structure is ontology/aggregates.ttl.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from ..mapping import default_mapping
from .columns import COLUMN_NAMES

_ROLE, _TABLE_KIND, _KIND, _CLASS, _YEAR, _PHASE, _AMOUNT, _DOCUMENT = (
    COLUMN_NAMES.index(c) for c in ("row_role", "table_kind", "kind_code", "function_class_code", "fiscal_year", "phase", "amount", "document_id")
)

DATASETS = [
    {
        "name": "function-class-totals",
        "title_zh": "全部部门按支出功能分类（类）汇总",
        "title_en": "All departments by function class",
        "description_zh": "每个年度、阶段、功能分类“类”：本次发布全部部门支出预算表中“合计”列明细行之和，由 lodpub 计算，非原文数字。",
        "description_en": (
            "For each fiscal year, budget phase and function class: the sum of the item lines in the total "
            "column of every department expenditure table of this publication, computed by lodpub "
            "(not printed in any document)."
        ),
    }
]


class FunctionClassTotals:
    """Per fiscal year, budget phase and function class (类): the sum of the item lines of every
    部门支出预算表 (expenditure-by-function) at the total over expenditure kinds, with how many
    lines and documents it sums. Rows arrive a document at a time (budget-lines.csv order)."""

    def __init__(self):
        self.sums: dict[tuple[str, str, str], list] = {}  # (year, phase, class) → [amount, lines, documents, last document]

    def add(self, rows: Iterable[list[str]]) -> None:
        """Rows of budget-lines.csv as lists in its column order (columns.COLUMNS)."""
        for r in rows:
            if (
                r[_ROLE] != "item"
                or r[_TABLE_KIND] != "expenditure-by-function"
                or r[_KIND] != "_T"
                or not r[_CLASS]
                or not r[_YEAR]
                or not r[_PHASE]
                or not r[_AMOUNT]
            ):
                continue
            key = (r[_YEAR], r[_PHASE], r[_CLASS])
            entry = self.sums.get(key)
            if entry is None:
                entry = self.sums[key] = [Decimal(0), 0, 0, None]
            entry[0] += Decimal(r[_AMOUNT])
            entry[1] += 1
            if entry[3] != r[_DOCUMENT]:
                entry[2] += 1
                entry[3] = r[_DOCUMENT]

    def records(self) -> list[dict]:
        return [
            {"fiscal_year": year, "phase": phase, "class_code": code, "amount": amount, "lines": lines, "documents": documents}
            for (year, phase, code), (amount, lines, documents, _) in sorted(self.sums.items())
        ]


def aggregate_quads(totals: FunctionClassTotals, base: str) -> list[str]:
    """The sorted N-Quads lines of the aggregates graph (nothing when there is nothing to sum)."""
    records = totals.records()
    if not records:
        return []
    sources = {"aggregate_datasets": DATASETS, "function_class_totals": records}
    return sorted(set(default_mapping().publication_quads(sources, base)))

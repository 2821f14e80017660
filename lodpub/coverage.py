"""How much of what documents print ends in the graph: amount cells against budget lines, per document
and per group of documents (a region), and whether each general-public-budget function table's 项
lines add up to its total in the graph."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .records import DocumentRecords

GPB_KINDS = ("general-public-budget-expenditure",)


@dataclass
class Coverage:
    """Figures of one document (or the sum over several)."""

    documents: int = 0
    with_lines: int = 0  # documents that gave budget lines
    budget_lines: int = 0
    amount_cells: int = 0  # budget lines + figures reported as not read (skipped.csv)
    gpb_tables: int = 0  # general-public-budget function tables with a total
    gpb_adding_up: int = 0  # … whose 项 lines add up to the total in the graph
    failed: list[str] = field(default_factory=list)  # documents that gave no budget line, with why

    @property
    def share(self) -> float:
        return self.budget_lines / self.amount_cells if self.amount_cells else 1.0

    def add(self, other: "Coverage") -> None:
        for name in ("documents", "with_lines", "budget_lines", "amount_cells", "gpb_tables", "gpb_adding_up"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed.extend(other.failed)


def gpb_tables_add_up(records: DocumentRecords) -> list[bool]:
    """For each general-public-budget function table with a total: do its 项 lines (the total column of
    the department, all kinds of expenditure) add up to the printed total, within the printed precision?"""
    out = []
    for table in records.tables:
        if table.kind not in GPB_KINDS:
            continue
        lines = [
            o
            for o in records.observations
            if o.table == table.ordinal
            and o.phase is None
            and o.dims.get("lp:expenditureKind", "_T") == "_T"
            and o.fiscal_year is None
            and all(v == "_T" for d, v in o.dims.items() if d not in ("lp:functionalClassification", "lp:organisation", "lp:fundingSource"))
        ]
        whole = [o for o in lines if o.dims.get("lp:functionalClassification") in (None, "_T")]
        # the 合计 row; or, where the table opens with the department's own row instead (深圳), that row
        totals = [o for o in whole if o.role == "total"] or [o for o in whole if o.role == "subtotal"][:1]
        if not totals or len({o.dims.get("lp:organisation") for o in whole if o.role == "subtotal"}) > 1 and totals[0].role != "total":
            continue
        total = totals[0]
        # the total's own column: beside it, this year's money and the carry-over (吉林) are other sources of funds
        items = [o for o in lines if o.role == "item" and o.dims.get("lp:fundingSource") == total.dims.get("lp:fundingSource")]
        digits = max([len(o.printed.split(".")[1]) if "." in o.printed else 0 for o in items + [total]])
        unit = total.amount / Decimal(total.printed.replace(",", "")) if Decimal(total.printed.replace(",", "")) else 1
        tolerance = Decimal(1).scaleb(-digits) * unit * (len(items) + 1) / 2
        out.append(abs(sum((o.amount for o in items), Decimal(0)) - total.amount) <= tolerance)
    return out


def of_document(records: DocumentRecords | None, error: str | None = None, location: str = "") -> Coverage:
    c = Coverage(documents=1)
    if records is None:
        c.failed.append(error or location)
        return c
    c.budget_lines = len(records.observations)
    c.amount_cells = c.budget_lines + len(records.skipped)
    c.with_lines = int(c.budget_lines > 0)
    checks = gpb_tables_add_up(records)
    c.gpb_tables, c.gpb_adding_up = len(checks), sum(checks)
    if not c.budget_lines:
        c.failed.append(f"{records.location}: no budget line")
    return c


def by_group(results, group_of) -> dict[str, Coverage]:
    """Coverage of build results (with records kept), summed per group (group_of(location) → name)."""
    groups: dict[str, Coverage] = defaultdict(Coverage)
    for result in results:
        name = group_of(result.location.split(" + ")[-1])
        groups[name].add(of_document(result.records, result.error, result.location))
    return dict(groups)

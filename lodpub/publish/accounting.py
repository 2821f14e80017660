"""Row accounting of a document: per table, the amount cells found = the budget lines in the graph +
the cells skipped with a reason (accounting.csv), and the skipped cells themselves (skipped.csv)."""

from __future__ import annotations

ACCOUNTING_COLUMNS = ["document", "table", "title", "kind", "page", "line", "rows", "amount_cells", "in_graph", "skipped", "declared_empty"]
SKIPPED_COLUMNS = ["document", "table", "row", "column", "line", "printed", "reason"]


def accounting_rows(docid: str, details) -> list[dict]:
    """Per table of a document: amount cells found = budget lines in the graph + cells skipped with a reason;
    then the tables seen but not read (kind empty), whose every amount cell is skipped."""
    rows = []
    for table in details.tables:
        observed = details.table_counts.get(table.ordinal, 0)
        skipped = table.amount_cells - observed  # (TableRecord.amount_cells: its budget lines and its skipped cells)
        rows.append(
            {
                "document": docid,
                "table": table.ordinal,
                "title": table.title,
                "kind": table.kind,
                "page": table.page or "",
                "line": table.line,
                "rows": table.rows,
                "amount_cells": table.amount_cells,
                "in_graph": observed,
                "skipped": skipped,
                "declared_empty": table.declared_empty,
            }
        )
    for unread in getattr(details, "unread", []):
        rows.append(
            {
                "document": docid,
                "table": "",
                "title": unread.title,
                "kind": "",
                "page": unread.page or "",
                "line": unread.line,
                "rows": unread.rows,
                "amount_cells": unread.amount_cells,
                "in_graph": 0,
                "skipped": unread.amount_cells,
                "declared_empty": False,
            }
        )
    return rows


def skipped_rows(docid: str, details) -> list[dict]:
    """The cells of a document that are not in the graph, each with its place and the reason (table empty:
    a table lodpub does not read; row empty: a line of the table not read as a row, its column the
    figure's place among the line's words)."""
    return [
        {"document": docid, "table": s.table or "", "row": s.row or "", "column": s.col, "line": s.line, "printed": s.printed, "reason": s.reason}
        for s in details.skipped
    ]

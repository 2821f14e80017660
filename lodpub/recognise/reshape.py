"""Tables printed another way round, put the usual way before their columns are read: years as rows
turned into years as columns, and a column's cells that fell between columns moved back into it."""

from __future__ import annotations

import re

from ..model import Line, RecognisedTable

_YEAR_KEY = re.compile(r"^(\d{4})(?:年度?|-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2})?$")


def transpose_years(table: RecognisedTable) -> None:
    """A table printed with one row per year and one column per line (收支总表 of several years, as a
    spreadsheet holds it) turned the usual way round: a label column, then one column per year."""
    if len(table.header) != 1 or not table.rows:
        return
    header = table.header[0].cells
    years = [_YEAR_KEY.match(row.cells[0].strip()) if row.cells and row.cells[0] else None for row in table.rows]
    if header[0].strip() or not all(years) or len(header) < 3:
        return
    new_header = Line(table.header[0].page, table.header[0].number, ("项目",) + tuple(f"{m.group(1)}年" for m in years), table.header[0].file)
    rows = []
    for j in range(1, len(header)):
        cells = (header[j],) + tuple(row.cells[j] if j < len(row.cells) else "" for row in table.rows)
        rows.append(Line(table.header[0].page, table.header[0].number, cells, table.header[0].file))
        for k, row in enumerate(table.rows, start=1):  # where each figure was printed
            table.origins[(len(rows), k)] = (row.number, j)
    table.header, table.rows = [new_header], rows
    table.transposed = True


def merge_split_columns(table: RecognisedTable) -> None:
    """A column with no header whose cells fill the gaps of a neighbouring column with a header, row for
    row (a table continued on a page whose rules are drawn a little off, so that its cells fall between
    the first page's columns): its cells are moved into that column."""
    filled = {c.index: {r for r, line in enumerate(table.rows) if c.index < len(line.cells) and line.cells[c.index].strip()} for c in table.columns}
    moves: dict[int, int] = {}
    for col in table.columns:
        if col.role != "none" or not filled[col.index]:
            continue
        for other in (col.index - 1, col.index + 1):
            if (
                0 <= other < len(table.columns)
                and table.columns[other].role in ("amount", "key")
                and filled[other]
                and not filled[other] & filled[col.index]
                and other not in moves
            ):
                moves[col.index] = other
                filled[other] |= filled[col.index]
                break
    if not moves:
        return
    rows = []
    for line in table.rows:
        cells = list(line.cells)
        for src, dst in moves.items():
            if src < len(cells) and cells[src].strip():
                cells.extend([""] * (dst + 1 - len(cells)))  # a row that ends in the column moved from
                cells[dst], cells[src] = cells[src], ""
        rows.append(Line(line.page, line.number, tuple(cells), line.file))
    table.rows = rows

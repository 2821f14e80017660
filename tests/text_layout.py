"""A text document laid out as a word processor or a site's editor would hold it: paragraphs and
tables, a heading over several columns merged across them. For the tests that write the example as a
Word document and as a web page and expect the example's budget lines back."""

from __future__ import annotations

from lodpub.recognise.text import is_amount


def blocks_of_text(text: str) -> list[str | list[list[tuple[str, int]]]]:
    """The text's blocks in order: a line of one cell is a paragraph (a str); consecutive lines of
    several cells are a table, its rows lists of (text, columns spanned). In the table's header (the
    rows above the first with a figure) a cell followed by blank ones spans them; below, each cell is
    one column, blank or not."""
    blocks: list[str | list[list[tuple[str, int]]]] = []
    table: list[list[str]] = []

    def end_table():
        if not table:
            return
        width = max(len(cells) for cells in table)
        rows, header = [], True
        for cells in table:
            cells = cells + [""] * (width - len(cells))
            header = header and not any(is_amount(c) for c in cells)
            merged, k = [], 0
            while k < width:
                span = 1
                while header and cells[k] and k + span < width and not cells[k + span]:
                    span += 1
                merged.append((cells[k], span))
                k += span
            rows.append(merged)
        blocks.append(rows)
        table.clear()

    for raw in text.splitlines():
        if not raw.strip():
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if len(cells) > 1:
            table.append(cells)
        else:
            end_table()
            blocks.append(cells[0])
    end_table()
    return blocks

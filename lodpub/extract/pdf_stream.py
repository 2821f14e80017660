"""Tables printed without rules: the columns read from the white space that runs down the rows.

A table set without ruling lines (a report system's export, a Word table with its borders off, a
三线表 with horizontal rules only) gives no grid: its rows come out as lines of text, “2010301
行政运行 1,234.50 1,000.00 234.50”, whose figures the records stage can only report. Its columns
still show: every row leaves white space in the same places. Here the lines of a page outside any
grid are cut into runs of glyphs at gaps wider than an em (a third of an em between two digits); a
block of at least `MIN_ROWS` consecutive lines that each print a figure (decimals, thousands, or
four digits and more: not a page number) among other runs is a table when the white space between
its runs, an em wide at least, lines up into channels running down the whole block, and the line
right above it is a line of headings with one run over each column (and no second line of headings
above it). The headings and each line of the block are then cut at those channels into cells, as a
ruled table's rows are; a label wrapped onto a closer second line joins its row.

Nothing is guessed: a block whose figures do not keep to their columns (a run across a channel, a
figure and anything else in one column of a row), whose headings do not name each column once
(headings over two levels, a column empty in every row of the block) or that has fewer rows stays
lines of text, reported by the records stage with why. A line of prose (a run wider than half the
block) is never part of a table. `scripts/unruled_check.py` reads the corpus with its rules taken
out and compares.
"""

from __future__ import annotations

import re

from lodpub.extract.pdf_pages import Char
from lodpub.recognise.text import AMOUNT

GAP = 1.0  # ems of white space between two runs of a line
MIN_ROWS = 3  # lines of figures that make a block
_DIGITS = set("0123456789.,-")


def _runs(line: list[Char]) -> list[list[Char]]:
    runs: list[list[Char]] = []
    prev: Char | None = None
    for c in line:
        if c.text.isspace():
            continue
        em = max(c.size, prev.size, 1.0) if prev is not None else 0.0
        if prev is None or c.x0 - prev.x1 > GAP * em or (c.x0 - prev.x1 > 0.3 * em and prev.text in _DIGITS and c.text in _DIGITS):
            runs.append([])  # (two figures a third of an em apart are two figures, never one)
        runs[-1].append(c)
        prev = c
    return runs


def _is_figure(text: str) -> bool:
    """A figure of a table, not a page number or an ordinal: decimals, thousands, or four digits and more."""
    return bool(AMOUNT.match(text)) and ("." in text or "," in text or len(text.lstrip("-")) >= 4)


def table_rows(lines: list[list[Char]], join) -> list[tuple[str, ...] | None]:
    """For each line (glyphs sorted left to right, lines top to bottom): the cells it has as a row of a
    table printed without rules, None where it is a line of text, or () where it is the wrapped rest of
    the row above (joined to it). `join(glyphs, in_cell)` gives a run's text."""
    runs = [_runs(ln) for ln in lines]
    texts = [[join(r, True) for r in rs] for rs in runs]
    figures = [len(rs) >= 2 and any(_is_figure(t) for t in ts) for rs, ts in zip(runs, texts)]
    out: list[tuple[str, ...] | None] = [None] * len(lines)
    n = 0
    while n < len(lines):
        if not figures[n]:
            n += 1
            continue
        end = n
        while end + 1 < len(lines) and (figures[end + 1] or _fits_between(runs, figures, end + 1)):
            end += 1
        block = range(n, end + 1)
        if sum(figures[k] for k in block) >= MIN_ROWS:
            cut = _columns([r for k in block if figures[k] for r in runs[k]])
            rows = [_cells(runs[k], texts[k], cut, strict=True) for k in block] if cut else [None]
            head = n - 1
            heading = _heading(runs[head], texts[head], cut) if head >= 0 and all(rows) else None
            if heading and not (head > 0 and _upper_heading(texts[head - 1])):
                out[head] = heading
                for k, row in zip(block, rows):
                    out[k] = row
                _join_wrapped(lines, block, figures, out)
        n = end + 1
    return out


def _join_wrapped(lines: list[list[Char]], block: range, figures: list[bool], out: list) -> None:
    """A line of text only, closer to the row above than the rows are to each other, is that row's label
    wrapped onto a second line: it joins the row's cells (and gives the empty tuple: nothing of its own)."""
    bases = [lines[k][0].base for k in block]
    steps = sorted(b - a for a, b in zip(bases, bases[1:]))
    if not steps:
        return
    pitch = steps[len(steps) // 2]
    for k in block:
        above = k - 1
        if figures[k] or above not in block or not out[above] or lines[k][0].base - lines[above][0].base >= 0.75 * pitch:
            continue
        out[above] = tuple(a + (" " if a and b and a[-1].isascii() and b[0].isascii() else "") + b for a, b in zip(out[above], out[k]))
        out[k] = ()


def _heading(runs: list[list[Char]], texts: list[str], cut: list[float]) -> tuple[str, ...] | None:
    """The cells of a line of one heading per column: as many runs as the block has columns, each inside
    one column; else None. Headings over several levels (a heading over several columns, a heading cut
    over two lines) cannot be told apart without the rules: such a table is not read, but reported.
    One run per column: two in one column may be a heading spaced out (项    目), or the headings of two
    columns (类 | 款 | 项 over codes set close together, 预算单位 over a column empty on this page)."""
    cells = _cells(runs, texts, cut, strict=True)
    return cells if cells and len(runs) == len(cells) and all(cells) else None


def _upper_heading(texts: list[str]) -> bool:
    """Is the line above the headings a heading too (收入 | 支出 over 项目 | 预算数 | 项目 | 预算数, 基本支出
    over 人员经费 | 公用经费), or a row of the table (a figure on its own), so that the headings are not
    the table's first line? Not the table's title, its number or year, or the line naming its unit and
    department."""
    if any(_is_figure(t) for t in texts):
        return True
    if not texts or any(re.search(r"[：:]|表$|^表?\s*\d+$|^[（(]|单位\s*[万千亿]?元", t) for t in texts):
        return False
    return len(texts) > 1 or len(texts[0]) <= 10


def _fits_between(runs: list[list[list[Char]]], figures: list[bool], k: int) -> bool:
    """A line without figures inside a block (a label-only row: “其中：”, a class heading): it goes on
    when the next line prints figures again."""
    return bool(runs[k]) and k + 1 < len(runs) and figures[k + 1]


def _columns(runs: list[list[Char]]) -> list[float] | None:
    """The x where the block's columns meet: the middle of each stretch of white space, an em wide at
    least, that no run of a line of figures covers. None when the block has a single column."""
    spans = sorted((r[0].x0, r[-1].x1) for r in runs)
    em = sorted(r[0].size for r in runs)[len(runs) // 2]
    cuts: list[float] = []
    right = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - right > GAP * em:
            cuts.append((right + x0) / 2)
        right = max(right, x1)
    width = right - spans[0][0]
    if not cuts or any(x1 - x0 > width / 2 for x0, x1 in spans):
        return None  # one column, or a run as wide as half the block: prose, not a table
    return cuts


def _cells(runs: list[list[Char]], texts: list[str], cut: list[float], strict: bool) -> tuple[str, ...] | None:
    """The line cut at the channels: each run in the column it lies in. A row (strict) whose run crosses a
    channel, or whose column gets a figure and anything else, is not a row of the table; a heading's
    run across a channel (a heading over several columns) goes to the column holding most of it."""
    cells: list[list[str]] = [[] for _ in range(len(cut) + 1)]
    bounds = [float("-inf"), *cut, float("inf")]
    for run, text in zip(runs, texts):
        x0, x1 = run[0].x0, run[-1].x1
        overlap = [max(0.0, min(x1, bounds[k + 1]) - max(x0, bounds[k])) for k in range(len(cells))]
        k = max(range(len(cells)), key=lambda i: overlap[i])
        if strict and sum(1 for o in overlap if o > 0) > 1:
            return None
        cells[k].append(text)
    if strict and any(len(c) > 1 and any(AMOUNT.match(t) for t in c) for c in cells):
        return None
    return tuple(" ".join(c) for c in cells)

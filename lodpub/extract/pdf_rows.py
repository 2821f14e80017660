"""Rows of a PDF table mended where the layout cut or overprinted them.

A label's last characters drawn over the rule into the figure cell beside it go back to the label, also
when they overprint the figure (西安: “西安市人工影响天气服务保” | “障中18心39311.66”).

A table row cut by a page break: the row's first part at the foot of one page, the rest of its cells at
the top of the next page, where the table continues (杭州: “杭州市机动 | … | 12,437.3 | …” then
“车驾驶员考试服务中心 | … | 6 | …”). The continuation is joined to the row it completes, cell by cell,
when every cell it prints continues a cell of that row: a name goes on (text after text) and each figure
fragment is digits that give the figure cut short the decimals the row's other figures print."""

from __future__ import annotations

import re

from lodpub.model import Line

_SPILL = re.compile(r"^([^\d\s,.\-−]{1,3}|[\u4e00-\u9fff（）()“”、]{4,12})\s*(-?[\d,]+(?:\.\d+)?)$")
_CJK = re.compile(r"[\u4e00-\u9fff（）()“”、]")


def mend_spills(cells: list[str]) -> tuple[str, ...]:
    """A label's last characters drawn over the rule into the figure cell beside it (“（二” | “）0.00”, or over
    the figure itself: “障中18心39311.66”) go back to the label."""
    for k in range(1, len(cells)):
        m = _SPILL.match(cells[k])
        if m and cells[k - 1] and not _SPILL.match(cells[k - 1]) and not cells[k - 1][-1].isdigit():
            cells[k - 1] += m.group(1)
            cells[k] = m.group(2)
            continue
        spilled = "".join(_CJK.findall(cells[k]))
        figure = _CJK.sub("", cells[k]).strip()
        if spilled and len(spilled) <= 12 and _FIGURE.match(figure) and ("." in figure or "," in figure):
            if cells[k - 1] and not _FIGURE.match(cells[k - 1]) and _CJK.match(cells[k][0]):
                cells[k - 1] += spilled
                cells[k] = figure
    return tuple(cells)


_FIGURE = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d*)?$|^-?\d+(?:\.\d*)?$")
_DIGITS = re.compile(r"^\d+$")


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _completes(row: tuple[str, ...], rest: tuple[str, ...]) -> bool:
    """Whether `rest` (the first row of a continuation page) is the remainder of `row`."""
    if len(row) != len(rest) or not any(rest):
        return False
    figures = [k for k, t in enumerate(rest) if t and _DIGITS.match(t) and _FIGURE.match(row[k])]
    if not figures:
        return False
    for k, text in enumerate(rest):
        if not text:
            continue
        if not row[k]:
            return False  # a cell of its own: a new row
        if k not in figures and (_FIGURE.match(text) or _FIGURE.match(row[k])):
            return False
    for k in figures:
        others = [_decimals(t) for j, t in enumerate(row) if j != k and t and _FIGURE.match(t)]
        if not others or _decimals(row[k]) >= max(others) or _decimals(row[k] + rest[k]) != max(others):
            return False
    return True


def join_split_rows(lines: list[Line], splits: list[tuple[int, int]]) -> list[Line]:
    """`lines` with each continuation row named in `splits` (index of a table's last row on a page, index
    of the first row of its continuation on the next page) joined to the row it completes; lines renumbered."""
    joined: dict[int, tuple[str, ...]] = {}
    dropped: set[int] = set()
    for last, first in splits:
        row, rest = lines[last].cells, lines[first].cells
        if _completes(row, rest):
            joined[last] = tuple(a + b for a, b in zip(row, rest))
            dropped.add(first)
    if not dropped:
        return lines
    out: list[Line] = []
    for n, line in enumerate(lines):
        if n not in dropped:
            out.append(Line(line.page, len(out) + 1, joined.get(n, line.cells), line.file))
    return out

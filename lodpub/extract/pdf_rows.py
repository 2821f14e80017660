"""Rows of a PDF table mended where the layout cut or overprinted them.

Text printed wider than its cell runs over the rule into the cell beside it: a label set from Excel
runs on under the figure of the next cell, which covers it (西安: “(5)资本性支出(基本建” | “0设.0)0”), or
a heading centred in a narrow cell sticks out on both sides (“预算数政” | “府预算…（按大类” | “）预算数”).
`mend_overflow` gives such a run of glyphs back to the cell that holds most of it, before the cells'
texts are joined; the glyphs of one run follow each other in the page's drawing order, on one
baseline, each starting where the one before ends.

A label's last characters drawn over the rule into the figure cell beside it go back to the label, also
when they overprint the figure (西安: “西安市人工影响天气服务保” | “障中18心39311.66”).

A table row cut by a page break: the row's first part at the foot of one page, the rest of its cells at
the top of the next page, where the table continues (杭州: “杭州市机动 | … | 12,437.3 | …” then
“车驾驶员考试服务中心 | … | 6 | …”; 江苏: “八、社会保障和就 | 1,608.51” then “业支出”). The continuation is
joined to the row it completes, cell by cell, when every cell it prints continues a cell of that row: a
name goes on (text after text, not what opens a line of its own: an ordinal, “其中”, a code) and each
figure fragment is digits that give the figure cut short the decimals the row's other figures print. A
Word or WPS table printed to PDF may cut every figure of the row, before its decimal point (“4,212” |
“290.2”, then “.99” | “7”): joined, they all print the same decimals. A classification code cut in its
cell (“3022”, then “9”) goes on to a code of five or seven digits, a project's code of many digits goes on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lodpub.extract.pdf_pages import Char
from lodpub.model import Line
from lodpub.recognise.text import CLASSIFICATION_CODE, CLASSIFICATION_CODE_LENGTHS, FIRST_DIGIT_OF_AXIS, UNIT_CODE_LENGTHS

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
_CUT_GROUP = re.compile(r"^-?\d{1,3}(?:,\d{3})*,\d{0,2}$")  # a figure cut inside a group of its thousands: 796,71 (then 3)
# the rest of such a group and the decimals (59,46 | 9.74), or of a figure printed without separators where its
# column prints decimals (213808 | 2.18)
_GROUP_REST = re.compile(r"^\d{1,3}\.\d+$")
_FRAGMENT = re.compile(r"^\.?\d+$")  # the rest of a figure cut at a page's foot: digits, or the point and digits
_CUT_CODE = re.compile(rf"^[{''.join(FIRST_DIGIT_OF_AXIS.values())}]\d+$")  # the first digits of a function (2xx) or economic (3xx, 5xx) code


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _separated(text: str) -> bool:
    """A figure that prints a point or a thousands separator (no code: 001, 221)."""
    return bool(_FIGURE.match(text)) and ("." in text or "," in text)


@dataclass(frozen=True)
class ColumnsAbove:
    """What the rows of figures above a cut row print in each column: the decimals of its figures (when
    they all print the same), and whether it prints codes (digits only, four cells in five at least: 208,
    05, 253021)."""

    decimals: dict[int, int]
    codes: frozenset[int]


def columns_above(lines: list[Line], last: int, rows: int = 40) -> ColumnsAbove:
    """The columns of the rows of figures of a table above line `last` (as many cells, up to `rows` lines)."""
    width = len(lines[last].cells)
    decimals: dict[int, set[int]] = {}
    digits: dict[int, list[bool]] = {}
    for j in range(last - 1, max(-1, last - 1 - rows), -1):
        cells = lines[j].cells
        if len(cells) != width:
            break
        if not any(_separated(t) for t in cells):
            continue  # a header row, a row of text: no row of figures
        for k, t in enumerate(cells):
            if t:
                digits.setdefault(k, []).append(t.isdigit())
            if _separated(t):
                decimals.setdefault(k, set()).add(_decimals(t))
    codes = frozenset(k for k, d in digits.items() if sum(d) >= 0.8 * len(d))  # (a 合计 among its codes)
    return ColumnsAbove({k: d.pop() for k, d in decimals.items() if len(d) == 1}, codes)


def _completes(row: tuple[str, ...], rest: tuple[str, ...], full: tuple[bool, ...], above: ColumnsAbove) -> bool:
    """Whether `rest` (the first row of a continuation page) is the remainder of `row`, whose text fills
    the cells `full` names to their right edge. A figure's remainder is digits, or its decimal point and
    digits (the cut before the point: “4,212” then “.99”; inside its decimals: “76.0000” then “00”; inside
    a group of its thousands: “796,71” then “3”); joined, each figure prints the decimals its column prints
    in the rows above, or, where they do not tell, the decimals the row's other figures print, or all the
    same decimals where every figure of the row was cut. A code wrapped in its column goes on with them
    (208 | 05, 0 | 5)."""
    if len(row) != len(rest) or not any(rest):
        return False
    # digits, then digits with a point (213808 | 2.18): one figure where it filled its cell, or where the next page
    # prints nothing else (效益指标 | 设备利用率 | ≥ | 90, then 成本指标 | 警犬防病医疗成本 | ≤ | 29.16 is a row of its own)
    digits_only = all(not t or _FRAGMENT.match(t) or _GROUP_REST.match(t) for t in rest)
    figures = [
        k
        for k, t in enumerate(rest)
        if t
        and (
            _FRAGMENT.match(t)
            or (_GROUP_REST.match(t) and (_CUT_GROUP.match(row[k]) or (row[k].isdigit() and above.decimals.get(k) and (full[k] or digits_only))))
        )
        and (_FIGURE.match(row[k]) or _CUT_GROUP.match(row[k]))
        and _FIGURE.match(row[k] + t)
        and "," not in t
    ]
    if not figures:  # only the rest of a name (江苏: “八、社会保障和就” | 1,608.51, then “业支出”)
        return _name_goes_on(row, rest, full)
    for k, text in enumerate(rest):
        if not text:
            continue
        if not row[k]:
            return False  # a cell of its own: a new row
        if k not in figures and (_FIGURE.match(text) or _FIGURE.match(row[k])):
            return False
    joined = [row[k] + rest[k] if k in figures else row[k] for k in range(len(row))]
    codes = [k for k in figures if _cut_code(row[k], rest[k]) and (len(row[k]) < 8 or (k < len(full) and full[k]))]  # (a long code wrapped: it filled its cell)
    # digits under digits in a column of codes (208 | 05, 0 | 5, 253 | 021): a code wrapped in a narrow cell when
    # the row's figures are cut too, else a row of its own
    in_codes = [k for k in figures if k not in codes and k in above.codes and row[k].isdigit() and rest[k].isdigit()]
    figures = [k for k in figures if k not in codes and k not in in_codes]  # a code cut at the foot (3022 | 9: 30229) goes on
    if not figures:
        if in_codes and not codes and all(not t or k in in_codes for k, t in enumerate(rest)):
            # only the end of a code, nothing else: a code wrapped in its cell (22005 | 06), not a row of its own
            return all(CLASSIFICATION_CODE.match(row[k] + rest[k]) or len(row[k] + rest[k]) in (2, *UNIT_CODE_LENGTHS) for k in in_codes)
        return bool(codes) and not in_codes and all(k in codes or not t or _name_goes_on_in(row[k], t) for k, t in enumerate(rest))
    if any("." in row[k] and rest[k].startswith(".") for k in figures):
        return False  # two points
    if all(k in above.decimals for k in figures):  # the columns above tell what each figure prints
        return all(_decimals(joined[k]) == above.decimals[k] and (_CUT_GROUP.match(row[k]) or _decimals(row[k]) < above.decimals[k]) for k in figures)
    if in_codes or any(_CUT_GROUP.match(row[k]) for k in figures):
        return False
    printed = [_decimals(t) for k, t in enumerate(joined) if "." in t and _FIGURE.match(t) and k not in figures]  # (not a code: 001, 221)
    for k in figures:
        if _decimals(row[k]) >= _decimals(joined[k]) or (printed and _decimals(joined[k]) != max(printed)):
            return False
    if not printed:  # every figure cut: joined, they print the same decimals, at least one
        decimals = {_decimals(joined[k]) for k in figures}
        return len(figures) >= 2 and len(decimals) == 1 and decimals != {0}
    return True


# what begins a line of its own: an ordinal (一、 （一） 1. （1）), “其中”, a classification code
_OPENS_A_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[、.．]|其中|\d{3,})")


def _cut_code(cell: str, rest: str) -> bool:
    """Whether `rest`, digits, ends the code `cell` printed cut short: a function or economic code to five
    or seven digits (3022 | 9), or a project's code of many digits (41110022000000000702 | 3)."""
    if not (cell.isdigit() and rest.isdigit()):
        return False
    if _CUT_CODE.match(cell) and len(cell) not in CLASSIFICATION_CODE_LENGTHS and CLASSIFICATION_CODE.match(cell + rest):
        return True
    return len(cell) >= 8


def _name_goes_on_in(cell: str, text: str) -> bool:
    """Whether `text` can go on the name `cell` prints: text after text, not a figure, nor what opens a line."""
    return bool(cell) and not _FIGURE.match(cell) and not any(ch.isdigit() for ch in text) and not _OPENS_A_LINE.match(text)


def _name_goes_on(row: tuple[str, ...], rest: tuple[str, ...], full: tuple[bool, ...]) -> bool:
    """Whether `rest`, a row of text only, is the end of the texts `row` printed cut short: each of its
    texts under a text of the row that fills its cell to the right edge (so it wrapped there), none of
    them a figure or what opens a line of its own, and the row a line of figures (a narrow cell of
    text alone fills it: 福州's “备注” is no name cut short)."""
    if len(full) != len(row):
        return False
    if not any(_FIGURE.match(t) for t in row if t):
        return _text_goes_on(row, rest, full)
    return all(not text or (full[k] and (_name_goes_on_in(row[k], text) or _paragraph_goes_on(row[k], text))) for k, text in enumerate(rest))


def _paragraph_goes_on(cell: str, text: str) -> bool:
    """Whether `text` goes on a paragraph: `cell` holds twenty characters or more (a target's or an
    indicator's explanation), and `text` is no figure nor what opens a line (digits inside are the
    paragraph's: 80.33km)."""
    return len(cell) >= 20 and not _FIGURE.match(text) and not _OPENS_A_LINE.match(text) and sum(ch.isalpha() for ch in text) >= 2


def _text_goes_on(row: tuple[str, ...], rest: tuple[str, ...], full: tuple[bool, ...]) -> bool:
    """A row of text only cut at the foot, whose one text on the next page goes on a paragraph of the row
    (an indicator's explanation, a department's tasks in a form): a text of twenty characters or more
    that fills its cell. Anything less may be a row of its own: a new indicator (质量指标 | …, then 时效指标
    | …), a label under a label (专户管理教育收费, then 其他非税收入), a narrow cell's word (福州's 备注)."""
    texts = [k for k, text in enumerate(rest) if text]
    if len(texts) != 1:
        return False
    k = texts[0]
    return bool(full[k]) and _paragraph_goes_on(row[k], rest[k])


def join_split_rows(lines: list[Line], splits: list[tuple[int, int, tuple[bool, ...]]]) -> list[Line]:
    """`lines` with each continuation row named in `splits` (index of a table's last row on a page, index
    of the first row of its continuation on the next page, which cells of the former its text fills to
    the right edge) joined to the row it completes; lines renumbered."""
    joined: dict[int, tuple[str, ...]] = {}
    dropped: set[int] = set()
    for last, first, full in splits:
        row, rest = lines[last].cells, lines[first].cells
        if _completes(row, rest, full, columns_above(lines, last)):
            joined[last] = tuple(a + b for a, b in zip(row, rest))
            dropped.add(first)
    if not dropped:
        return lines
    out: list[Line] = []
    for n, line in enumerate(lines):
        if n not in dropped:
            out.append(Line(line.page, len(out) + 1, joined.get(n, line.cells), line.file))
    return out


def _figure_tail(text: str) -> int:
    """Where the figure that ends `text` begins (len(text) when it ends in no figure)."""
    m = re.search(r"-?[\d,]+(?:\.\d+)?$", text)
    return m.start() if m and _FIGURE.match(m.group()) else len(text)


def _overlaps(a: Char, b: Char) -> bool:
    """Two glyphs drawn over each other (more than a third of the narrower one, across and down)."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    down = min(a.bottom, b.bottom) - max(a.top, b.top)
    return across > min(a.x1 - a.x0, b.x1 - b.x0) / 3 and down > min(a.bottom - a.top, b.bottom - b.top) / 3


def _runs(chars: list[Char], places: list) -> list[list[int]]:
    """Runs of glyphs in drawing order: one grid row, one baseline, each glyph starting where the one
    before it ends (within a quarter of an em)."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, c in enumerate(chars):
        if run:
            p = chars[run[-1]]
            em = max(c.size, p.size, 1.0)
            if places[i] is None or places[i][:2] != places[run[-1]][:2] or abs(c.base - p.base) > 0.3 * em or not -0.3 * em <= c.x0 - p.x1 <= 0.25 * em:
                runs.append(run)
                run = []
        if places[i] is not None:
            run.append(i)
    if run:
        runs.append(run)
    return [r for r in runs if len({places[i][2] for i in r}) > 1]


def mend_overflow(chars: list[Char], places: list, xs: list[list[float]]) -> None:
    """`places[i]` is (grid, row, cell, column) of `chars[i]` (the merged cell and the grid column its
    centre lies in; None outside the tables), `xs[grid]` the column boundaries. A run of glyphs over a
    rule goes back to the cell that holds most of its glyphs when it overflowed there: the glyph at the
    rule is cut by it, a glyph beyond the rule lies over a glyph of the other cell, or the run sticks out
    on both sides (西安: “公务用车购置及运行维护费” centred over its three columns, “公” and “费” beyond their
    rules, read as “公公务接待费” and “费会议费” beside it). What lies beyond
    the rule and reads as a figure stays (a label and its figure set close: “11、债务利息及费用支出0.00”)."""
    runs = _runs(chars, places)
    if not runs:
        return
    in_cell: dict[tuple, list[int]] = {}
    for i, place in enumerate(places):
        if place is not None:
            in_cell.setdefault(place[:3], []).append(i)
    for run in runs:
        printed = [i for i in run if not chars[i].text.isspace()]
        printed = _first(chars, printed, _figure_tail("".join(chars[i].text for i in printed)))  # a figure after the label stays
        segments: list[list[int]] = []
        for i in printed:
            if segments and places[segments[-1][-1]][2] == places[i][2]:
                segments[-1].append(i)
            else:
                segments.append([i])
        if len(segments) < 2:
            continue
        home = max(range(len(segments)), key=lambda k: len(segments[k]))
        centred = 0 < home < len(segments) - 1  # sticking out on both sides: a heading centred over a narrower cell
        for k, seg in enumerate(segments):
            if k == home or _FIGURE.match("".join(chars[i].text for i in seg)):
                continue
            inner, outer = (segments[home][-1], seg[0]) if k > home else (segments[home][0], seg[-1])
            rule = xs[places[seg[0]][0]][places[seg[0] if k > home else inner][3]]
            mine = set(seg)
            covered = any(j not in mine and _overlaps(chars[i], chars[j]) for i in seg for j in in_cell[places[seg[0]][:3]])
            if centred or covered or _cut(chars[inner], rule) or _cut(chars[outer], rule):
                for i in seg:
                    places[i] = places[inner]


def _first(chars: list[Char], seg: list[int], n: int) -> list[int]:
    """The glyphs of `seg` that print the first `n` characters of its text."""
    out, length = [], 0
    for i in seg:
        if length >= n:
            break
        out.append(i)
        length += len(chars[i].text)
    return out


def _cut(c: Char, x: float) -> bool:
    """Is the glyph cut by the rule at x, a fifth of it or more on each side?"""
    w = c.x1 - c.x0
    return w > 0 and c.x0 + w / 5 <= x <= c.x1 - w / 5

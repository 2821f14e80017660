"""PDF → ExtractedDocument: every line of the document in reading order.

Narrative text becomes one-cell lines; a ruled table becomes one line per grid row with one cell
per grid column (empty string for an empty cell).  How it works, per page:

1. Read the characters (text, box, baseline) and the straight ruling segments (stroked lines and
   rectangle edges) once: pypdfium2 (PDFium) by default, ~8x faster than pdfplumber, which is kept
   for comparison (``extract(source, backend="pdfplumber")``) and yields the same characters.
2. Connected horizontal+vertical segments form a table grid: the distinct x of its vertical
   rules are the column boundaries, the distinct y of its horizontal rules the row boundaries.
   Two neighbouring grid cells whose shared boundary is not drawn belong to one merged cell; the
   merged cell's text is placed in its top-left grid position (like pdfplumber's tables).
3. Each character goes to the cell holding its centre; a cell's text lines (a name wrapped
   inside the cell, "…驻北京联" / "络处") are joined without a line break.
4. A table that continues on the next page (same left and right frame, no text above it on the
   new page) shares one set of column boundaries with its first part, so a column keeps its
   index on every row of the table, continuation pages included.
5. Characters outside tables are grouped into lines by baseline (a number set in another font
   with a different box but the same baseline stays in its sentence) and ordered with the table
   rows from top to bottom; a table printed without rules is cut into cells where the white
   space runs down its rows (``pdf_stream``).

No text is invented or dropped: every non-whitespace character the page shows ends in a Line.
Bad input (not a PDF, empty, truncated, encrypted, unreadable) raises ExtractError.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lodpub.errors import ExtractError
from lodpub.model import ExtractedDocument, Line, Source
from lodpub.extract.pdf_pages import Char, PageContent, check_file, read_pdfium, read_pdfplumber
from lodpub.extract.pdf_rows import join_split_rows, mend_overflow, mend_spills
from lodpub.extract.pdf_stream import table_rows

DEFAULT_BACKEND = "pypdfium2"

SNAP = 2.0  # points: rules closer than this are the same rule
JOIN = 3.0  # points: gaps between collinear rule pieces closed up to this
GLYPH = 4.0  # points: a grid whose every column or every row is narrower holds no text (a drawing's hatching, a seal)


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    anchor: dict[tuple[int, int], tuple[int, int]]  # grid cell → top-left cell of its merged cell
    canon: list[float] = field(default_factory=list)  # column boundaries shared by a chain
    continues: bool = False  # the continuation of a table of the page before

    # the outer rules
    left = property(lambda self: self.xs[0])
    right = property(lambda self: self.xs[-1])
    top = property(lambda self: self.ys[0])
    bottom = property(lambda self: self.ys[-1])


# --------------------------------------------------------------------------------------------
# entry point


# A PDF with an image on every page and fewer characters of text than this per page is a scan
# (its text, if any, is a page number or a stamp)
SCANNED_CHARS_PER_PAGE = 20


def extract(source: Source, backend: str = DEFAULT_BACKEND) -> ExtractedDocument:
    """Turn the PDF of ``source`` into lines; raise ExtractError on bad input."""
    path = Path(source.path)
    check_file(source.location, path)
    reader = {"pypdfium2": read_pdfium, "pdfplumber": read_pdfplumber}.get(backend)
    if reader is None:
        raise ValueError(f"unknown PDF backend {backend!r}")
    pages = reader(source.location, path)
    characters = [sum(1 for c in page.chars if not c.text.isspace()) for page in pages]  # of text, on each page
    text = sum(characters)
    images = sum(p.images for p in pages)
    if not text or (images >= len(pages) and text < SCANNED_CHARS_PER_PAGE * len(pages)):
        what = (
            f"no text layer (scanned?): {images} image(s) on {len(pages)} page(s) and {'no text' if not text else f'only {text} characters of text'}"
            if images
            else f"no text layer (scanned?): no text on its {len(pages)} page(s)"
        )
        raise ExtractError(
            source.location,
            None,
            f"{what}; lodpub reads the text of a PDF and does not recognise characters in images (OCR): run OCR first or use the department's text version",
        )
    unreadable = [p for p in pages if _glyph_numbers(p)]
    if unreadable and text - sum(characters[p.number - 1] for p in unreadable) < SCANNED_CHARS_PER_PAGE:
        raise ExtractError(
            source.location,
            None,
            f"its text cannot be read: the fonts of its {len(unreadable)} page(s) with text map no characters to Unicode (no ToUnicode), "
            f"so what comes out are glyph numbers (control characters such as U+0001, not Chinese); lodpub reads the text of a PDF: "
            f"use the department's text version, or print the document to images and run OCR",
        )
    for page in unreadable:
        page.chars = []  # glyph numbers, not the characters the page shows; the page is named instead
    lines = _layout(source.location, pages)
    image_pages = [p.number for p, n in zip(pages, characters) if p.images and n < SCANNED_CHARS_PER_PAGE]
    return ExtractedDocument(source=source, lines=lines, extractor=backend, image_pages=image_pages, unreadable_pages=[p.number for p in unreadable])


# A page of a font without a map to Unicode gives its glyph numbers as characters: small numbers are control
# characters (U+0001 …), which text never holds (PDFium), or (cid:1) (pdfminer). On the 13,282 pages of 373
# disclosures with text, no page holds more than 1.2 % of them; a page that holds this share is not text.
GLYPH_NUMBER_SHARE = 0.1


def _glyph_numbers(page: PageContent) -> bool:
    """Is the page's text glyph numbers, not characters (a font with no ToUnicode map)?"""
    texts = [c.text for c in page.chars if not c.text.isspace()]
    if len(texts) < SCANNED_CHARS_PER_PAGE:
        return False
    unmapped = sum(1 for t in texts if t.startswith("(cid:") or t == "\ufffd" or unicodedata.category(t[0]) in ("Cc", "Co", "Cs", "Cn"))
    return unmapped >= GLYPH_NUMBER_SHARE * len(texts)


# --------------------------------------------------------------------------------------------
# layout: tables from rules, cells from characters, lines in reading order


def _cluster(values: list[float], tol: float = SNAP) -> list[float]:
    """Sorted representative values: runs closer than ``tol`` collapse to their mean."""
    out: list[float] = []
    run: list[float] = []
    for v in sorted(values):
        if run and v - run[-1] > tol:
            out.append(sum(run) / len(run))
            run = []
        run.append(v)
    if run:
        out.append(sum(run) / len(run))
    return out


def _merge_rules(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear pieces of one rule (same position within SNAP, overlapping) become one."""
    out: list[tuple[float, float, float]] = []
    rules = sorted(rules)
    i = 0
    while i < len(rules):
        j = i
        group = []
        while j < len(rules) and rules[j][0] - rules[i][0] <= SNAP:
            group.append(rules[j])
            j += 1
        pos = sum(r[0] for r in group) / len(group)
        group.sort(key=lambda r: r[1])
        a, b = group[0][1], group[0][2]
        for _, s, e in group[1:]:
            if s <= b + JOIN:
                b = max(b, e)
            else:
                out.append((pos, a, b))
                a, b = s, e
        out.append((pos, a, b))
        i = j
    return out


def _find_grids(page: PageContent) -> list[Grid]:
    hr = _merge_rules(page.hrules)
    vr = _merge_rules(page.vrules)
    if not hr or not vr:
        return []
    parent = list(range(len(hr) + len(vr)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    tol = JOIN
    vs = sorted(range(len(vr)), key=lambda k: vr[k][0])
    vx = [vr[k][0] for k in vs]
    for hi, (y, x0, x1) in enumerate(hr):
        lo = bisect.bisect_left(vx, x0 - tol)
        up = bisect.bisect_right(vx, x1 + tol)
        for k in vs[lo:up]:
            _, y0, y1 = vr[k]
            if y0 - tol <= y <= y1 + tol:
                ra, rb = find(hi), find(len(hr) + k)
                if ra != rb:
                    parent[ra] = rb
    comps: dict[int, tuple[list, list]] = {}
    for hi, h in enumerate(hr):
        comps.setdefault(find(hi), ([], []))[0].append(h)
    for k, v in enumerate(vr):
        comps.setdefault(find(len(hr) + k), ([], []))[1].append(v)
    grids = []
    for hs, vs_ in comps.values():
        xs = _cluster([v[0] for v in vs_])
        ys = _cluster([h[0] for h in hs])
        if len(xs) < 3 or len(ys) < 2:
            continue  # a box or a single column: its text reads as narrative lines
        if max(b - a for a, b in zip(xs, xs[1:])) < GLYPH or max(b - a for a, b in zip(ys, ys[1:])) < GLYPH:
            continue
        ys = _open_edges(ys, vs_, xs)
        grids.append(_make_grid(xs, ys, hs, vs_))
    grids.sort(key=lambda g: (g.top, g.left))
    return grids


def _open_edges(ys: list[float], vs: list[tuple[float, float, float]], xs: list[float]) -> list[float]:
    """A table's edge left without its rule where the page breaks (the next page's first row under the vertical
    rules but above the first horizontal one, 江苏): the outer vertical rules going on past the first or last
    horizontal rule by more than a glyph close the row there."""
    lefts = [v for v in vs if abs(v[0] - xs[0]) <= SNAP]
    rights = [v for v in vs if abs(v[0] - xs[-1]) <= SNAP]
    if not lefts or not rights:
        return ys
    top = max(min(v[1] for v in lefts), min(v[1] for v in rights))
    bottom = min(max(v[2] for v in lefts), max(v[2] for v in rights))
    if top < ys[0] - GLYPH:
        ys = [top] + ys
    if bottom > ys[-1] + GLYPH:
        ys = ys + [bottom]
    return ys


def _covered(rules, pos: float, a: float, b: float) -> bool:
    """Is the stretch a..b at position pos drawn (at least half of it)?"""
    need = (b - a) * 0.5
    got = 0.0
    for p, s, e in rules:
        if abs(p - pos) <= SNAP:
            got += max(0.0, min(b, e) - max(a, s))
            if got >= need:
                return True
    return False


def _make_grid(xs, ys, hs, vs) -> Grid:
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            # keep the top-left cell as the root
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb

    vby = {}
    for v in vs:
        vby.setdefault(round(v[0]), []).append(v)
    for r in range(nr):
        for c in range(1, nc):
            if not _covered(vs, xs[c], ys[r], ys[r + 1]):
                union((r, c - 1), (r, c))
    for r in range(1, nr):
        for c in range(nc):
            if not _covered(hs, ys[r], xs[c], xs[c + 1]):
                union((r - 1, c), (r, c))
    anchor = {}
    for cell in parent:
        anchor[cell] = find(cell)
    # the anchor is the top-most, then left-most cell of each merged region
    regions: dict = {}
    for cell, root in anchor.items():
        regions.setdefault(root, []).append(cell)
    for cells in regions.values():
        tl = min(cells)
        for cell in cells:
            anchor[cell] = tl
    return Grid(list(xs), list(ys), anchor)


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _text_lines(chars: list[Char]) -> list[list[Char]]:
    """Group characters into lines by baseline, each line sorted left to right."""
    if not chars:
        return []
    srt = sorted(chars, key=lambda c: c.base)
    lines: list[list[Char]] = []
    cur = [srt[0]]
    ref = srt[0].base
    for c in srt[1:]:
        h = max(c.bottom - c.top, cur[0].bottom - cur[0].top, 1.0)
        if c.base - ref <= 0.3 * h:
            cur.append(c)
        else:
            lines.append(cur)
            cur = [c]
            ref = c.base
    lines.append(cur)
    for ln in lines:
        ln.sort(key=lambda c: c.x0)
    return lines


def _join(line: list[Char], in_cell: bool) -> str:
    """The text of one line.  A space goes where the glyphs leave a gap (as printed, whether the
    PDF draws a space glyph there or just moves the pen, so both backends agree): more than 0.2 em
    between Latin letters or digits, more than 0.45 em when a CJK character is on either side
    (justified Chinese lines spread their glyphs a little).  Inside a table
    cell CJK characters are never split by a space (justified cells spread them out)."""
    out: list[str] = []
    prev: Char | None = None
    for c in line:
        if c.text.isspace():
            continue
        if prev is not None:
            em = max(c.size, prev.size, 1.0)
            gap = c.x0 - prev.x1
            a, b = _is_cjk(prev.text[-1]), _is_cjk(c.text[0])
            if a and b:
                sep = not in_cell and gap > 0.45 * em
            elif a or b:
                sep = gap > 0.45 * em
            else:
                sep = gap > 0.2 * em
            if sep:
                out.append(" ")
        out.append(c.text)
        prev = c
    return "".join(out)


def _cell_text(chars: list[Char]) -> str:
    parts = [_join(ln, True) for ln in _text_lines(chars)]
    parts = [p for p in parts if p]
    text = ""
    for p in parts:
        if text and text[-1].isascii() and text[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            text += " "
        text += p
    return text


def _full_cells(g: Grid, content: dict[tuple[int, int], list[Char]], r: int, colmap: list[int], ncols: int) -> tuple[bool, ...]:
    """For each column of grid row `r`: does its text fill the cell's last line to within two ems of the
    right edge (where a longer text wraps, and may go on over a page break)?"""
    full = [False] * ncols
    for (row, c), chars in content.items():
        lines = _text_lines([ch for ch in chars if not ch.text.isspace()]) if row == r else []
        if lines:
            right = max(g.xs[cc + 1] for (rr, cc), a in g.anchor.items() if rr == r and a == (row, c))
            last = lines[-1]
            full[colmap[c]] = right - last[-1].x1 < 2 * max(ch.size for ch in last)
    return tuple(full)


def _top_line(chars: list[Char]) -> tuple[float, str]:
    """The bottom and the text (without blanks) of the top line of `chars`."""
    printed = [c for c in chars if not c.text.isspace()]
    if not printed:
        return 0.0, ""
    top = min(c.top for c in printed)
    line = sorted((c for c in printed if c.top <= top + 2), key=lambda c: c.x0)
    return max(c.bottom for c in line), "".join(c.text for c in line)


def _running_heads(tops: list[str], grids: list[list[Grid]]) -> set[str]:
    """Of the pages' top lines, the texts printed atop three pages or more, pages of text among them: the
    document's running head (无锡's “…2026年度部门预算公开”), not a table's title printed atop each of its pages
    (烟台's 政策和项目预算绩效目标表 over a form a page)."""
    counts = Counter(tops)
    on_text_pages = {top for top, gs in zip(tops, grids) if not gs}
    return {text for text, n in counts.items() if text and n >= 3 and text in on_text_pages}


def _chain(pages: list[PageContent], grids: list[list[Grid]]) -> None:
    """Give a table and its continuations on the next pages one set of column boundaries. A table goes on
    at the top of the next page, below nothing but the document's running head."""
    chains: list[list[Grid]] = []
    prev: Grid | None = None
    tops = [_top_line(page.chars) for page in pages]
    heads = _running_heads([text for _, text in tops], grids)
    for page, gs, (head_bottom, head) in zip(pages, grids, tops):
        if not gs:
            prev = None
            continue
        first = gs[0]
        below_head = head_bottom if head in heads else float("-inf")
        above = any(not c.text.isspace() and c.bottom <= first.top + 1 and c.top > below_head for c in page.chars)
        if prev is not None and not above and abs(prev.left - first.left) <= 5 and abs(prev.right - first.right) <= 5:
            chains[-1].append(first)
            first.continues = True
        else:
            chains.append([first])
        for g in gs[1:]:
            chains.append([g])
        prev = gs[-1]
    for chain in chains:
        canon = _cluster([x for g in chain for x in g.xs], tol=3.0)
        if len(canon) < 2:
            continue  # columns closer than the tolerance: each page keeps its own
        for g in chain:
            g.canon = canon


def _layout(location: str, pages: list[PageContent]) -> list[Line]:
    grids = [_find_grids(p) for p in pages]
    _chain(pages, grids)
    lines: list[Line] = []
    splits: list[tuple[int, int, tuple[bool, ...]]] = []  # (last row of a table on a page, first row of its continuation, its full cells)
    last_row, last_full = None, ()  # the line of the last table row of the page before, and its full cells
    last_top: list[tuple[str, ...]] = []  # the first rows of the page before's last table: its header, which a page may repeat
    for page, gs in zip(pages, grids):
        items: list[tuple[float, float, tuple[str, ...], int | None]] = []
        cells: list[dict[tuple[int, int], list[Char]]] = [{} for _ in gs]
        loose: list[Char] = []
        places: list[tuple | None] = []  # (grid, row, merged cell, column) of each character
        full: tuple[bool, ...] = ()  # the cells of the page's last table row that its text fills
        bounds = [(g.left - 1, g.right + 1, g.top - 1, g.bottom + 1, len(g.xs) - 2, len(g.ys) - 2) for g in gs]  # each grid's box and its last column and row
        for c in page.chars:
            cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
            for gi, (left, right, top, bottom, col_max, row_max) in enumerate(bounds):
                if left <= cx <= right and top <= cy <= bottom:
                    g = gs[gi]
                    col = bisect.bisect_right(g.xs, cx) - 1
                    col = 0 if col < 0 else col_max if col > col_max else col
                    row = bisect.bisect_right(g.ys, cy) - 1
                    row = 0 if row < 0 else row_max if row > row_max else row
                    places.append((gi, row, g.anchor[(row, col)], col))
                    break
            else:
                places.append(None)
                loose.append(c)
        mend_overflow(page.chars, places, [g.xs for g in gs])
        for c, place in zip(page.chars, places):
            if place is not None:
                cells[place[0]].setdefault(place[2], []).append(c)
        for gi, (g, content) in enumerate(zip(gs, cells)):
            canon = g.canon or g.xs
            ncols = len(canon) - 1
            colmap = [min(range(ncols), key=lambda k: abs(canon[k] - x)) for x in g.xs[:-1]]
            rows: dict[int, list[str]] = {}
            for (r, c), chars in content.items():
                text = _cell_text(chars)
                if not text:
                    continue
                row = rows.setdefault(r, [""] * ncols)
                k = colmap[c]
                row[k] = row[k] + text if row[k] else text
            for r in sorted(rows):
                items.append((g.ys[r], g.left, mend_spills(rows[r]), gi))
            full = _full_cells(g, content, max(rows), colmap, ncols) if rows and gi == len(gs) - 1 else full
        text_lines = _text_lines(loose)
        for ln, row in zip(text_lines, table_rows(text_lines, _join)):
            if row is not None:  # a row of a table printed without rules, or () the wrapped rest of one
                if row:
                    items.append((min(c.top for c in ln), ln[0].x0, row, None))
                continue
            text = _join(ln, False).strip()
            if text:
                items.append((min(c.top for c in ln), ln[0].x0, (text,), None))
        items.sort(key=lambda it: (it[0], it[1]))
        first = len(lines)
        rows_of_first = [first + n for n, it in enumerate(items) if it[3] == 0]
        if gs and gs[0].continues and last_row is not None and rows_of_first:
            # the continuation's first row, after the header rows the page repeats (Word's 重复标题行)
            k = 0
            while k < len(rows_of_first) - 1 and k < len(last_top) and items[rows_of_first[k] - first][2] == last_top[k]:
                k += 1
            splits.append((last_row, rows_of_first[k], last_full))
        lines.extend(Line(page.number, first + n + 1, it[2]) for n, it in enumerate(items))
        rows_of_last = [first + n for n, it in enumerate(items) if gs and it[3] == len(gs) - 1]
        last_row = rows_of_last[-1] if rows_of_last else None
        last_full = full if rows_of_last else ()
        last_top = [lines[n].cells for n in rows_of_last[:4]]
    return join_split_rows(lines, splits)

"""What a PDF holds, page by page: the characters (text, box, baseline) and the straight ruling
segments (stroked lines and rectangle edges), read by one of two backends: pypdfium2 (the
default, PDFium) or pdfplumber (kept for comparison). `lodpub.extract.pdf` lays them out."""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path

from lodpub.errors import ExtractError

MIN_RULE = 2.0  # points: shorter pieces are not rules
SAME_PLACE = 0.25  # points: a character drawn again this close to itself is one character


@dataclass(slots=True)
class Char:
    """A character as the page prints it. Never changed once made, but not a frozen dataclass: a page
    has tens of thousands, and a frozen one takes five times as long to make."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # baseline, measured from the top of the page
    size: float  # font size in points


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    chars: list[Char]
    hrules: list[tuple[float, float, float]]  # (y, x0, x1)
    vrules: list[tuple[float, float, float]]  # (x, y0, y1)
    images: int = 0  # image objects on the page
    clipped: str = ""  # the characters inside the page that a clip hides and that are not read (_Clips): drawn, never shown


def check_file(location: str, path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except OSError as exc:
        raise ExtractError(location, None, f"cannot read file: {exc.strerror or exc}") from None
    if size == 0:
        raise ExtractError(location, None, "empty file (0 bytes), not a PDF")
    if b"%PDF-" not in head:
        raise ExtractError(location, None, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in tail:
        raise ExtractError(location, None, "truncated or damaged PDF (no %%EOF marker at the end)")


def read_pdfium(location: str, path: Path) -> list[PageContent]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "PASSWORD" in msg.upper():
            raise ExtractError(location, None, "encrypted PDF: a password is needed to open it") from None
        raise ExtractError(location, None, f"cannot open PDF: {msg}") from None
    except Exception as exc:  # noqa: BLE001 - anything from the C library is bad input
        raise ExtractError(location, None, f"cannot open PDF: {exc}") from None
    pages: list[PageContent] = []
    try:
        n = len(pdf)
        if n <= 0:
            raise ExtractError(location, None, "PDF has no pages")
        for i in range(n):
            place = f"page {i + 1}"
            try:
                pages.append(_pdfium_page(pdf, i, R))
            except ExtractError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise ExtractError(location, place, f"cannot read page: {exc}") from None
    finally:
        pdf.close()
    return pages


def _pdfium_page(pdf, i: int, R) -> PageContent:
    page = pdf[i]
    try:
        left, bottom, right, top = page.get_mediabox()
        width, height = right - left, top - bottom
        tp = page.get_textpage()
        raw = tp.raw
        chars: list[Char] = []
        l_, r_, b_, t_ = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        rect = R.FS_RECTF()
        turns: list[float] = []  # the direction each character is written in (radians, clockwise as PDFium measures it)
        loose_box, char_box, origin = R.FPDFText_GetLooseCharBox, R.FPDFText_GetCharBox, R.FPDFText_GetCharOrigin
        font_size, angle, add_char, add_turn = R.FPDFText_GetFontSize, R.FPDFText_GetCharAngle, chars.append, turns.append
        rules = _Rules(R, top)
        ident = (1.0, 0.0, 0.0, 1.0, -left, 0.0)
        clipped = _Clips(R, raw, width)
        images = 0
        for k in range(R.FPDFPage_CountObjects(page.raw)):
            obj = R.FPDFPage_GetObject(page.raw, k)
            kind = R.FPDFPageObj_GetType(obj)
            if kind == R.FPDF_PAGEOBJ_TEXT:
                clipped.note(obj)
            elif kind == R.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == R.FPDF_PAGEOBJ_PATH or kind == R.FPDF_PAGEOBJ_FORM:
                rules.add(obj, ident, kind)
        hidden: list[str] = []
        cut: list[int] = []  # the characters a cell's clip hides (by index in chars): read unless over another's
        for k, u in _page_unicode(R, raw):
            if u in _SPACES and R.FPDFText_IsGenerated(raw, k) == 1:
                continue  # a space or line break PDFium put between words and lines; it prints nothing
            if u == 0 or u == 0xFFFE:
                continue
            if u == 2 and R.FPDFText_IsHyphen(raw, k) == 1:
                u = 0x2D  # PDFium gives U+0002 for a hyphen that ends a line (广州: 2025年- | 2026年信息化运维项目)
            try:
                ch = chr(u)
            except ValueError:
                continue
            if loose_box(raw, k, rect):
                x0, x1, y_lo, y_hi = rect.left, rect.right, rect.bottom, rect.top
            else:
                char_box(raw, k, l_, r_, b_, t_)
                x0, x1, y_lo, y_hi = l_.value, r_.value, b_.value, t_.value
            if y_lo > y_hi:
                y_lo, y_hi = y_hi, y_lo
            hides = clipped(k, x0, x1, y_lo, y_hi) if clipped.boxes or clipped.cells else 0
            if hides == 1:
                if left <= (x0 + x1) / 2 <= right and bottom <= (y_lo + y_hi) / 2 <= top:
                    hidden.append(ch)
                continue
            if hides == 2:
                cut.append(len(chars))
            origin(raw, k, ox, oy)
            size = font_size(raw, k)
            if not 0.5 * (y_hi - y_lo) <= size <= 2 * (y_hi - y_lo):
                size = y_hi - y_lo  # PDFium reports the unscaled size for some text matrices
            add_char(Char(ch, x0 - left, x1 - left, top - y_hi, top - y_lo, top - oy.value, size))
            add_turn(angle(raw, k))
        tp.close()
        if cut:
            turns, chars = _over_others(turns, chars, cut, hidden)
        c_left, c_bottom, c_right, c_top = page.get_cropbox()
        turns, chars = visible(turns, chars, (c_left - left, top - c_top, c_right - left, top - c_bottom))
        hr, vr = rules.hr, rules.vr
        rotation = text_turn(turns, chars, page.get_rotation())
        content = _upright(PageContent(i + 1, width, height, chars, hr, vr), rotation)
        content.images = images
        content.clipped = "".join(hidden)
        return content
    finally:
        page.close()


_SPACES = frozenset((0x20, 0x0D, 0x0A))  # what PDFium generates between words and lines


def _page_unicode(R, raw) -> list[tuple[int, int]]:
    """(index, code point) of each character of a PDFium text page. The page's text is read in one
    call; a character is asked for on its own only where that text cannot say it (U+FFFE stands for
    U+0002 there, and for what has no code point). PDFium gives a character beyond U+FFFF (CJK
    extension B, in personal and place names: 𠀀) as two characters, the halves of its UTF-16
    surrogate pair, with one box: they are one character again, at the first half's index."""
    n = R.FPDFText_CountChars(raw)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    if R.FPDFText_GetText(raw, 0, n, buf) == n + 1:
        codes = [R.FPDFText_GetUnicode(raw, k) if u == 0xFFFE else u for k, u in enumerate(list(buf)[:n])]
    else:
        codes = [R.FPDFText_GetUnicode(raw, k) for k in range(n)]
    out: list[tuple[int, int]] = []
    k = 0
    while k < n:
        u = codes[k]
        if 0xD800 <= u <= 0xDBFF and k + 1 < n and 0xDC00 <= codes[k + 1] <= 0xDFFF:
            out.append((k, 0x10000 + ((u - 0xD800) << 10) + (codes[k + 1] - 0xDC00)))
            k += 2
            continue
        out.append((k, u))
        k += 1
    return out


def text_turn(radians: list[float], chars: list[Char], rotation: int) -> int:
    """How far (0, 90, 180, 270 degrees, clockwise) the page must turn for most of its text to run
    left to right, from the direction its characters are written in (PDFium's angle: clockwise, text
    running up the page is 270°). A landscape table is printed on a portrait page turned: the page
    says so (/Rotate 90, 烟台) or a printer driver drew it turned without a word; either way the
    text runs up the page and reads as letters stacked in columns unless the page is turned. A page
    without text turns as its /Rotate says."""
    if radians.count(0.0) == len(radians):  # every character upright (most pages: one pass in C)
        return 0 if any(not c.text.isspace() for c in chars) else rotation
    votes = [0, 0, 0, 0]
    for angle, c in zip(radians, chars):
        if angle >= 0 and not c.text.isspace():
            votes[round(math.degrees(angle) / 90) % 4] += 1
    if not any(votes):
        return rotation
    best = max(range(4), key=lambda q: (votes[q], q == 0))
    return (360 - best * 90) % 360


def _upright(page: PageContent, rotation: int) -> PageContent:
    """The page as displayed: a page stored rotated (/Rotate 90, 180, 270: landscape tables printed on
    portrait pages) has its characters and rules turned so that text runs left to right, top to bottom."""
    W, H = page.width, page.height
    if rotation == 90:  # displayed (X, Y) = (H - y, x)
        chars = [Char(c.text, H - c.bottom, H - c.top, c.x0, c.x1, c.x0 + (c.x1 - c.x0) * 0.85, c.size) for c in page.chars]
        hr = [(x, H - y1, H - y0) for x, y0, y1 in page.vrules]
        vr = [(H - y, x0, x1) for y, x0, x1 in page.hrules]
        return PageContent(page.number, H, W, chars, hr, vr)
    if rotation == 270:  # displayed (X, Y) = (y, W - x)
        chars = [Char(c.text, c.top, c.bottom, W - c.x1, W - c.x0, W - c.x0 - (c.x1 - c.x0) * 0.15, c.size) for c in page.chars]
        hr = [(W - x, y0, y1) for x, y0, y1 in page.vrules]
        vr = [(y, W - x1, W - x0) for y, x0, x1 in page.hrules]
        return PageContent(page.number, H, W, chars, hr, vr)
    if rotation == 180:
        chars = [Char(c.text, W - c.x1, W - c.x0, H - c.bottom, H - c.top, H - c.top - (c.bottom - c.top) * 0.15, c.size) for c in page.chars]
        hr = [(H - y, W - x1, W - x0) for y, x0, x1 in page.hrules]
        vr = [(W - x, H - y1, H - y0) for x, y0, y1 in page.vrules]
        return PageContent(page.number, W, H, chars, hr, vr)
    return page


def _mul(m, n):
    """Matrix product m·n for PDF matrices (a, b, c, d, e, f): apply m first, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class _Rules:
    """The straight ruling segments of a page's path objects (and of the forms that hold paths), in
    points from the page's top left: horizontal ones as (y, x0, x1) in `hr`, vertical ones as
    (x, y0, y1) in `vr`. The C values PDFium answers in are made once for the page."""

    def __init__(self, R, top: float) -> None:
        self.R, self.top = R, top
        self.hr: list[tuple[float, float, float]] = []
        self.vr: list[tuple[float, float, float]] = []
        self.matrix = R.FS_MATRIX()
        self.fillmode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.rgba = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        self.x, self.y = ctypes.c_float(), ctypes.c_float()

    def add(self, obj, ctm, kind: int | None = None, depth: int = 0) -> None:
        R = self.R
        if kind is None:
            kind = R.FPDFPageObj_GetType(obj)
        if kind not in (R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_FORM) or depth > 8:
            return
        m = self.matrix
        if R.FPDFPageObj_GetMatrix(obj, m):
            mat = _mul((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
        else:
            mat = ctm
        if kind == R.FPDF_PAGEOBJ_FORM:
            for k in range(R.FPDFFormObj_CountObjects(obj)):
                self.add(R.FPDFFormObj_GetObject(obj, k), mat, None, depth + 1)
            return
        R.FPDFPath_GetDrawMode(obj, self.fillmode, self.stroke)
        if not self.stroke.value:
            if not self.fillmode.value:
                return
            r, g, b, a = self.rgba
            if R.FPDFPageObj_GetFillColor(obj, r, g, b, a) and (a.value == 0 or (r.value > 240 and g.value > 240 and b.value > 240)):
                return  # invisible or white fill: no rule
        a_, b_, c_, d_, e_, f_ = mat
        top, hr, vr, x, y = self.top, self.hr, self.vr, self.x, self.y
        get_segment, get_point, get_type, get_close = (
            R.FPDFPath_GetPathSegment,
            R.FPDFPathSegment_GetPoint,
            R.FPDFPathSegment_GetType,
            R.FPDFPathSegment_GetClose,
        )
        moveto, lineto = R.FPDF_SEGMENT_MOVETO, R.FPDF_SEGMENT_LINETO
        start = prev = None
        for k in range(R.FPDFPath_CountSegments(obj)):
            seg = get_segment(obj, k)
            get_point(seg, x, y)
            pt = (a_ * x.value + c_ * y.value + e_, top - (b_ * x.value + d_ * y.value + f_))
            typ = get_type(seg)
            if typ == moveto:
                start = prev = pt
                continue
            if typ == lineto and prev is not None:
                _add_rule(prev, pt, hr, vr)
            prev = pt
            if get_close(seg) and start is not None:
                _add_rule(pt, start, hr, vr)
                prev = start


def _add_rule(p, q, hr, vr) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= MIN_RULE:
        hr.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= MIN_RULE:
        vr.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def read_pdfplumber(location: str, path: Path) -> list[PageContent]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise ExtractError(location, None, "encrypted PDF: a password is needed to open it") from None
        raise ExtractError(location, None, f"cannot open PDF: {name}: {exc}") from None
    pages: list[PageContent] = []
    try:
        try:
            plist = list(pdf.pages)
        except Exception as exc:  # noqa: BLE001
            raise ExtractError(location, None, f"cannot read page tree: {exc}") from None
        if not plist:
            raise ExtractError(location, None, "PDF has no pages")
        for i, page in enumerate(plist):
            try:
                chars = [
                    Char(
                        c["text"],
                        c["x0"],
                        c["x1"],
                        c["top"],
                        c["bottom"],
                        page.height - c["matrix"][5] + page.bbox[1],
                        c["size"] if c["size"] >= 2 else c["bottom"] - c["top"],
                    )
                    for c in page.chars
                ]
                turns = [(-math.atan2(c["matrix"][1], c["matrix"][0])) % math.tau for c in page.chars]  # clockwise, as PDFium
                turns, chars = visible(turns, chars, (0, 0, page.width, page.height))
                hr: list[tuple[float, float, float]] = []
                vr: list[tuple[float, float, float]] = []
                for ln in page.lines:
                    pts = ln["pts"]
                    for p, q in zip(pts, pts[1:]):
                        _add_rule(p, q, hr, vr)
                for rc in page.rects:
                    if not rc.get("stroke") and _whiteish(rc.get("non_stroking_color")):
                        continue
                    x0, x1, t, b = rc["x0"], rc["x1"], rc["top"], rc["bottom"]
                    for p, q in (((x0, t), (x1, t)), ((x0, b), (x1, b)), ((x0, t), (x0, b)), ((x1, t), (x1, b))):
                        _add_rule(p, q, hr, vr)
                content = PageContent(i + 1, page.width, page.height, chars, hr, vr)
                pages.append(_upright(content, text_turn(turns, chars, page.rotation)))
            except ExtractError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise ExtractError(location, f"page {i + 1}", f"cannot read page: {type(exc).__name__}: {exc}") from None
            finally:
                page.close()
    finally:
        pdf.close()
    return pages


class _Clips:
    """Whether a character lies outside the page's body that its text object is clipped to: the page does not
    show it, and another page does. Report generators draw a merged cell's whole text on every page the cell
    spans and clip it to the page's body (北京's 项目支出绩效目标表: a project's name, amounts and goal drawn
    again, unseen, above and under the next page's header; 普陀's 主要职能, a text box over two pages). As for
    the page's own box (`visible`), a glyph is shown when the centre of its box is: a clip that cuts through a
    glyph shows less than half of it (the goal's line cut by the header's foot: 查物资).

    A clip narrower than three quarters of the page is a cell's: the text it hides overflows its cell (西安: a
    wrapped 2022年12月31日, a header's 入 printed under its cell) and is printed nowhere else, so it is read,
    unless it lies over what another cell prints (`_over_others`)."""

    BODY = 0.75  # of the page's width: a clip this wide is the page's body, not a cell

    def __init__(self, R, raw, width: float):
        self.R, self.raw, self.width = R, raw, width
        self.boxes: dict[int | None, tuple[float, float, float, float]] = {}  # text objects clipped to the page's body
        self.inside: tuple[float, float, float, float] | None = None  # the intersection of those boxes
        self.cells: dict[int | None, tuple[float, float, float, float]] = {}  # text objects clipped to a cell
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.edges = [ctypes.c_double() for _ in range(4)]

    def box(self, obj) -> tuple[float, float, float, float] | None:
        """The box (left, bottom, right, top, in PDF page space) of the object's last clipping path; None where the
        object is not clipped. The paths before it (the page's own edges) clip no more of what lies inside the
        page (`visible` drops what lies outside), and a character outside the last path is outside their
        intersection: hidden."""
        R, x, y = self.R, self.x, self.y
        clip = R.FPDFPageObj_GetClipPath(obj)
        paths = R.FPDFClipPath_CountPaths(clip) if clip else 0
        if paths <= 0:
            return None
        n = R.FPDFClipPath_CountPathSegments(clip, paths - 1)
        xs: list[float] = []
        ys: list[float] = []
        for s in (0, 1, 2) if n in (4, 5) else range(n):  # a rectangle upright on the page: three corners tell it
            if R.FPDFPathSegment_GetPoint(R.FPDFClipPath_GetPathSegment(clip, paths - 1, s), x, y):
                xs.append(x.value)
                ys.append(y.value)
        if len(xs) == 3 and xs[0] != xs[1] and ys[0] != ys[1]:  # not upright: all its points
            for s in range(3, n):
                if R.FPDFPathSegment_GetPoint(R.FPDFClipPath_GetPathSegment(clip, paths - 1, s), x, y):
                    xs.append(x.value)
                    ys.append(y.value)
        return (min(xs), min(ys), max(xs), max(ys)) if xs else None

    def note(self, obj) -> None:
        """Keep the box of a text object of the page clipped to the page's body (`boxes`, by its address), or to a
        cell (`cells`: narrower than BODY of the page)."""
        box = self.box(obj)
        if box is not None and box[2] - box[0] < self.BODY * self.width:
            self.cells[ctypes.c_void_p.from_buffer(obj).value] = box
        elif box is not None:
            self.boxes[ctypes.c_void_p.from_buffer(obj).value] = box
            a = self.inside
            self.inside = box if a is None else (max(a[0], box[0]), max(a[1], box[1]), min(a[2], box[2]), min(a[3], box[3]))

    def __call__(self, k: int, x0: float, x1: float, y_lo: float, y_hi: float) -> int:
        """Whether character k (its loose box x0 … y_hi in PDF page space) is hidden: 0 shown, 1 hidden by a clip
        to the page's body or to a cell narrower than the glyph, 2 hidden above or below the cell it is clipped to."""
        a = self.inside
        if not self.cells and a is not None and a[0] <= x0 and x1 <= a[2] and a[1] <= y_lo and y_hi <= a[3]:
            return 0  # inside every body the page's text is clipped to (most pages clip all of it to one)
        obj = self.R.FPDFText_GetTextObject(self.raw, k)
        key = ctypes.c_void_p.from_buffer(obj).value if obj else None
        box, hides = self.boxes.get(key), 1
        if box is None:
            box, hides = self.cells.get(key), 2
        if box is None or (box[0] <= x0 and x1 <= box[2] and box[1] <= y_lo and y_hi <= box[3]):
            return 0  # not clipped, or the glyph's loose box inside the clip: all of it shown
        left, right, bottom, top = self.edges
        if not self.R.FPDFText_GetCharBox(self.raw, k, left, right, bottom, top):
            return 0
        x, y = (left.value + right.value) / 2, (bottom.value + top.value) / 2
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
            return 0
        if hides == 2 and box[2] - box[0] >= right.value - left.value:
            # a cell's text run on to the right under the next cell's figure is mended back (mend_overflow); a cell
            # narrower than a glyph is a column hidden from print (重庆: a row's number, “1” before （一）一般公共预算资金)
            return 0 if box[1] <= y <= box[3] else 2
        return 1


def _over_others(turns: list[float], chars: list[Char], cut: list[int], hidden: list[str]) -> tuple[list[float], list[Char]]:
    """The page's characters without those a cell's clip hides above or below it where they lie over a character
    the page shows (首都绿化委's 部门整体支出绩效目标表: a cell's text run on, unseen, into the cell below, read into
    its indicator as 检产测出评指报标告数量); hidden where nothing is printed, they are read (西安: a header's 入
    under its cell, the rest of a wrapped date), as they are printed nowhere else. Those dropped go to `hidden`."""
    rows: dict[int, list[Char]] = {}
    cut_set = set(cut)
    for i, c in enumerate(chars):
        if i not in cut_set:
            for band in range(int(c.top // 8), int(c.bottom // 8) + 1):
                rows.setdefault(band, []).append(c)
    drop = set()
    for i in cut:
        c = chars[i]
        x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        if any(o.x0 <= x <= o.x1 and o.top <= y <= o.bottom and o.text != c.text for o in rows.get(int(y // 8), ())):
            drop.add(i)
            hidden.append(c.text)
    if not drop:
        return turns, chars
    kept = [n for n in range(len(chars)) if n not in drop]
    return [turns[n] for n in kept], [chars[n] for n in kept]


def visible(turns: list[float], chars: list[Char], box: tuple[float, float, float, float]) -> tuple[list[float], list[Char]]:
    """The characters the page shows (and their directions): those whose centre lies inside its visible
    box (left, top, right, bottom). A PDF printed from a spreadsheet can carry the next rows of a table
    below the page's edge (江苏: a whole table under page 11, printed again on the pages after it);
    viewers and printers never show them."""
    left, top, right, bottom = box
    kept = [(t, c) for t, c in zip(turns, chars) if left <= (c.x0 + c.x1) / 2 <= right and top <= (c.top + c.bottom) / 2 <= bottom]
    kept = _once(kept)
    return [t for t, _ in kept], [c for _, c in kept]


def _once(kept: list[tuple[float, Char]]) -> list[tuple[float, Char]]:
    """Each string once where the PDF draws it again on itself. Some producers print a table's
    headers several times at the same place, a few hundredths of a point apart, to make them look
    bold (西安: “金金金金金金金额额额额额额额单单单…” for 金额单位); the page shows one string. A copy is a
    character drawn again where the same character already stands (a quarter of a point away at
    most), or a run of characters (drawn one after the other along one line) each of which repeats
    one already drawn less than a point (and a third of its width) away. Two different strings that
    overlap where a header overflows its cell (西安: 预算数 drawn half a point across the 预算 of
    政府预算支出经济分类科目) are not copies: only part of the run repeats what is there."""
    drawn_at: dict[tuple[str, int], list[Char]] = {}  # the characters kept, by text and the point of the page's height they stand at

    def copies(c: Char, o: Char, tol: float = 1.0) -> bool:
        third = (c.x1 - c.x0) / 3
        if third < tol:
            tol = third
        return o.text == c.text and abs(o.x0 - c.x0) <= tol and abs(o.top - c.top) <= tol and abs(o.x1 - c.x1) <= tol

    def drawn(c: Char, tol: float = 1.0) -> bool:
        third = (c.x1 - c.x0) / 3
        if third < tol:
            tol = third
        text, row, x0, x1, top = c.text, int(c.top // 1), c.x0, c.x1, c.top
        for at in (row - 1, row, row + 1):  # a copy is at most a point above or below
            for o in drawn_at.get((text, at), ()):
                if abs(o.x0 - x0) <= tol and abs(o.top - top) <= tol and abs(o.x1 - x1) <= tol:
                    return True
        return False

    runs: list[list[tuple[float, Char]]] = []
    last: Char | None = None
    halves: set[int] = set()  # the second character of a glyph printed for two (——)
    for t, c in kept:
        if c.text.isspace():
            if runs:
                runs[-1].append((t, c))
            else:
                runs.append([(t, c)])
            continue
        if last is not None and copies(c, last):
            if _two_ems(c) and id(last) not in halves and not drawn(last, SAME_PLACE):
                halves.add(id(c))  # one glyph for the two characters of ——: both are printed
            else:
                continue  # drawn twice in a row
        if last is None or not runs or abs(c.top - last.top) > 0.5 or c.x0 < last.x0:
            runs.append([])
        runs[-1].append((t, c))
        last = c
    out: list[tuple[float, Char]] = []
    for run in runs:
        marks = [c for _, c in run if not c.text.isspace()]
        if marks and all(drawn(c) for c in marks):
            continue
        for t, c in run:
            if not c.text.isspace():
                if drawn(c, SAME_PLACE) and id(c) not in halves:
                    continue
                drawn_at.setdefault((c.text, int(c.top // 1)), []).append(c)
            out.append((t, c))
    return out


def _two_ems(c: Char) -> bool:
    """A dash or an ellipsis two ems wide: one glyph that some producers (LibreOffice) print for the two
    characters of a Chinese dash (——) or ellipsis (……), both given the glyph's box."""
    return c.text in "—…" and c.x1 - c.x0 >= 1.8 * c.size


def _whiteish(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    if isinstance(color, (tuple, list)):
        if len(color) == 1:
            return color[0] >= 0.95
        if len(color) == 3:
            return all(isinstance(v, (int, float)) and v >= 0.95 for v in color)
        if len(color) == 4:
            return all(isinstance(v, (int, float)) and v <= 0.05 for v in color)
    return False

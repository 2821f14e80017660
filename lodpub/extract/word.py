"""Word documents (.docx) → ExtractedDocument: a paragraph is a line, a table row a line of cells.

County and district departments often publish their 部门预算 and 决算 as Word files. The body is read
in order: a paragraph (its text, with the line breaks typed in it) is a line of one cell; a table
row is a line with one cell per column of the table's grid, as the text of a PDF's table is (a row
whose only text is one cell merged across columns, a title or a note inside the table, is a line of
one cell, as that text would print it). A cell merged
across columns (gridSpan) or down rows (vMerge) holds its text in its first column and row, and the
columns and rows it covers are blank, so that the header and the figures of a table stand in the
columns the PDF of it would print them in; the columns a row leaves out before or after its cells
(gridBefore, gridAfter) are blank too. The paragraphs of one cell are joined by a line break. A
table whose cells hold tables lays the page out around them (a frame round the whole document, a
grid of blocks): what its cells hold, paragraphs and tables, is read in order, as a web page's
layout table is.

Word stores no pages, but it records where its last layout broke them (lastRenderedPageBreak): a
line's page is counted from those, or, where the file has none, from the breaks the author typed
(a page break, a section that starts on a new page, a paragraph set to start one). Text Word shows
as deleted or moved away, field instructions (PAGE, TOC …) and the fallback copy of a text box are
not read: what is read is what the page shows.

The file is a zip of XML parts: read with the standard library (zipfile and ElementTree), with a
limit on the size of the unpacked body; a body that declares a DTD or entities (an expansion bomb:
Word writes none) is refused before it is parsed.
"""

from __future__ import annotations

import zipfile
import zlib
from xml.etree import ElementTree

from ..errors import ExtractError
from ..model import ExtractedDocument, Line, Source
from .text import MAX_COLUMNS, row_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
BODY = "word/document.xml"
MAX_BODY = 200 * 1024 * 1024  # bytes of document.xml unpacked: a zip bomb is refused, not read
MAX_DEPTH = 100  # containers (content controls, custom XML) inside one another read; Word nests a few

# what a run holds, as text
_TEXT, _TAB, _BREAK, _CR, _NO_BREAK_HYPHEN, _SYM = W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "sym"
_RENDERED_BREAK = W + "lastRenderedPageBreak"
# what is not shown: deleted or moved-away text, field instructions, a text box's fallback copy
_HIDDEN = frozenset({W + "del", W + "moveFrom", W + "instrText", W + "delText", MC_FALLBACK})
# elements that hold body content (paragraphs and tables) inside them
_CONTAINERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"})


def extract(source: Source) -> ExtractedDocument:
    body = _body(source)
    reader = _Reader(rendered=any(True for _ in body.iter(_RENDERED_BREAK)))
    reader.content(body)
    if not any(line.text.strip() for line in reader.lines):
        raise ExtractError(source.location, None, "holds no text (an empty Word document, or its pages are images)")
    return ExtractedDocument(source=source, lines=reader.lines, extractor="docx")


def _body(source: Source) -> ElementTree.Element:
    try:
        with zipfile.ZipFile(source.path) as archive:
            try:
                info = archive.getinfo(BODY)
            except KeyError:
                raise ExtractError(source.location, None, f"is a zip without {BODY}: not a Word document") from None
            if info.file_size > MAX_BODY:
                raise ExtractError(source.location, BODY, f"unpacks to {info.file_size:,} bytes, more than a document's text can be ({MAX_BODY:,})")
            data = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise ExtractError(source.location, None, f"not a readable .docx document (damaged or truncated zip: {exc})") from None
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:  # Word writes no DTD: entities are an attack (expansion bombs)
        raise ExtractError(source.location, BODY, "declares a DTD or entities, which Word never writes: not read")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ExtractError(source.location, f"{BODY} line {exc.position[0]}", f"not a readable .docx document: {exc}") from None
    body = root.find(W + "body")
    if body is None:
        raise ExtractError(source.location, BODY, "has no document body: not a Word document")
    return body


class _Reader:
    """Walks the body in order, numbering the lines and counting the pages."""

    def __init__(self, rendered: bool):
        self.rendered = rendered  # count the pages Word laid out, else the breaks typed
        self.page = 1
        self.lines: list[Line] = []

    def content(self, parent: ElementTree.Element, depth: int = 0) -> None:
        for child in parent:
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child, depth)
            elif child.tag in _CONTAINERS and depth < MAX_DEPTH:
                self.content(child, depth + 1)

    def emit(self, cells: tuple[str, ...]) -> None:
        self.lines.append(Line(self.page, len(self.lines) + 1, cells))

    def paragraph(self, p: ElementTree.Element) -> None:
        if not self.rendered and _starts_page(p):
            self.page += 1
        text: list[str] = []
        for kind, value in _pieces(p):
            if kind == "text":
                text.append(value)
            elif kind == "line":
                text.append("\n")
            elif kind == self.page_break:
                if "".join(text).strip():  # the text before the break is on the page before
                    self._emit_text("".join(text))
                    text = []
                self.page += 1
        self._emit_text("".join(text))
        if not self.rendered and _ends_section_on_new_page(p):
            self.page += 1

    @property
    def page_break(self) -> str:
        return "rendered" if self.rendered else "page"

    def _emit_text(self, text: str) -> None:
        for part in text.split("\n"):
            if part.strip():
                self.emit((part.strip(),))

    def table(self, tbl: ElementTree.Element, depth: int = 0) -> None:
        if depth < MAX_DEPTH and _holds_tables(tbl):
            # a table that lays out the page around tables (a frame round the document, a grid of
            # blocks): what its cells hold is read in order, paragraphs and tables, as a web page's is
            for tr in _rows(tbl):
                for tc in _cells(tr):
                    self.content(tc, depth + 1)
            return
        for tr in _rows(tbl):
            cells: list[str] = []
            before, after = _grid_skip(tr, "gridBefore"), _grid_skip(tr, "gridAfter")
            cells.extend([""] * before)
            spans: dict[int, int] = {}  # column → the columns its cell is merged across
            breaks = 0
            for tc in _cells(tr):
                span = min(_int_val(tc.find(f"{W}tcPr/{W}gridSpan"), 1), max(1, MAX_COLUMNS - len(cells)))
                spans[len(cells)] = span
                merged = tc.find(f"{W}tcPr/{W}vMerge")
                hmerge = tc.find(f"{W}tcPr/{W}hMerge")
                texts = []
                for p in _cell_paragraphs(tc):
                    pieces = list(_pieces(p))
                    words = "".join(v if k == "text" else "\n" if k == "line" else "" for k, v in pieces).strip()
                    breaks += sum(1 for k, _ in pieces if k == self.page_break)
                    if words:
                        texts.append(words)
                covered = (merged is not None and merged.get(W + "val", "continue") == "continue") or (
                    hmerge is not None and hmerge.get(W + "val", "continue") == "continue"
                )
                cells.append("" if covered else "\n".join(texts))
                cells.extend([""] * (span - 1))
            cells.extend([""] * after)
            if breaks:  # a row Word laid out over a page break is given the page it ends on
                self.page += 1
            line = row_line(cells, spans)
            if line:
                self.emit(line)


def _within(el: ElementTree.Element, tag: str, through: frozenset[str] = _CONTAINERS, depth: int = 0):
    """The elements `tag` of `el` in order, also those inside content controls and custom XML (or
    whatever `through` names), up to a depth."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in through and depth < MAX_DEPTH:
            yield from _within(child, tag, through, depth + 1)


def _holds_tables(tbl: ElementTree.Element) -> bool:
    """Does a cell of the table hold a table?"""
    return any(True for tr in _rows(tbl) for tc in _cells(tr) for _ in tc.iter(W + "tbl"))


def _rows(tbl: ElementTree.Element):
    return _within(tbl, W + "tr")


def _cells(tr: ElementTree.Element):
    return _within(tr, W + "tc")


def _cell_paragraphs(tc: ElementTree.Element):
    """The paragraphs of a cell, those of a table inside it included, in order."""
    return _within(tc, W + "p", _CONTAINERS | {W + "tbl", W + "tr", W + "tc"})


def _pieces(p: ElementTree.Element):
    """(kind, text) of a paragraph in order: text, a line break, a page break typed (page) or laid
    out by Word (rendered). What is not shown is left out."""

    def walk(el, depth=0):
        if depth > MAX_DEPTH:
            return
        for child in el:
            tag = child.tag
            if tag in _HIDDEN:
                continue
            if tag == _TEXT:
                yield "text", child.text or ""
            elif tag == _TAB:
                yield "text", " " if child.get(W + "val") is None else ""  # (a tab stop's definition in w:tabs has a val)
            elif tag == _BREAK:
                yield ("page", "") if child.get(W + "type") == "page" else ("line", "")
            elif tag == _CR:
                yield "line", ""
            elif tag == _NO_BREAK_HYPHEN:
                yield "text", "-"
            elif tag == _SYM:
                yield "text", _symbol(child.get(W + "char"))
            elif tag == _RENDERED_BREAK:
                yield "rendered", ""
            elif tag == W + "tbl":  # a table inside a text box: its paragraphs as text
                for q in child.iter(W + "p"):
                    yield from walk(q, depth + 1)
                    yield "line", ""
            elif tag == W + "p":  # a text box's paragraphs inside this one
                yield "line", ""
                yield from walk(child, depth + 1)
                yield "line", ""
            else:
                yield from walk(child, depth + 1)

    yield from walk(p)


def _symbol(code: str | None) -> str:
    """A symbol typed from a symbol font (w:sym w:char="F0B3"): the character, with the private-use
    offset of symbol fonts removed; nothing when it cannot be read."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        value -= 0xF000
    return chr(value) if 0x20 <= value < 0xD800 or 0xE000 <= value <= 0x10FFFF else ""


def _int_val(el: ElementTree.Element | None, default: int, least: int = 1) -> int:
    try:
        return max(least, min(int(el.get(W + "val")), MAX_COLUMNS)) if el is not None else default
    except (TypeError, ValueError):
        return default


def _grid_skip(tr: ElementTree.Element, name: str) -> int:
    return _int_val(tr.find(f"{W}trPr/{W}{name}"), 0, least=0)  # (a row may say it skips no column: val 0)


def _starts_page(p: ElementTree.Element) -> bool:
    before = p.find(f"{W}pPr/{W}pageBreakBefore")
    return before is not None and before.get(W + "val", "true") not in ("0", "false")


def _ends_section_on_new_page(p: ElementTree.Element) -> bool:
    sect = p.find(f"{W}pPr/{W}sectPr")
    if sect is None:
        return False
    kind = sect.find(f"{W}type")
    return kind is None or kind.get(W + "val", "nextPage") in ("nextPage", "oddPage", "evenPage")

"""Extract a text document: one line per line, cells split at tabs.

This is the form of text that PDF-to-text tools give for disclosure documents: tables are
tab-separated, and blank lines separate paragraphs and pages. Page numbers are not recoverable
from such text, so `Line.page` is 0 and `Line.number` (the line in the file) is the location.
"""

from __future__ import annotations

import codecs
import re

from ..errors import ExtractError
from ..model import ExtractedDocument, Line, Source

ENCODINGS = ("utf-8", "gb18030")


def decode(data: bytes, location: str) -> tuple[str, str]:
    """The text and the encoding it was in; raises ExtractError naming the bad byte."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    first_error: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = data[: first_error.start].count(b"\n") + 1
    raise ExtractError(
        location,
        f"line {line}, byte {first_error.start}",
        f"is neither UTF-8 nor GB18030 text (undecodable byte 0x{data[first_error.start]:02x}); convert it to UTF-8",
    )


# the control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) but tab, line feed, form feed
# and carriage return, which text prints
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def check_is_text(text: str, location: str) -> None:
    found = CONTROL.search(text, 0, 200_000)
    if found is not None:
        line = text[: found.start()].count("\n") + 1
        raise ExtractError(location, f"line {line}", f"binary data (control character U+{ord(found.group()):04X}); not a text document")


def extract(source: Source) -> ExtractedDocument:
    data = source.path.read_bytes()
    text, _encoding = decode(data, source.location)
    check_is_text(text, source.location)
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        cells = tuple(cell.strip() for cell in raw.split("\t"))
        lines.append(Line(page=0, number=number, cells=cells))
    if not lines:
        raise ExtractError(source.location, None, "holds no text")
    return ExtractedDocument(source=source, lines=lines, extractor="text")


MAX_COLUMNS = 1000  # a Word or web-page table row's columns at most (Word allows 63, a browser 1,000): a span past it is cut


def row_line(cells: list[str], spans: dict[int, int]) -> tuple[str, ...] | None:
    """A table row of a Word document or a web page as a line: its cells, one per column of the
    table's grid (`spans`: column → the columns its cell is merged across), as the text of a PDF's
    table gives them; a row whose only text is one cell merged across columns (a title or a note
    printed inside the table) is a line of that one cell, as that text would print it; None for a
    row with no text."""
    filled = [k for k, c in enumerate(cells) if c]
    if len(filled) == 1 and (spans.get(filled[0], 1) > 1 or len(cells) == 1):
        return (cells[filled[0]],)
    return tuple(cells) if filled else None

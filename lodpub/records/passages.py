"""The printed text of a document as passages: every heading, paragraph, table title, line of a
table's metadata and running title, with its page and first line (lp:Passage).

The checks of the document against itself (years, the department's name, placeholders, tables the
contents list) and of its text (punctuation, quotation marks, characters that did not render) read
this text in the graph, so that anyone can rerun them on the published data. Lines the page wrapped
are joined: a passage goes on while its line runs to the full width of the text without ending a
sentence and the next line starts no new item. The cells of tables are not passages.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import Line
from ..recognise import Recognition
from ..recognise.kinds import is_ordinal_only, title_core, title_kind
from ..recognise.lines import PAGE_NUMBER
from .model import Passage

# a line that starts a new item: 第一部分, 一、, （一）, (1), 1、 1. (not 1.5), 一是, 附件, 注：
ITEM_START = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、.．](?!\d)|[一二三四五六七八九十]是|附件|附表|注[：:]|备注)"
)
SENTENCE_END = ("。", "！", "？", "!", "?")
OPEN_MARKS = ("，", "、", "：", "；", ",", ":", "（", "(", "“", "《")  # a sentence goes on after these
CLOSE_MARKS = ("。", "，", "、", "；", "：", "）", ")", "”", "》")  # a line starting with these goes on the one before
# the dotted leaders and page number after a title in the contents
LEADERS = re.compile(r"\s*(?:[.…·．。]{3,}.*|\s\d{1,3})$")
FULL_SHARE = 0.8  # a line shorter than this share of the full width ends its passage
HEADING_WIDTH = 40


def width(text: str) -> float:
    """The printed width of a text in full-width characters (a Latin letter or digit is half; quotation
    marks, of ambiguous width, are full in Chinese fonts)."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text if not c.isspace())


def _full_widths(lines: list[Line]) -> dict[int, float]:
    """The width of a full line of running text on each page (key 0: in the whole document): the upper
    quartile of the widths of the lines that print a comma (running text, not headings), on the page
    when it has three such lines, else in the document."""
    by_page: dict[int, list[float]] = {}
    for line in lines:
        text = LEADERS.sub("", line.text.strip())
        if "，" in text or "、" in text:
            w = width(text)
            by_page.setdefault(line.page, []).append(w)
            if line.page:
                by_page.setdefault(0, []).append(w)

    def upper_quartile(widths: list[float]) -> float:
        widths = sorted(widths)
        return widths[int(len(widths) * 0.75)]

    return {page: upper_quartile(widths) for page, widths in by_page.items() if len(widths) >= 3 or page == 0}


def read_passages(recognition: Recognition, parts: bool = False) -> list[Passage]:
    """The passages of a document in the order of their first line; `parts`: the document is several
    files (each passage names its file)."""
    lines = recognition.document.lines
    in_tables: set[int] = set()  # lines that are cells of a table (forms print one-cell rows)
    titles: dict[int, str | None] = {}  # title line → the kind its title names
    metadata: set[int] = set()
    for table in recognition.tables:
        in_tables.update(line.number for line in table.header + table.rows + table.repeated_headers)
        kind = title_kind(title_core(table.title) or "")
        titles[table.title_line.number] = kind
        for line in table.metadata:
            core = title_core(line.text)
            if core is not None and core == title_core(table.title):  # the title printed again over a continuation
                titles[line.number] = kind
            elif not is_ordinal_only(line.text) and not PAGE_NUMBER.match(line.text.strip()):
                metadata.add(line.number)
    for unread in recognition.unread:
        in_tables.update(line.number for line in unread.rows)
        if unread.title:
            titles[unread.line] = title_kind(title_core(unread.title) or "")
    heads = recognition.running_heads
    narrative = [
        line
        for line in lines
        if not line.is_row
        and line.number not in in_tables
        and line.number not in titles
        and line.number not in metadata
        and line.text.strip() not in heads
        and _printed(line)
    ]
    full = _full_widths(narrative)
    passages: list[Passage] = []
    seen_heads: set[str] = set()
    position = {line.number: i for i, line in enumerate(lines)}
    current: list[Line] = []

    def close():
        if current:
            passages.append(_passage(current, parts))
            current.clear()

    for line in lines:
        text = " ".join(c.strip() for c in line.cells if c.strip())  # a title or metadata may span the grid's cells
        if line.number in titles or line.number in metadata:
            close()
            role = "table-title" if line.number in titles else "table-metadata"
            passages.append(Passage(line.number, line.page, role, text, titles.get(line.number), _file(line, parts)))
            continue
        if line.is_row or line.number in in_tables or not text:
            continue
        if text in heads:
            if text not in seen_heads:  # a running title once, where it is first printed
                seen_heads.add(text)
                passages.append(Passage(line.number, line.page, "running-head", text, None, _file(line, parts)))
            continue
        if not _printed(line):
            continue
        if current and not _goes_on(current[-1], line, full, lines, position, heads):
            close()
        current.append(line)
    close()
    return sorted(passages, key=lambda p: p.line)


def _printed(line: Line) -> bool:
    """A line of text, not a page number or a table's number alone (表二, 公开表2)."""
    text = line.text.strip()
    return bool(text) and not PAGE_NUMBER.match(text) and not is_ordinal_only(text)


def _goes_on(previous: Line, line: Line, full: dict[int, float], lines: list[Line], position: dict[int, int], heads: set[str]) -> bool:
    """Whether `line` continues the passage whose last line is `previous`: the page wrapped it. Not after
    the end of a sentence, nor before a new item; after a comma, a colon or an opening bracket, or before a
    closing mark, always; else when `previous` runs to the full width of its page."""
    if line.file != previous.file or line.page == 0 and line.number != previous.number + 1:
        return False  # text documents: a blank line between paragraphs
    between = lines[position[previous.number] + 1 : position[line.number]]
    if any(not (b.text.strip() in heads or PAGE_NUMBER.match(b.text.strip()) or not b.text.strip()) for b in between):
        return False  # a table or a title lies between
    before, text = previous.text.strip(), line.text.strip()
    if before.endswith(SENTENCE_END) or ITEM_START.match(text):
        return False
    if before.endswith(OPEN_MARKS) or text.startswith(CLOSE_MARKS):
        return True
    page_full = full.get(previous.page, full.get(0, 0.0))
    return page_full > 0 and width(before) >= FULL_SHARE * page_full


def _passage(lines: list[Line], parts: bool) -> Passage:
    text = "".join(line.text.strip() for line in lines)
    first = lines[0]
    heading = len(lines) == 1 and width(text) <= HEADING_WIDTH and not re.search(r"[。，；,;]", text) and not text.endswith(("：", ":"))
    kind = None
    if len(lines) == 1:  # a table named in the contents or a heading: the kind its title names
        core = title_core(LEADERS.sub("", text))
        kind = title_kind(core) if core else None
    return Passage(first.number, first.page, "heading" if heading else "paragraph", text, kind, _file(first, parts))


def _file(line: Line, parts: bool) -> str | None:
    return str(line.file + 1) if parts else None

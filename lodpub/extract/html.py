"""Web pages (HTML) → ExtractedDocument: a block of text is a line, a table row a line of cells.

Some departments publish their 部门预算 or 决算 as an article on their site, its tables typed into
the page; more often the article only links to the files. A page is read like a Word document: its
visible text in order, a paragraph (or heading, list item, line break) a line, a data table's row a
line of cells, a cell spanning columns (colspan) or rows (rowspan) in the first column and row it
covers with the others blank. A table that holds another table lays out the page rather than a
budget: its cells are read as blocks of text and only the tables inside are tables. Scripts,
styles, forms' option lists and the page's head are not read. A page has no pages: a line's place is
its number, as in a text document.

The links of the page to documents lodpub reads (.pdf, .docx, .xlsx …) are kept: when the page
gives no budget table, the message names them, so that the user can build those.

The page's encoding is the one it declares (a byte-order mark, <meta charset>), else UTF-8, else
GB18030, as for text; the standard library's HTMLParser reads it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from ..errors import ExtractError
from ..model import ExtractedDocument, Line, Source
from .text import MAX_COLUMNS, decode, row_line

# tags whose content is not shown
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "select", "textarea", "svg", "math", "iframe", "object"})
# tags that end the line before them and after them
_BLOCKS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 section article header footer nav aside main blockquote pre "
    "hr form fieldset figure figcaption caption address center table tr".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# a start tag that closes the nearest open element of the first set (with what is open inside it),
# unless an element of the second set is open nearer (HTML's implied end tags)
_TABLE_PARTS = frozenset({"tbody", "thead", "tfoot"})
_CLOSES = {
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr"}, {"table"}),
    **{part: (_TABLE_PARTS | {"tr"}, {"table"}) for part in _TABLE_PARTS},
    "p": ({"p"}, {"td", "th", "li", "div", "table", "body", "blockquote"}),
    "li": ({"li"}, {"ul", "ol", "table"}),
    "option": ({"option"}, {"select"}),
}
_TABLE_TAGS = _TABLE_PARTS | {"table", "tr", "td", "th"}
_SCOPES = frozenset({"table", "body", "html"})  # an implied end never crosses these
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".csv", ".txt", ".wps", ".et", ".zip", ".rar")
MAX_DEPTH = 200  # elements open inside one another: pages nest a few dozen; a hostile one, thousands
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page: implied end tags closed, stray end tags ignored."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in _CLOSES:
            closes, stops = _CLOSES[tag]
            for k in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[k].tag
                if open_tag in closes:
                    del self.stack[k:]
                    break
                if open_tag in stops or open_tag in _SCOPES:
                    break
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        limit = MAX_DEPTH + (50 if tag in _TABLE_TAGS else 0)  # (a table at the limit keeps its rows and cells)
        if tag not in _VOID and len(self.stack) < limit:  # deeper, the content joins the element at the limit
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return
            if self.stack[k].tag in _SCOPES and tag not in _SCOPES:
                return  # an end tag with no open element in this table or body: ignored

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def extract(source: Source) -> ExtractedDocument:
    data = source.path.read_bytes()
    text = _decoded(data, source.location)
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except (AssertionError, ValueError) as exc:  # HTMLParser's own errors on a broken declaration
        raise ExtractError(source.location, None, f"not a readable web page: {exc}") from None
    reader = _Reader(source.url or source.location)
    reader.block(builder.root)
    reader.flush()
    document = ExtractedDocument(source=source, lines=reader.lines, extractor="html", links=reader.links)
    if not reader.lines:
        raise ExtractError(source.location, None, "is a web page with no text (a page its scripts fill, or an empty answer)")
    return document


def _decoded(data: bytes, location: str) -> str:
    found = _CHARSET.search(data[:4096])
    if found and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = found.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: the bytes decide, as for text
    return decode(data, location)[0]


class _Reader:
    def __init__(self, base: str):
        self.base = base
        self.lines: list[Line] = []
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []

    def flush(self) -> None:
        line = _SPACES.sub(" ", "".join(self.text)).strip()
        self.text = []
        if line:
            self.lines.append(Line(0, len(self.lines) + 1, (line,)))

    def block(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.text.append(child)
                continue
            tag = child.tag
            if tag in _HIDDEN:
                continue
            if tag == "a":
                self._link(child)
            if tag == "table" and not _holds(child, "table"):
                self.flush()
                self.table(child)
                continue
            if tag in _BLOCKS or tag in ("td", "th"):  # (td, th: a layout table's cell is a block of its own)
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.block(child)

    def _link(self, a: _Node) -> None:
        href = a.attrs.get("href", "").strip()
        path = href.split("?", 1)[0].split("#", 1)[0].lower()
        if path.endswith(DOCUMENT_SUFFIXES):
            name = _SPACES.sub(" ", _text(a)).strip() or href.rsplit("/", 1)[-1]
            url = urljoin(self.base, href) if "://" in self.base else href
            if url not in {u for _, u in self.links}:
                self.links.append((name, url))

    def table(self, table: _Node) -> None:
        for caption in (c for c in table.children if isinstance(c, _Node) and c.tag == "caption"):
            self.text.append(_text(caption))  # the table's title, printed above it
            self.flush()
        covered: dict[tuple[int, int], bool] = {}  # (row, column) a cell above spans into
        rows = list(_rows(table))
        for r, tr in enumerate(rows):
            cells: list[str] = []
            spans: dict[int, int] = {}
            col = 0
            for td in (c for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")):
                while covered.pop((r, col), False):
                    cells.append("")
                    col += 1
                colspan = min(_span(td, "colspan"), max(1, MAX_COLUMNS - col))  # (no row wider than a browser allows)
                rowspan = min(_span(td, "rowspan"), len(rows) - r)  # (a span past the last row covers nothing)
                spans[col] = colspan
                cells.append(_cell_text(td))
                cells.extend([""] * (colspan - 1))
                for down in range(1, rowspan):
                    for across in range(colspan):
                        covered[(r + down, col + across)] = True
                col += colspan
            while covered.pop((r, col), False):
                cells.append("")
                col += 1
            for a in _descendants(tr, "a"):
                self._link(a)
            line = row_line(cells, spans)
            if line:
                self.lines.append(Line(0, len(self.lines) + 1, line))


def _rows(table: _Node):
    for child in table.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                yield child
            elif child.tag in ("thead", "tbody", "tfoot"):
                yield from _rows(child)


def _span(td: _Node, name: str) -> int:
    try:
        return max(1, min(int(td.attrs.get(name, "1").strip() or 1), MAX_COLUMNS))
    except ValueError:
        return 1


def _holds(node: _Node, tag: str) -> bool:
    return any(True for _ in _descendants(node, tag))


def _descendants(node: _Node, tag: str):
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                yield child
            yield from _descendants(child, tag)


def _text(node: _Node) -> str:
    return "".join(c if isinstance(c, str) else "" if c.tag in _HIDDEN else _text(c) for c in node.children)


_BREAK = "\x1e"  # a block's edge inside a cell, apart from the blanks of the page's source


def _cell_text(td: _Node) -> str:
    """A cell's text: its blocks and line breaks (<br>, <p>) as line breaks, any run of blanks of
    the page's source (line breaks included) as one space, as a browser shows it."""
    parts: list[str] = []

    def walk(node: _Node):
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in _HIDDEN:
                if child.tag in _BLOCKS:
                    parts.append(_BREAK)
                walk(child)
                if child.tag in _BLOCKS:
                    parts.append(_BREAK)

    walk(td)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split(_BREAK))
    return "\n".join(line for line in lines if line)

"""The forms data takes between stages. Each stage reads one of these and writes the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """The bytes of one input document and where they came from."""

    location: str  # the path or URL as the user gave it
    path: Path  # the local file holding the bytes
    sha256: str  # hex digest of the bytes
    media_type: str  # what its bytes are (lodpub.media): application/pdf, text/plain, a spreadsheet or a Word document
    retrieved: str | None = None  # ISO timestamp when fetched from a URL
    url: str | None = None  # the URL when fetched

    @property
    def docid(self) -> str:
        return self.sha256[:16]


def combined_source(parts: list[Source]) -> Source:
    """One source for the files of one disclosure: its digest is that of the files' digests, sorted, so
    that the same files give the same document whatever order they are named in."""
    import hashlib

    digest = hashlib.sha256("\n".join(sorted(p.sha256 for p in parts)).encode()).hexdigest()
    return Source(
        location=" + ".join(p.location for p in parts),
        path=parts[0].path,
        sha256=digest,
        media_type=parts[0].media_type,
        retrieved=parts[0].retrieved,
        url=parts[0].url,
    )


@dataclass(frozen=True)
class Line:
    """One line of an extracted document: a narrative line (one cell) or a table row."""

    page: int  # 1-based page number
    number: int  # 1-based, increasing through the document
    cells: tuple[str, ...]
    file: int = 0  # which file of a disclosure given as several files (0: the first or only one)

    @property
    def text(self) -> str:
        return "".join(self.cells)

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1


@dataclass
class ExtractedDocument:
    source: Source
    lines: list[Line]
    extractor: str = "text"
    parts: list[Source] = field(default_factory=list)  # the files of a disclosure read as one document
    links: list[tuple[str, str]] = field(default_factory=list)  # a web page's links to documents: (text, URL)
    image_pages: list[int] = field(default_factory=list)  # pages of a PDF that are an image without text (a scan among text pages)
    unreadable_pages: list[int] = field(default_factory=list)  # pages of a PDF whose fonts map no characters to Unicode: their text is not read
    # of a disclosure read from several files (`parts`): each file's image pages and unreadable pages, in the order of `parts`
    part_image_pages: list[list[int]] = field(default_factory=list)
    part_unreadable_pages: list[list[int]] = field(default_factory=list)


@dataclass
class TableSpec:
    """What a kind of table is, read from mappings/tables/kinds.yaml."""

    kind: str
    titles: list[str]
    data: dict  # the whole YAML entry


@dataclass
class Column:
    """What one column of a table holds, resolved from its header (mappings/tables/headers.yaml).

    role: "key" (identifies rows: `key` is code | name | codename | class | item | subitem | type |
    unit | label, `axis` what it classifies), "amount" (figures: `dims` the dimensions the header
    fixes), "indicator" (performance indicators: `indicator` says which part), "ignore" (no budget
    figures: `reason`), "unknown" (a header not in the vocabulary: `reason`), "group" (a heading
    such as 收入 with nothing of its own) or "none" (no header).
    """

    index: int
    header: tuple[str, ...] = ()  # the printed header cells above the column, top to bottom
    label: str = ""  # the lowest header cell, normalised
    role: str = "none"
    key: str | None = None
    axis: str | None = None
    direction: str | None = None  # revenue | expenditure: the side of a two-sided table
    dims: dict[str, str] = field(default_factory=dict)
    side_dims: dict[str, str] = field(default_factory=dict)  # what a side heading (本年收入) adds to `dims`
    qualify: dict[str, str] = field(default_factory=dict)  # how the header turns a row's value (上年结转: its carry-over)
    phase: str | None = None  # the column's phase when the header names one (预算数, 决算数)
    year: str | None = None  # the year the header prints (2025年执行数)
    years_before: int = 0  # the header names the year before the document's (上年预算数, 上年执行数): 1
    unit: str | None = None  # a unit of money printed in the header (预算数（万元）)
    reason: str | None = None
    quantity: bool = False  # counts, not money
    indicator: str | None = None  # role "indicator": level1 | level2 | name | value | operator | unit | explanation | weight
    category: str | None = None  # the indicator category a heading names (成本指标 → cost)


@dataclass
class RecognisedTable:
    spec: TableSpec
    ordinal: int  # position in the document, 1-based
    title: str  # as printed
    title_line: Line
    header: list[Line]
    rows: list[Line]  # data rows, in order
    unit: str | None = None  # "万元" or "元" as printed
    organisation_name: str | None = None
    notes: list[Line] = field(default_factory=list)  # one-cell lines among or after the rows
    metadata: list[Line] = field(default_factory=list)  # 部门名称, 单位, year lines
    repeated_headers: list[Line] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)  # one per column of the widest row
    layout: str = "grid"  # grid | two-sided | form | project-form | overall-targets
    continued: list[int] = field(default_factory=list)  # pages where the table goes on under a repeated title
    transposed: bool = False  # printed with one row per year: read with rows and columns swapped
    origins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (row, column) read → (line, column) printed

    @property
    def page(self) -> int:
        return self.title_line.page

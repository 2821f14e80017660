"""The records of a document: plain data between recognition (stage 3) and RDF (stage 5).

Every amount cell of every table becomes exactly one `Observation` or one `SkippedCell` that
says why it is not in the graph (row accounting). Records carry codes and names, not URIs:
stage 5 (lodpub.mapping, driven by mappings/*.yaml) decides the URIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..recognise.text import signed

UNIT_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
TOTAL = "_T"
DEPT = ""  # organisation key of the department itself (units: "/unit/{code}")


@dataclass
class Observation:
    table: int  # ordinal of the table in the document
    row: int  # 1-based data row inside the table
    col: int  # 1-based cell position inside the row
    line: int
    page: int
    printed: str
    amount: Decimal  # in 元
    unit: str
    role: str  # item | subtotal | total
    row_label: str
    column_label: str
    dims: dict[str, str]  # dimension CURIE → code notation, organisation key or project key
    phase: str | None = None  # the column's phase when it differs from the document's (预算数 in a 决算 table)
    fiscal_year: str | None = None  # the column's year when it differs from the document's (2025年执行数)
    source_file: str | None = None  # the file (1, 2 …) of a disclosure given as several files
    precision: Decimal | None = None  # 元 per unit of the last printed digit (1,234.56 万元 → 100)

    def __post_init__(self):
        if self.precision is None:
            self.precision = printed_precision(self.printed, self.unit)


UNIT_FACTORS = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}


def printed_precision(printed: str, unit: str) -> Decimal:
    """The value in 元 of one unit of the last digit printed: a figure printed as 1,234.56 万元 is
    exact to the nearest 100 元, one printed as 1234567 元 to the nearest 元."""
    digits = "".join(c for c in printed if c.isdigit() or c == ".")
    places = len(digits.split(".", 1)[1]) if "." in digits else 0
    return Decimal(UNIT_FACTORS.get(unit, 10000)).scaleb(-places)


@dataclass
class SourcePart:
    """One file of a disclosure given as several files (the 情况说明 and the 报表)."""

    n: str  # 1, 2 … in the order the files were given
    location: str
    sha256: str
    media_type: str
    file_name: str
    url: str | None = None
    retrieved: str | None = None
    image_pages: list[int] = field(default_factory=list)  # this file's pages that are an image without text
    unreadable_pages: list[int] = field(default_factory=list)  # this file's pages whose text cannot be read (glyph numbers)


@dataclass
class SkippedCell:
    table: int
    row: int
    col: int
    line: int
    printed: str
    reason: str


@dataclass
class Organisation:
    key: str  # path below the department's URI: "" for the department, "/unit/001005" for a unit
    code: str | None
    name: str
    division: str | None = None  # GB/T 2260 code of the administrative division (mappings/codes/divisions.csv)
    level: str | None = None  # level of government: central | province | prefecture | county


@dataclass
class Project:
    key: str  # "1", "2", … in the order of the project table
    name: str
    type: str | None
    unit_key: str | None
    unit_name: str | None
    code: str | None = None
    table: int = 0
    line: int = 0


@dataclass
class Indicator:
    owner: str  # project key, or "document" for the department-wide targets
    table: int
    line: int
    k: int  # order within the document
    category: str | None
    level1: str | None
    level2: str | None
    name: str
    value: str | None
    explanation: str | None = None
    period_value: str | None = None  # the target over the project's whole period (实施周期指标值) beside the year's


@dataclass
class Statement:
    k: int
    line: int
    figure: str
    sentence: str
    printed: str
    amount: Decimal | None = None  # in 元
    unit: str | None = None
    quantity: Decimal | None = None  # a count (辆, 个)
    share: Decimal | None = None  # percent as printed
    change: Decimal | None = None  # year-on-year change in 元 (negative = decrease)
    change_share: Decimal | None = None
    compared_year: str | None = None
    function_code: str | None = None  # the 类, 款 or 项 a function figure names (document's tables, then national lists)
    compared_amount: Decimal | None = None  # in 元: the amount the figure is compared with (上年执行数, 年初预算数)
    compared_phase: str | None = None  # the phase of the document's year the compared amount is (budget: 年初预算数)
    restated_amount: Decimal | None = None  # in 元: the same figure stated again in the same explanation
    comparison: str | None = None  # 大于 | 小于 | 等于: the figure against compared_amount, in words
    completion_rate: Decimal | None = None  # percent: the figure as a share of compared_amount (完成年初预算的 x%)
    class_name: str | None = None  # the names of the 类, 款 and 项 as the sentence prints them
    section_name: str | None = None
    subsection_name: str | None = None
    # the printed precision of each number: one unit of its last printed digit (元 for amounts, percent for rates)
    amount_precision: Decimal | None = None
    compared_amount_precision: Decimal | None = None
    restated_amount_precision: Decimal | None = None
    change_precision: Decimal | None = None
    change_share_precision: Decimal | None = None
    completion_rate_precision: Decimal | None = None


@dataclass
class Definition:
    k: int
    line: int
    term: str
    text: str
    concept: str | None  # "scheme/notation" the term defines, when known


@dataclass
class Passage:
    """A passage of the printed text: a heading, a paragraph (its lines joined), a table's title or a line
    of its metadata, or a running title (printed on many pages, kept once)."""

    line: int  # its first line
    page: int
    role: str  # heading | paragraph | table-title | table-metadata | running-head
    text: str
    table_kind: str | None = None  # the kind of table a title (or an entry of the contents) names
    source_file: str | None = None  # the file (1, 2 …) of a disclosure given as several files


@dataclass
class TableRecord:
    ordinal: int
    kind: str
    title: str
    line: int
    page: int
    unit: str | None
    declared_empty: bool
    empty_reason: str | None
    rows: int
    notes: list[str]
    source_file: str | None = None  # the file (1, 2 …) of a disclosure given as several files
    amount_cells: int = 0  # the amount cells it prints: its budget lines and the cells reported as not read


@dataclass
class UnreadTableRecord:
    """A table the document prints whose kind lodpub does not know: its figures are in `skipped`
    (table 0) with this reason, so that what is not read is reported rather than absent."""

    title: str
    page: int
    line: int
    rows: int
    amount_cells: int
    reason: str


@dataclass
class DocumentRecords:
    docid: str
    sha256: str
    location: str
    media_type: str
    title: str
    department: str
    fiscal_year: str | None
    phase: str
    organisations: list[Organisation] = field(default_factory=list)
    tables: list[TableRecord] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    skipped: list[SkippedCell] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # the printed text outside the tables' cells
    listed_tables: list[tuple[str, str, int]] = field(default_factory=list)  # title, kind, line
    image_pages: list[int] = field(default_factory=list)  # pages that are an image without text: what they print is not read
    unreadable_pages: list[int] = field(default_factory=list)  # pages whose fonts map no characters to Unicode: what they print is not read
    unread: list[UnreadTableRecord] = field(default_factory=list)
    parts: list[SourcePart] = field(default_factory=list)  # its files, when a disclosure is several files
    retrieved: str | None = None
    url: str | None = None
    extractor: str = "text"


def parse_amount(text: str, unit: str) -> Decimal:
    """The exact value in 元 of a printed figure such as “4,212.99” in 万元 (“(12.00)”: -12.00)."""
    clean = signed(text.replace(" ", "")).replace(",", "").replace("−", "-")
    return Decimal(clean) * UNIT_FACTORS[unit]

"""Stage 3: recognise. Find the tables of a document by their titles and headers.

The kinds of table, their title variants and their columns are data (mappings/tables/*.yaml);
this module only knows how a table is laid out on a page: a title, a few lines naming the
department and the unit of money, header rows, then data rows and notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .model import ExtractedDocument, Line, RecognisedTable, TableSpec
from .namespaces import MAPPINGS


_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|表\s*\d+(?:[-—－]\d+)?[、.．:：]?|附表\s*\d*[、.．:：]?)"
)
_BLANKS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u201c": "“", "\u201d": "”", '"': "“", "「": "“", "」": "”", "'": "“"})
AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CODE = re.compile(r"^\d{3,}$")
UNIT_OF_MONEY = re.compile(r"单位\s*[:：]\s*(万元|元|千元|亿元)")
DEPARTMENT = re.compile(r"(?:部门名称|编制部门|编制单位|预算单位|单位名称)\s*[:：]\s*(\S.*)$")


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Text as compared with titles and headers: no blanks, one kind of quote, no leading ordinal."""
    text = _BLANKS.sub("", text).translate(_QUOTES)
    text = text.replace("\u201c", "“").replace("\u201d", "”")
    # straight quotes were mapped to “; make a closing quote after the word for “三公”
    text = re.sub(r"“([^“”]*)“", r"“\1”", text)
    return _ORDINAL.sub("", text).rstrip(":：")


def is_amount(cell: str) -> bool:
    return bool(AMOUNT.match(cell.replace(" ", "")))


@lru_cache(maxsize=None)
def load_specs(folder: str = str(MAPPINGS / "tables")) -> tuple[TableSpec, ...]:
    specs = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in (data or {}).get("kinds", []):
            specs.append(TableSpec(kind=entry["kind"], titles=list(entry["titles"]), data=entry))
    return tuple(specs)


@lru_cache(maxsize=None)
def load_labels() -> dict:
    return yaml.safe_load((MAPPINGS / "tables" / "labels.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _title_index() -> tuple[tuple[str, TableSpec], ...]:
    pairs = [(normalise(t), spec) for spec in load_specs() for t in spec.titles]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))  # longest alias first


def match_title(line: Line) -> TableSpec | None:
    """The kind of table a line is the title of, or None."""
    cells = [c for c in line.cells if c.strip()]
    if len(cells) != 1:
        return None
    text = normalise(cells[0])
    if not text or len(text) > 60:
        return None
    for alias, spec in _title_index():
        if text == alias:
            return spec
        # “上海市普陀区司法局2026年部门收支预算总表”: an organisation and year before the title
        if text.endswith(alias) and re.search(r"(?:\d{4}年度?|\d{4})$", text[: -len(alias)]):
            return spec
    # “2024年预算单位收入预算总表”, “单位收入预算总表”: the title of a kind for a department (部门),
    # a budget unit (预算单位) or a unit (单位), with or without an organisation and year before it
    core = _strip_holder(_YEAR_PREFIX.sub("", text))
    if core != text or _HOLDER.match(text):
        for alias, spec in _title_index():
            if core == _strip_holder(alias):
                return spec
    return None


_YEAR_PREFIX = re.compile(r"^.{0,40}?(?:\d{4}年度?)")
_HOLDER = re.compile(r"^(?:部门|预算单位|单位)")


def _strip_holder(text: str) -> str:
    return _HOLDER.sub("", text)


@dataclass
class Recognition:
    """What stage 3 found in one document."""

    document: ExtractedDocument
    tables: list[RecognisedTable]
    listed_titles: list[tuple[str, TableSpec, Line]] = field(default_factory=list)  # in the contents
    narrative: list[Line] = field(default_factory=list)  # lines outside every table


def _looks_like_table_start(lines: list[Line], i: int) -> bool:
    for line in lines[i + 1 : i + 7]:
        if match_title(line):
            return False
        if line.is_row or UNIT_OF_MONEY.search(line.text) or DEPARTMENT.search(line.text):
            return True
    return False


def _is_data_row(line: Line, labels: dict) -> bool:
    cells = [c for c in line.cells if c]
    if any(is_amount(c) or CODE.match(c) for c in cells):
        return True
    return len(cells) == 1 and normalise(cells[0]) in labels["totals"]


_CODE_HEADERS = ("类", "款", "项")


def _code_header_cells(line: Line) -> int:
    """How many leading cells of a row print the code-column headers 类 / 款 / 项 (0 if not so)."""
    n = 0
    while n < len(line.cells) and n < 3 and normalise(line.cells[n]) == _CODE_HEADERS[n]:
        n += 1
    return n if n >= 2 else 0


def _split_table(spec: TableSpec, ordinal: int, title_line: Line, body: list[Line]) -> RecognisedTable:
    """Sort the lines after a title into metadata, header rows, data rows and notes."""
    table = RecognisedTable(spec=spec, ordinal=ordinal, title=title_line.text.strip(), title_line=title_line, header=[], rows=[])
    labels = load_labels()
    form_like = spec.data.get("layout") in ("overall-targets", "project-form")  # no header: every row is data
    in_data = form_like
    header_keys: set[tuple[str, ...]] = set()
    for line in body:
        if not table.rows:
            unit = UNIT_OF_MONEY.search(line.text)
            dept = next((m for m in map(DEPARTMENT.search, (c for c in line.cells if c)) if m), None)
            if unit or dept:
                table.unit = table.unit or (unit.group(1) if unit else None)
                if dept:
                    name = UNIT_OF_MONEY.split(dept.group(1))[0].strip()
                    table.organisation_name = table.organisation_name or name
                table.metadata.append(line)
                continue
            if form_like and not line.is_row:
                table.metadata.append(line)
                continue
        if not in_data:
            if line.is_row and _is_data_row(line, labels) and table.header and _code_header_cells(line):
                lead = _code_header_cells(line)
                table.header.append(Line(line.page, line.number, tuple(line.cells[:lead]) + ("",) * (len(line.cells) - lead)))
                header_keys.add(tuple(normalise(c) for c in line.cells[:lead]))
                line = Line(line.page, line.number, ("",) * lead + tuple(line.cells[lead:]))
                in_data = True
            elif line.is_row and not _is_data_row(line, labels):
                table.header.append(line)
                header_keys.add(tuple(normalise(c) for c in line.cells))
                continue
            if not line.is_row and not table.header:
                table.metadata.append(line)  # e.g. “(2024) 年度” between title and header
                continue
            in_data = True
        if line.is_row and tuple(normalise(c) for c in line.cells) in header_keys:
            table.repeated_headers.append(line)  # a header repeated on a continuation page
            continue
        if line.is_row or form_like:
            table.rows.append(line)
        else:
            table.notes.append(line)
    if table.unit is None:
        # “项目金额（万元）”, “部门预算总额（万元）”: the unit printed inside a header or row label
        for line in table.header + table.rows:
            m = re.search(r"[（(](万元|元)[）)]", line.text)
            if m:
                table.unit = m.group(1)
                break
    return table


def recognise(document: ExtractedDocument) -> Recognition:
    lines = document.lines
    starts: list[tuple[int, TableSpec]] = []
    listed: list[tuple[str, TableSpec, Line]] = []
    for i, line in enumerate(lines):
        spec = match_title(line)
        if spec is None:
            continue
        if _looks_like_table_start(lines, i):
            starts.append((i, spec))
        else:
            listed.append((line.text.strip(), spec, line))
    tables: list[RecognisedTable] = []
    narrative: list[Line] = list(lines[: starts[0][0]]) if starts else list(lines)
    for n, (i, spec) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        tables.append(_split_table(spec, n + 1, lines[i], lines[i + 1 : end]))
    return Recognition(document=document, tables=tables, listed_titles=listed, narrative=narrative)


# --- columns -------------------------------------------------------------------------------

def column_leaves(header: list[Line]) -> list[str]:
    """For each column, the lowest non-empty header text above it (normalised)."""
    width = max((len(h.cells) for h in header), default=0)
    leaves = [""] * width
    for row in header:
        for j, cell in enumerate(row.cells):
            if cell.strip():
                leaves[j] = normalise(cell)
    return leaves


def _header_matches(leaf: str, alias: str) -> bool:
    alias = normalise(alias)
    if not leaf:
        return False
    if leaf == alias or leaf.startswith(alias) or alias in leaf:
        return True
    return len(leaf) >= 4 and alias.startswith(leaf)  # a header cut short by the layout


def resolve_columns(leaves: list[str], entries: list[dict]) -> list[int | None]:
    """The column index of each entry ({header: str|list, occurrence: k}) in printed order."""
    used: set[int] = set()
    found: list[int | None] = []
    position = -1
    for entry in entries:
        aliases = entry["header"] if isinstance(entry["header"], list) else [entry["header"]]
        if entry.get("exact"):
            candidates = [j for j, leaf in enumerate(leaves) if any(leaf == normalise(a) for a in aliases)]
        else:
            candidates = [j for j, leaf in enumerate(leaves) if any(_header_matches(leaf, a) for a in aliases)]
        choice = None
        if "occurrence" in entry:
            k = entry["occurrence"] - 1
            choice = candidates[k] if k < len(candidates) else None
        else:
            after = [j for j in candidates if j > position and j not in used]
            anywhere = [j for j in candidates if j not in used]
            choice = after[0] if after else (anywhere[0] if anywhere else None)
        if choice is not None:
            used.add(choice)
            position = choice
        found.append(choice)
    return found

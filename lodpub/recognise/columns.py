"""What each column of a table holds, from its header (mappings/tables/headers.yaml).

A column's header is the path of header cells above it, top to bottom. A cell left empty in an
upper header row, under which the column has a header of its own, belongs to the group printed to
its left (a cell merged across columns prints its text in the first of them); an empty cell in the
lowest rows means the column's header ends higher up (a cell merged downwards). Each cell is looked
up as a whole term; the column's meaning is made of the meanings along its path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Column, Line
from ..namespaces import MAPPINGS
from ..specs import load_yaml
from ..codelists import codes
from .text import normalise, term

HEADERS_FILE = MAPPINGS / "tables" / "headers.yaml"

_YEAR = re.compile(r"^(\d{4})年度?")
_INNER_YEAR = re.compile(r"\d{4}年度?")
_UNIT = re.compile(r"[（]\s*(?:单位[：]?\s*)?(?:人民币)?(万元|元|千元|亿元)\s*[）]$")
_OF_WHICH = re.compile(r"^(?:其中[：]?|含[：])")
_NUMBERING = re.compile(r"^(?:栏次|行次|\*+|[一二三四五六七八九十]+)$")


@dataclass(frozen=True)
class Term:
    """The meaning of one header cell."""

    key: str | None = None
    axis: str | None = None
    direction: str | None = None
    dims: tuple[tuple[str, str], ...] = ()
    qualify: tuple[tuple[str, str], ...] = ()
    total: bool = False
    phase: str | None = None
    years_before: int = 0  # year: prior (上年…): the figures are of the year before the document's
    ignore: str | None = None
    quantity: bool = False
    indicator: str | None = None
    category: str | None = None


_YEARS_BEFORE = {None: 0, "prior": 1}


@lru_cache(maxsize=None)
def lexicon() -> dict[str, Term]:
    data = load_yaml(HEADERS_FILE)
    terms: dict[str, Term] = {}
    for entry in data["terms"]:
        meaning = Term(
            key=entry.get("key"),
            axis=entry.get("axis"),
            direction=entry.get("direction"),
            dims=tuple(sorted((entry.get("dims") or {}).items())),
            qualify=tuple(sorted((entry.get("qualify") or {}).items())),
            total=bool(entry.get("total")),
            phase=entry.get("phase"),
            years_before=_YEARS_BEFORE[entry.get("year")],
            ignore=entry.get("ignore"),
            quantity=bool(entry.get("quantity")),
            indicator=entry.get("indicator"),
            category=entry.get("category"),
        )
        for header in entry["headers"]:
            key = term(str(header))
            if key in terms and terms[key] != meaning:
                raise ValueError(f"{HEADERS_FILE}: header “{header}” is given two meanings")
            terms[key] = meaning
    return terms


@dataclass
class HeaderCell:
    """A header cell as compared: its term, and what it says besides (a year, a unit of money)."""

    printed: str
    key: str
    year: str | None = None
    unit: str | None = None


@lru_cache(maxsize=1 << 14)
def header_cell(printed: str) -> HeaderCell:
    key = term(printed)
    year = unit = None
    m = _UNIT.search(key)
    if m:
        unit, key = m.group(1), key[: m.start()]
    m = _YEAR.match(key)
    if m:
        year, key = m.group(1), key[m.end() :]
        if not key:
            key = "年"  # a cell that only prints a year (2021年 | 2022年 over the same columns)
    lex = lexicon()
    if key not in lex:
        stripped = term(_OF_WHICH.sub("", key))  # 其中：（1）公务用车购置费
        if stripped in lex:
            key = stripped
        elif _INNER_YEAR.sub("", stripped) in lex:  # 预算数比2025年执行数
            key = _INNER_YEAR.sub("", stripped)
        elif stripped.endswith("费支出") and stripped[:-2] in lex:  # 公务接待费支出
            key = stripped[:-2]
    return HeaderCell(printed, key, year, unit)


def is_numbering_row(line: Line) -> bool:
    """A header row that numbers the columns (栏次 | 1 | 2 | 3, ** | ** | 1 | 2)."""
    cells = [c.strip() for c in line.cells if c.strip()]
    if len(cells) < 2:
        return False
    numbers = [c for c in cells if c.isdigit()]
    others = [c for c in cells if not c.isdigit()]
    if not all(_NUMBERING.match(term(c)) for c in others):
        return False
    if len(numbers) < 2:
        if numbers == ["1"]:  # a table of one column of figures: ** | 1, 栏次 | 1
            return bool(others) and all(c.startswith("*") or term(c) in ("栏次", "行次") for c in others)
        return bool(others) and not numbers and all(c.startswith("*") for c in others) and len(others) >= 2
    values = [int(c) for c in numbers]
    return values[0] in (0, 1) and all(b == a + 1 for a, b in zip(values, values[1:]))


def header_paths(header: list[Line], width: int) -> list[list[str]]:
    """For each column, the printed header cells above it, top to bottom."""
    rows = [list(h.cells) + [""] * (width - len(h.cells)) for h in header if not is_numbering_row(h)]
    has_below = [[any(b[j].strip() for b in rows[r + 1 :]) for j in range(width)] for r in range(len(rows))]
    paths: list[list[str]] = [[] for _ in range(width)]
    bound = [0] * width  # the first column of the group that heads column j in the rows above
    for r, row in enumerate(rows):
        starts = list(bound)
        for j in range(width):
            text = row[j].strip()
            if text:
                paths[j].append(text)
                starts[j] = j
            elif has_below[r][j]:
                # an empty upper cell over a column with a header of its own: the group printed on its
                # left heads it, when that group has headers below it too (a merged group cell) and
                # lies within the group above
                k = j - 1
                while k >= bound[j] and not row[k].strip():
                    k -= 1
                if k >= bound[j] and has_below[r][k]:
                    paths[j].append(row[k].strip())
                    starts[j] = k
        bound = starts
    # a group has one total column: of two identical total columns side by side, the first closes
    # the group on its left (an upper header cell placed one column late, as tab-separated text has it)
    lex = lexicon()
    keys = [[header_cell(cell).key for cell in path] for path in paths]  # (合  计 is 合计)
    for j in range(1, width - 1):
        a, before = keys[j], keys[j - 1]
        if len(a) >= 2 and a == keys[j + 1] and len(before) >= 2 and before[:-1] != a[:-1] and lex.get(a[-1], Term()).total:
            paths[j] = paths[j - 1][:-1] + [paths[j][-1]]
            keys[j] = before[:-1] + [a[-1]]
    return paths


def column_meanings(header: list[Line], width: int, default_axis: str | None = None) -> list[Column]:
    """The meaning of every column of a table from its header rows."""
    lex = lexicon()
    columns: list[Column] = []
    repeats: list[tuple[Column, str, tuple[str, ...]]] = []  # a heading printed again under itself
    for j, path in enumerate(header_paths(header, width)):
        cells = [header_cell(p) for p in path]
        col = Column(index=j, header=tuple(path), label=normalise(path[-1]) if path else "")
        columns.append(col)
        if not cells:
            continue  # no header: role "none"
        for c in cells:
            col.year = c.year or col.year
            col.unit = c.unit or col.unit
        unknown = [c.printed for c in cells if c.key not in lex]
        if unknown:
            col.role = "unknown"
            col.reason = "column header “" + "／".join(path) + "” not recognised (mappings/tables/headers.yaml)"
            continue
        dims: dict[str, str] = {}
        set_by: dict[str, int] = {}  # the header cell that fixed each dimension
        side_dims: dict[str, str] = {}
        qualifiers: list[dict[str, str]] = []
        figures = False
        deepest: Term | None = None  # the lowest cell that says what the column holds
        for i, m in enumerate(lex[c.key] for c in cells):
            if m.direction and m.dims:  # 本年收入 over a side of a two-sided table, or over funding columns
                side_dims.update(m.dims)
                col.direction = m.direction
                continue
            col.direction = m.direction or col.direction
            col.axis = col.axis or m.axis  # the topmost axis: a group (功能分类科目) over its code and name
            col.category = m.category or col.category
            col.phase = m.phase or col.phase
            col.years_before = m.years_before or col.years_before
            col.reason = m.ignore or col.reason
            col.quantity = col.quantity or m.quantity
            if m.key or m.total or m.dims or m.indicator or m.ignore:
                deepest = m
            for dim, value in m.dims:
                for q in qualifiers:
                    if dim in q:
                        qualified = qualified_code(dim, q[dim], value)
                        if qualified is None:
                            qualified = q[dim].replace("{value}", value)
                            col.role, col.reason = "unknown", (f"no code for “{'／'.join(path)}” ({dim} {qualified}) in ontology/codelists.ttl")
                        value = qualified
                        col.qualify.pop(dim, None)  # used by a cell below it, not left for the rows
                if dims.get(dim) == value and dim in set_by:
                    repeats.append((col, dim, tuple(path[: set_by[dim] + 1])))
                dims[dim] = value
                set_by[dim] = i
            if m.qualify:
                qualifiers.append(dict(m.qualify))
                col.qualify.update(m.qualify)
            figures = figures or m.total or bool(m.dims)
        if deepest is not None and deepest.key:
            col.key = deepest.key
        if deepest is not None and deepest.indicator:
            col.indicator = deepest.indicator
        if col.role == "unknown":
            continue
        if col.indicator:  # an indicator column under a heading such as 绩效目标 or 成本指标
            col.role, col.reason = "indicator", None
        elif col.reason:
            col.role = "ignore"
        elif col.key:
            col.role = "key"
            if col.axis is None and col.key in ("class", "item", "subitem") and default_axis not in ("function", "economic-dept", "economic-gov"):
                col.axis = "function"  # 类/款/项 parts are a function code's, whatever the table lists
            elif col.axis is None and col.key in ("code", "name", "codename", "class", "item", "subitem"):
                col.axis = default_axis
            elif col.axis is None and col.key == "label" and default_axis == "project":
                col.axis = default_axis  # 项目 over a list of projects
        elif figures or side_dims:
            col.role = "amount"
            col.dims = {**side_dims, **dims}
            col.side_dims = side_dims
        else:
            col.role = "group"  # a side or axis heading with no figures of its own (收入, 支出)
    _the_rest_of_a_group(columns, repeats)
    _parts_named_by_their_name_column(columns, default_axis)
    return columns


def _the_rest_of_a_group(columns: list[Column], repeats: list[tuple[Column, str, tuple[str, ...]]]) -> None:
    """A heading printed again under itself, beside other parts of its group, is the rest of the group:
    吉林's 因公出国（境）费 over 小计 | 因公出国（境）费 | 科研因公出国（境）费用 prints trips other than
    research in its middle column, the code `<value>-other` of the code list. Without such a code, or
    without a part beside it (the same words typed in two header rows), the column keeps the group's
    value."""
    for col, dim, group in repeats:
        value = col.dims.get(dim)
        if col.role != "amount" or value is None:
            continue
        other = qualified_code(dim, "{value}-other", value)
        beside = any(c is not col and c.role == "amount" and c.header[: len(group)] == group and c.dims.get(dim) not in (None, value) for c in columns)
        if other is not None and beside:
            col.dims[dim] = other


_PARTS = ("class", "item", "subitem")


def _parts_named_by_their_name_column(columns: list[Column], default_axis: str | None) -> None:
    """类/款 columns that took the table's axis by default belong to the classification the name column
    after them names: 科目编码 (类 | 款) | 政府预算支出经济分类科目 beside the department's (烟台 基本支出 by both
    economic classifications)."""
    group: list[Column] = []
    for col in columns:
        if col.role == "key" and col.key in _PARTS:
            group.append(col)
            continue
        if (
            group
            and col.role == "key"
            and col.key in ("name", "codename")
            and col.axis
            and col.axis != default_axis
            and all(c.axis == default_axis for c in group)
        ):
            for c in group:
                c.axis = col.axis
        group = []


def qualified_code(dim: str, template: str, value: str) -> str | None:
    """The code a qualifying header makes of a value (上年结转 over 一般公共预算: prior-year-carryover-{value} →
    prior-year-carryover-general-public-budget), or None where the code lists have none."""
    code = template.replace("{value}", value)
    return code if code in codes(SCHEMES.get(dim, "")) else None


# the code list (ontology/codelists.ttl) of each dimension a header can fix
SCHEMES = {
    "lp:fundingSource": "funding",
    "lp:expenditureKind": "kind",
    "lp:lineItem": "item",
    "lp:controlledExpense": "three-public",
    "lp:projectType": "project-type",
}

"""Stage 3: recognise. Find the tables of a document, what kind each is and what each column holds.

A table starts at its title (a short line ending in 表 whose words name a kind of table,
mappings/tables/kinds.yaml), followed by lines naming the department and the unit of money, header
rows, data rows and notes. A title printed again with the same header on the next page continues
the table. The header's cells are looked up in the header vocabulary (mappings/tables/headers.yaml)
so that every column is resolved before the records are read: stage 4 never looks back here.
Titled tables of no known kind, and grids of figures with no title at all, are kept as unread
tables so that what is not read is reported, not silently absent.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import Column, ExtractedDocument, Line, RecognisedTable, TableSpec
from .columns import column_meanings, header_cell, lexicon
from .kinds import candidate_kinds, choose_kind, is_ordinal_only, strip_ordinal, title_core
from .lines import (
    DEPARTMENT,
    PAGE_NUMBER,
    CHAPTER_HEADING,
    PART_HEADING,
    UNIT_OF_MONEY,
    header_key,
    is_data_row,
    is_form,
    is_header_row,
    is_numbered_row,
    is_metadata,
    running_heads,
    single_text,
    split_code_header,
    starts_table,
    title_at,
)
from .reshape import merge_split_columns, transpose_years
from .text import CLASSIFICATION_CODE, FIRST_DIGIT_OF_AXIS, ORG_END, is_amount, joined_code, normalise, split_code, term


@dataclass
class UnreadTable:
    """A table the document prints whose kind is not known: reported, its figures not read."""

    title: str  # as printed, or "" when the grid has no title
    page: int
    line: int
    rows: list[Line]
    reason: str

    def figures(self) -> list[tuple[int, Line, int]]:
        """(row, line, column) of the cells printing a figure: numbers outside the columns that a header
        row says hold row numbers, codes, counts or indicator values."""
        header = [line for line in self.rows[:3] if not is_data_row(line)]
        width = max((len(line.cells) for line in self.rows), default=0)
        columns = column_meanings(header, width) if header else []
        skip = {c.index for c in columns if c.quantity or c.role in ("key", "indicator")}
        return [
            (r, line, j)
            for r, line in enumerate(self.rows, start=1)
            for j, text in enumerate(line.cells)
            if j not in skip and text.strip() and is_amount(text) and line not in header
        ]

    @property
    def amount_cells(self) -> int:
        return len(self.figures())


@dataclass
class Recognition:
    """What stage 3 found in one document."""

    document: ExtractedDocument
    tables: list[RecognisedTable]
    listed_titles: list[tuple[str, TableSpec, Line]] = field(default_factory=list)  # in the contents
    narrative: list[Line] = field(default_factory=list)  # lines outside every table
    unread: list[UnreadTable] = field(default_factory=list)
    running_heads: set[str] = field(default_factory=set)  # texts printed at the top or foot of many pages


@dataclass
class _Start:
    index: int  # line index of the title
    title: str
    core: str
    candidates: tuple[TableSpec, ...]


def _split(table: RecognisedTable, body: list[Line], form: bool) -> list[Line]:
    """Sort the lines after a title into metadata, header rows, data rows and notes; return the lines
    after the table's end (a new header row printed after prose: another table, without a title)."""
    in_data = form
    header_keys: set[tuple[str, ...]] = set()
    prose_since_rows = False
    prose_from = 0  # notes before the prose that followed the last row
    for n, line in enumerate(body):
        if form and table.rows and not line.is_row and (PART_HEADING.match(line.text) or CHAPTER_HEADING.match(line.text)):
            # the next part of the document after a form, the last table of its part (长春: 第三部分 情况说明 and
            # 名词解释 after the project forms; 福建: 八、其他重要事项说明 after 七、预算绩效目标情况's forms): prose and
            # narrative, not more of the form's rows
            return list(body[n:])
        if in_data and not form and table.rows and prose_since_rows and line.is_row and not is_data_row(line) and header_key(line.cells) not in header_keys:
            # the prose since the last row heads what follows (七、重点项目绩效目标情况 over a grid)
            heading = [ln for ln in table.notes[prose_from:]]
            del table.notes[prose_from:]
            return heading + list(body[n:])
        if not table.rows:
            unit = UNIT_OF_MONEY.search(line.text)
            dept = next((m for m in map(DEPARTMENT.search, (c for c in line.cells if c)) if m), None)
            if (unit or dept) and (not line.is_row or not table.header) and not is_header_row(line):
                table.unit = table.unit or (unit.group(1) if unit else None)
                if dept:
                    name = UNIT_OF_MONEY.split(dept.group(1))[0].strip()
                    if name and name not in ("万元", "元"):
                        table.organisation_name = table.organisation_name or name
                table.metadata.append(line)
                continue
            if form and not line.is_row:
                table.metadata.append(line)
                continue
        if not in_data:
            if line.is_row and is_data_row(line) and table.header and split_code_header(line):
                lead = split_code_header(line)
                table.header.append(Line(line.page, line.number, tuple(line.cells[:lead]) + ("",) * (len(line.cells) - lead), line.file))
                header_keys.add(header_key(line.cells[:lead]))
                line = Line(line.page, line.number, ("",) * lead + tuple(line.cells[lead:]), line.file)
                in_data = True
            elif line.is_row and not is_data_row(line) and not (table.header and (_group_row(line) or is_numbered_row(line))):
                if table.header and _header_cut_by_page(table.header[-1], line):
                    cut = table.header[-1]
                    table.header[-1] = Line(cut.page, cut.number, tuple(a + b for a, b in zip(cut.cells, line.cells)), cut.file)
                    header_keys.add(header_key(table.header[-1].cells))
                    continue
                table.header.append(line)
                header_keys.add(header_key(line.cells))
                continue
            if not line.is_row and not table.header:
                table.metadata.append(line)  # e.g. “(2024) 年度” between title and header
                continue
            in_data = True
        if line.is_row and header_key(line.cells) in header_keys:
            table.repeated_headers.append(line)  # a header repeated on a continuation page
            continue
        single = single_text(line)
        if single is not None and PAGE_NUMBER.match(single) and (line.is_row or form):
            continue  # a page number printed inside the table's frame (or between a form's rows)
        if line.is_row or form:
            if not table.rows and line.is_row and table.header:
                line = _header_tail_in_first_row(table, line)
            table.rows.append(line)
            prose_since_rows = False
        elif not (PAGE_NUMBER.match(line.text.strip()) or is_ordinal_only(line.text)):
            if not prose_since_rows:
                prose_from = len(table.notes)
            table.notes.append(line)
            prose_since_rows = True
    return []


# a figure with the last characters of the header above it in front (对附属单位上缴收 | 入0.00)
_HEADER_TAIL = re.compile(r"^([\u4e00-\u9fff]{1,2})(-?[\d,]*\.?\d+)$")


def _header_cut_by_page(above: Line, line: Line) -> bool:
    """A header row a page break cut: its cells' words at the foot of one page (一般公共预 | 政府性基金预),
    their ends at the top of the next (算 | 算). Joined only where each end completes a word the header
    vocabulary knows and half the words cut short at least are none (Word cuts every cell of a row: 科目 | 编码 and 项目 |
    支出 beside 支出总 | 计 and 基本支 | 出)."""
    if line.page == above.page or len(line.cells) != len(above.cells):
        return False
    lex = lexicon()
    joined = cut_short = 0
    for a, b in zip(above.cells, line.cells):
        a, b = a.strip(), b.strip()
        if not b:
            continue
        if not a or header_cell(a + b).key not in lex:
            return False
        joined += 1
        cut_short += header_cell(a).key not in lex
    return joined > 0 and 2 * cut_short >= joined


def _header_tail_in_first_row(table: RecognisedTable, line: Line) -> Line:
    """The first row of data with the end of a wrapped header cell printed in front of a figure (西安 民政局:
    “对附属单位上缴收” over “入0.00”): the characters go back to the lowest header cell above with text."""
    cells = list(line.cells)
    for j, cell in enumerate(cells):
        match = _HEADER_TAIL.match(cell.strip())
        if not match or not is_amount(match.group(2)):
            continue
        above = [k for k, row in enumerate(table.header) if j < len(row.cells) and row.cells[j].strip()]
        if not above or not re.search(r"[\u4e00-\u9fff]$", table.header[above[-1]].cells[j].strip()):
            continue
        row = table.header[above[-1]]
        header_cells = list(row.cells)
        header_cells[j] = header_cells[j].rstrip() + match.group(1)
        table.header[above[-1]] = Line(row.page, row.number, tuple(header_cells), row.file)
        cells[j] = match.group(2)
    return Line(line.page, line.number, tuple(cells), line.file) if cells != list(line.cells) else line


def _group_row(line: Line) -> bool:
    """Under a header, a row printing only an organisation's name in its first cell (广州 重点项目绩效目标:
    项目 | 预算数 | 绩效目标, then 广州市卫生健康委员会 over its projects, 广州市胸科医院 over its own): the first
    row of the data, not a second header row."""
    name = line.cells[0].strip()
    return bool(ORG_END.search(name)) and not any(c.strip() for c in line.cells[1:]) and term(name) not in lexicon()


_BRACKETED_UNIT = re.compile(r"[（(](?:单位[：:])?(?:人民币)?(万元|元|千元|亿元)[）)]")


def _unit_from_header(table: RecognisedTable) -> str | None:
    """“项目金额（万元）”, “部门预算总额（万元）”: the unit printed inside a header or row label."""
    for line in table.header + table.rows:
        m = _BRACKETED_UNIT.search(line.text)
        if m:
            return m.group(1)
    m = _BRACKETED_UNIT.search(table.title)
    return m.group(1) if m else None


def _layout(table: RecognisedTable, fixed: str | None) -> str:
    if fixed:
        return fixed
    if getattr(table, "transposed", False):
        return "two-sided"  # one label column over both sides, one column per year
    # a revenue side and an expenditure side, each with its own label column: figures between two labels
    directions = {c.direction for c in table.columns if c.direction}
    figures = [c.index for c in table.columns if c.role == "amount"]
    labels = _label_columns(table)
    unnamed = _unnamed_side_label(table)
    if unnamed is not None:
        labels.append(unnamed.index)
    if len(labels) >= 2 and any(labels[0] < f < labels[-1] for f in figures):
        if {"revenue", "expenditure"} <= directions:
            return "two-sided"
        sides = [c for c in table.columns if c.index in labels]
        named = [c.direction for c in sides if c.direction]
        in_order = sides[0].direction in (None, "revenue") and sides[-1].direction in (None, "expenditure")
        if all(c.key == "label" for c in sides) and (not directions or (named and in_order)):
            # 项目 | 预算数 | 项目 | 预算数 with no 收入 | 支出 heading over them: the national template's sides, revenue first
            # (read as a grid, the second side's figures were skipped and its totals taken for the first side's rows);
            # so with one side named in its label's cell (项目 | 预算数 | 支出项目 | 预算数)
            return "two-sided"
    return "grid"


def _label_columns(table: RecognisedTable) -> list[int]:
    """The columns the header names as the rows' labels (项目, 科目名称, 支出功能分类科目 …; 科目 under 收入 or
    支出, a side's labels however its word reads elsewhere)."""
    return [c.index for c in table.columns if c.role == "key" and (c.key in ("label", "name", "codename") or (c.key == "code" and c.direction))]


def _unnamed_side_label(table: RecognisedTable) -> Column | None:
    """The expenditure side's label column of a two-sided table under a wording the vocabulary does not know
    (支出 | 项目(按功能分类)): a column of text and no figure after the revenue side's label and figures and before
    the expenditure side's figures, when the header names only one label column. Read as a grid, the expenditure
    side's figures would be taken for figures of the revenue side's rows."""
    labels = _label_columns(table)
    if len(labels) != 1:
        return None
    direction = {c.index: c.direction for c in table.columns if c.role == "amount"}
    for c in _text_columns(table):
        revenue_before = any(labels[0] < f < c.index and d == "revenue" for f, d in direction.items())
        if revenue_before and any(f > c.index and d == "expenditure" for f, d in direction.items()):
            return c
    return None


def _text_columns(table: RecognisedTable) -> list[Column]:
    """The columns of a header the vocabulary does not know whose rows print text and no figure (labels)."""
    found = []
    for c in table.columns:
        if c.role != "unknown":
            continue
        cells = [line.cells[c.index].strip() for line in table.rows if c.index < len(line.cells) and line.cells[c.index].strip()]
        if len(cells) >= 2 and not any(is_amount(text) for text in cells):
            found.append(c)
    return found


def _name_label_columns(table: RecognisedTable) -> None:
    """Columns of labels under a header the vocabulary does not know. In a two-sided table, the expenditure side's
    (`_unnamed_side_label`) is its label column. In a grid, the figures to the right of such a column, after the
    rows' own labels and figures, are not taken for the row's: whose they are is not clear (a second side whose
    heading was not printed), and they are reported as skipped."""
    if table.layout == "two-sided":
        side = _unnamed_side_label(table)
        if side is not None:
            side.role, side.key, side.direction, side.reason = "key", "label", "expenditure", None
        return
    if table.layout != "grid":
        return
    keys = [c.index for c in table.columns if c.role == "key"]
    amounts = [c.index for c in table.columns if c.role == "amount"]
    for text in _text_columns(table):
        if keys and any(keys[0] < f < text.index for f in amounts):
            reason = f"a figure to the right of column {text.index + 1} (“{'／'.join(text.header)}”), a column of labels the header vocabulary does not know: whose row it is not clear"
            for c in table.columns:
                if c.index > text.index and c.role == "amount":
                    c.role, c.reason = "unknown", reason
            return


def _resolve(table: RecognisedTable, start: _Start, body: list[Line]) -> tuple[TableSpec | None, list[Line]]:
    """Split, resolve the columns and choose the kind (None when no kind fits); the lines after the
    table's end."""
    fixed = next((s.data.get("layout") for s in start.candidates if s.data.get("layout") == "overall-targets"), None)
    forms = [s for s in start.candidates if s.data.get("when_layout") == "form"]
    amount_labels = frozenset(term(a["label"]) for s in forms for a in s.data.get("amounts", ()))
    form = fixed == "overall-targets" or (bool(forms) and is_form([l for l in body if l.is_row], amount_labels))
    rest = _split(table, body, form)
    if not form:
        transpose_years(table)
    width = max((len(line.cells) for line in table.header + table.rows), default=0)
    table.columns = column_meanings(table.header, width, None) if not form else []  # the axes the header names
    layout = "form" if form and fixed is None else _layout(table, fixed)
    key_axes = {c.axis for c in table.columns if c.role == "key" and c.axis}
    if not form:
        merge_split_columns(table)
    by_codes = None if form or key_axes else axis_of_codes(table)
    spec = choose_kind(start.candidates, layout, key_axes | {by_codes} if by_codes else key_axes)
    if spec is not None:
        table.layout = spec.data.get("layout") or layout
        axis = by_codes or spec.data.get("axis")
        if axis and not form:
            table.columns = column_meanings(table.header, width, axis)
        if "lp:project" not in spec.data.get("dimensions", []):
            for col in table.columns:  # 项目 / 项目名称 over rows of a kind without projects: row labels
                if col.role == "key" and col.axis == "project":
                    col.key, col.axis = "label", None
        if table.unit is None:
            table.unit = next((c.unit for c in table.columns if c.unit), None) or _unit_from_header(table)
        _name_label_columns(table)
    return spec, rest


# the classification a code is of, by its first digit: function 2xx, economic 3xx (department) and 5xx (government)
_AXIS_OF_FIRST_DIGIT = {digit: axis for axis, digit in FIRST_DIGIT_OF_AXIS.items()}


def axis_of_codes(table: RecognisedTable) -> str | None:
    """The classification a table's rows are coded in, where its header names none (科目编码 | 科目名称
    over 201, 20103, 2010301 …): the first digit of nearly every code (nine in ten) tells it. A table
    whose kind usually lists economic classes (一般公共预算基本支出表) may list functions instead."""
    columns = [c.index for c in table.columns if c.role == "key" and c.key in ("code", "codename") and c.axis is None]
    digits: Counter[str] = Counter()
    for line in table.rows:
        for j in columns:
            text = joined_code(line.cells[j].strip()) if j < len(line.cells) else ""
            split = split_code(text)
            code = split[0] if split else text
            if CLASSIFICATION_CODE.match(code):
                digits[code[0]] += 1
    if not digits:
        return None
    digit, count = digits.most_common(1)[0]
    return _AXIS_OF_FIRST_DIGIT.get(digit) if count >= 0.9 * sum(digits.values()) else None


def _same_header(a: RecognisedTable, b: RecognisedTable) -> bool:
    """b repeats a's header; rows without figures right under it (a two-sided table's “22、其他支出”,
    “二、上年结转”) may have been taken as more header rows."""
    key = lambda t: [tuple(normalise(c) for c in h.cells) for h in t.header]  # noqa: E731
    return bool(a.header) and key(a) == key(b)[: len(a.header)]


def _continues(previous: tuple[_Start, RecognisedTable], start: _Start, table: RecognisedTable) -> bool:
    """The same title and header again, on the page after the table's last rows."""
    first_start, first = previous
    if first_start.core != start.core or first.spec.kind != table.spec.kind or not _same_header(first, table):
        return False
    last_page = first.rows[-1].page if first.rows else first.page
    return 0 <= table.page - last_page <= 1


def _form_goes_on(previous: tuple[_Start, RecognisedTable], start: _Start, table: RecognisedTable) -> bool:
    """A project's form going on over the next page under its title printed again: rows of its indicators, no
    form of a project of their own (烟台's 政策和项目预算绩效目标表, each page headed by the title twice; the page of
    indicators was a grid of an unknown header, its indicators lost)."""
    first_start, first = previous
    if first_start.core != start.core or first.layout != "project-form" or table.layout == "project-form":
        return False
    last_page = next((row.page for row in reversed(first.rows) if row.is_row), first.page)  # (a form's rows take its prose too)
    return 0 <= table.page - last_page <= 1 and not is_form(table.header + table.rows)


_TABLE_NUMBER = re.compile(r"^(?:表|公开|预算|附表)?\s*\d{1,2}\s*(?:表)?$")


def _contents_rows(lines: list[Line]) -> list[tuple[str, TableSpec, Line]]:
    """The tables a contents printed as a grid lists (西安's 报表目录: 表9 | 部门综合预算政府性基金收支表 | 是 | 不涉及):
    a row of a table's number, then a title of a known kind."""
    out: list[tuple[str, TableSpec, Line]] = []
    for line in lines:
        cells = [c.strip() for c in line.cells if c.strip()] if line.is_row else []
        if len(cells) < 2 or not _TABLE_NUMBER.match("".join(cells[0].split())) or any(is_amount(c) for c in cells[1:]):
            continue
        core = title_core(cells[1])
        candidates = candidate_kinds(core) if core else []
        if candidates:
            out.append((cells[1], candidates[0], line))
    return out


def _untitled_grids(lines: list[Line]) -> list[tuple[str, Line | None, list[Line]]]:
    """Runs of rows holding figures outside every titled table: tables printed without a title, each
    with the heading printed before it (the prose line just above, or None)."""
    out: list[tuple[str, Line | None, list[Line]]] = []
    run: list[Line] = []
    heading: Line | None = None

    def flush():
        if len(run) >= 2 and any(is_amount(c) for r in run for c in r.cells if c):
            out.append((heading.text.strip() if heading else "", heading, list(run)))
        run.clear()

    for line in lines:
        filled = sum(1 for c in line.cells if c.strip()) if line.is_row else 0
        if filled >= 2 or (filled == 1 and run):  # one filled cell: a cell's text going on over a page
            run.append(line)
            continue
        if run and PAGE_NUMBER.match(line.text.strip()):
            continue  # a grid goes on over the page break
        flush()
        text = line.text.strip()
        if not line.is_row and text and not is_metadata(line):
            heading = line
    flush()
    return out


def _titled_by_heading(heading: str, heading_line: Line | None, rows: list[Line]) -> RecognisedTable | None:
    """A grid without a 表 title read as a table when the heading before it names a kind (七、重点项目
    预算绩效目标情况 over a grid of projects and figures)."""
    if heading_line is None:
        return None
    candidates = candidate_kinds(strip_ordinal(term(heading)))
    if not candidates:
        return None
    table = RecognisedTable(spec=None, ordinal=0, title=heading, title_line=heading_line, header=[], rows=[])
    spec, _ = _resolve(table, _Start(0, heading, heading, candidates), rows)
    if spec is None or not table.rows or not any(c.role == "amount" for c in table.columns):
        return None
    table.spec = spec
    return table


def _place(tables: list[RecognisedTable], unread: list[UnreadTable], grids) -> None:
    for heading, heading_line, rows in grids:
        table = _titled_by_heading(heading, heading_line, rows)
        if table is not None:
            tables.append(table)
        else:
            unread.append(
                UnreadTable(
                    heading, rows[0].page, rows[0].number, rows, "a grid of figures with no table title" + (f" (after “{heading[:40]}”)" if heading else "")
                )
            )


def recognise(document: ExtractedDocument) -> Recognition:
    heads = running_heads(document.lines)
    lines = [line for line in document.lines if line.is_row or line.text.strip() not in heads]
    found: dict[int, tuple[str, str]] = {}
    for i in range(len(lines)):
        t = title_at(lines, i)
        if t is not None:
            found[i] = t
    titles = set(found)
    starts: list[_Start] = []
    listed: list[tuple[str, TableSpec, Line]] = []
    for i, (text, core) in sorted(found.items()):
        candidates = candidate_kinds(core)
        if starts_table(lines, i, titles):
            starts.append(_Start(i, text, core, candidates))
        elif candidates:
            listed.append((text, candidates[0], lines[i]))
    listed = sorted(listed + _contents_rows(lines), key=lambda entry: entry[2].number)
    tables: list[RecognisedTable] = []
    unread: list[UnreadTable] = []
    narrative: list[Line] = list(lines[: starts[0].index]) if starts else list(lines)
    previous: tuple[_Start, RecognisedTable] | None = None
    for n, start in enumerate(starts):
        end = starts[n + 1].index if n + 1 < len(starts) else len(lines)
        body = lines[start.index + 1 : end]
        table = RecognisedTable(spec=None, ordinal=0, title=start.title, title_line=lines[start.index], header=[], rows=[])
        if start.candidates:
            spec, rest = _resolve(table, start, body)
            reason = "no kind of table fits its title and header"
        else:
            rest = _split(table, body, False)
            spec, reason = None, "title of no known kind of table (mappings/tables/kinds.yaml)"
        if spec is None:
            unread.append(UnreadTable(start.title, table.title_line.page, table.title_line.number, table.header + table.rows, reason))
            if tables:
                tables[-1].notes.extend(table.notes)  # prose after it is read as narrative
            previous = None
        else:
            table.spec = spec
            if previous is not None and (_continues(previous, start, table) or _form_goes_on(previous, start, table)):
                # the same title and header again on the next page: the table goes on
                head = previous[1]
                head.continued.append(table.page)
                head.metadata.extend([table.title_line] + table.metadata)
                head.repeated_headers.extend(table.header[: len(head.header)] + table.repeated_headers)
                head.rows.extend(table.header[len(head.header) :] + table.rows)
                head.notes.extend(table.notes)
            else:
                tables.append(table)
                previous = (start, table)
        if rest:  # prose and grids after the table's end: narrative, and tables without a title
            if tables:
                tables[-1].notes.extend(line for line in rest if not line.is_row)
            _place(tables, unread, _untitled_grids(rest))
            previous = None
    _place(tables, unread, _untitled_grids(narrative))
    tables.sort(key=lambda t: t.title_line.number)
    for k, table in enumerate(tables, start=1):
        table.ordinal = k
    unread.sort(key=lambda u: u.line)
    return Recognition(document=document, tables=tables, listed_titles=listed, narrative=narrative, unread=unread, running_heads=heads)

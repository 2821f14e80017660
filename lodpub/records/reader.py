"""What every table reader shares: the table's resolved columns, and how a cell becomes an
observation or a skipped cell (row accounting)."""

from __future__ import annotations

import hashlib
import re

from ..model import Column, Line, RecognisedTable
from ..recognise.columns import header_cell, lexicon, qualified_code
from ..recognise.text import is_amount, is_nil, normalise
from .codes import load_labels
from .identity import clean_org
from .levels import printed_level
from .model import DEPT, TOTAL, DocumentRecords, Indicator, Observation, SkippedCell, parse_amount

# the name a grid reader gives a key column, by (axis, key)
KEY_NAMES = {
    ("function", "code"): "function_code",
    ("function", "class"): "class",
    ("function", "item"): "item",
    ("function", "subitem"): "subitem",
    ("function", "name"): "name",
    ("function", "codename"): "function_codename",
    ("economic-dept", "code"): "econ_dept",
    ("economic-dept", "name"): "econ_dept_name",
    ("economic-dept", "class"): "econ_class",
    ("economic-dept", "item"): "econ_item",
    ("economic-dept", "codename"): "econ_dept_codename",
    ("economic-gov", "code"): "econ_gov",
    ("economic-gov", "name"): "econ_gov_name",
    ("economic-gov", "class"): "econ_gov_class",
    ("economic-gov", "item"): "econ_gov_item",
    ("economic-gov", "codename"): "econ_gov_codename",
    ("unit", "code"): "unit_code",
    (None, "year"): "year",
    ("unit", "name"): "unit_name",
    ("unit", "codename"): "unit_codename",
    ("project", "name"): "project_name",
    ("project", "code"): "project_code",
    ("project", "type"): "type",
    ("project", "unit"): "project_unit",
    ("project", "codename"): "project_codename",
    ("project", "label"): "project_name",
}


def key_name(col: Column) -> str:
    """The grid reader's name for a key column (label for a generic row label)."""
    return KEY_NAMES.get((col.axis, col.key)) or ("label" if col.key in ("label", "name") else f"{col.axis}_{col.key}")


FUNDING = "lp:fundingSource"
CURRENT_FUNDS = "current-year-income"  # a column of this year's money, beside one of the money carried over


def row_meaning(label: str) -> dict[str, str] | None:
    """The dimensions a row label names when it is a term of the header vocabulary (因公出国（境）费用,
    公务接待费, 行政经费 printed down the rows), or None."""
    cellinfo = header_cell(label)
    meaning = lexicon().get(cellinfo.key)
    if meaning is None or not meaning.dims or meaning.key or meaning.ignore:
        return None
    return dict(meaning.dims)


def row_phase(label: str) -> tuple[str, int] | None:
    """The budget phase a row label names when it is a phase of the header vocabulary (预算数, 决算数 printed
    down the rows: 西安's 决算 三公 table, one row for each), with how many years before the document's its
    figures are (上年执行数: 1), or None."""
    meaning = lexicon().get(header_cell(label).key)
    if meaning is None or not meaning.phase or meaning.dims or meaning.key:
        return None
    return meaning.phase, meaning.years_before


def carried_over(source: str, col: Column) -> str | None:
    """A source of funds under a column of the money carried over (上年结转): its carry-over as the header qualifies it
    (一般公共预算 → prior-year-carryover-general-public-budget; the carry-over of fiscal appropriations is the
    carry-over itself, 财政拨款结转结余), or None where the code lists have none."""
    return col.dims[FUNDING] if source == "fiscal-appropriation" else qualified_code(FUNDING, col.qualify[FUNDING], source)


class TableReader:
    """Reads the rows of one recognised table into observations (shared by every layout)."""

    def __init__(self, doc: DocumentRecords, table: RecognisedTable, units_by_name: dict[str, str], default_unit: str = "万元", resolver=None):
        from .codes import CodeResolver

        self.doc = doc
        self.resolver = resolver or CodeResolver()
        self.axis = table.spec.data.get("axis")
        self.table = table
        self.spec = table.spec.data
        self.unit = table.unit or default_unit
        self.units_by_name = units_by_name
        self.columns: list[Column] = table.columns
        self.leaves = [c.label for c in self.columns]
        # what the title fixes, unless the table's own columns say it (三公 columns by funding source)
        said = {d for c in self.columns if c.role == "amount" for d in c.dims}
        self.fixed = {d: v for d, v in (self.spec.get("fixed_dims") or {}).items() if d not in said}
        self.dimensions = list(self.spec.get("dimensions", []))
        self.whole = self._whole()
        self.key_cols = {c.index for c in self.columns if c.role == "key"}

    def key_columns(self, columns: list[Column] | None = None) -> dict[str, int]:
        """Key columns by reader name (the first of each name)."""
        keys: dict[str, int] = {}
        for col in columns if columns is not None else self.columns:
            if col.role == "key":
                keys.setdefault(key_name(col), col.index)
        return keys

    def amount_columns(self, columns: list[Column] | None = None) -> list[Column]:
        return [c for c in (columns if columns is not None else self.columns) if c.role == "amount"]

    def column_phase(self, col: Column, row: str | None = None) -> str | None:
        """The phase of a column's figures when it is not the document's (预算数 in a 决算 table); a row
        that names its phase (预算数 | 决算数 down the rows) gives it where the column names none."""
        phase = col.phase or row
        return None if phase is None or phase == self.doc.phase else phase

    def column_year(self, col: Column, years_before_row: int = 0) -> str | None:
        """The year of a column's figures: printed in its header (2021年 | 2022年), or the year before the
        document's for a 上年 column (上年预算数, 上年执行数) or under a row that names it so."""
        if col.year:
            return col.year
        years_before = col.years_before or years_before_row
        if years_before and self.doc.fiscal_year and self.doc.fiscal_year.isdigit():
            return str(int(self.doc.fiscal_year) - years_before)
        return None

    def column_label(self, col: Column) -> str:
        """The column as labelled on each of its lines: its lowest header, with the one above when the
        lowest only names a phase (“公务接待费 预算数”)."""
        if col.phase and len(col.header) >= 2 and self._phases_differ():
            return f"{normalise(col.header[-2])} {col.label}"
        return col.label

    def _phases_differ(self) -> bool:
        phases = {c.phase or "" for c in self.columns if c.role == "amount"}
        return len(phases) > 1

    def _whole(self) -> tuple[str, str] | None:
        """(dimension, value) a figure left at the total _T takes, where the kind names a whole (kinds.yaml `whole`)
        and the table prints no value of that dimension but its parts, in its columns or its rows' labels."""
        whole = self.spec.get("whole")
        if not whole:
            return None
        dim, parts = whole["dimension"], set(whole["parts"])
        printed = {c.dims[dim] for c in self.columns if dim in c.dims}
        for line in self.table.rows:  # items printed down the rows (福州: 1、因公出国（境）费用 …)
            for text in line.cells:
                meaning = row_meaning(text) if text.strip() and not is_amount(text) else None
                if meaning is not None and dim in meaning:
                    printed.add(meaning[dim])
        return (dim, whole["value"]) if printed <= parts else None

    def column_dims(self, col: Column) -> dict[str, str]:
        """A column's dimensions. Where the title fixes the source of funds and the columns split it into this
        year's money and the carry-over (吉林's 三公 table of the general public budget: 当年预算 | 上年结转结余), this
        year's money is the title's source, as its code means everywhere else, and the carry-over that source's
        carry-over as the header qualifies it (prior-year-carryover-general-public-budget), where the code lists
        have one."""
        source = (self.spec.get("fixed_dims") or {}).get(FUNDING)
        funding = col.dims.get(FUNDING)
        if source is None or funding is None:
            return col.dims
        if funding == CURRENT_FUNDS:
            return {**col.dims, FUNDING: source}
        carried = carried_over(source, col) if FUNDING in col.qualify else None
        return {**col.dims, FUNDING: carried} if carried else col.dims

    def dims(self, row_dims: dict[str, str], col_dims: dict[str, str]) -> dict[str, str]:
        dims = {d: TOTAL for d in self.dimensions}
        dims.update(self.fixed)
        dims.update(col_dims)
        dims.update(row_dims)
        if self.whole and dims.get(self.whole[0]) == TOTAL:
            dims[self.whole[0]] = self.whole[1]
        return dims

    def outside(self, dims: dict[str, str]) -> str | None:
        """A dimension the kind of table does not have (its figures cannot be told apart), or None."""
        allowed = set(self.dimensions) | {"lp:organisation"}
        extra = [d for d, v in dims.items() if d not in allowed and v != TOTAL]
        return extra[0] if extra else None

    def _printed_at(self, r: int, line: Line, col: int) -> tuple[int, int]:
        """The line a figure was printed on and the column that names it. A table turned round (one row per
        year in the source) keeps the columns as read, one per year: its row and column name one cell, and
        its source line says where the figure was printed."""
        number, printed_col = self.table.origins.get((r, col), (line.number, col))
        return number, col if getattr(self.table, "transposed", False) else printed_col

    def observe(
        self,
        r: int,
        line: Line,
        col: int,
        role: str,
        row_label: str,
        column_label: str,
        dims: dict[str, str],
        phase: str | None = None,
        year: str | None = None,
    ):
        printed = line.cells[col]
        extra = self.outside(dims)
        if extra is not None:
            self.skip(r, line, col, f"{extra} is not a dimension of {self.table.spec.kind} (mappings/tables/kinds.yaml)")
            return
        number, printed_col = self._printed_at(r, line, col)
        self.doc.observations.append(
            Observation(
                table=self.table.ordinal,
                row=r,
                col=printed_col + 1,
                line=number,
                page=line.page,
                printed=printed,
                amount=parse_amount(printed, self.unit),
                unit=self.unit,
                role=role,
                row_label=row_label,
                column_label=column_label,
                dims=dims,
                phase=phase,
                fiscal_year=year if year and year != self.doc.fiscal_year else None,
                source_file=str(line.file + 1) if self.doc.parts else None,
            )
        )

    def indicator(self, line: Line, owner: str, category, level1, level2, name: str, value, explanation=None, period_value=None) -> Indicator:
        """The next indicator of the document (not yet added), printed on `line` of this table; its levels named
        as `levels.printed_level` reads them, its category (when not given: a column or the form names it) the
        one its levels name (`indicator_category`)."""
        if category is None:
            category = indicator_category(level1, level2)
        level1, level2 = (printed_level(level) if level else level for level in (level1, level2))
        return Indicator(owner, self.table.ordinal, line.number, len(self.doc.indicators) + 1, category, level1, level2, name, value, explanation, period_value)

    def skip(self, r: int, line: Line, col: int, reason: str):
        number, printed_col = self._printed_at(r, line, col)
        self.doc.skipped.append(SkippedCell(self.table.ordinal, r, printed_col + 1, number, line.cells[col], reason))

    def account_rest(self, r: int, line: Line, used: set[int], reason: str | None = None):
        """Every figure of a row not read as an observation is reported as skipped, with the reason its
        column gives (an unknown header, a change column …) or the one given."""
        for j, text in enumerate(line.cells):
            if j in used or j in self.key_cols or not text or not is_amount(text):
                continue
            col = self.columns[j] if j < len(self.columns) else None
            if col is not None and (col.quantity or col.role == "indicator"):
                continue  # row numbers, counts and indicator values are not amounts of money
            if col is not None and col.role in ("unknown", "ignore") and col.reason:
                why = col.reason if col.role == "unknown" else f"not a budget figure: {col.reason} (“{'／'.join(col.header)}”)"
            else:
                why = reason or "amount in a column without a header"
            self.skip(r, line, j, why)

    def names_unit(self, name: str) -> bool:
        """A name the document lists as a budget unit (its tables of units), or the department's own."""
        return self.unit_code(name) is not None or clean_org(name) == clean_org(self.doc.department or "")

    def org_key(self, code: str | None, name: str | None) -> str:
        if code and len(code) > 3:
            return f"/unit/{code}"
        if code:
            return ""
        if name and (code := self.unit_code(name)) is not None:
            return f"/unit/{code}" if len(code) > 3 else ""
        return DEPT

    def unit_code(self, name: str) -> str | None:
        """The code of the unit a row names, None for a name the tables of units do not list. A unit with units
        of its own prints its own part as “…分局（本级）” where the table of units names “…分局” (广州)."""
        printed = normalise(name)
        code = self.units_by_name.get(printed)
        if code is None and (own := _OWN_LEVEL.sub("", printed)) != printed:
            code = self.units_by_name.get(own)
        return code


_OWN_LEVEL = re.compile(r"[（(]本级[）)]$")


def unit_key_by_name(name: str) -> str:
    """The key of a unit that a table names without a code: stable for the same printed name."""
    return "/unit/n" + hashlib.sha256(normalise(name).encode("utf-8")).hexdigest()[:10]


def cell(line: Line, j: int | None) -> str:
    """The text of a cell, '' for a missing one or a dash printed for nothing."""
    if j is None or j >= len(line.cells):
        return ""
    text = line.cells[j].strip()
    return "" if is_nil(text) else text


def indicator_category(level1: str | None, level2: str | None) -> str | None:
    """The indicator category the levels name: the 一级指标's (labels.yaml indicator_level1: 产出指标 → output),
    or where no 一级指标 names one, the category the national framework puts the 二级指标 under
    (indicator_level2: 数量指标 → output); None when neither does."""
    labels = load_labels()
    category = labels.get("indicator_level1", {}).get(normalise(level1 or ""))
    if category is None and level2:
        category = labels.get("indicator_level2", {}).get(normalise(level2))
    return category

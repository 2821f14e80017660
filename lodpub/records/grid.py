"""Grids: rows keyed by a classification code (in one column, in 类/款/项 columns, printed with its
name, or only by name), a budget unit or a total; figures in columns whose header fixes their
dimensions. Side-by-side groups of key and figure columns (a final account's basic expenditure:
人员经费 | 公用经费) are read group by group."""

from __future__ import annotations

from ..model import Column, Line
from ..recognise.text import is_amount, normalise, split_code
from .codes import load_labels
from .model import DEPT, TOTAL
from .reader import TableReader, cell, key_name, unit_key_by_name

FUNCTION_PARTS = ("class", "item", "subitem")
ECON_PARTS = ("econ_class", "econ_item")
NAME_KEYS = ("name", "econ_dept_name", "econ_gov_name", "label", "project_name")


def column_groups(columns: list[Column]) -> list[list[Column]]:
    """The columns split where a key column repeats one already in the group (a second code/name/figure group)."""
    groups: list[list[Column]] = [[]]
    seen: set[str] = set()
    for col in columns:
        if col.role == "key":
            name = key_name(col)
            if name in seen and any(c.role == "amount" for c in groups[-1]):
                groups.append([])
                seen = set()
            seen.add(name)
        groups[-1].append(col)
    return [g for g in groups if g]


def read_grid(reader: TableReader) -> None:
    groups = column_groups(reader.columns)
    if len(groups) > 1 and all(reader.key_columns(g) for g in groups):
        read_groups(reader, groups)
        return
    used = read_grid_rows(reader, reader.columns)
    for r, line in enumerate(reader.table.rows, start=1):
        if r in used:
            reader.account_rest(r, line, used[r])


def read_groups(reader: TableReader, groups: list[list[Column]]) -> None:
    """Rows that print two (or more) code/name/figure groups side by side: each group is read as a grid.
    A group whose header does not say whose figures it holds takes the kind's `group_dims` in order
    (a final account's 公开06表: 人员经费 on the left, 公用经费 on the right)."""
    used: dict[int, set[int]] = {}
    skipped_rows: set[int] = set()
    group_dims = (reader.spec.get("group_dims") or {}).get(len(groups)) or []
    for n, group in enumerate(groups):
        extra = group_dims[n] if group_dims else {}
        for r, cols in read_grid_rows(reader, group, skipped_rows, extra).items():
            used.setdefault(r, set()).update(cols)
    for r, line in enumerate(reader.table.rows, start=1):
        if r not in skipped_rows:
            reader.account_rest(r, line, used.get(r, set()))


def _code_part(text: str, two_digits: bool) -> str:
    """A printed code cell; a 款 or 项 printed with one digit (“7” for 07) is the two-digit code it stands for."""
    return text.zfill(2) if two_digits and len(text) == 1 and text.isdigit() else text


class _Codes:
    """The codes of a row, from whichever columns print them; parts left blank (a 款 row printing
    only “03”) are completed from the rows above."""

    def __init__(self):
        self.last: dict[str, str] = {}

    def parts(self, line: Line, keys: dict[str, int], names: tuple[str, ...]) -> str:
        printed = [_code_part(cell(line, keys.get(k)), n > 0) for n, k in enumerate(names)]
        present = [n for n, p in enumerate(printed) if p]
        if not present:
            return ""
        if not all(printed[n].isdigit() for n in present):
            return "".join(printed)  # “合计” printed across the code columns: not a code
        for n in range(present[0]):  # the parts above, from the rows before
            printed[n] = self.last.get(names[n], "")
        for n in present:
            self.last[names[n]] = printed[n]
        for k in names[present[-1] + 1:]:
            self.last.pop(k, None)
        return "".join(printed[: present[-1] + 1])


def read_grid_rows(reader: TableReader, columns: list[Column], skipped_rows: set[int] | None = None,
                   group_dims: dict | None = None) -> dict[int, set[int]]:
    """Observations of the rows of a grid; returns the cells used in each row that was read.

    A row whose label is neither a code nor a total has its figures reported as skipped; with
    `skipped_rows` (groups) only the figures of this group's columns are, and the row is noted.
    """
    labels = load_labels()
    keys = reader.key_columns(columns)
    amounts = reader.amount_columns(columns)
    finer = any(k in keys for k in ("function_code", "function_codename", "econ_dept", "econ_dept_codename",
                                    "econ_gov", "econ_gov_codename", *FUNCTION_PARTS, *ECON_PARTS))
    current_org = DEPT
    inherited: dict[str, str] = {}
    function_parts, econ_parts = _Codes(), _Codes()
    result: dict[int, set[int]] = {}
    for r, line in enumerate(reader.table.rows, start=1):
        used = set(keys.values())
        name = next((cell(line, keys.get(k)) for k in NAME_KEYS if cell(line, keys.get(k))), "")
        unit_code = cell(line, keys.get("unit_code"))
        unit_name = cell(line, keys.get("unit_name"))
        row_dims: dict[str, str] = {}
        role = "item"
        function_code = cell(line, keys.get("function_code"))
        if not function_code and "function_codename" in keys:
            text = cell(line, keys.get("function_codename"))
            split = split_code(text)
            function_code, name = (split[0], name or split[1]) if split else (text, name)
        if not function_code and any(k in keys for k in FUNCTION_PARTS):
            function_code = function_parts.parts(line, keys, FUNCTION_PARTS)
        econ_dept = cell(line, keys.get("econ_dept"))
        if not econ_dept and "econ_dept_codename" in keys:
            text = cell(line, keys.get("econ_dept_codename"))
            split = split_code(text)
            econ_dept, name = (split[0], name or split[1]) if split else (text, name)
        if not econ_dept and any(k in keys for k in ECON_PARTS):
            econ_dept = econ_parts.parts(line, keys, ECON_PARTS)
        econ_gov = cell(line, keys.get("econ_gov"))
        if not econ_gov and "econ_gov_codename" in keys:
            split = split_code(cell(line, keys.get("econ_gov_codename")))
            econ_gov = split[0] if split else cell(line, keys.get("econ_gov_codename"))
        if function_code and not function_code.isdigit():  # “合计” printed in the code columns
            name, function_code = name or function_code, ""
        if econ_dept and not econ_dept.isdigit():
            name, econ_dept = name or econ_dept, ""
        if econ_gov and not econ_gov.isdigit():
            name, econ_gov = name or econ_gov, ""
        if "econ_dept" in keys and not econ_dept and econ_gov:
            econ_dept = inherited.get("econ_dept", "")  # a code cell merged over two rows
        if econ_dept:
            inherited["econ_dept"] = econ_dept
        if not name and unit_name and not unit_code:
            name = unit_name
        if function_code:
            row_dims["lp:functionalClassification"] = function_code
            row_dims["lp:organisation"] = current_org
            # a 项 line: a 7-digit code, or the 项 column filled (even when the 类 is misprinted, “7 | 11 | 02”)
            role = "item" if len(function_code) >= 7 or (keys.get("subitem") is not None and cell(line, keys.get("subitem"))) else "subtotal"
        elif econ_dept or econ_gov:
            if len(econ_dept) == 3 and not econ_gov:  # 301 工资福利支出 over its 30101, 30102 …
                role = "subtotal"
            if "lp:economicClassification" in reader.dimensions:
                row_dims["lp:economicClassification"] = econ_dept or TOTAL
            if econ_gov and "lp:governmentEconomicClassification" in reader.dimensions:
                row_dims["lp:governmentEconomicClassification"] = econ_gov
            row_dims["lp:organisation"] = current_org
        elif unit_code:
            current_org = reader.org_key(unit_code, unit_name or name)
            row_dims["lp:organisation"] = current_org
            # a unit's own row is a subtotal over its lines, unless the table has nothing finer than units
            role = "item" if not finer and current_org != DEPT else "subtotal"
            name = name or unit_name
        elif normalise(name) in labels["totals"] or not name:
            role = "total" if keys else "item"
            row_dims["lp:organisation"] = DEPT
        elif "unit_name" in keys and unit_name:
            current_org = reader.org_key(None, unit_name) or unit_key_by_name(unit_name)
            row_dims["lp:organisation"] = current_org
            role = "item" if not finer else "subtotal"
        else:
            reason = f"row label “{name}” has no code and is not a total"
            if skipped_rows is None:
                reader.account_rest(r, line, set(), reason)
            else:
                for col in amounts:
                    j = col.index
                    if j < len(line.cells) and is_amount(line.cells[j]):
                        reader.skip(r, line, j, reason)
                        used.add(j)
                result[r] = used
            continue
        if not keys:
            row_dims["lp:organisation"] = DEPT
        for col in amounts:
            j = col.index
            if j >= len(line.cells):
                continue
            used.add(j)
            text = cell(line, j)
            if not text:
                continue
            if not is_amount(text):
                reader.skip(r, line, j, f"not a number: “{text}”")
                continue
            col_dims = {**group_dims, **col.dims} if group_dims else col.dims
            reader.observe(r, line, j, role, name, reader.column_label(col), reader.dims(row_dims, col_dims),
                           phase=reader.column_phase(col), year=col.year)
        result[r] = used
    return result

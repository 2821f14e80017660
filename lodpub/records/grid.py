"""Grids: rows keyed by a classification code (in one column, in 类/款/项 columns, printed with its
name, or only by name), a budget unit or a total; figures in columns whose header fixes their
dimensions. Side-by-side groups of key and figure columns (a final account's basic expenditure:
人员经费 | 公用经费) are read group by group."""

from __future__ import annotations

import copy
import re


from ..codelists import broader
from ..model import Column, Line
from ..recognise.text import CLASSIFICATION_CODE, FIRST_DIGIT_OF_AXIS, is_amount, normalise
from .codes import CodeResolver, load_labels
from .identity import clean_org
from .model import DEPT, TOTAL, Project
from .reader import TableReader, cell, key_name, row_meaning, row_phase, unit_key_by_name
from .row_keys import ECON_GOV_PARTS, ECON_PARTS, FUNCTION_PARTS, NAME_KEYS, KeyReader, RowKeys, year_of_row


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


def learn_codes(table, resolver: CodeResolver) -> None:
    """The code/name pairs a grid prints, for names printed without codes elsewhere in the document."""
    for group in column_groups(table.columns):
        keys = {key_name(c): c.index for c in group if c.role == "key"}
        if not keys:
            continue
        reader = KeyReader(keys)
        for line in table.rows:
            k = reader.read(line)
            if k.function:
                resolver.learn("function", k.function, k.name)
            if k.econ_dept:
                resolver.learn("economic-dept", k.econ_dept, k.name if "econ_gov" not in keys else cell(line, keys.get("econ_dept_name")))
            if k.econ_gov:
                resolver.learn("economic-gov", k.econ_gov, cell(line, keys.get("econ_gov_name")))


def read_grid_rows(reader: TableReader, columns: list[Column], skipped_rows: set[int] | None = None, group_dims: dict | None = None) -> dict[int, set[int]]:
    """Observations of the rows of a grid; returns the cells used in each row that was read.

    A row is keyed by a code (printed, or resolved from its name), a budget unit, a label the header
    vocabulary knows (因公出国（境）费用 in a “三公” table printed down the rows) or a total. A row whose
    label is none of these has its figures reported as skipped; with `skipped_rows` (groups) only the
    figures of this group's columns are, and the row is noted.
    """
    labels = load_labels()
    keys = reader.key_columns(columns)
    amounts = reader.amount_columns(columns)
    amount_dims = {c.index: reader.column_dims(c) for c in amounts}
    axis = reader.axis
    finer = any(
        k in keys
        for k in (
            "function_code",
            "function_codename",
            "econ_dept",
            "econ_dept_codename",
            "econ_gov",
            "econ_gov_codename",
            *FUNCTION_PARTS,
            *ECON_PARTS,
            *ECON_GOV_PARTS,
        )
    ) or (axis in ("function", "economic-dept", "economic-gov") and any(k in keys for k in NAME_KEYS))
    current_org = DEPT
    context = ""  # the last code read: the class and item a name printed without code follows
    key_reader = KeyReader(keys, columns)
    procurement = ""  # the category printed above: the rows under it are its purchases
    years_of = ("", "")  # the name (and unit name) of the rows a 年度 column splits by year
    unit_figures: list[str] = []  # the figures of the last unit's row of a procurement grid
    last_function: tuple | None = None  # the function code, unit and figures of the last row that printed a code
    totals_printed: dict[tuple, int] = {}  # (label, figures) of each total row → its row
    result: dict[int, set[int]] = {}
    unnamed = _rows_not_told_apart(reader, columns, keys, amounts)
    for r, line in enumerate(reader.table.rows, start=1):
        used = set(keys.values())
        if unnamed:
            _skip_row(reader, r, line, amounts, used, result, skipped_rows, unnamed)
            continue
        k = key_reader.read(line)
        row_year = None
        if "year" in keys:  # 深圳 三公: a unit's rows by year (2025年 | 2026年 | 增减变化金额), its name on the first
            if k.name or k.unit_name:
                years_of = (k.name, k.unit_name)
            else:
                k.name, k.unit_name = years_of
            row_year, reason = year_of_row(cell(line, keys["year"]))
            if reason:
                _skip_row(reader, r, line, amounts, used, result, skipped_rows, reason)
                continue
        name = k.name
        row_dims: dict[str, str] = {}
        role = "item"
        phase_of_row, years_before_row = None, 0
        code_printed = bool(k.function)
        if name and not (k.function or k.econ_dept or k.econ_gov or k.unit_code) and normalise(name) not in labels["totals"]:
            if axis in ("function", "economic-dept", "economic-gov") and not _is_unit(reader, name, k):
                code = reader.resolver.resolve(axis, name, context)
                if code:
                    if axis == "function":
                        k.function = code
                    elif axis == "economic-dept":
                        k.econ_dept = code
                    else:
                        k.econ_gov = code
        if k.function:
            # a 类 or 款 with figures, outside a list of projects, may be printed again on the row below it
            printed = (k.function, current_org, [cell(line, c.index) for c in amounts])
            repeatable = len(k.function) < 7 and "lp:project" not in reader.dimensions and any(printed[2])
            if repeatable and printed == last_function:
                # 无锡: a 款 without 项 printed again on the 项 level, its own code and figures (21999 其他支出 twice)
                _skip_row(
                    reader,
                    r,
                    line,
                    amounts,
                    used,
                    result,
                    skipped_rows,
                    f"repeats the row above ({k.function}, the same figures): one line printed on two levels",
                )
                continue
            last_function = printed
            context = k.function
            row_dims["lp:functionalClassification"] = k.function
            row_dims["lp:organisation"] = current_org
            # a 项 line: a 7-digit code, or the 项 column filled (even when the 类 is misprinted, “7 | 11 | 02”)
            role = "item" if len(k.function) >= 7 or (keys.get("subitem") is not None and cell(line, keys.get("subitem"))) else "subtotal"
            if repeatable and r < len(reader.table.rows) and _repeated_below(key_reader, reader.table.rows[r], printed, amounts):
                role = "item"  # the 款 printed again below as its own 项: a line with no 项 under it
            elif role == "subtotal" and code_printed and _nothing_under(key_reader, reader.table.rows[r:], k.function, labels["totals"]):
                role = "item"  # 上海: 208 | 09 退役安置 between the 项 of 20805 and 20828, no 项 of its own
            if k.econ_dept or k.econ_gov:  # a line classified both ways (北京 支出总表: 项 × 政府经济 × 部门经济)
                if k.econ_dept and "lp:economicClassification" in reader.dimensions:
                    row_dims["lp:economicClassification"] = k.econ_dept
                if k.econ_gov and "lp:governmentEconomicClassification" in reader.dimensions:
                    row_dims["lp:governmentEconomicClassification"] = k.econ_gov
            if "lp:project" in reader.dimensions and "label" in keys and k.name:
                # 西安 政府采购预算表: the purchases (采购项目) under the rows of the unit that makes them, every row
                # printing the 项 it is paid from; the unit's rows (a unit code printed) are its subtotals, the
                # purchases after them the unit's
                if k.unit_code and not (k.econ_dept or k.econ_gov):
                    role, figures = "subtotal", [cell(line, c.index) for c in amounts]
                    if figures == unit_figures:  # 全额 | 西安市信访局: the unit's row under its group, the same figures
                        _skip_row(reader, r, line, amounts, used, result, skipped_rows, "repeats the figures of the row above (the unit's row)")
                        continue
                    unit_figures = figures
                    current_org = row_dims["lp:organisation"] = reader.org_key(k.unit_code, k.name)  # the unit's purchases follow
                elif not k.unit_code:
                    row_dims["lp:project"] = _purchase(reader, k.name, line)
        elif k.econ_dept or k.econ_gov:
            context = k.econ_dept or k.econ_gov
            if len(k.econ_dept) == 3 and len(k.econ_gov) in (0, 3) or (not k.econ_dept and len(k.econ_gov) == 3):
                role = "subtotal"  # 301 工资福利支出 over its 30101, 30102 … (and 301 × 501 over 30101 × 50101)
            elif _over_finer_codes(k.econ_dept or k.econ_gov, reader.table.rows[r : r + 1], keys):
                role = "subtotal"  # 重庆: 30102 津贴补贴 over 3010201 规范性津补贴, 3010202 其他津补贴
            if "lp:economicClassification" in reader.dimensions:
                row_dims["lp:economicClassification"] = k.econ_dept or TOTAL
            if k.econ_gov and "lp:governmentEconomicClassification" in reader.dimensions:
                row_dims["lp:governmentEconomicClassification"] = k.econ_gov
            row_dims["lp:organisation"] = current_org
        elif k.unit_code:
            current_org = reader.org_key(k.unit_code, k.unit_name or name)
            row_dims["lp:organisation"] = current_org
            # a unit's own row is a subtotal over its lines, unless the table has nothing finer than units
            role = "item" if not finer and current_org != DEPT else "subtotal"
            name = name or k.unit_name
        elif k.procurement or (procurement and name and axis == "procurement"):
            if k.procurement:
                procurement = k.procurement
            row_dims["lp:procurementCategory"] = procurement
            row_dims["lp:organisation"] = current_org
            # a category's own row is a subtotal over the purchases printed under it
            role = (
                "subtotal"
                if k.procurement and len(key_reader.procurement_cols) and any(c.role == "key" and c.axis != "procurement" for c in columns)
                else "item"
            )
        elif k.service:
            row_dims["lp:purchasedService"] = k.service
            row_dims["lp:organisation"] = current_org
            role = "item" if len(k.service) >= 4 else "subtotal"
            if role == "item" and name and "lp:project" in reader.dimensions:
                # 北京 预算11表 财政拨款政府购买服务明细表: each row one purchase, named by the catalogue's third level
                # (printed without code); two purchases of one service are two rows, not twins
                row_dims["lp:project"] = _purchase(reader, name, line)
        elif normalise(name) in labels["totals"] or not name:
            figures = (normalise(name), tuple(cell(line, c.index) for c in amounts))
            if keys and name and any(figures[1]) and figures in totals_printed:
                # 佛山: a table's 合计 printed again at the top of its next page, under the header printed again
                first = totals_printed[figures]
                _skip_row(reader, r, line, amounts, used, result, skipped_rows, f"the same line as row {first} prints (“{name}”), printed again")
                continue
            if name:  # (a row with no label is no printed total: 长春's 项目类型 and 一级项目 rows, the same figures)
                totals_printed.setdefault(figures, r)
            role = "total" if keys else "item"
            row_dims["lp:organisation"] = DEPT
            context = ""
            procurement = ""
        elif _is_unit(reader, name, k):
            if _department_over_its_own_unit(reader, keys, r, name, k):
                # 杭州: 合计, then the department's row, then its own unit (本级) under the same name: the
                # department's row is its subtotal over every unit, not a unit beside them
                current_org, role = DEPT, "subtotal"
            else:
                current_org = reader.org_key(None, name) or unit_key_by_name(name)
                role = "item" if not finer else "subtotal"
            row_dims["lp:organisation"] = current_org
            context = ""
        elif (meaning := row_meaning(name)) is not None:
            row_dims.update(meaning)
            row_dims["lp:organisation"] = current_org
            if k.sublabel and k.sublabel != name and (normalise(k.sublabel) in labels["totals"] or normalise(k.sublabel) == "小计"):
                role = "subtotal"  # 一般公共预算资金 | 小计: over the rows printed under it
            elif _over_its_parts(meaning, reader.table.rows[r:], keys):
                role = "subtotal"  # 公务用车购置及运行费 over （1）公务用车购置费 and （2）公务用车运行费
        elif (named := row_phase(name)) is not None:
            phase_of_row, years_before_row = named
            row_dims["lp:organisation"] = current_org  # 预算数 | 决算数 down the rows: the same lines in two phases
        else:
            _skip_row(
                reader, r, line, amounts, used, result, skipped_rows, f"row label “{name}” has no code, is not a total and names nothing the vocabularies know"
            )
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
            col_dims = {**group_dims, **amount_dims[j]} if group_dims else amount_dims[j]
            reader.observe(
                r,
                line,
                j,
                role,
                name,
                reader.column_label(col),
                reader.dims(row_dims, col_dims),
                phase=reader.column_phase(col, phase_of_row),
                year=row_year or reader.column_year(col, years_before_row),
            )
        result[r] = used
    return result


def _rows_not_told_apart(reader: TableReader, columns: list[Column], keys: dict[str, int], amounts: list[Column]) -> str:
    """Why the rows of a table cannot be read as lines, or "": several rows print figures and no column
    names them (广州 项目支出绩效目标表 headed 项目名称（资金使用单位）, a wording not in the vocabulary: its
    projects' figures would be lines of the department's whole budget, one over the other)."""
    if keys:
        return ""
    printing = sum(1 for line in reader.table.rows if any(is_amount(cell(line, c.index)) for c in amounts))
    if printing < 2:
        return ""
    unknown = [c for c in columns if c.role == "unknown" and c.index not in {a.index for a in amounts}]
    named = "; ".join(c.reason for c in unknown[:1] if c.reason)
    return "rows not told apart: no column names what each row is" + (f" ({named})" if named else "")


def _repeated_below(key_reader: KeyReader, following: Line, printed: tuple, amounts: list[Column]) -> bool:
    """Whether the next row prints the same function code and figures, for the same unit (无锡: 21999 其他支出 on
    two levels). Only a 类 or 款 is: a 项 printed on several rows holds several lines (北京 预算05表)."""
    if [cell(following, c.index) for c in amounts] != printed[2]:
        return False  # (the figures first: the code needs a copy of the reader, which completes 类/款 from the rows it read)
    return (copy.deepcopy(key_reader).read(following).function, printed[1]) == printed[:2]


def _nothing_under(key_reader: KeyReader, following: list[Line], code: str, totals) -> bool:
    """Whether a 类 or 款 has no line under it: the next row to print another function code prints one
    outside it, or none follows. A total row is passed over (佛山 prints 合计 again at the top of each page);
    a row of a unit, or of a name without a code, decides nothing: what follows may be read from names."""
    reader = copy.deepcopy(key_reader)  # (it completes 类/款 from the rows it reads)
    for line in following:
        k = reader.read(line)
        if k.function and k.function != code:
            if not (CLASSIFICATION_CODE.match(k.function) and k.function[0] == FIRST_DIGIT_OF_AXIS["function"]):
                return False  # a code misprinted (普陀: “7 | 11 | 02” under 210 | 11): who can say where it belongs
            return not k.function.startswith(code)
        if not k.function and not (k.name and normalise(k.name) in totals and not k.unit_code):
            return False
    return True


def _skip_row(reader: TableReader, r: int, line: Line, amounts: list[Column], used: set[int], result: dict, skipped_rows: set[int] | None, reason: str) -> None:
    """Every figure of a row reported as skipped with `reason`; in a group (`skipped_rows`), only those
    of the group's columns, and the row noted as read."""
    if skipped_rows is None:
        reader.account_rest(r, line, set(), reason)
        return
    for col in amounts:
        j = col.index
        if j < len(line.cells) and is_amount(line.cells[j]):
            reader.skip(r, line, j, reason)
            used.add(j)
    result[r] = used


def _department_over_its_own_unit(reader: TableReader, keys: dict[str, int], r: int, name: str, k: RowKeys) -> bool:
    """A row named as the department, without a code, followed by a row of the same name: the first is
    the department's (over all its units), the second the department's own unit. The first may print the
    department's name without its place (湖州: 退役军人事务局 over 湖州市退役军人事务局)."""
    department = clean_org(reader.doc.department or "")
    own = clean_org(name)
    if k.unit_code or not own or not (own == department or (len(own) >= 3 and department.endswith(own))):
        return False
    col = keys.get("unit_name")
    following = reader.table.rows[r] if r < len(reader.table.rows) else None
    return col is not None and following is not None and clean_org(cell(following, col)) in (own, department)


def _is_unit(reader: TableReader, name: str, k: RowKeys) -> bool:
    """A row that names a budget unit: in a column of units, or a name the document lists as a unit."""
    if k.unit_name and not k.unit_code and "unit_name" in reader.key_columns():
        return True
    return reader.names_unit(name)


def _purchase(reader: TableReader, name: str, line: Line) -> str:
    """The key of a purchase named by a row of a procurement grid (a project of the document)."""
    doc = reader.doc
    project = Project(key=str(len(doc.projects) + 1), name=name, type=None, unit_key=None, unit_name=None, table=reader.table.ordinal, line=line.number)
    doc.projects.append(project)
    return project.key


def _over_finer_codes(code: str, following: list[Line], keys: dict[str, int]) -> bool:
    """Whether the next row prints an economic code under this one (3010201 under 30102)."""
    for line in following:
        for key in ("econ_dept", "econ_dept_codename", "econ_gov", "econ_gov_codename"):
            printed = re.match(r"\d+", cell(line, keys.get(key)).strip())
            if printed and len(printed.group()) > len(code) and printed.group().startswith(code):
                return True
    return False


def _over_its_parts(meaning: dict[str, str], following: list[Line], keys: dict[str, int]) -> bool:
    """Whether the next named row names a part of what this row names (a code of the code lists narrower
    than this row's: 公务用车购置费 under 公务用车购置及运行费)."""
    nxt = next((line for line in following if any(cell(line, keys.get(n)) for n in NAME_KEYS)), None)
    below = row_meaning(next(cell(nxt, keys.get(n)) for n in NAME_KEYS if cell(nxt, keys.get(n)))) if nxt is not None else None
    if not below:
        return False
    above = broader()
    return any(
        d in below and below[d] != code and any(iri.rsplit("/", 1)[-1] == code for iri in above.get(iri_of, ()))
        for d, code in meaning.items()
        for iri_of in above
        if iri_of.rsplit("/", 1)[-1] == below.get(d)
    )

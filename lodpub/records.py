"""Stage 4: records. Read the recognised tables and the narrative into plain records.

Every amount cell of every table becomes exactly one `Observation` or one `SkippedCell` that
says why it is not in the graph (row accounting). Records carry codes and names, not URIs:
stage 5 (lodpub.mapping, driven by mappings/*.yaml) decides the URIs.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import yaml

from .model import ExtractedDocument, Line, RecognisedTable
from .recognise import CODE, MAPPINGS, Recognition, column_leaves, is_amount, load_labels, normalise, resolve_columns

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
    function_code: str | None = None  # the 类 or 项 a function-line figure names, resolved in the document's tables


@dataclass
class Definition:
    k: int
    line: int
    term: str
    text: str
    concept: str | None  # "scheme/notation" the term defines, when known


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
    listed_tables: list[tuple[str, str, int]] = field(default_factory=list)  # title, kind, line
    retrieved: str | None = None
    url: str | None = None
    extractor: str = "text"


def parse_amount(text: str, unit: str) -> Decimal:
    """The exact value in 元 of a printed figure such as “4,212.99” in 万元."""
    clean = text.replace(",", "").replace(" ", "").replace("−", "-")
    return Decimal(clean) * UNIT_FACTORS[unit]


@lru_cache(maxsize=None)
def function_class_names() -> dict[str, str]:
    """Normalised 类 names (without 支出) → 3-digit code."""
    names: dict[str, str] = {}
    path = MAPPINGS / "codes" / "function-classes.csv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names[_strip_expenditure(normalise(row["name_zh"]))] = row["code"]
    return names


def _strip_expenditure(name: str) -> str:
    return re.sub(r"(支出|事务)$", "", name)


def function_class_by_name(label: str) -> str | None:
    names = function_class_names()
    key = _strip_expenditure(normalise(label))
    if key in names:
        return names[key]
    former = {_strip_expenditure(normalise(k)): str(v) for k, v in (load_labels().get("function_class_names") or {}).items()}
    if key in former:  # a former name of the class (医疗卫生与计划生育支出 → 210 卫生健康支出)
        return former[key]
    for name, code in names.items():  # “资源勘探信息等” vs “资源勘探工业信息等”
        if len(key) >= 4 and (name.startswith(key[:4]) and name.endswith(key[-2:])):
            return code
    return None


class TableReader:
    """Reads the rows of one recognised table into observations (shared by every layout)."""

    def __init__(self, doc: DocumentRecords, table: RecognisedTable, units_by_name: dict[str, str]):
        self.doc = doc
        self.table = table
        self.spec = table.spec.data
        self.unit = table.unit or "万元"
        self.units_by_name = units_by_name
        self.leaves = column_leaves(table.header)
        self.fixed = dict(self.spec.get("fixed_dims", {}))
        self.dimensions = list(self.spec.get("dimensions", []))

    def key_columns(self) -> dict[str, int | None]:
        return self.key_columns_of(self.spec.get("row_keys", {}) or {})

    def key_columns_of(self, keys: dict) -> dict[str, int | None]:
        cols = resolve_columns(self.leaves, list(keys.values()))
        return dict(zip(keys.keys(), cols))

    def amount_columns(self, entries: list[dict] | None = None) -> list[tuple[int | None, dict]]:
        entries = entries if entries is not None else self.spec.get("amounts", [])
        cols = resolve_columns(self.leaves, entries)
        return list(zip(cols, entries))

    def dims(self, row_dims: dict[str, str], col_dims: dict[str, str]) -> dict[str, str]:
        dims = {d: TOTAL for d in self.dimensions}
        dims.update(self.fixed)
        dims.update(col_dims)
        dims.update(row_dims)
        return dims

    def observe(self, r: int, line: Line, col: int, role: str, row_label: str, column_label: str, dims: dict[str, str],
                phase: str | None = None):
        printed = line.cells[col]
        self.doc.observations.append(
            Observation(
                table=self.table.ordinal, row=r, col=col + 1, line=line.number, page=line.page,
                printed=printed, amount=parse_amount(printed, self.unit), unit=self.unit, role=role,
                row_label=row_label, column_label=column_label, dims=dims, phase=phase,
            )
        )

    def skip(self, r: int, line: Line, col: int, reason: str):
        self.doc.skipped.append(SkippedCell(self.table.ordinal, r, col + 1, line.number, line.cells[col], reason))

    def account_rest(self, r: int, line: Line, used: set[int], reason: str = "amount in a column whose header was not recognised"):
        """Every figure-like cell of a row not read as an observation is reported as skipped."""
        for j, cell in enumerate(line.cells):
            if j not in used and cell and is_amount(cell) and not CODE.match(cell):
                self.skip(r, line, j, reason)

    def org_key(self, code: str | None, name: str | None) -> str:
        if code and len(code) > 3:
            return f"/unit/{code}"
        if code:
            return ""
        if name and normalise(name) in self.units_by_name:
            code = self.units_by_name[normalise(name)]
            return f"/unit/{code}" if len(code) > 3 else ""
        return DEPT


def cell(line: Line, j: int | None) -> str:
    return line.cells[j].strip() if j is not None and j < len(line.cells) else ""


# --- layouts -------------------------------------------------------------------------------

def read_phase_columns(reader: TableReader) -> bool:
    """A table whose every item has a 预算数 and a 决算数 column (决算 三公 table); False if not so laid out."""
    phases = {normalise(k): v for k, v in (reader.spec.get("phase_columns") or {}).items()}
    header = reader.table.header
    if not phases or len(header) < 2:
        return False
    last = [normalise(c) for c in header[-1].cells]
    if not any(last) or not all(c in phases for c in last if c):
        return False
    items = column_leaves(header[:-1]) + [""] * max(0, len(last) - len(column_leaves(header[:-1])))
    for j in range(1, len(items)):  # a merged item header sits in the first of its columns
        if not items[j] and last[j] and last[j] != last[j - 1]:
            items[j] = items[j - 1]
    columns: dict[int, tuple[str, dict]] = {}
    for word, phase in phases.items():
        only = [items[j] if last[j] == word else "" for j in range(len(items))]
        for j, entry in zip(resolve_columns(only, reader.spec.get("amounts", [])), reader.spec.get("amounts", [])):
            if j is not None:
                columns[j] = (phase, entry)
    for r, line in enumerate(reader.table.rows, start=1):
        used: set[int] = set()
        for j, (phase, entry) in sorted(columns.items()):
            if j >= len(line.cells) or not line.cells[j]:
                continue
            used.add(j)
            if not is_amount(line.cells[j]):
                reader.skip(r, line, j, f"not a number: “{line.cells[j]}”")
                continue
            reader.observe(r, line, j, "item", "", f"{items[j]} {last[j]}",
                           reader.dims({"lp:organisation": DEPT}, entry.get("dims", {})),
                           phase=None if phase == reader.doc.phase else phase)
        reader.account_rest(r, line, used)
    return True


def read_grid(reader: TableReader) -> None:
    if read_phase_columns(reader):
        return
    groups = reader.spec.get("groups")
    if groups:
        resolved = [(reader.key_columns_of(g["row_keys"]), reader.amount_columns(g["amounts"])) for g in groups]
        if all(all(j is not None for j in keys.values()) and all(j is not None for j, _ in amounts) for keys, amounts in resolved):
            read_groups(reader, resolved)
            return
    keys = reader.key_columns()
    amounts = reader.amount_columns()
    used = read_grid_rows(reader, keys, amounts)
    for r, line in enumerate(reader.table.rows, start=1):
        if r in used:
            reader.account_rest(r, line, used[r])


def read_groups(reader: TableReader, groups: list[tuple[dict, list]]) -> None:
    """Rows that print two (or more) code/name/amount groups side by side: each group is read as a grid."""
    used: dict[int, set[int]] = {}
    skipped_rows: set[int] = set()
    for keys, amounts in groups:
        for r, cols in read_grid_rows(reader, keys, amounts, skipped_rows).items():
            used.setdefault(r, set()).update(cols)
    for r, line in enumerate(reader.table.rows, start=1):
        if r not in skipped_rows:
            reader.account_rest(r, line, used.get(r, set()))


def _code_part(text: str, two_digits: bool) -> str:
    """A printed code cell; a 款 or 项 printed with one digit (“7” for 07) is the two-digit code it stands for."""
    return text.zfill(2) if two_digits and len(text) == 1 and text.isdigit() else text


def read_grid_rows(reader: TableReader, keys: dict, amounts: list, skipped_rows: set[int] | None = None) -> dict[int, set[int]]:
    """Observations of the rows of a grid; returns the cells used in each row that was read.

    A row whose label is neither a code nor a total has its figures reported as skipped; with
    `skipped_rows` (groups) only the figures of this group's columns are, and the row is noted.
    """
    labels = load_labels()
    current_org = DEPT
    inherited: dict[str, str] = {}
    result: dict[int, set[int]] = {}
    for r, line in enumerate(reader.table.rows, start=1):
        used = {j for j in keys.values() if j is not None}
        name = cell(line, keys.get("name")) or cell(line, keys.get("econ_dept_name")) or cell(line, keys.get("econ_gov_name"))
        unit_code = cell(line, keys.get("unit_code"))
        row_dims: dict[str, str] = {}
        role = "item"
        function_code = "".join(_code_part(cell(line, keys.get(k)), k != "class") for k in ("class", "item", "subitem"))
        econ_dept = cell(line, keys.get("econ_dept")) or "".join(
            _code_part(cell(line, keys.get(k)), k == "econ_item") for k in ("econ_class", "econ_item"))
        econ_gov = cell(line, keys.get("econ_gov"))
        if function_code and not function_code.isdigit():  # “合计” printed in the code columns
            name, function_code = name or function_code, ""
        if econ_dept and not econ_dept.isdigit():
            name, econ_dept = econ_dept, ""
        if "econ_dept" in keys and not econ_dept and econ_gov:
            econ_dept = inherited.get("econ_dept", "")  # a code cell merged over two rows
        if econ_dept:
            inherited["econ_dept"] = econ_dept
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
            current_org = reader.org_key(unit_code, name)
            row_dims["lp:organisation"] = current_org
            # a unit's own row is a subtotal over its lines, except in a table of units (收入预算表)
            role = "item" if reader.spec["kind"] == "income-by-unit" and current_org != DEPT else "subtotal"
        elif normalise(name) in labels["totals"] or not name:
            role = "total" if keys else "item"
            row_dims["lp:organisation"] = DEPT
        else:
            reason = f"row label “{name}” has no code and is not a total"
            if skipped_rows is None:
                reader.account_rest(r, line, set(), reason)
            else:
                for j, _ in amounts:
                    if j is not None and j < len(line.cells) and is_amount(line.cells[j]):
                        reader.skip(r, line, j, reason)
                        used.add(j)
                result[r] = used
            continue
        if not keys:
            row_dims["lp:organisation"] = DEPT
        for j, entry in amounts:
            if j is None or j >= len(line.cells):
                continue
            used.add(j)
            text = line.cells[j]
            if not text:
                continue
            if not is_amount(text):
                reader.skip(r, line, j, f"not a number: “{text}”")
                continue
            column_label = reader.leaves[j] if j < len(reader.leaves) else ""
            reader.observe(r, line, j, role, name, column_label, reader.dims(row_dims, entry.get("dims", {})))
        result[r] = used
    return result


def resolve_side_label(label: str, group: str, direction: str) -> tuple[str, dict[str, str]] | None:
    """The role and dimensions a printed row label of a two-sided table stands for."""
    labels = load_labels()
    key = normalise(label)
    if key in labels["subtotals"] and group:
        key = normalise(group)
        funding = labels["funding"].get(key)
        return ("subtotal", {"lp:fundingSource": funding}) if funding else None
    if key in labels["items"]:
        return "total", {"lp:lineItem": labels["items"][key]}
    if key in labels["totals"]:  # “总计” on either side
        return "total", {"lp:lineItem": "income-total" if direction == "revenue" else "expenditure-total"}
    if direction == "revenue" and key in labels["funding"]:
        return "item", {"lp:fundingSource": labels["funding"][key]}
    if direction == "expenditure":
        code = function_class_by_name(key)
        if code:
            return "item", {"lp:functionalClassification": code}
    if key in labels["funding"]:
        return "item", {"lp:fundingSource": labels["funding"][key]}
    return None


def _has_numbered_lines(line: Line, following: list[Line], label_col: int) -> bool:
    """Whether the lines right after a row are numbered (1. / 1、) in the same label column."""
    nxt = next((l for l in following if cell(l, label_col)), None)
    return bool(nxt and re.match(r"^\s*\d+\s*[.、．]", cell(nxt, label_col)))


CARRYOVER_ITEMS = {"beginning-carryover", "unit-carryover", "year-end-carryover"}


def read_two_sided(reader: TableReader) -> None:
    sides = []
    for side in reader.spec["sides"]:
        (label_col,) = resolve_columns(reader.leaves, [side["label"]])
        sides.append((side, label_col, reader.amount_columns(side["amounts"])))
    group = ""
    parents: dict[str, str] = {}  # direction → the carry-over line whose breakdown by funding follows
    for r, line in enumerate(reader.table.rows, start=1):
        used: set[int] = set()
        for side, label_col, amounts in sides:
            if label_col is None:
                continue
            label = cell(line, label_col)
            if side["label"].get("grouped") and label_col + 1 not in {j for j, _ in amounts}:  # “一般公共预算 | 小计”: a group cell, then the item
                if label:
                    group = label
                label = cell(line, label_col + 1) or label
                used.add(label_col + 1)
            used.add(label_col)
            cells = [(j, e) for j, e in amounts if j is not None and j < len(line.cells) and line.cells[j]]
            if not cells:
                continue
            resolved = resolve_side_label(label, group, side["direction"])
            if resolved is None:
                for j, _ in cells:
                    used.add(j)
                    reader.skip(r, line, j, f"row label “{label}” not recognised")
                continue
            role, row_dims = resolved
            item = row_dims.get("lp:lineItem")
            if item:  # “年初财政拨款结转和结余”, then “一、一般公共预算财政拨款 21.63”: its funding breakdown
                if item in CARRYOVER_ITEMS:
                    parents[side["direction"]] = item
                else:
                    parents.pop(side["direction"], None)
            elif "lp:fundingSource" in row_dims and side["direction"] in parents:
                role, row_dims = "item", {**row_dims, "lp:lineItem": parents[side["direction"]]}
            # “一、财政拨款收入” over “1. 一般公共预算资金”, “2. 政府性基金” …: a subtotal over numbered lines
            numbered = bool(re.match(r"^\s*\d+\s*[.、．]", label))
            if role == "item" and not numbered and "lp:fundingSource" in row_dims and _has_numbered_lines(line, reader.table.rows[r:], label_col):
                role = "subtotal"
            row_dims = {**row_dims, "lp:direction": side["direction"], "lp:organisation": DEPT}
            for j, entry in cells:
                used.add(j)
                if not is_amount(line.cells[j]):
                    reader.skip(r, line, j, f"not a number: “{line.cells[j]}”")
                    continue
                reader.observe(r, line, j, role, label, reader.leaves[j] if j < len(reader.leaves) else "", reader.dims(row_dims, entry.get("dims", {})))
        reader.account_rest(r, line, used)


def read_projects(reader: TableReader) -> None:
    keys = reader.key_columns()
    amounts = reader.amount_columns()
    doc = reader.doc
    for r, line in enumerate(reader.table.rows, start=1):
        used = {j for j in keys.values() if j is not None}
        kind, name, unit_name = (cell(line, keys.get(k)) for k in ("type", "name", "unit_name"))
        if not kind and not name and not unit_name:
            role, row_dims = "total", {"lp:project": TOTAL, "lp:organisation": DEPT}
        elif CODE.match(name):
            role, row_dims = "subtotal", {"lp:project": TOTAL, "lp:organisation": reader.org_key(name, unit_name)}
        else:
            org = reader.org_key(None, unit_name)
            project = Project(key=str(len(doc.projects) + 1), name=name, type=kind or None, unit_key=org,
                              unit_name=unit_name or None, table=reader.table.ordinal, line=line.number)
            doc.projects.append(project)
            role, row_dims = "item", {"lp:project": project.key, "lp:organisation": org}
        for j, entry in amounts:
            if j is None or j >= len(line.cells) or not line.cells[j]:
                continue
            used.add(j)
            if not is_amount(line.cells[j]):
                reader.skip(r, line, j, f"not a number: “{line.cells[j]}”")
                continue
            reader.observe(r, line, j, role, name or unit_name, reader.leaves[j], reader.dims(row_dims, entry.get("dims", {})))
        reader.account_rest(r, line, used)


def _match_project(doc: DocumentRecords, name: str, amount: Decimal | None) -> Project | None:
    key = normalise(name)
    same = [p for p in doc.projects if normalise(p.name) == key]
    if not same:
        same = [p for p in doc.projects if normalise(p.name).replace("—", "-") == key.replace("—", "-")]
    if len(same) > 1 and amount is not None:
        totals = {o.dims.get("lp:project"): o.amount for o in doc.observations if o.dims.get("lp:project") and o.col and o.column_label.startswith("合计")}
        same = [p for p in same if totals.get(p.key) == amount] or same
    return same[0] if same else None


def read_project_targets(reader: TableReader) -> None:
    keys = reader.key_columns()
    amounts = reader.amount_columns()
    categories = reader.spec.get("indicator_categories", [])
    doc = reader.doc
    owner: Project | None = None
    order = [c["category"] for c in categories]
    for r, line in enumerate(reader.table.rows, start=1):
        code, name = cell(line, keys.get("code")), cell(line, keys.get("name"))
        used = {j for j in keys.values() if j is not None}
        figures = [(j, e) for j, e in amounts if j is not None and j < len(line.cells) and is_amount(line.cells[j])]
        last_amount = max((j for j, _ in figures), default=(keys.get("name") or 0))
        if code:
            total = parse_amount(line.cells[figures[0][0]], reader.unit) if figures else None
            if len(code) <= 6:
                owner = None
                role, row_dims = "subtotal", {"lp:project": TOTAL, "lp:organisation": reader.org_key(code, name)}
            else:
                owner = _match_project(doc, name, total)
                if owner is None:
                    owner = Project(key=str(len(doc.projects) + 1), name=name, type=None, unit_key=None, unit_name=None,
                                    table=reader.table.ordinal, line=line.number)
                    doc.projects.append(owner)
                owner.code = code
                role, row_dims = "item", {"lp:project": owner.key, "lp:organisation": owner.unit_key or DEPT}
            for j, entry in figures:
                used.add(j)
                reader.observe(r, line, j, role, name, reader.leaves[j], reader.dims(row_dims, entry.get("dims", {})))
        elif owner is None:
            reader.account_rest(r, line, used, "indicator row before any project")
            continue
        # indicator cells: (name, value) pairs after the amounts
        texts = [(j, c) for j, c in enumerate(line.cells) if j > last_amount and j not in used and c]
        pairs = [texts[i : i + 2] for i in range(0, len(texts), 2)]
        sequence = order if code else order[1:]  # continuation rows continue outputs, benefits, …
        if owner is not None:
            for n, pair in enumerate(pairs):
                ind_name = pair[0][1]
                value = pair[1][1] if len(pair) > 1 else None
                for j, _ in pair:
                    used.add(j)
                doc.indicators.append(Indicator(owner=owner.key, table=reader.table.ordinal, line=line.number,
                                                k=len(doc.indicators) + 1,
                                                category=sequence[n] if n < len(sequence) else None,
                                                level1=None, level2=None, name=ind_name, value=value))
        reader.account_rest(r, line, used, "figure among the indicator cells (kept as indicator text)")


def read_overall_targets(reader: TableReader) -> None:
    doc = reader.doc
    budget_rows = reader.spec.get("budget_rows", [])
    level1 = level2 = None
    in_indicators = False
    for r, line in enumerate(reader.table.rows, start=1):
        cells = [(j, c) for j, c in enumerate(line.cells) if c]
        if not cells:
            continue
        texts = [c for _, c in cells]
        if texts[:2] == ["一级指标", "二级指标"]:
            in_indicators = True
            continue
        figures = [(j, c) for j, c in cells if is_amount(c)]
        if figures and not in_indicators:
            label = " ".join(c for j, c in cells if not is_amount(c))
            match = next((b for b in budget_rows if normalise(b["label"]) in normalise(label)), None)
            for j, c in figures:
                if match is None:
                    reader.skip(r, line, j, f"budget row “{label}” not recognised")
                    continue
                row_dims = {"lp:organisation": DEPT, "lp:lineItem": TOTAL}
                reader.observe(r, line, j, "item" if match["dims"] else "total", label, "", reader.dims(row_dims, match["dims"]))
            continue
        if not in_indicators:
            head = normalise(texts[0])
            if head in ("年度履职目标",) and len(texts) > 1:
                doc.indicators.append(Indicator("document", reader.table.ordinal, line.number, len(doc.indicators) + 1,
                                                "annual-goal", texts[0], None, texts[0], None, " ".join(texts[1:])))
            elif len(texts) >= 2 and normalise(texts[-2]) != "任务名称":
                task, content = texts[-2], texts[-1]
                doc.indicators.append(Indicator("document", reader.table.ordinal, line.number, len(doc.indicators) + 1,
                                                "annual-task", "年度主要任务", None, task, None, content))
            continue
        # indicator rows: […level1, level2,] level3, value, explanation
        if len(texts) >= 3:
            lead, (name, value, explanation) = texts[:-3], texts[-3:]
        else:
            lead, name, value, explanation = [], texts[0], texts[1] if len(texts) > 1 else None, None
        if len(lead) >= 2:
            level1, level2 = lead[-2], lead[-1]
        elif len(lead) == 1:
            level2 = lead[0]
        category = load_labels().get("indicator_level1", {}).get(normalise(level1 or ""))
        doc.indicators.append(Indicator("document", reader.table.ordinal, line.number, len(doc.indicators) + 1,
                                        category, level1, level2, name, value, explanation))


def read_project_form(reader: TableReader) -> None:
    """A 项目支出绩效目标填报表: one project, its label/value pairs, its funds and its indicators."""
    doc = reader.doc
    spec = reader.spec
    fields = {normalise(k): v for k, v in spec.get("fields", {}).items()}
    by_label: dict[str, list[dict]] = {}
    for entry in spec.get("amounts", []):
        by_label.setdefault(normalise(entry["label"]), []).append(entry)
    values: dict[str, str] = {}
    figures: list[tuple[int, Line, int, dict]] = []  # (row, line, column, amount entry)
    indicator_cols: list[int] | None = None
    level1 = level2 = None
    group_cols: dict[int, int] = {}  # group → column of its first label (项目资金总额 | 年度资金申请总额)
    pending: list[tuple[int, Line, str, int, str]] = []  # indicators, made once the project exists
    for r, line in enumerate(reader.table.rows, start=1):
        cells = [(j, c.strip()) for j, c in enumerate(line.cells) if c.strip()]
        keys = [normalise(c) for _, c in cells]
        heads = spec.get("indicator_header", [])
        if heads and sum(1 for k in keys if any(h in k for h in heads)) >= 3:
            indicator_cols = [next((j for (j, c), k in zip(cells, keys) if h in k), None) for h in heads]
            continue
        if indicator_cols is not None:
            got = [cell(line, j) if j is not None else "" for j in indicator_cols]
            level1 = got[0] or level1
            level2 = got[1] or level2
            if got[2] or got[3]:
                pending.append((r, line, got[2], got[3], (level1, level2)))
            else:
                reader.account_rest(r, line, set(), "figure in a performance-form row that is not an indicator")
            continue
        used: set[int] = set()
        n = 0
        while n < len(cells):
            j, text = cells[n]
            key = normalise(text)
            nxt = cells[n + 1] if n + 1 < len(cells) else None
            if key in fields and nxt is not None:
                values[fields[key]] = nxt[1]
                n += 2
                continue
            if key in by_label:
                entries = by_label[key]
                if len(entries) > 1 and group_cols:  # the group whose first label is nearest on the left
                    left = [g for g, c in group_cols.items() if c <= j]
                    group = max(left, key=lambda g: group_cols[g]) if left else min(group_cols)
                    entries = [e for e in entries if e.get("group") == group] or entries
                entry = entries[0]
                group_cols.setdefault(entry.get("group", 0), j)
                if nxt is not None and is_amount(nxt[1]):
                    figures.append((r, line, nxt[0], entry))
                    used.add(nxt[0])
                    n += 2
                    continue
            n += 1
        reader.account_rest(r, line, used, "figure beside a label the performance form mapping does not know")
    name = values.get("name")
    project = None
    if name:
        project = next((p for p in doc.projects if normalise(p.name) == normalise(name)), None)
        if project is None:
            project = Project(key=str(len(doc.projects) + 1), name=name, type=values.get("type"),
                              unit_key=reader.org_key(None, values.get("unit_name")), unit_name=values.get("unit_name"),
                              table=reader.table.ordinal, line=reader.table.title_line.number)
            doc.projects.append(project)
    for r, line, j, entry in figures:
        if project is None:
            reader.skip(r, line, j, "performance form without a 项目名称")
            continue
        row_dims = {"lp:project": project.key, "lp:organisation": project.unit_key or DEPT}
        role = "total" if len(entry.get("dims", {})) == 1 else "item"
        reader.observe(r, line, j, role, entry["label"], entry["label"], reader.dims(row_dims, entry.get("dims", {})))
    categories = load_labels().get("indicator_level1", {})
    for r, line, ind_name, value, (l1, l2) in pending:
        if project is None:
            continue
        doc.indicators.append(Indicator(owner=project.key, table=reader.table.ordinal, line=line.number,
                                        k=len(doc.indicators) + 1, category=categories.get(normalise(l1 or "")),
                                        level1=l1, level2=l2, name=ind_name or value, value=value or None))


LAYOUTS = {
    "project-form": read_project_form,
    "grid": read_grid,
    "two-sided": read_two_sided,
    "projects": read_projects,
    "project-targets": read_project_targets,
    "overall-targets": read_overall_targets,
}

EMPTY_TABLE = re.compile(r"(本表无数据|故本表为空|无.{0,20}(收入|支出|数据)|本表为空表)")


# --- narrative -----------------------------------------------------------------------------

@lru_cache(maxsize=None)
def narrative_patterns() -> list[tuple[str, re.Pattern, dict]]:
    data = yaml.safe_load((MAPPINGS / "narrative.yaml").read_text(encoding="utf-8"))
    return [(p["figure"], re.compile(p["pattern"]), p) for p in data["figures"]]


@lru_cache(maxsize=None)
def glossary_concepts() -> dict[str, str]:
    data = yaml.safe_load((MAPPINGS / "narrative.yaml").read_text(encoding="utf-8"))
    return {normalise(k): v for k, v in data["glossary"].items()}


NUMBER = r"([\d,]+(?:\.\d+)?)"

GLOSSARY_HEADING = re.compile(r"^(第[一二三四五]部分)?\s*名词解释$")
GLOSSARY_END = re.compile(r"^(\d{4}\s*年)?\s*(部门|单位)?(预算|决算)\s*(编制|情况)?说明$")  # the heading after a glossary


@dataclass
class _Run:
    """Consecutive narrative lines read as one running text (blanks removed), with where each line starts."""

    text: str
    starts: list[int]  # offset in `text` where each line starts
    lines: list[Line]

    def line_at(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line starting at or before offset
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _runs(lines: list[Line]) -> list[_Run]:
    """The running texts of the narrative: consecutive lines outside the glossary, joined without blanks."""
    runs: list[_Run] = []
    parts: list[str] = []
    starts: list[int] = []
    kept: list[Line] = []
    previous: int | None = None
    in_glossary = False

    def flush():
        if kept:
            runs.append(_Run("".join(parts), list(starts), list(kept)))
        parts.clear(), starts.clear(), kept.clear()

    for line in lines:
        text = line.text.strip()
        if GLOSSARY_HEADING.match(text):
            in_glossary = True
            flush()
            continue
        if in_glossary:  # the glossary ends at 附件…, 第…部分 (as read_narrative) or a heading “…编制说明”
            if GLOSSARY_END.match(text):
                in_glossary = False
            elif not re.match(r"^\s*[一二三四五六七八九十]+、", text) and text.startswith(("附件", "第")):
                in_glossary = False
            continue
        if previous is not None and line.number != previous + 1:
            flush()  # a table (or the glossary) lies between: a new running text
        previous = line.number
        compact = re.sub(r"\s+", "", text)
        starts.append(sum(len(x) for x in parts))
        parts.append(compact)
        kept.append(line)
    flush()
    return runs


def _name_key(name: str) -> str:
    return normalise(name).translate(str.maketrans("()", "（）"))


def resolve_function_code(doc: DocumentRecords, class_name: str, section_name: str | None, item_name: str | None,
                          printed_code: str | None = None) -> str | None:
    """The code of a 类 (or of a 项 under it) a sentence names, found among the document's own function lines.

    The 类 by its name (function_class_by_name); the 项 by its printed name among the budget lines with a
    7-digit code under that 类, narrowed by the 款 name when the name alone is not enough. None when the
    document's tables do not print exactly one such line.
    """
    lines: dict[str, set[str]] = {}  # code → printed row labels
    preferred = {t.ordinal for t in doc.tables if t.kind == "general-public-budget-expenditure"}
    for o in doc.observations:
        code = o.dims.get("lp:functionalClassification")
        if code and code != TOTAL and code.isdigit():
            lines.setdefault(code, set()).add(_name_key(o.row_label))
            if o.table in preferred:
                lines[code].add("\0preferred")
    class_code = function_class_by_name(class_name)
    if printed_code and class_code and not printed_code.startswith(class_code):
        class_code = None  # the printed digits and the name disagree: not resolved
    if class_code is None:
        return None
    if item_name is None:
        return class_code if class_code in lines else None
    item = _name_key(item_name)
    candidates = sorted(c for c, names in lines.items() if len(c) == 7 and c.startswith(class_code) and item in names)
    if len(candidates) > 1 and section_name:
        section = _name_key(section_name)
        candidates = [c for c in candidates if section in lines.get(c[:5], set())]
    if len(candidates) > 1 and printed_code:
        candidates = [c for c in candidates if c == printed_code]
    if len(candidates) != 1:
        return None
    if printed_code and len(printed_code) == 7 and candidates[0] != printed_code:
        return None
    return candidates[0]


def read_narrative(doc: DocumentRecords, lines: list[Line], more: list[Line] | None = None) -> None:
    """Glossary entries (名词解释) of `lines`, and the figures stated in `lines` and `more` (prose after tables).

    The figures are read on running text: consecutive lines joined with their blanks removed, so that
    a sentence wrapped across lines is read whole; each figure keeps the line where its match starts.
    """
    in_glossary = False
    glossary_entry = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(.+?)[：:]\s*(.+)$")
    for line in lines:
        text = line.text.strip()
        if GLOSSARY_HEADING.match(text):
            in_glossary = True
            continue
        if in_glossary:
            m = glossary_entry.match(text)
            if m:
                term = m.group(1).strip()
                doc.definitions.append(Definition(len(doc.definitions) + 1, line.number, term, m.group(2).strip(),
                                                  glossary_concepts().get(normalise(term))))
                continue
            if text.startswith(("附件", "第")):
                in_glossary = False
            continue
    found: list[tuple[int, int, int, Statement]] = []
    for run in _runs(list(lines)) + _runs(list(more or [])):
        for p, (figure, pattern, options) in enumerate(narrative_patterns()):
            for m in pattern.finditer(run.text):
                first, last = run.line_at(m.start()), run.line_at(max(m.start(), m.end() - 1))
                sentence = "".join(l.text.strip() for l in run.lines[first:last + 1])
                st = _statement(doc, m, figure, options, run.lines[first].number, sentence)
                if st is not None:
                    found.append((st.line, p, m.start(), st))
    for _, _, _, st in sorted(found, key=lambda f: f[:3]):  # by line, then pattern, then place
        st.k = len(doc.statements) + 1
        doc.statements.append(st)


def _statement(doc: DocumentRecords, m: re.Match, figure: str, options: dict, line: int, sentence: str) -> Statement | None:
    groups = m.groupdict()
    unit = options.get("unit", "万元")
    st = Statement(k=0, line=line, figure=figure, sentence=sentence, printed=m.group(0), unit=unit)
    if groups.get("amount") is not None:
        if unit in UNIT_FACTORS:
            st.amount = parse_amount(groups["amount"], unit)
        else:
            st.quantity = Decimal(groups["amount"].replace(",", ""))
    if groups.get("share") is not None:
        st.share = Decimal(groups["share"])
    sign = -1 if groups.get("direction") in ("减少", "下降") else 1
    if groups.get("change") is not None:
        st.change = sign * parse_amount(groups["change"], unit)
    elif groups.get("direction") == "持平":  # “与2024年预算持平”: a change of 0
        st.change = Decimal(0)
    if groups.get("change_share") is not None:
        st.change_share = sign * Decimal(groups["change_share"])
    if groups.get("year") is not None:
        st.compared_year = groups["year"]
    if groups.get("fclass") is not None:
        printed = "".join(groups.get(k) or "" for k in ("fclass_code", "fsection_code", "fitem_code")) or None
        st.function_code = resolve_function_code(doc, groups["fclass"], groups.get("fsection"), groups.get("fitem"), printed)
    return st


# --- the document --------------------------------------------------------------------------

def _document_title(lines: list[Line]) -> str:
    head = [l.text.strip() for l in lines[:6] if not l.is_row]
    title = next((t for t in head if re.search(r"(预算|决算)", t)), head[0] if head else "")
    org = head[0] if head and not re.search(r"(预算|决算)", head[0]) else ""
    return f"{org} {title}".strip() if org and org not in title else title


def build_records(recognition: Recognition) -> DocumentRecords:
    document: ExtractedDocument = recognition.document
    source = document.source
    title = _document_title(document.lines)
    names = Counter(t.organisation_name for t in recognition.tables if t.organisation_name)
    department = names.most_common(1)[0][0] if names else (title.split()[0] if title else source.location)
    year = re.search(r"(20\d{2})\s*年", title) or re.search(r"(20\d{2})", title)
    phase = "final-account" if "决算" in title else ("adjusted-budget" if "调整预算" in title else "budget")
    doc = DocumentRecords(
        docid=source.docid, sha256=source.sha256, location=source.location, media_type=source.media_type,
        title=title, department=department, fiscal_year=year.group(1) if year else None, phase=phase,
        retrieved=source.retrieved, url=source.url, extractor=document.extractor,
    )
    doc.organisations.append(Organisation(DEPT, None, department))
    units_by_name: dict[str, str] = {}
    for table in recognition.tables:
        if table.spec.data.get("layout") == "grid" and "unit_code" in (table.spec.data.get("row_keys") or {}):
            reader = TableReader(doc, table, {})
            cols = reader.key_columns()
            for line in table.rows:
                code, name = cell(line, cols.get("unit_code")), cell(line, cols.get("name"))
                if code and CODE.match(code) and name and not any(o.code == code for o in doc.organisations):
                    # a unit named like its department (“…办公室本级”) is the unit a project names
                    known = units_by_name.get(normalise(name))
                    if known is None or len(code) > len(known):
                        units_by_name[normalise(name)] = code
                    if len(code) <= 3:
                        doc.organisations[0].code = doc.organisations[0].code or code
                    else:
                        doc.organisations.append(Organisation(f"/unit/{code}", code, re.sub(r"\s+", "", name)))
    for title_text, spec, line in recognition.listed_titles:
        doc.listed_tables.append((title_text, spec.kind, line.number))
    for table in recognition.tables:
        reader = TableReader(doc, table, units_by_name)
        notes = [n.text.strip() for n in table.notes]
        before = len(doc.observations)
        LAYOUTS[table.spec.data["layout"]](reader)
        has_figures = len(doc.observations) > before
        empty_note = next((n for n in notes if EMPTY_TABLE.search(n)), None)
        if has_figures:  # a table with figures is declared empty only by a note that says so of the table
            empty_note = next((n for n in notes if re.search(r"本表(无数据|为空)", n)), None)
        doc.tables.append(TableRecord(
            ordinal=table.ordinal, kind=table.spec.kind, title=table.title, line=table.title_line.number,
            # what the note declares, even when the table prints figures (the validation reports that)
            page=table.page, unit=table.unit, declared_empty=bool(empty_note),
            empty_reason=empty_note, rows=len(table.rows), notes=notes,
        ))
    # the narrative before the tables, and the prose printed after them (其他相关情况说明, 决算情况说明)
    read_narrative(doc, recognition.narrative, [n for t in recognition.tables for n in t.notes])
    return doc


@lru_cache(maxsize=None)
def load_labels_project_types() -> dict[str, str]:
    """Printed project types (类型) → notation in the project-type code list."""
    return dict(load_labels().get("project_types", {}))

"""Projects: a table of projects (项目支出表) and the summary of project performance targets
(项目绩效目标汇总表, one pair of indicator columns per category)."""

from __future__ import annotations

from decimal import Decimal

from ..recognise.text import CODE, ORG_END, UNIT_CODE_LENGTHS, is_amount, normalise
from .model import DEPT, TOTAL, DocumentRecords, Project, parse_amount
from .codes import load_labels
from .indicators import read_indicators
from .nesting import project_groups
from .reader import TableReader, cell
from .row_keys import procurement_category


def read_projects(reader: TableReader) -> None:
    keys = reader.key_columns()
    amounts = reader.amount_columns()
    doc = reader.doc
    totals = load_labels()["totals"]
    category = ""  # the procurement category printed above (货物, 服务): its subtotal rows follow
    category_figures: list[str] = []  # the figures printed on that category's row
    procurement = "lp:procurementCategory" in reader.dimensions
    unit = DEPT  # the unit whose row (by its code in 单位编码, or by its name) the projects below are printed under
    # unit rows by their code only where projects are printed without one (else the code is each project's unit)
    unit_rows = (
        not procurement
        and "unit_code" in keys
        and (
            any(cell(line, keys.get("project_name")) and not cell(line, keys.get("unit_code")) for line in reader.table.rows)
            or _unit_over_its_projects(reader, keys)
        )
    )
    # 广州: no code, the units' rows by their names (合计, 广州市商务局, its projects, 广州市国际投资促进中心, …)
    by_name = {} if procurement or unit_rows else named_unit_rows(reader, keys, totals)
    groups = set() if procurement else project_groups(reader, keys, amounts, set(by_name))
    # 江苏 政府采购支出预算表: 专项名称 | 经济科目 | 采购物品名称: a project's row (and its economic class's) over
    # the purchases printed under it, each purchase a row of its own
    purchases = keys.get("label") if procurement and keys.get("project_name") not in (None, keys.get("label")) else None
    spec, purchase = TOTAL, ""  # the project (专项) and the purchase printed last
    unit_names: dict[str, str] = {}  # unit code → the name printed on its first row
    last_project: tuple | None = None  # (unit, name, figures) of the project read last
    indicators = any(c.role == "indicator" for c in reader.columns)  # a table of targets: a project's rows run on over pages
    owner: str | None = None  # the project whose indicators the rows print (长春: 项目名称 | 年度资金总额 | 一级指标 …)
    levels: list[str | None] = [None, None]  # its indicators' first two levels, carried down merged cells
    page = None  # the page of the row read last
    for r, line in enumerate(reader.table.rows, start=1):
        used = {j for j in keys.values() if j is not None}
        kind, name, unit_name = (cell(line, keys.get(k)) for k in ("type", "project_name", "project_unit"))
        unit_code = cell(line, keys.get("unit_code"))
        label = name or unit_name
        turned, page = line.page != page, line.page
        if indicators and owner is not None and turned and name and not kind and not unit_code and not any(cell(line, c.index) for c in amounts):
            # the first row of a page printing only the end of the project's name beside its indicators (北京: the merged
            # cell of 11000023T000002103382-档案数字化及 | 其整理 cut by the page break): the name goes on, no project of its own
            project = next(p for p in doc.projects if p.key == owner)
            project.name += name
            _indicator(reader, line, owner, levels)
            reader.account_rest(r, line, used)
            continue
        if r in groups:
            reader.account_rest(r, line, used, "the sum of the projects printed under it: a group of projects (通用项目 …), its level seen only in the sums")
            continue
        if unit_rows and unit_code.isdigit() and not CODE.match(unit_code):
            # 西安: “1 全额” over the units, a kind of budget management (全额, 差额) and no organisation of its own
            reader.account_rest(r, line, used, f"the sum of the units of one kind of budget management (“{label}”) printed under it")
            continue
        if normalise(name) in totals and not kind and not unit_code:
            # 合计 printed in the name column (广州, 西安, 烟台, 杭州): the table's total, not a project of that name
            role, label, row_dims = "total", "", {"lp:project": TOTAL, "lp:organisation": DEPT}
        elif r in by_name:
            # a unit's row by its name (广州: the department's own, then each unit's), over the unit's projects
            unit = by_name[r]
            role, row_dims = "subtotal", {"lp:project": TOTAL, "lp:organisation": unit}
        elif unit_rows and CODE.match(unit_code) and unit_names.setdefault(unit_code, name) == name:
            # a unit's row by its code (西安: 121 the department, 121001 its unit), over the unit's projects; the
            # code printed again beside another name is that unit's project (长沙: 106001 | 长沙市公安局, then
            # 106001 | 大型警保卫及基础设施安全保护工作经费)
            role, row_dims = "subtotal", {"lp:project": TOTAL, "lp:organisation": reader.org_key(unit_code, name)}
            unit = row_dims["lp:organisation"] if len(unit_code) > 3 else DEPT
        elif category and purchases is not None and (cell(line, purchases) or (purchase and _continues(reader, line))):
            # a purchase, or the next line of a purchase whose name is printed once over two (部门集中采购 | 分散自行组织)
            purchase = label = cell(line, purchases) or purchase
            project = Project(
                key=str(len(doc.projects) + 1), name=purchase, type=None, unit_key=unit, unit_name=None, table=reader.table.ordinal, line=line.number
            )
            doc.projects.append(project)
            role, row_dims = "item", {"lp:project": project.key, "lp:organisation": unit, "lp:procurementCategory": category}
        elif category and purchases is not None and (name or cell(line, keys.get("econ_dept_name"))):
            # a project (专项) and its economic class, or the next class of the project above: the sum of the purchases under it
            econ = cell(line, keys.get("econ_dept_name"))
            if name:
                project = Project(
                    key=str(len(doc.projects) + 1), name=name, type=kind or None, unit_key=unit, unit_name=None, table=reader.table.ordinal, line=line.number
                )
                doc.projects.append(project)
                spec = project.key
            role, label, purchase = "subtotal", econ or name, ""
            row_dims = {"lp:project": spec, "lp:organisation": unit, "lp:procurementCategory": category}
            code = reader.resolver.resolve("economic-dept", econ) if econ else None
            if code:
                row_dims["lp:economicClassification"] = code
        elif not kind and not name and not unit_name:
            role, row_dims = "total", {"lp:project": TOTAL, "lp:organisation": DEPT}
            other = next((cell(line, j) for j in keys.values() if j is not None and cell(line, j)), "")
            if other and normalise(other) not in totals and "lp:procurementCategory" in reader.dimensions:
                # 政府采购支出表 (苏州, 江苏): a category (货物, 服务), then a unit's row inside it, over the
                # purchases printed under them: subtotals of the category, not totals of the table
                named = procurement_category(other)
                category = named or category
                figures = [cell(line, c.index) for c in amounts]
                org = DEPT if named else reader.org_key(None, other)  # a unit's row inside the category: its subtotal
                if category and not named and figures == category_figures and org == DEPT:
                    # the department's own row inside its category, the category's only unit: the same figures again
                    reader.account_rest(r, line, used, f"repeats the subtotal of the procurement category above (“{other}”, the category's only unit)")
                    continue
                if category:
                    role, label = "subtotal", other
                    row_dims = {"lp:project": TOTAL, "lp:organisation": org, "lp:procurementCategory": category}
                    category_figures = figures if named else category_figures
                    unit = org  # the unit's purchases follow (a category's row: the department's, until a unit's row)
        elif CODE.match(name) and len(name) in UNIT_CODE_LENGTHS:
            # a unit's code printed in the name column over its projects (a department's code has three digits, a
            # unit's six or nine); other digits are a project's name, or its first part (12345热线… cut at a page's foot)
            role, row_dims = "subtotal", {"lp:project": TOTAL, "lp:organisation": reader.org_key(name, unit_name)}
        else:
            org = reader.org_key(None, unit_name) if unit_name else unit
            if unit_rows and CODE.match(unit_code):
                org = unit = reader.org_key(unit_code, unit_names[unit_code])
            printed = (org, normalise(name), [cell(line, c.index) for c in amounts])
            if printed == last_project and not kind and indicators:
                # 长沙: a project's row printed again at the top of the next page, its indicators going on (in a list
                # of purchases two rows alike are two purchases)
                _indicator(reader, line, owner, levels)
                reader.account_rest(r, line, used, "the project of the row above printed again (its rows go on after a page break)")
                continue
            last_project = printed
            project = Project(
                key=str(len(doc.projects) + 1),
                name=name,
                type=kind or None,
                unit_key=org,
                unit_name=unit_name or None,
                table=reader.table.ordinal,
                line=line.number,
            )
            doc.projects.append(project)
            role, row_dims = "item", {"lp:project": project.key, "lp:organisation": org}
            if category:
                row_dims["lp:procurementCategory"] = category  # a purchase under the category printed above
        for col in amounts:
            j = col.index
            if not cell(line, j):
                continue
            used.add(j)
            if not is_amount(line.cells[j]):
                reader.skip(r, line, j, f"not a number: “{line.cells[j]}”")
                continue
            reader.observe(r, line, j, role, label, col.label, reader.dims(row_dims, col.dims), phase=reader.column_phase(col), year=reader.column_year(col))
        if indicators:
            if role == "item" and row_dims.get("lp:project", TOTAL) != TOTAL:
                owner, levels = row_dims["lp:project"], [None, None]  # a project's row: the indicators beside and under it are its own
            elif any(cell(line, c.index) for c in amounts):
                owner = None  # a unit's or the table's row: indicators under it belong to no project
            _indicator(reader, line, owner, levels)
        reader.account_rest(r, line, used)


def _indicator(reader: TableReader, line, owner: str | None, levels: list[str | None]) -> None:
    """The indicator a row prints under indicator columns, the project's that owns it."""
    if owner is not None:
        read_indicators(line, reader.columns, owner, reader, levels)


def _unit_over_its_projects(reader: TableReader, keys: dict[str, int]) -> bool:
    """Every row prints a unit's code, the unit's own row its name and the rows after it their projects' (长沙:
    106001 | 长沙市公安局, then 106001 | 大型警保卫及基础设施安全保护工作经费): a code printed first beside an
    organisation's name and again beside another name."""
    first: dict[str, str] = {}
    for line in reader.table.rows:
        code, name = cell(line, keys.get("unit_code")), cell(line, keys.get("project_name"))
        if CODE.match(code) and name and first.setdefault(code, name) != name and ORG_END.search(first[code]):
            return True
    return False


def named_unit_rows(reader: TableReader, keys: dict[str, int], totals) -> dict[int, str]:
    """The rows (1-based) of a project table that are units' rows by their names, with each unit's key: a table of
    one name column, no unit code and no unit column, whose first row after its total (合计) names the department
    or a unit the document names elsewhere (广州 部门预算项目支出及其他支出预算表: 合计, 广州市商务局, its
    projects, 广州市国际投资促进中心, its projects …); every later row of such a name is a unit's. None where the
    first row names neither (the rows are read as projects, as printed)."""
    if "unit_code" in keys or "project_unit" in keys or keys.get("project_name") is None:
        return {}
    found: dict[int, str] = {}
    for r, line in enumerate(reader.table.rows, start=1):
        name = cell(line, keys["project_name"])
        if not name or normalise(name) in totals:
            continue
        if reader.names_unit(name):
            found[r] = reader.org_key(None, name)  # (the department's own name: DEPT)
        elif not found:
            return {}  # the first name is a project's: no unit rows
    return _one_row_per_unit(reader, found)


def _one_row_per_unit(reader: TableReader, found: dict[int, str]) -> dict[int, str]:
    """A unit has one row over its projects: where a unit's name is printed on several rows, the row whose
    figure is the sum of the rows under it (up to the next unit's row) is the unit's, the others are projects
    named like it (广州 规划和自然资源局: 广州市城市规划展览中心, the building's project under the bureau, then the
    unit of that name over its own projects). Left as found when the figures choose no single row."""
    amounts = reader.amount_columns()
    if not amounts:
        return found
    rows = reader.table.rows
    col = amounts[0].index

    def figure(r: int) -> Decimal | None:
        text = cell(rows[r - 1], col)
        return parse_amount(text, "元") if is_amount(text) else None

    by_unit: dict[str, list[int]] = {}
    for r, unit in found.items():
        by_unit.setdefault(unit, []).append(r)
    for unit, printed in by_unit.items():
        if len(printed) < 2:
            continue
        fitting = []
        for r in printed:
            end = next((b for b in sorted(found) if b > r and found[b] != unit), len(rows) + 1)
            parts = [f for f in (figure(x) for x in range(r + 1, end)) if f is not None]
            total = figure(r)
            if total is not None and parts and abs(total - sum(parts)) <= Decimal("0.005") * len(parts):
                fitting.append(r)
        if len(fitting) == 1:
            for r in printed:
                if r != fitting[0]:
                    del found[r]
    return found


def _continues(reader: TableReader, line) -> bool:
    """A line of no key and no name that prints something besides its figures (an 采购组织形式): the next line of
    the row above."""
    if any(cell(line, j) for j in reader.key_cols):
        return False
    figures = {c.index for c in reader.amount_columns()}
    return any(cell(line, j) and j not in figures for j in range(len(line.cells)))


class ProjectIndex:
    """A document's projects by name and each project's 合计 figure, for looking a project up without
    reading every project and every observation of the document again (quadratic when a document
    prints its tables many times). Brought up to date from where it was left, since a document's
    projects and observations are only ever appended while it is read: the answers are those of a scan."""

    def __init__(self) -> None:
        self.projects = self.observations = 0  # how many of each it has read
        self.named: dict[str, list[Project]] = {}  # normalised name → the projects, in the document's order
        self.dashed: dict[str, list[Project]] = {}  # the same with — read as -
        self.totals: dict[str, Decimal] = {}  # project key → its last 合计 figure

    def update(self, doc: DocumentRecords) -> ProjectIndex:
        if len(doc.projects) < self.projects or len(doc.observations) < self.observations:
            self.__init__()  # not appended to: read again
        for p in doc.projects[self.projects :]:
            key = normalise(p.name)
            self.named.setdefault(key, []).append(p)
            self.dashed.setdefault(key.replace("—", "-"), []).append(p)
        for o in doc.observations[self.observations :]:
            project = o.dims.get("lp:project")
            if project and o.col and o.column_label.startswith("合计"):
                self.totals[project] = o.amount
        self.projects, self.observations = len(doc.projects), len(doc.observations)
        return self


def project_index(doc: DocumentRecords) -> ProjectIndex:
    """The document's `ProjectIndex`, up to date (kept on the document, outside its fields)."""
    index = doc.__dict__.get("_project_index")
    if index is None:
        index = doc.__dict__["_project_index"] = ProjectIndex()
    return index.update(doc)


def _match_project(doc: DocumentRecords, name: str, amount: Decimal | None) -> Project | None:
    index = project_index(doc)
    key = normalise(name)
    same = index.named.get(key) or index.dashed.get(key.replace("—", "-"), [])
    if len(same) > 1 and amount is not None:
        same = [p for p in same if index.totals.get(p.key) == amount] or same
    return same[0] if same else None


def read_project_targets(reader: TableReader) -> None:
    keys = reader.key_columns()
    amounts = reader.amount_columns()
    categories = reader.spec.get("indicator_categories", [])
    doc = reader.doc
    owner: Project | None = None
    order = [c["category"] for c in categories]
    for r, line in enumerate(reader.table.rows, start=1):
        code, name = cell(line, keys.get("project_code")), cell(line, keys.get("project_name"))
        used = {j for j in keys.values() if j is not None}
        figures = [(c.index, c) for c in amounts if c.index < len(line.cells) and is_amount(line.cells[c.index])]
        last_amount = max((j for j, _ in figures), default=(keys.get("project_name") or 0))
        if code:
            total = parse_amount(line.cells[figures[0][0]], reader.unit) if figures else None
            if len(code) <= 6:
                owner = None
                role, row_dims = "subtotal", {"lp:project": TOTAL, "lp:organisation": reader.org_key(code, name)}
            else:
                owner = _match_project(doc, name, total)
                if owner is None:
                    owner = Project(
                        key=str(len(doc.projects) + 1), name=name, type=None, unit_key=None, unit_name=None, table=reader.table.ordinal, line=line.number
                    )
                    doc.projects.append(owner)
                owner.code = code
                role, row_dims = "item", {"lp:project": owner.key, "lp:organisation": owner.unit_key or DEPT}
            for j, col in figures:
                used.add(j)
                reader.observe(r, line, j, role, name, col.label, reader.dims(row_dims, col.dims))
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
                doc.indicators.append(reader.indicator(line, owner.key, sequence[n] if n < len(sequence) else None, None, None, ind_name, value))
        reader.account_rest(r, line, used, "figure among the indicator cells (kept as indicator text)")

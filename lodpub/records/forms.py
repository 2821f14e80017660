"""Forms: label/value rows rather than a header over figures. The department-wide performance
targets (部门整体绩效目标表) and the performance form of one project (项目支出绩效目标表)."""

from __future__ import annotations

import re

from ..model import Column, Line
from ..recognise.columns import column_meanings, header_cell, lexicon
from ..recognise.text import NIL, is_amount, normalise
from .codes import load_labels
from .indicators import read_indicators
from .levels import level_name
from .model import DEPT, TOTAL, Project
from .projects import project_index
from .reader import TableReader, cell


def is_subheader(line: Line, continuing: bool = False) -> bool:
    """A row inside a form that heads the rows below it: no figure, and at least two cells (and half of
    them) terms of the header vocabulary (总体资金情况 | 预算支出总额 | 财政拨款 | 其他资金). A row whose
    every cell is a header term heads the rows below even with key columns (单位编码 | 单位名称 |
    年度预算申请 …) when two of its other cells say what figures are; and a row continuing such a
    header may be all group headings (资金总额 | 按收入性质分 | 按支出性质分)."""
    cells = [c.strip() for c in line.cells if c.strip()]
    if len(cells) < 2 or any(is_amount(c) for c in cells):
        return False
    lex = lexicon()
    meanings = [lex.get(header_cell(c).key) for c in cells]
    figures = sum(1 for m in meanings if m is not None and (m.total or m.dims or m.phase or m.indicator or m.ignore))
    if all(m is not None for m in meanings):
        if continuing:
            return True
        if any(m.key for m in meanings):
            return sum(1 for m in meanings if not m.key) >= 2 and figures >= 1 and len(cells) >= 3
    if any(m is not None and m.key for m in meanings):
        return False  # a label/value row (项目名称 | …), not a header
    return figures >= 2 and figures * 2 >= len(cells)


class SubHeaders:
    """The header rows printed inside a form, and the meaning of the columns under the latest of them."""

    def __init__(self, width: int):
        self.width = width
        self.block: list[Line] = []
        self.columns: list[Column] | None = None
        self.printed_width = 0  # the cells of the latest header's rows (a page whose grid differs prints other rows)

    def feed(self, line: Line) -> bool:
        """True when the line is a header row (kept for the rows below)."""
        if is_subheader(line, continuing=bool(self.block)):
            self.block.append(line)
            return True
        if self.block:
            self.printed_width = max(len(b.cells) for b in self.block)
            self.columns = column_meanings(self.block, max(self.width, self.printed_width))
            self.block = []
        return False

    def column(self, j: int) -> Column | None:
        return self.columns[j] if self.columns is not None and j < len(self.columns) else None

    def has_indicators(self) -> bool:
        return self.columns is not None and any(c.role == "indicator" and c.indicator == "name" for c in self.columns)


def read_subheaded_row(reader: TableReader, r: int, line: Line, sub: SubHeaders, row_dims: dict, label: str) -> set[int]:
    """The figures of a row under a header printed inside a form; returns the cells read."""
    used: set[int] = set()
    for j, text in enumerate(line.cells):
        col = sub.column(j)
        text = cell(line, j)
        if col is None or not text or not is_amount(text):
            continue
        if col.role == "amount":
            used.add(j)
            role = "item" if col.dims else "total"
            reader.observe(
                r, line, j, role, label, reader.column_label(col), reader.dims(row_dims, col.dims), phase=reader.column_phase(col), year=reader.column_year(col)
            )
        elif col.role in ("indicator", "ignore", "key") or col.quantity:
            used.add(j)  # an indicator value, a score, a count, a unit's code: not an amount of money
    return used


def _label_figure_pairs(cells: list[tuple[int, str]]) -> list[tuple[str, int]]:
    """(label, cell) of a row printing two or more pairs of a label and its figure side by side, else []."""
    pairs, label = [], None
    for j, text in cells:
        if is_amount(text):
            if label is None:
                return []
            pairs.append((label, j))
            label = None
        else:
            label = text
    return pairs if len(pairs) >= 2 and label is None else []


def read_overall_targets(reader: TableReader) -> None:
    doc = reader.doc
    budget_rows = reader.spec.get("budget_rows", [])
    goal_rows = {normalise(t) for t in reader.spec.get("goal_rows", [])}
    goal_headings = {normalise(t) for t in reader.spec.get("goal_headings", [])}
    identity_rows = {normalise(t) for t in reader.spec.get("identity_rows", [])}
    task_rows = {normalise(t) for t in reader.spec.get("task_rows", [])}
    goal_above: str | None = None  # a goal's label whose text is on the row below
    level1 = level2 = None
    in_indicators = False
    in_tasks = False  # in the block of annual main tasks with their budgets (read by _read_task)
    tasks_labelled = False  # … whose header row was found by the block's label (task_rows)
    sub = SubHeaders(max((len(line.cells) for line in reader.table.rows), default=0))
    levels: list[str | None] = [None, None]
    for r, line in enumerate(reader.table.rows, start=1):
        cells = [(j, c) for j, c in enumerate(line.cells) if c]
        if not cells:
            continue
        first = normalise(line.cells[0])
        if first and first not in task_rows:  # a new section of the form (年度总体目标 …) ends the block of tasks
            in_tasks = tasks_labelled = False
        if any(normalise(c) == "任务名称" for _, c in cells) or (first in task_rows and any(normalise(c) == "名称" for _, c in cells)):
            # 年度主要任务 | 任务名称 | 主要内容 | 预算金额; 广州: 年度重点工作任务 | 名称 | 主要实施内容 | 拟投入的资金（万元）
            in_tasks, tasks_labelled = True, first in task_rows
            continue
        if sub.feed(line):
            in_indicators = False
            continue
        if in_tasks and (sub.columns is not None or tasks_labelled):
            # the block's label printed again beside a task (its merged cell goes on over a page) is no task's
            _read_task(reader, r, line, [c for j, c in cells if not is_amount(c) and not (j == 0 and first in task_rows)])
            continue
        texts = [c for _, c in cells]
        if not any(is_amount(c) for c in texts):
            if goal_above is not None and len(texts) == 1:  # the goal, on the row below its label
                doc.indicators.append(reader.indicator(line, "document", "annual-goal", goal_above, None, goal_above, None, texts[0]))
                goal_above = None
                continue
            if normalise(texts[0]) in goal_rows and len(texts) > 1:  # after the tasks' header too (西安: 年度总体目标)
                if len(texts) == 2 and normalise(texts[1]) in goal_headings:  # 总体目标 | 年度目标, the goal below
                    goal_above = texts[0]
                else:
                    doc.indicators.append(reader.indicator(line, "document", "annual-goal", texts[0], None, texts[0], None, " ".join(texts[1:])))
                continue
        goal_above = None
        if normalise(texts[0]) in identity_rows:
            # whose form it is (西安: 部门（单位）名称 | 西安市商务局), no task nor budget figure; a code beside it (泉州: 部门名称 |
            # 泉州市人民政府办公室 | 部门预算编码 | 103) is reported as the department's
            reader.account_rest(r, line, set(), "a code of the department whose form it is (部门预算编码 beside 部门名称), not a budget figure")
            continue
        pairs = _label_figure_pairs(cells)
        if pairs and not in_indicators and not (sub.columns is not None and sub.has_indicators()):
            # 广州: 基本支出 | 58,118.59 | 财政拨款 | 92,008.68: each figure is its own label's (both were 基本支出)
            for label, j in pairs:
                _budget_figure(reader, r, line, j, label, budget_rows)
            continue
        if (sub.columns is not None and sub.has_indicators() or in_indicators) and len(line.cells) == 1:
            # a level's name on a line of its own sets the level; another line of one cell (the next table's number
            # 表16, 产 of 产出指标 printed down the form) is no indicator
            level = level_name(line.text)
            if level and _is_level1(level):
                level1 = levels[0] = level
            elif level:
                level2 = levels[1] = level
            continue
        if sub.columns is not None:
            if sub.has_indicators() and len(line.cells) != sub.printed_width:
                # a page of the form whose grid has other columns than the header's (西安: the levels' merged
                # cells printed on one page, not on the next): read by what the cells say
                used: set[int] = set()
                got = _indicator_cells(line, used)
                levels[0], levels[1] = got[0] or levels[0], got[1] or levels[1]
                if got[2]:
                    doc.indicators.append(reader.indicator(line, "document", None, levels[0], levels[1], got[2], got[3] or None))
                reader.account_rest(r, line, used, "figure under a header of the form that names no budget figure")
                continue
            if sub.has_indicators():
                read_indicators(line, sub.columns, "document", reader, levels)
            label = " ".join(c for j, c in cells if not is_amount(c) and (sub.column(j) is None or sub.column(j).role != "indicator"))
            used = read_subheaded_row(reader, r, line, sub, {"lp:organisation": DEPT, "lp:lineItem": TOTAL}, label)
            reader.account_rest(r, line, used, "figure under a header of the form that names no budget figure")
            continue
        if texts[:2] == ["一级指标", "二级指标"]:
            in_indicators = True
            continue
        figures = [(j, c) for j, c in cells if is_amount(c)]
        if figures and not in_indicators:
            label = " ".join(c for j, c in cells if not is_amount(c))
            for j, _ in figures:
                _budget_figure(reader, r, line, j, label, budget_rows)
            continue
        if not in_indicators:
            if any(header_cell(t).unit for t in texts):
                pass  # 广州: 部门预算支出 | 预算金额（万元） | 收入来源 | 预算金额（万元）, the header of budget rows
            elif len(texts) >= 2 and normalise(texts[-2]) != "任务名称":
                task, content = texts[-2], texts[-1]
                doc.indicators.append(reader.indicator(line, "document", "annual-task", "年度主要任务", None, task, None, content))
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
        doc.indicators.append(reader.indicator(line, "document", None, level1, level2, name, value, explanation))


TASK_BUDGET = (
    "the budget of an annual main task (年度主要任务) of the department-wide targets, or their sum: tasks are no "
    "dimension of that table (mappings/tables/kinds.yaml), and their sum need not be the department's total"
)


def _budget_figure(reader: TableReader, r: int, line: Line, j: int, label: str, budget_rows: list[dict]) -> None:
    """The figure in column j of a department-wide form's budget row `label`: read as the budget row of the
    form it names (an item or the total), else reported as skipped."""
    match = next((b for b in budget_rows if normalise(b["label"]) in normalise(label)), None)
    if match is None:
        reader.skip(r, line, j, f"budget row “{label}” not recognised")
        return
    row_dims = {"lp:organisation": DEPT, "lp:lineItem": TOTAL}
    reader.observe(r, line, j, "item" if match["dims"] else "total", label, "", reader.dims(row_dims, match["dims"]))


def _read_task(reader: TableReader, r: int, line: Line, texts: list[str]) -> None:
    """A row of the annual main tasks (the national 部门整体支出绩效目标表: 任务名称 | 主要内容 | 预算金额):
    the task and its content an indicator of the document; its figures reported as skipped (TASK_BUDGET),
    not read as totals of the department."""
    if texts and normalise(texts[0]) not in ("金额合计", "合计", "总计"):
        task, content = texts[0], " ".join(texts[1:]) or None
        reader.doc.indicators.append(reader.indicator(line, "document", "annual-task", "年度主要任务", None, task, None, content))
    reader.account_rest(r, line, set(), TASK_BUDGET)


_FORM_TITLE_END = re.compile(r"(?:支出)?绩效目标(?:申报|填报)?表$")
_UNIT_CODE = re.compile(r"^\d{3,}$")


def _project_of_title(title: str) -> dict[str, str]:
    """The project (and its unit) a performance form's title names, where no row does: “301007_泉州市公安局晋江
    国际机场分局_机场公安综合修缮改造项目绩效目标表” (unit code, unit, project), “2026年物业外包服务项目绩效目标表”."""
    text = _FORM_TITLE_END.sub("", normalise(title))
    parts = text.split("_")
    if len(parts) >= 3 and _UNIT_CODE.match(parts[0]):
        unit, text = parts[1], "_".join(parts[2:])
    else:
        unit = None
    text = re.sub(r"^\d{4}年度?", "", text)
    if not text or text.endswith(("整体", "总体", "部门")):
        return {}
    return {"name": text, **({"unit_name": unit} if unit else {})}


_INDICATOR_ROLES = ("level1", "level2", "name", "value")  # what the columns of `indicator_header` hold, in order


def _indicator_columns(cells: list[tuple[int, str]], keys: list[str], heads: list[str]) -> list[int | None]:
    """The columns of a form's indicator header (一级指标 | 二级指标 | 三级指标 | 指标值): each by the words of
    `indicator_header`, or, where the form prints another wording of the lexicon (指标内容 for 三级指标, 目标值
    for 指标值), by its meaning in headers.yaml, taken between the columns found on either side: a form that
    opens its indicator rows with 年度绩效指标 printed down its first column names no indicator there."""
    found = [next((j for (j, c), k in zip(cells, keys) if h in k), None) for h in heads]
    lex = lexicon()
    for n, role in enumerate(_INDICATOR_ROLES[: len(found)]):
        if found[n] is not None:
            continue
        after = max((j for j in found[:n] if j is not None), default=-1)
        before = min((j for j in found[n + 1 :] if j is not None), default=10**6)
        found[n] = next((j for j, c in cells if after < j < before and getattr(lex.get(header_cell(c).key), "indicator", None) == role), None)
    printed = {j for j, _ in cells}
    for n in range(1, len(found)):
        # two heads in one cell (一级指标二级指标 over two columns, the second's header blank): the second is the next column
        later = next((j for j in found[n + 1 :] if j is not None), 10**6)
        if found[n] is not None and found[n] == found[n - 1] and found[n] + 1 not in printed and found[n] + 1 < later:
            found[n] += 1
    return found


def _group_label(lex, text: str) -> bool:
    """A label of the indicators' rows printed down the form (绩效指标, 年度绩效指标): a header word, not a level."""
    return getattr(lex.get(header_cell(text).key), "indicator", None) in ("name", "group") and level_name(text) is None


def _indicator_cells(line: Line, used: set[int] | None = None) -> list[str]:
    """[level1, level2, name, value] of an indicator row read by what its cells say rather than by the
    header's columns: the levels first (a 一级指标 of labels.yaml, another name of a level: 数量指标), a group's
    label printed down the form (绩效指标) passed over, then the indicator's name and its value; `used`, when
    given, receives the cells read."""
    got = ["", "", "", ""]
    cells = [(j, c.strip()) for j, c in enumerate(line.cells) if c.strip()]
    lex = lexicon()
    while cells and not got[1]:
        if _group_label(lex, cells[0][1]):
            cells.pop(0)
            continue
        text = level_name(cells[0][1])
        if text is None:
            break
        cells.pop(0)
        got[0 if _is_level1(text) and not got[0] else 1] = text
    got[2:] = ([c for _, c in cells] + ["", ""])[:2]
    if used is not None:
        used.update(j for j, c in enumerate(line.cells) if c.strip() and j not in {k for k, _ in cells[2:]})
    return got


def _is_level1(level: str) -> bool:
    """A 一级指标 (labels.yaml indicator_level1: 产出指标, 效益指标 …) rather than a 二级指标."""
    return normalise(level) in load_labels().get("indicator_level1", {})


def _text_across(line: Line) -> bool:
    """A line of one cell among a form's indicator rows that names no level (表16, 注：…, 产 of 产出指标 printed
    down the form): no indicator."""
    return len(line.cells) == 1 and level_name(line.text) is None


def _wrapped_name(got: list[str]) -> bool:
    """An indicator row that is only a few characters of a name (the rest of the name above it): no level,
    no value."""
    return not got[0] and not got[1] and not got[3] and 0 < len(got[2]) <= 4


def read_project_form(reader: TableReader) -> None:
    """A 项目支出绩效目标填报表: one project, its label/value pairs, its funds and its indicators; several forms
    printed one after another under one title (西安 2020: 专项（项目）名称 starts each) are read one by one."""
    fields = {normalise(k): v for k, v in reader.spec.get("fields", {}).items()}
    rows = list(enumerate(reader.table.rows, start=1))
    starts = [n for n, (_, line) in enumerate(rows) if fields.get(normalise(next((c for c in line.cells if c.strip()), ""))) == "name"]
    bounds = [0] + starts[1:] + [len(rows)] if starts else [0, len(rows)]
    for a, b in zip(bounds, bounds[1:]):
        _read_one_form(reader, rows[a:b], fields, first=a == 0)


def _read_one_form(reader: TableReader, rows: list[tuple[int, Line]], fields: dict[str, str], first: bool) -> None:
    """One form: its rows (row number in the table, line); `fields` the printed labels of the project's fields."""
    doc = reader.doc
    spec = reader.spec
    by_label: dict[str, list[dict]] = {}
    for entry in spec.get("amounts", []):
        by_label.setdefault(normalise(entry["label"]), []).append(entry)
    values: dict[str, str] = {}
    labelled: set[str] = set()  # the fields the form prints a label for (filled in or left blank)
    figures: list[tuple[int, Line, int, dict]] = []  # (row, line, column, amount entry)
    indicator_cols: list[int] | None = None
    indicator_width = 0  # the cells of the indicators' header row
    level1 = level2 = None
    group_cols: dict[int, int] = {}  # group → column of its first label (项目资金总额 | 年度资金申请总额)
    pending: list[tuple[int, Line, str, int, str]] = []  # indicators, made once the project exists
    sub = SubHeaders(max((len(line.cells) for line in reader.table.rows), default=0))
    texted: tuple[str, int, int] | None = None  # the text field the row above ended with: (field, column, row)
    for r, line in rows:
        cells = [(j, c.strip()) for j, c in enumerate(line.cells) if c.strip()]
        keys = [normalise(c) for _, c in cells]
        heads = spec.get("indicator_header", [])
        if heads and sum(1 for k in keys if any(h in k for h in heads)) >= 3:
            indicator_cols, indicator_width = _indicator_columns(cells, keys, heads), len(line.cells)
            continue
        if indicator_cols is None and sub.feed(line):
            continue
        if indicator_cols is None and sub.has_indicators():  # indicators under a header inside the form
            parts = {c.indicator: cell(line, c.index) for c in sub.columns if c.role == "indicator" and cell(line, c.index)}
            name_value = parts.get("name"), " ".join(p for p in (parts.get("operator"), parts.get("value"), parts.get("unit")) if p)
            if name_value[0]:
                level1 = parts.get("level1") or level1
                level2 = parts.get("level2") or level2
                pending.append((r, line, name_value[0], name_value[1], (level1, level2)))
            continue
        if indicator_cols is not None:
            if len(line.cells) == indicator_width:
                got = [cell(line, j) if j is not None else "" for j in indicator_cols]
            elif not _text_across(line):
                # a page of the form whose grid has other columns than the header's (a blank column of the header
                # or the levels' merged cells not printed), a level's name on a line of its own: read by what the
                # cells say
                got = _indicator_cells(line)
            else:
                continue  # a line of text across the form (a note, the next table's number): no indicator
            if pending and pending[-1][1].number == line.number - 1 and _wrapped_name(got):
                # the end of the line above's indicator name, wrapped onto a line of its own (…治污减霾工 | 作)
                r0, line0, name0, value0, levels0 = pending[-1]
                pending[-1] = (r0, line0, name0 + got[2], value0, levels0)
                continue
            level1 = got[0] or level1
            level2 = got[1] or level2
            if got[2] or got[3]:
                pending.append((r, line, got[2], got[3], (level1, level2)))
            # the rest of the indicator section (scores, weights, 总分) holds no amount of money
            continue
        if texted is not None and len(cells) == 1 and cells[0][0] == texted[1] and texted[2] == r - 1 and normalise(cells[0][1]) not in fields:
            # the rest of a field's text the row above began, on a row of its own (a page break in Word cut
            # 项目名称 | 革命“五老”人员定期生活和医疗补 | then 助市级配套): no label, one text under the text
            values[texted[0]] += cells[0][1]
            texted = (texted[0], texted[1], r)
            continue
        texted = None
        used: set[int] = set()
        n = 0
        while n < len(cells):
            j, text = cells[n]
            key = normalise(text)
            nxt = cells[n + 1] if n + 1 < len(cells) else None
            if key in fields:
                labelled.add(fields[key])
            if key in fields and nxt is not None:
                values[fields[key]] = nxt[1]
                if fields[key] in ("name", "unit_name", "department") and len(cells) == n + 2:
                    texted = (fields[key], nxt[0], r)  # the field's text ends the row: it may go on below
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
                if nxt is not None and (is_amount(nxt[1]) or nxt[1] in NIL):
                    # under a header printed inside the form, every figure of the row with its column (the
                    # first may be a dash: 年度资金总额 | - | 1,033.00 | 1,033.00, nothing at the start of the year)
                    under = [(k, t) for k, t in cells[n + 1 :] if sub.column(k) is not None and sub.column(k).role != "unknown"]
                    if sub.columns is not None and under:
                        for k, t in under:
                            col = sub.column(k)
                            if col.role == "amount" and is_amount(t):
                                figures.append((r, line, k, {**entry, "column": col}))
                                used.add(k)
                            elif col.role in ("indicator", "ignore") or col.quantity:
                                used.add(k)
                        break
                    if is_amount(nxt[1]):
                        figures.append((r, line, nxt[0], entry))
                    used.add(nxt[0])
                    n += 2
                    continue
            n += 1
        reader.account_rest(r, line, used, "figure beside a label the performance form mapping does not know")
    if "name" not in labelled and first:  # 福建: no 项目名称 row, the title names the project (and its unit)
        values.update(_project_of_title(reader.table.title))
    name = values.get("name")
    project = None
    if name:
        project = next(iter(project_index(doc).named.get(normalise(name), [])), None)
        if project is None:
            project = Project(
                key=str(len(doc.projects) + 1),
                name=name,
                type=values.get("type"),
                unit_key=reader.org_key(None, values.get("unit_name")),
                unit_name=values.get("unit_name"),
                table=reader.table.ordinal,
                line=reader.table.title_line.number,
            )
            doc.projects.append(project)
    taken: dict[tuple, tuple[int, int]] = {}  # the dimensions of each figure read → (row, column) it was read at
    for r, line, j, entry in figures:
        if project is None:
            reader.skip(r, line, j, "performance form without a 项目名称")
            continue
        row_dims = {"lp:project": project.key, "lp:organisation": project.unit_key or DEPT}
        role = "total" if len(entry.get("dims", {})) == 1 else "item"
        col = entry.get("column")
        dims = reader.dims(row_dims, {**(col.dims if col is not None else {}), **entry.get("dims", {})})
        phase = reader.column_phase(col) if col is not None else None
        same = taken.setdefault((tuple(sorted(dims.items())), phase), (r, j))
        if same != (r, j):
            # a label printed twice (西安: 实施期资金总额 over both halves of the form, where the second is the year's
            # 年度资金总额): the figure is not read as the same line again, and the form's misprint is reported
            reader.skip(r, line, j, f"the same figure of the form as row {same[0]}, column {same[1] + 1} (“{entry['label']}” printed twice)")
            continue
        if col is None:
            reader.observe(r, line, j, role, entry["label"], entry["label"], dims)
        else:
            reader.observe(r, line, j, role, entry["label"], f"{entry['label']} {col.label}", dims, phase=phase, year=reader.column_year(col))
    for r, line, ind_name, value, (l1, l2) in pending:
        if project is None:
            continue
        doc.indicators.append(reader.indicator(line, project.key, None, l1, l2, ind_name or value, value or None))

"""Forms: label/value rows rather than a header over figures. The department-wide performance
targets (部门整体绩效目标表) and the performance form of one project (项目支出绩效目标表)."""

from __future__ import annotations

from ..recognise.text import is_amount, normalise
from .codes import load_labels
from .model import DEPT, TOTAL, Indicator, Project
from .reader import TableReader, cell


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


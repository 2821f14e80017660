"""Levels a table prints only in its sums: rows of one name column, no code, no indentation, where a row is
the sum of the rows under it (西安 部门综合预算专项业务经费支出表: 通用项目 over 办公用房物业管理服务项目 over
食堂包厨服务 and 物业管理服务). Read flat, such a table counts every figure two or three times; the nesting is
taken from the sums only where they prove it: the flat reading does not add up to the row above the rows,
and exactly one nesting does (every parent the sum of its children in every column, the top level the sum
the row above prints)."""

from __future__ import annotations

from decimal import Decimal

from ..recognise.text import CODE, is_amount, normalise
from .codes import load_labels
from .model import parse_amount
from .reader import TableReader, cell

Figures = tuple[Decimal, ...]
BUDGET = 20000  # steps of the search before it gives up (a nesting found past it is not trusted)


class _Search:
    def __init__(self, rows: list[Figures]):
        self.rows = rows
        self.steps = 0
        self.memo: dict[tuple[int, int, Figures], tuple[int, frozenset[int]]] = {}

    def parses(self, i: int, end: int, target: Figures) -> tuple[int, frozenset[int]]:
        """How many nestings of rows i..end-1 sum to `target` at their top level (0, 1 or 2 for more), and the
        parent rows of the first."""
        key = (i, end, target)
        if key in self.memo:
            return self.memo[key]
        self.steps += 1
        if self.steps > BUDGET:
            raise OverflowError
        if i == end:
            found = (1, frozenset()) if not any(target) else (0, frozenset())
            self.memo[key] = found
            return found
        row = self.rows[i]
        rest = tuple(t - a for t, a in zip(target, row))
        count, first = 0, frozenset()
        if all(x >= 0 for x in rest):
            n, parents = self.parses(i + 1, end, rest)  # row i a leaf
            count, first = n, parents
            for m in range(i + 2, end + 1):  # row i the parent of rows i+1..m-1
                if count > 1:
                    break
                below, inner = self.parses(i + 1, m, row)
                if not below:
                    continue
                after, outer = self.parses(m, end, rest)
                if after:
                    if not count:
                        first = inner | outer | {i}
                    count += below * after
        found = (min(count, 2), first)
        self.memo[key] = found
        return found


def nested_parents(rows: list[Figures], target: Figures) -> set[int]:
    """The rows (indexes into `rows`) that are sums of the rows printed under them, when the flat reading
    does not add up to `target` and exactly one nesting does; else none."""
    if not rows or any(x < 0 for row in rows for x in row) or any(len(row) != len(target) for row in rows):
        return set()
    flat = tuple(sum(col, Decimal(0)) for col in zip(*rows))
    if flat == target:
        return set()
    try:
        count, parents = _Search(rows).parses(0, len(rows), target)
    except (OverflowError, RecursionError):
        return set()
    return set(parents) if count == 1 else set()


def project_groups(reader: TableReader, keys: dict[str, int], amounts: list, units: set[int] = frozenset()) -> set[int]:
    """The rows (1-based, as the reader counts them) of a project table that are groups of the projects printed
    under them, the nesting seen only in the sums: each run of rows without a code, under a row that sums them
    (the table's 合计, a department's or a unit's row, by its code or, among `units`, by its name)."""
    name_cols = [keys.get(k) for k in ("type", "project_name", "project_unit")]
    code_col = keys.get("unit_code")
    totals = load_labels()["totals"]
    groups: set[int] = set()
    above: Figures | None = None  # the figures of the row over the run
    run: list[tuple[int, Figures]] = []

    def close() -> None:
        if above is not None and len(run) > 1:
            parents = nested_parents([f for _, f in run], above)
            groups.update(run[i][0] for i in parents)
        run.clear()

    for r, line in enumerate(reader.table.rows, start=1):
        texts = [cell(line, c.index) for c in amounts]
        if any(t and not is_amount(t) for t in texts):
            close()
            above = None
            continue
        figures = tuple(parse_amount(t, "元") if t else Decimal(0) for t in texts)
        names = [cell(line, j) for j in name_cols]
        coded = cell(line, code_col).isdigit() or any(CODE.match(n) for n in names if n)
        if coded or r in units or not any(names) or any(normalise(n) in totals for n in names):  # a unit's row, or the total
            close()
            above = figures
        elif any(figures):  # a row of no figure is no level
            run.append((r, figures))
    close()
    return groups

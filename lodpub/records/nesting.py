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
BUDGET = 100000  # steps of the search before it gives up (a nesting found past it is not trusted; ~1 s)


class _Search:
    def __init__(self, rows: list[Figures]):
        self.rows = rows
        self.steps = 0
        self.memo: dict[tuple[int, int, Figures], dict[int, tuple[int, frozenset[int]]]] = {}

    def parses(self, i: int, end: int, target: Figures) -> dict[int, tuple[int, frozenset[int]]]:
        """The nestings of rows i..end-1 that sum to `target` at their top level, by depth (the levels they
        take: 1 for rows side by side): how many of that depth (1, or 2 for more) and the parent rows of the first."""
        key = (i, end, target)
        if key in self.memo:
            return self.memo[key]
        self.steps += 1
        if self.steps > BUDGET:
            raise OverflowError
        found: dict[int, tuple[int, frozenset[int]]] = {}

        def add(depth: int, count: int, parents: frozenset[int]) -> None:
            known = found.get(depth)
            found[depth] = (min(known[0] + count, 2), known[1]) if known else (min(count, 2), parents)

        if i == end:
            if not any(target):
                add(0, 1, frozenset())
            self.memo[key] = found
            return found
        row = self.rows[i]
        rest = tuple(t - a for t, a in zip(target, row))
        if all(x >= 0 for x in rest):
            for depth, (n, parents) in self.parses(i + 1, end, rest).items():  # row i a leaf
                add(max(depth, 1), n, parents)
            for m in range(i + 2, end + 1):  # row i the parent of rows i+1..m-1
                below = self.parses(i + 1, m, row)
                if not below:
                    continue
                after = self.parses(m, end, rest)
                for inner_depth, (n_in, inner) in below.items():
                    for outer_depth, (n_out, outer) in after.items():
                        add(max(inner_depth + 1, outer_depth), n_in * n_out, inner | outer | {i})
        self.memo[key] = found
        return found


def nested_parents(rows: list[Figures], target: Figures) -> set[int]:
    """The rows (indexes into `rows`) that are sums of the rows printed under them, when the flat reading
    does not add up to `target` and one nesting does with the fewest levels (西安 商务局: 大型活动 200000 over
    政策业务培训 200000, then 大宗印刷项目 200000 over 商贸政策编印 200000, not 政策业务培训 over 大宗印刷项目 over
    商贸政策编印 a level deeper); else none."""
    if not rows or any(x < 0 for row in rows for x in row) or any(len(row) != len(target) for row in rows):
        return set()
    flat = tuple(sum(col, Decimal(0)) for col in zip(*rows))
    if flat == target:
        return set()
    try:
        found = _Search(rows).parses(0, len(rows), target)
    except (OverflowError, RecursionError):
        return set()
    if not found:
        return set()
    count, parents = found[min(found)]
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

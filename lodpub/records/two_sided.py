"""Two-sided tables (收支总表, 财政拨款收支总表): a revenue side and one or more expenditure sides
printed next to each other, each a label column followed by its figure columns. The expenditure
sides may list function classes, economic classes (部门 or 政府) or kinds of expenditure (支出用途)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..codelists import broader
from ..model import Column, Line
from ..recognise.text import is_amount, normalise, ordinal_level
from .codes import CodeResolver, function_class_by_name, load_labels
from .model import DEPT, parse_amount
from .reader import CURRENT_FUNDS, FUNDING, TableReader, carried_over, cell, row_meaning

CARRYOVER_ITEMS = {"beginning-carryover", "unit-carryover", "year-end-carryover"}
_NUMBERED = re.compile(r"^\s*[（(]?\d+\s*[.、．)）]")


@dataclass
class Side:
    label: Column
    direction: str
    amounts: list[Column] = field(default_factory=list)
    grouped: bool = False  # the label spans a group column and an item column (一般公共预算 | 小计)


def sides_of(columns: list[Column]) -> list[Side]:
    """The sides of a two-sided table: each label column with the figure columns after it. A side's
    direction is its header's (收入 / 支出), else the first side is revenue and the others expenditure."""
    sides: list[Side] = []
    for col in columns:
        if col.role == "key":
            direction = col.direction or ("revenue" if not sides else "expenditure")
            if col.direction is None and all(c.role != "key" or c.index == col.index for c in columns):
                direction = "either"  # one label column for both sides (a table turned round)
            if sides and sides[-1].direction == "revenue" and direction == "revenue" and not sides[-1].amounts:
                sides[-1].label = col  # two label columns on one side: the later one names the rows
                continue
            sides.append(Side(col, direction))
        elif col.role == "none" and sides and not sides[-1].amounts and sides[-1].label.index == col.index - 1:
            sides[-1].grouped = True
        elif col.role == "amount" and sides:
            sides[-1].amounts.append(col)
    return sides


def resolve_side_label(
    label: str, group: str, direction: str, axis: str | None = None, resolver: CodeResolver | None = None, context: str = ""
) -> tuple[str, dict[str, str]] | None:
    """The role and dimensions a printed row label of a two-sided table stands for: a line item or total
    (labels.yaml), a funding source, a function class (or, where the side lists them, its 款 and 项),
    an economic class on a side of economic classes, or a kind of expenditure (支出用途)."""
    labels = load_labels()
    key = normalise(label)
    key = re.sub(r"^其中[：:]", "", key)
    if key not in labels["funding"] and key.endswith("资金") and key[:-2] in labels["funding"]:
        key = key[:-2]  # 事业收入资金, 其他收入资金
    if key in labels["subtotals"] and group:
        key = normalise(group)
        funding = labels["funding"].get(key)
        return ("subtotal", {"lp:fundingSource": funding}) if funding else None
    if key in labels["items"]:
        return "total", {"lp:lineItem": labels["items"][key]}
    if key in labels.get("current_totals", ()):  # 西安 “一、部门预算” over the whole year
        return "total", {"lp:lineItem": "current-year-income" if direction == "revenue" else "current-year-expenditure"}
    if key in labels["totals"]:  # “总计” on either side
        return "total", {"lp:lineItem": "income-total" if direction == "revenue" else "expenditure-total"}
    if direction == "revenue" and key in labels["funding"]:
        return "item", {"lp:fundingSource": labels["funding"][key]}
    if direction == "expenditure" and axis in ("economic-dept", "economic-gov") and resolver is not None:
        code = resolver.resolve(axis, label, context)
        if code:
            dim = "lp:economicClassification" if axis == "economic-dept" else "lp:governmentEconomicClassification"
            return "item", {dim: code}
    if direction == "expenditure" and axis != "expenditure-kind":
        code = function_class_by_name(key) if resolver is None else resolver.resolve("function", label, context)
        if code:
            return "item", {"lp:functionalClassification": code}
    if key in labels["funding"]:
        return "item", {"lp:fundingSource": labels["funding"][key]}
    meaning = row_meaning(label)  # a term of the header vocabulary: 政府性基金预算拨款, 基本支出, 结转下年
    if meaning:
        if "lp:lineItem" in meaning:
            return "total", meaning
        if direction == "revenue" and "lp:fundingSource" in meaning:
            return "item", meaning
        if direction == "expenditure" and ("lp:expenditureKind" in meaning or "lp:fundingSource" in meaning):
            return "item", meaning
    return None


def _deeper_lines_follow(label: str, above: list[Line], following: list[Line], label_col: int) -> bool:
    """Whether the next labelled line in the same column is numbered one level deeper than this one
    (一、本年收入 over （一）一般公共预算拨款, 一、财政拨款收入 over 1. 一般公共预算资金), or, under a numbered
    line, is an unnumbered source of funds (烟台: 一、财政拨款收入 over 一般公共预算收入, 政府性基金预算收入
    before 二、财政专户管理资金收入); a “其中：” line is a part only, not a breakdown. An unnumbered line
    stands at the level of the numbered lines above it (国有资本经营预算收入 before 二、事业收入 is no parent)."""
    nxt = next((line for line in following if cell(line, label_col)), None)
    if nxt is None:
        return False
    below, level = cell(nxt, label_col), ordinal_level(label)
    if level == 0:
        numbered = (ordinal_level(cell(line, label_col)) for line in reversed(above) if cell(line, label_col))
        return ordinal_level(below) > next((n for n in numbered if n), 0)
    if ordinal_level(below) > level:
        return True
    return ordinal_level(below) == 0 and not _PART.match(below) and _funding_key(below) is not None


_PART = re.compile(r"^\s*其中")
_TOTAL = re.compile(r"(?:合计|小计|总计)\s*$")


def _funding_key(label: str) -> str | None:
    """The funding source a printed label names (一般公共预算收入, 政府性基金预算收入 …), or None."""
    funding = load_labels()["funding"]
    key = normalise(label)
    for candidate in (key, key.removesuffix("收入"), key.removesuffix("资金")):
        if candidate in funding:
            return funding[candidate]
    return None


CLASS_DIMS = ("lp:functionalClassification", "lp:economicClassification", "lp:governmentEconomicClassification")


def read_two_sided(reader: TableReader) -> None:
    sides = sides_of(reader.columns)
    group = ""
    parents: dict[str, str] = {}  # direction → the carry-over line whose breakdown by funding follows
    contexts: dict[int, tuple[str, int]] = {}  # side → the last class code read (the 类 a 款 name follows), its label's ordinal level
    kinds: dict[int, tuple[int, str]] = {}  # side → (ordinal level, kind of expenditure) of the line over the lines read
    pending: list[tuple[int, Line, Side, str, str, dict, list[Column]]] = []
    read_lines: set[int] = set()  # the sides that printed a line of figures before their current-year total
    closed: set[int] = set()  # the sides whose current-year total closed the lines above it, and no grand total yet
    for r, line in enumerate(reader.table.rows, start=1):
        used: set[int] = set()
        spanning = ""  # a total's label with no figure of its own: its cell may be merged over the next side
        for n, side in enumerate(sides):
            label_col = side.label.index
            label = cell(line, label_col)
            if side.grouped:  # “一般公共预算 | 小计”: a group cell, then the item
                if label:
                    group = label
                label = cell(line, label_col + 1) or label
                used.add(label_col + 1)
            used.add(label_col)
            cells = [c for c in side.amounts if cell(line, c.index)]
            if not label and cells and n and sides[n - 1].direction == side.direction:
                label = spanning  # 江苏: “当年支出小计” over both classifications of expenditure, its figure at the end
            spanning = label if label and not cells and _TOTAL.search(label) else ""
            direction = side.direction
            if direction == "either":  # a revenue line (a source of funds, 收入…) or an expenditure line
                key = normalise(label)
                labels = load_labels()
                direction = "revenue" if ("收入" in key or key in labels["funding"]) else "expenditure"
            context, numbered = contexts.get(n, ("", 0))
            if numbered and ordinal_level(label) == numbered:
                context = ""  # numbered as the class above (19、自然资源, 20、住房保障): its sibling, not its 款
            resolved = resolve_side_label(label, group, direction, side.label.axis, reader.resolver, context) if label else None
            if resolved is not None:
                code = next((resolved[1][d] for d in CLASS_DIMS if d in resolved[1]), None)
                if code:
                    contexts[n] = (code, ordinal_level(label))
            if label:
                resolved = _under_kind(kinds, n, label, resolved, reader.table.rows[r:], label_col)
            if not cells:
                continue
            if resolved is None:
                for c in cells:
                    used.add(c.index)
                    reader.skip(
                        r, line, c.index, f"row label “{label}” not recognised" if label else "no row label: the label cell on its side of the table is blank"
                    )
                continue
            role, row_dims = resolved
            item = row_dims.get("lp:lineItem")
            if item in _CURRENT.values() and n in read_lines:
                closed.add(n)  # 本年收入合计 under the year's lines: what follows it is outside them
            elif item in ("income-total", "expenditure-total"):
                closed.discard(n)
            if item:  # “年初财政拨款结转和结余”, then “一、一般公共预算财政拨款 21.63”: its funding breakdown
                if item in CARRYOVER_ITEMS:
                    parents[direction] = item
                else:
                    parents.pop(direction, None)
            elif "lp:fundingSource" in row_dims and direction in parents:
                role, row_dims = "item", {**row_dims, "lp:lineItem": parents[direction]}
            elif n in closed and ("lp:fundingSource" in row_dims or "lp:expenditureKind" in row_dims):
                # 烟台: 上级补助收入 under 本年收入合计, 对附属单位的补助支出 under 本年支出合计: outside the year's
                # total, within the grand total (its source of funds or kind of expenditure kept)
                role, row_dims = "item", {**row_dims, "lp:lineItem": _ADDITIONAL[direction]}
            else:
                read_lines.add(n)
            # “一、财政拨款收入” over “1. 一般公共预算资金”, “一、本年收入” over “（一）一般公共预算拨款”: a subtotal
            rows = reader.table.rows
            if role == "item" and "lp:fundingSource" in row_dims and _deeper_lines_follow(label, rows[: r - 1], rows[r:], label_col):
                role = "subtotal"
            if role == "item" and _PART.match(label):  # “其中：…”: a part of the line above, not an item of the side
                role = "subtotal"
            row_dims = {**row_dims, "lp:direction": direction, "lp:organisation": DEPT}
            used.update(c.index for c in cells)
            pending.append((r, line, side, role, label, row_dims, cells))
        reader.account_rest(r, line, used)
    pending = _over_narrower_sources(_current_year_blocks(pending))
    # a side that lists 款 or 项 under its classes: the classes are subtotals, the deepest codes items
    deep = {id(side) for _, _, side, _, _, dims, _ in pending if any(len(dims.get(d, "")) > 3 and dims.get(d, "").isdigit() for d in CLASS_DIMS)}
    lines = []  # (row, line, column, role, label, dimensions, phase, year), in reading order
    for r, line, side, role, label, row_dims, cells in pending:
        if id(side) in deep:
            code = next((row_dims[d] for d in CLASS_DIMS if d in row_dims), "")
            if (
                code.isdigit()
                and len(code) < 7
                and any(
                    len(other.get(d, "")) > len(code) and other.get(d, "").startswith(code)
                    for _, _, s2, _, _, other, _ in pending
                    if s2 is side
                    for d in CLASS_DIMS
                )
            ):
                role = "subtotal"
        for c in cells:
            text = cell(line, c.index)
            if not is_amount(text):
                reader.skip(r, line, c.index, f"not a number: “{text}”")
                continue
            col_dims = {k: v for k, v in c.dims.items() if c.side_dims.get(k) != v}  # the side is the row's
            dims, why = _row_funding_by_column(row_dims, col_dims, c, side)
            if why:
                reader.skip(r, line, c.index, why)
                continue
            lines.append((r, line, c, role, label, reader.dims(dims, col_dims), reader.column_phase(c), reader.column_year(c)))
    kept = _first_of_repeats(lines)
    for r, line, c, role, label, dims, phase, year in lines:
        first = kept[(r, c.index)]
        if first[:2] != (r, c.index):
            reader.skip(r, line, c.index, f"the same line as row {first[0]} prints (“{first[2]}”), printed again")
            continue
        reader.observe(r, line, c.index, role, label, c.label, dims, phase=phase, year=year)


def _row_funding_by_column(row_dims: dict, col_dims: dict, c: Column, side: Side) -> tuple[dict, str | None]:
    """The dimensions of a line naming a source of funds under columns that split each line into this year's
    money and the money carried over (吉林: 本年预算 = 编制预算 + 上年结转): under 编制预算 it is the source's money
    of this year, what the source's code means everywhere else; under 上年结转, the source's carry-over as the
    header qualifies it (一般公共预算拨款 → the general public budget's carry-over), reported where the code lists
    have none; under 本年预算 the two together, for which they have no code: reported, its parts being in the
    graph. Elsewhere the row's source of funds is the line's, as the row's dimensions are."""
    source = row_dims.get(FUNDING)
    if source is None or not any(x.dims.get(FUNDING) == CURRENT_FUNDS for x in side.amounts) or not any(FUNDING in x.qualify for x in side.amounts):
        return row_dims, None
    if FUNDING in c.qualify:
        carried = carried_over(source, c)
        if carried is None:
            return row_dims, f"the carry-over of a source of funds ontology/codelists.ttl has no code for ({source})"
        return {**row_dims, FUNDING: carried}, None
    if FUNDING not in col_dims:
        return row_dims, "this year's money and the carry-over of one source of funds together (each in the graph): no code for the sum"
    return row_dims, None


def _line_key(dims: dict, phase, year) -> tuple:
    return tuple(sorted(dims.items())), phase, year


def _same_figure(a: str, b: str) -> bool:
    """Two printed figures of one line: equal as printed, or equal at the precision of the one printed with
    fewer decimals (西安: 一、部门预算 852063605.8 over 本年收入合计 852063605.79; “25180591 .33”, a blank the
    extraction left inside, is 25180591.33)."""
    x, y = parse_amount(a, "元"), parse_amount(b, "元")
    if x.as_tuple() == y.as_tuple():
        return True
    places = min(-x.as_tuple().exponent, -y.as_tuple().exponent)
    if places < 1:
        return False  # whole numbers are compared as printed (a rounding to 元 is no evidence of one line)
    quantum = Decimal(1).scaleb(-places)
    return x.quantize(quantum, rounding=ROUND_HALF_UP) == y.quantize(quantum, rounding=ROUND_HALF_UP)


def _first_of_repeats(lines: list) -> dict[tuple[int, int], tuple[int, int, str]]:
    """The line kept of each line printed more than once with the same figure, by (row, column) of each: a total
    that every expenditure side repeats is kept on the first side (西安: one side by function, two by economic
    class); a heading over its block repeating the total below (一、部门预算 = 本年收入合计, even printed with one
    decimal less) gives way to the total."""
    headings = set(load_labels().get("current_totals", ()))
    groups: dict[tuple, list[list]] = {}  # line key → [figure, kept (row, column, label, is heading), members]
    for r, line, c, role, label, dims, phase, year in lines:
        figure = cell(line, c.index)
        candidates = groups.setdefault(_line_key(dims, phase, year), [])
        group = next((g for g in candidates if _same_figure(g[0], figure)), None)
        if group is None:
            candidates.append([figure, (r, c.index, label, normalise(label) in headings), [(r, c.index)]])
            continue
        group[2].append((r, c.index))
        first = group[1]
        if first[3] and normalise(label) not in headings and first[1] == c.index:
            group[1] = (r, c.index, label, normalise(label) in headings)
    return {member: g[1][:3] for candidates in groups.values() for g in candidates for member in g[2]}


def _under_kind(kinds: dict[int, tuple[int, str]], n: int, label: str, resolved, following: list[Line], label_col: int):
    """A side of economic classes broken down by kind of expenditure (西安: 1、人员经费和公用经费支出 over (1)工资福利支出 …,
    2、专项业务经费支出 over (1)工资福利支出 … again): the classes numbered under a kind are of that kind, and the
    kind's line is their subtotal. `kinds` holds, per side, the level and kind of the line over the lines read."""
    level = ordinal_level(label)
    if n in kinds and level <= kinds[n][0]:
        del kinds[n]
    if resolved is None or not level:
        return resolved
    role, dims = resolved
    classes = any(d in dims for d in CLASS_DIMS)
    if "lp:expenditureKind" in dims and not classes:
        nxt = next((line for line in following if cell(line, label_col)), None)
        if nxt is not None and ordinal_level(cell(nxt, label_col)) > level:
            kinds[n] = (level, dims["lp:expenditureKind"])
            return "subtotal", dims
    elif n in kinds and classes and "lp:expenditureKind" not in dims:
        return role, {**dims, "lp:expenditureKind": kinds[n][1]}
    return resolved


_CURRENT = {"revenue": "current-year-income", "expenditure": "current-year-expenditure"}
_ADDITIONAL = {"revenue": "additional-income", "expenditure": "additional-expenditure"}


def _current_year_blocks(pending: list) -> list:
    """A side without a current year's total whose first block, numbered 一、 and named by its source of funds,
    is followed by a carry-over numbered 二、 (杭州 财政拨款收支预算总表: 一、财政拨款 over 一般公共预算 …, then
    二、上年结转结余): the first block's line is the current year's total of the side."""
    out = list(pending)
    for side in {id(p[2]): p[2] for p in pending}.values():
        lines = [(k, p) for k, p in enumerate(pending) if p[2] is side]
        directions = {p[5]["lp:direction"] for _, p in lines}
        if len(directions) != 1 or any(p[5].get("lp:lineItem") in _CURRENT.values() for _, p in lines):
            continue
        first = next(((k, p) for k, p in lines if ordinal_level(p[4]) == 1), None)
        if first is None or first[1][3] != "subtotal" or "lp:fundingSource" not in first[1][5]:
            continue
        after = [p for k, p in lines if k > first[0] and ordinal_level(p[4]) == 1]
        if after and after[0][5].get("lp:lineItem") in CARRYOVER_ITEMS:
            r, line, s, _, label, dims, cells = first[1]
            dims = {d: v for d, v in dims.items() if d != "lp:fundingSource"} | {"lp:lineItem": _CURRENT[dims["lp:direction"]]}
            out[first[0]] = (r, line, s, "total", label, dims, cells)
    return out


def _over_narrower_sources(pending: list) -> list:
    """An item naming a source of funds broader than another item's of its side (财政拨款 beside 一般公共预算 in
    江苏's table turned round, one row per year) is their subtotal: the side counted it twice."""
    above = broader()
    prefix = "https://w3id.org/lodpub/code/funding/"
    out = list(pending)
    for side in {id(p[2]): p[2] for p in pending}.values():
        items = [(k, p) for k, p in enumerate(pending) if p[2] is side and p[3] == "item" and "lp:fundingSource" in p[5] and "lp:lineItem" not in p[5]]
        wider = {s for _, p in items for s in above.get(prefix + p[5]["lp:fundingSource"], ())}
        for k, p in items:
            if prefix + p[5]["lp:fundingSource"] in wider:
                out[k] = (*p[:3], "subtotal", *p[4:])
    return out

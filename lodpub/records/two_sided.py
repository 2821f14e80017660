"""Two-sided tables (收支总表, 财政拨款收支总表): a revenue side and one or more expenditure sides
printed next to each other, each a label column followed by its figure columns. The expenditure
sides may list function classes, economic classes (部门 or 政府) or kinds of expenditure (支出用途)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Column, Line
from ..recognise.text import is_amount, normalise
from .codes import function_class_by_name, load_labels
from .model import DEPT
from .reader import TableReader, cell

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
            if sides and sides[-1].direction == "revenue" and direction == "revenue" and not sides[-1].amounts:
                sides[-1].label = col  # two label columns on one side: the later one names the rows
                continue
            sides.append(Side(col, direction))
        elif col.role == "none" and sides and not sides[-1].amounts and sides[-1].label.index == col.index - 1:
            sides[-1].grouped = True
        elif col.role == "amount" and sides:
            sides[-1].amounts.append(col)
    return sides


def resolve_side_label(label: str, group: str, direction: str, axis: str | None = None) -> tuple[str, dict[str, str]] | None:
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


def _has_numbered_lines(following: list[Line], label_col: int) -> bool:
    """Whether the lines right after a row are numbered (1. / 1、) in the same label column."""
    nxt = next((line for line in following if cell(line, label_col)), None)
    return bool(nxt and re.match(r"^\s*\d+\s*[.、．]", cell(nxt, label_col)))


def read_two_sided(reader: TableReader) -> None:
    sides = sides_of(reader.columns)
    group = ""
    parents: dict[str, str] = {}  # direction → the carry-over line whose breakdown by funding follows
    for r, line in enumerate(reader.table.rows, start=1):
        used: set[int] = set()
        for side in sides:
            label_col = side.label.index
            label = cell(line, label_col)
            if side.grouped:  # “一般公共预算 | 小计”: a group cell, then the item
                if label:
                    group = label
                label = cell(line, label_col + 1) or label
                used.add(label_col + 1)
            used.add(label_col)
            cells = [c for c in side.amounts if cell(line, c.index)]
            if not cells:
                continue
            resolved = resolve_side_label(label, group, side.direction, side.label.axis)
            if resolved is None:
                for c in cells:
                    used.add(c.index)
                    reader.skip(r, line, c.index, f"row label “{label}” not recognised")
                continue
            role, row_dims = resolved
            item = row_dims.get("lp:lineItem")
            if item:  # “年初财政拨款结转和结余”, then “一、一般公共预算财政拨款 21.63”: its funding breakdown
                if item in CARRYOVER_ITEMS:
                    parents[side.direction] = item
                else:
                    parents.pop(side.direction, None)
            elif "lp:fundingSource" in row_dims and side.direction in parents:
                role, row_dims = "item", {**row_dims, "lp:lineItem": parents[side.direction]}
            # “一、财政拨款收入” over “1. 一般公共预算资金”, “2. 政府性基金” …: a subtotal over numbered lines
            numbered = bool(re.match(r"^\s*\d+\s*[.、．]", label))
            if role == "item" and not numbered and "lp:fundingSource" in row_dims and _has_numbered_lines(reader.table.rows[r:], label_col):
                role = "subtotal"
            row_dims = {**row_dims, "lp:direction": side.direction, "lp:organisation": DEPT}
            for c in cells:
                used.add(c.index)
                text = cell(line, c.index)
                if not is_amount(text):
                    reader.skip(r, line, c.index, f"not a number: “{text}”")
                    continue
                col_dims = {k: v for k, v in c.dims.items() if c.side_dims.get(k) != v}  # the side is the row's
                reader.observe(r, line, c.index, role, label, c.label, reader.dims(row_dims, col_dims),
                               phase=reader.column_phase(c), year=c.year)
        reader.account_rest(r, line, used)

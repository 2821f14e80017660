"""Performance indicators (绩效指标) read from a row under indicator columns, by the readers of forms and of
tables of projects alike."""

from __future__ import annotations

from ..model import Column, Line
from ..recognise.text import normalise
from .codes import load_labels
from .model import Indicator
from .reader import TableReader


def indicator_from_row(line: Line, columns: list[Column], owner: str, reader: TableReader, levels: list[str | None]) -> Indicator | None:
    """A performance indicator from a row under indicator columns (一级指标 | 二级指标 | 三级指标 | 指标值 …);
    `levels` carries the first two levels down merged cells."""
    parts: dict[str, str] = {}
    category = None
    for col in columns:
        if col.role != "indicator" or col.index >= len(line.cells):
            continue
        text = line.cells[col.index].strip()
        category = category or col.category
        if text and col.indicator not in parts:
            parts[col.indicator] = text
    levels[0] = parts.get("level1") or levels[0]
    levels[1] = parts.get("level2") or levels[1]
    name = parts.get("name")
    if not name:
        return None
    value = " ".join(p for p in (parts.get("operator"), parts.get("value"), parts.get("unit")) if p) or None
    categories = load_labels().get("indicator_level1", {})
    category = category or categories.get(normalise(levels[0] or ""))
    return reader.indicator(line, owner, category, levels[0], levels[1], name, value, parts.get("explanation"))

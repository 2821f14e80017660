"""Performance indicators (绩效指标) read from a row under indicator columns, by the readers of forms and of
tables of projects alike."""

from __future__ import annotations

import re

from ..model import Column, Line
from ..recognise.text import normalise
from .codes import load_labels
from .levels import LEVEL
from .model import Indicator
from .reader import TableReader

# one indicator of a cell that packs a project's indicators (广州: “1.1－产出指标，11－数量指标，项目成果报告数量；
# 实施周期指标值：9份，年度指标值：4份；2、2－效益指标，22－社会效益，…”; or with “；” between the parts and “。” after
# each: “1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…”): its number, the numbered first and
# second levels, the name, the value over the project's whole period and the year's value (either may hold a
# “；” of its own: it ends where the next indicator begins)
_NEXT = r"(?:\d+[、.．])?\s*\d+[－-](?:产出|效益|成本|满意度)指标[，,；;]"
_UNTIL_NEXT = rf"(?:(?!{_NEXT}).)"
_PACKED = re.compile(
    rf"(?:\d+[、.．])?\s*\d+[－-](?P<level1>(?:产出|效益|成本|满意度)指标)[，,；;]\s*\d+[－-](?P<level2>[^，,；;]+)[，,；;]\s*"
    rf"(?P<name>{_UNTIL_NEXT}+?)[；;。]?\s*实施周期指标值[：:》](?P<period>{_UNTIL_NEXT}*?)[，,。；;]?\s*"
    rf"年度指标值[：:》](?P<annual>{_UNTIL_NEXT}*?)\s*[；;。]?\s*(?={_NEXT}|$)",
    re.S,
)


def read_indicators(line: Line, columns: list[Column], owner: str, reader: TableReader, levels: list[str | None]) -> None:
    """The performance indicators a row prints under indicator columns, added to the document: one, or each
    of those a cell packs (广州's 绩效指标 cell)."""
    indicator = indicator_from_row(line, columns, owner, reader, levels)
    if indicator is None:
        return
    plain = indicator.value is None and indicator.level1 is None
    packed = _packed(indicator.name) if plain else []
    last = reader.doc.indicators[-1] if reader.doc.indicators else None
    if plain and (not packed or packed[0][0] is None) and _a_cut_end(last, indicator):
        # the cell goes on from the row above (a page cut it): the end of that row's cell and the start of this
        # one are one text
        joined = _packed(last.name + indicator.name)
        if joined and joined[0][0] is not None:
            reader.doc.indicators.pop()
            packed = joined
    if not packed:
        reader.doc.indicators.append(indicator)
        return
    for level1, level2, name, value, period in packed:
        category = None if level1 else indicator.category
        reader.doc.indicators.append(reader.indicator(line, owner, category, level1, level2, name, value, period_value=period))


def _a_cut_end(last: Indicator | None, indicator: Indicator) -> bool:
    """The indicator before is the end of a packed cell that is no whole indicator, of the same project and table."""
    return last is not None and last.owner == indicator.owner and last.table == indicator.table and last.level1 is None and last.value is None


def _packed(text: str) -> list[tuple[str | None, str | None, str, str | None, str | None]]:
    """The indicators a cell packs, in order: (level1, level2, name, value, period value) with the year's value as
    the value and the whole period's beside it. Text between them or around them that is none (the
    end of a cell a page cut, continued in the next row) is one more each, its text as the name. Empty when
    the cell packs none."""
    found: list[tuple[str | None, str | None, str, str | None, str | None]] = []
    at = 0
    for m in _PACKED.finditer(text):
        if text[at : m.start()].strip(" ；;，,"):
            found.append((None, None, text[at : m.start()].strip(), None, None))
        period = m.group("period").strip()
        found.append((m.group("level1").strip(), m.group("level2").strip(), m.group("name").strip(), m.group("annual").strip() or None, period or None))
        at = m.end()
    if found and text[at:].strip(" ；;，,"):
        found.append((None, None, text[at:].strip(), None, None))
    return found if any(level1 for level1, *_ in found) else []


def _levels_in_name(name: str) -> tuple[str, str, str] | None:
    """A name printed after its two levels in one cell (北京: 产出指标数量指标出具数据分析报告): the 一级指标 of
    labels.yaml indicator_level1, then a level's name (数量指标, 服务对象满意度指标), then the name."""
    for level1 in sorted(load_labels().get("indicator_level1", {}), key=len, reverse=True):
        if not name.startswith(level1):
            continue
        rest = name[len(level1) :]
        end = rest.find("指标")
        while end != -1:
            level2, own = rest[: end + 2], rest[end + 2 :]
            if LEVEL.match(level2) and own:
                return level1, level2, own
            end = rest.find("指标", end + 2)
        return None
    return None


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
    split = _levels_in_name(normalise(name)) if levels[0] is None and levels[1] is None else None
    if split:
        levels[0], levels[1], name = split
    indicator = reader.indicator(line, owner, category or None, levels[0], levels[1], name, value, parts.get("explanation"))
    if split:
        levels[0] = levels[1] = None  # the next row's levels are its own cell's again
    return indicator

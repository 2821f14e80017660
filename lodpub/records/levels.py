"""The levels of performance indicators (一级指标 产出指标, 二级指标 数量指标 …) as the forms print them."""

from __future__ import annotations

import re

from ..recognise.text import normalise


# the name of a level of indicators (产出指标, 数量指标, 生态环境成本指标, 服务对象满意度指标), not of an indicator
LEVEL = re.compile(r"^[\u4e00-\u9fff]{0,6}(?:产出|数量|质量|时效|成本|效益|影响|满意度)指标$")


def level_name(text: str) -> str | None:
    """The level a cell names (数量指标; 标 质量指标: a character of 产出指标 printed down the form before it;
    数 量 指 标: its characters spaced out), or None."""
    whole = normalise(text)
    if not LEVEL.match(whole):
        return None
    last = normalise(text.split()[-1])
    return last if LEVEL.match(last) else whole


def printed_level(text: str) -> str:
    """A level as its cell prints it, without the blanks between its characters (产 出 指 标: 产出指标)."""
    return level_name(text) or "".join(text.split())

"""Kinds of table, found by the words of their titles (mappings/tables/kinds.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import TableSpec
from ..namespaces import MAPPINGS
from ..specs import load_yaml
from .text import term

KINDS_FILE = MAPPINGS / "tables" / "kinds.yaml"

# the ordinal printed before (or instead of) a title: 一、 （一） 1、 1. 表1 表1： 附表1 公开01表 预算01表
# 部门公开表1 预算表12 表九
# a table's own number: 表1, 表1-2, 附表1, 公开01表, 预算01表, 部门公开表1, 预算表12, 表九
TABLE_NUMBER = (
    r"(?:(?:部门|单位)?(?:公开|预算|决算|附)?表\s*[一二三四五六七八九十\d]+(?:[-—－]\d+)?"
    r"|(?:部门|单位)?(?:公开|预算|决算)\s*[一二三四五六七八九十\d]+\s*表)"
)
_TITLE_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（][一二三四五六七八九十\d]+[）][、.．]?|\d+(?:[-—－]\d+)?\s*[、.．：](?!\d)"
    r"|" + TABLE_NUMBER + r"[、.．：]?)"
)

# what goes before the year of a title, the year with it: “漯河市人民政府办公室2024年” of “…2024年部门收支总表”
# (never a year in the brackets after the title: 部门收支总表（2024年）)
_YEAR_PREFIX = re.compile(r"^(?:(?!表（).){0,40}?\d{4}年度?")

# a bracket that says what a table leaves out or takes in: （不含政府性基金、国有资本经营预算）, （含上年结转）
# (the kind is the title's before it: 项目支出表（含上年结转） is a table of projects), and the parts it lists
_EXCLUDING = re.compile(r"（([^（）]*含[^（）]*)）")
_BRACKET_PARTS = re.compile(r"[-—－、，,；;]")

# the brackets a title ends with: 部门收支总表（按功能分类）（单位：万元）
_TRAILING_BRACKETS = re.compile(r"(?:（[^（）]*）)+$")

# a line that is a sentence or a reference, not a title: punctuation inside, 详见附表, 注：…
SENTENCE = re.compile(r"[，。；！？]|详见|参见|见附|^(?:见|附件|注|说明|其中)")


def strip_ordinal(text: str) -> str:
    """A title without the ordinal printed before it (repeated: “1. 表1：…”)."""
    for _ in range(3):
        stripped = _TITLE_ORDINAL.sub("", text)
        if stripped == text:
            break
        text = stripped
    return text


def is_ordinal_only(text: str) -> bool:
    """A line that prints only a table's number: 表1, 公开01表, 部门公开表1, 表九, 预算表12."""
    t = term(text)
    return bool(t) and not strip_ordinal(t) and len(t) <= 12


def _without_exclusion(match: re.Match) -> str:
    """（按支出经济分类科目-不含上年结转） → （按支出经济分类科目）; （不含政府性基金、国有资本经营预算）,
    （含上年结转） → nothing: what a bracket qualifies the table by, up to the part that says what it
    leaves out or takes in (every part after it is one more thing left out or taken in)."""
    kept = []
    for part in _BRACKET_PARTS.split(match.group(1)):
        if "含" in part:
            break
        if part:
            kept.append(part)
    return f"（{'-'.join(kept)}）" if kept else ""


def title_core(text: str) -> str | None:
    """What identifies a table in a printed title, or None when the text is not a table title:
    the title without ordinal, organisation and year in front, and without brackets that exclude
    something; it ends in 表 (brackets that qualify it may follow)."""
    t = strip_ordinal(term(text))
    if not t or len(t) > 70 or SENTENCE.search(t):
        return None
    core = _EXCLUDING.sub(_without_exclusion, t)
    year_stripped = _YEAR_PREFIX.sub("", core)
    if year_stripped and year_stripped != core:
        core = year_stripped
    head = _TRAILING_BRACKETS.sub("", core)
    if not head.endswith("表") or len(head) > 45:
        return None
    return core


@lru_cache(maxsize=None)
def _data() -> dict:
    return load_yaml(KINDS_FILE)


@lru_cache(maxsize=None)
def load_specs() -> tuple[TableSpec, ...]:
    """The kinds of table, in the order their title rules are tried."""
    specs = []
    for entry in _data()["kinds"]:
        rules = entry.get("title")
        for rule in rules if isinstance(rules, list) else [rules]:
            # a kind with several title rules is tried once per rule; a rule may carry its own conditions
            data = dict(entry, title=rule)
            for condition in ("when_keys", "unless_keys", "when_layout"):
                if isinstance(rule, dict) and condition in rule:
                    data[condition] = rule[condition]
            specs.append(TableSpec(kind=entry["kind"], titles=[], data=data))
    return tuple(specs)


def _groups(core: str) -> frozenset[str]:
    return frozenset(g for g, words in _data()["words"].items() if any(w in core for w in words))


@lru_cache(maxsize=1 << 12)
def candidate_kinds(core: str) -> tuple[TableSpec, ...]:
    """The kinds whose title rule the title core meets, in rule order (the first that the table's
    layout and keys allow is its kind)."""
    found = _groups(core)
    out = []
    for spec in load_specs():
        rule = spec.data.get("title") or {}
        if not all(g in found for g in rule.get("all", [])):
            continue
        if rule.get("any") and not any(g in found for g in rule["any"]):
            continue
        if any(g in found for g in rule.get("none", [])):
            continue
        out.append(spec)
    return tuple(out)


def title_kind(core: str) -> str | None:
    """The kind a title names by its words alone: the first candidate whose title rule asks nothing of
    the table's layout or key columns (收入总表 names income by function, whatever its rows; 支出经济分类汇总表
    names expenditure by economic classification). Two titles naming one kind name the same table."""
    for spec in candidate_kinds(core):
        if not any(spec.data.get(c) for c in ("when_keys", "when_layout", "unless_keys")):
            return spec.kind
    return None


def choose_kind(candidates: tuple[TableSpec, ...], layout: str, key_axes: set[str]) -> TableSpec | None:
    """The first candidate kind whose conditions (layout, axes of the key columns) the table meets."""
    for spec in candidates:
        when_layout = spec.data.get("when_layout")
        if when_layout and when_layout != layout:
            continue
        when_keys = spec.data.get("when_keys")
        if when_keys and not key_axes.intersection(when_keys):
            continue
        if key_axes.intersection(spec.data.get("unless_keys") or ()):
            continue
        return spec
    return None

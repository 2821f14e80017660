"""Where an organisation is: the administrative division its name begins with (GB/T 2260 codes,
mappings/codes/divisions.csv) and the level of government that makes it (中央, 省, 市, 县)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from ..namespaces import MAPPINGS

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "盟", "旗")
_PARTY = re.compile(r"^(?:中共|中国共产党)")
_CENTRAL = re.compile(r"^(?:国家|中央|国务院|全国|中华人民共和国|中国(?!共产党))")


@dataclass(frozen=True)
class Division:
    code: str  # six digits of GB/T 2260
    name: str
    level: str  # province | prefecture | county
    parent: str


@lru_cache(maxsize=None)
def divisions() -> dict[str, Division]:
    path = MAPPINGS / "codes" / "divisions.csv"
    with path.open(encoding="utf-8") as f:
        return {r["code"]: Division(r["code"], r["name"], r["level"], r["parent"]) for r in csv.DictReader(f)}


@lru_cache(maxsize=None)
def _names() -> dict[str, tuple[str, ...]]:
    """Printed name (full, and without its 省/市/区/县 suffix) → codes of the divisions it names."""
    names: dict[str, set[str]] = {}
    for d in divisions().values():
        names.setdefault(d.name, set()).add(d.code)
        for suffix in _SUFFIXES:
            if d.name.endswith(suffix) and len(d.name) - len(suffix) >= 2:
                names.setdefault(d.name[: -len(suffix)], set()).add(d.code)
                break
    return {k: tuple(sorted(v)) for k, v in names.items()}


def _ancestors(code: str) -> set[str]:
    out, d = set(), divisions().get(code)
    while d is not None and d.parent:
        out.add(d.parent)
        d = divisions().get(d.parent)
    return out


def locate(name: str) -> tuple[Division | None, str | None]:
    """(division, level of government) of an organisation from the places its name begins with:
    上海市普陀区司法局 → 普陀区 (310107), county; 深圳市司法局 → 深圳市, prefecture; 国家信访局 → central."""
    text = _PARTY.sub("", re.sub(r"\s+", "", name))
    if _CENTRAL.match(text):
        return None, "central"
    names = _names()
    longest = max(len(k) for k in names)
    found: Division | None = None
    pos = 0
    while pos < len(text):
        match = None
        for size in range(min(longest, len(text) - pos), 1, -1):
            codes = names.get(text[pos : pos + size])
            if not codes:
                continue
            if found is not None:  # the next division must lie inside the one found
                codes = tuple(c for c in codes if found.code in _ancestors(c))
            if not codes:
                continue
            by_level = sorted(codes, key=lambda c: ("province", "prefecture", "county").index(divisions()[c].level))
            top = [c for c in by_level if divisions()[c].level == divisions()[by_level[0]].level]
            if len(top) == 1:
                match = divisions()[top[0]]
                pos += size
                break
        if match is None:
            break
        found = match
    if found is None:
        return None, None
    return found, found.level

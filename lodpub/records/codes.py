"""Classification codes and printed labels: function classes by name, row labels of two-sided
tables, project types (mappings/codes/*.csv, mappings/tables/labels.yaml)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import yaml

from ..namespaces import MAPPINGS
from ..recognise.text import normalise, term


@lru_cache(maxsize=None)
def load_labels() -> dict:
    return yaml.safe_load((MAPPINGS / "tables" / "labels.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_labels_project_types() -> dict[str, str]:
    """Printed project types (类型) → notation in the project-type code list."""
    return dict(load_labels().get("project_types", {}))


@lru_cache(maxsize=None)
def function_class_names() -> dict[str, str]:
    """Normalised 类 names (without 支出) → 3-digit code."""
    names: dict[str, str] = {}
    path = MAPPINGS / "codes" / "function-classes.csv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names[_strip_expenditure(normalise(row["name_zh"]))] = row["code"]
    return names


def _strip_expenditure(name: str) -> str:
    return re.sub(r"(支出|事务)$", "", name)


def function_class_by_name(label: str) -> str | None:
    names = function_class_names()
    key = _strip_expenditure(normalise(label))
    if key in names:
        return names[key]
    former = {_strip_expenditure(normalise(k)): str(v) for k, v in (load_labels().get("function_class_names") or {}).items()}
    if key in former:  # a former name of the class (医疗卫生与计划生育支出 → 210 卫生健康支出)
        return former[key]
    for name, code in names.items():  # “资源勘探信息等” vs “资源勘探工业信息等”
        if len(key) >= 4 and (name.startswith(key[:4]) and name.endswith(key[-2:])):
            return code
    return None


def name_key(name: str) -> str:
    """A printed name as compared with the names of codes: no ordinal, blanks or bracket style."""
    return term(name)


@lru_cache(maxsize=None)
def national_names() -> dict[str, dict[str, tuple[str, ...]]]:
    """axis → name → the codes of the national classification printed with that name
    (mappings/codes/*.csv; a name printed under several codes, such as 行政运行, has several)."""
    out: dict[str, dict[str, set[str]]] = {"function": {}, "economic-dept": {}, "economic-gov": {}}
    for axis, files in (("function", ("function-classes.csv", "function.csv")),
                        ("economic-dept", ("economic-dept-classes.csv", "economic-dept.csv")),
                        ("economic-gov", ("economic-gov.csv",))):
        for file in files:
            path = MAPPINGS / "codes" / file
            if not path.exists():
                continue
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    name = row.get("name_zh") or row.get("name") or ""
                    for n in [name] + [x for x in (row.get("former_names") or "").split("|") if x]:
                        out[axis].setdefault(name_key(n), set()).add(row["code"])
    return {axis: {k: tuple(sorted(v)) for k, v in names.items()} for axis, names in out.items()}


class CodeResolver:
    """Codes for names printed without them, found first among the code/name pairs the same document
    prints in its other tables, then in the national classification; the rows above (the 类 and 款
    a 项 name follows) choose among codes that share a name (行政运行 is 2010101, 2010301 …)."""

    def __init__(self):
        self.names: dict[str, dict[str, set[str]]] = {}

    def learn(self, axis: str, code: str, name: str) -> None:
        if code and code.isdigit() and name:
            self.names.setdefault(axis, {}).setdefault(name_key(name), set()).add(code)

    def resolve(self, axis: str, name: str, context: str = "") -> str | None:
        key = name_key(name)
        for source in (self.names.get(axis, {}), national_names().get(axis, {})):
            codes = sorted(source.get(key, ()))
            if not codes:
                continue
            found = _choose(codes, context)
            if found:
                return found
        if axis == "function":
            return function_class_by_name(name)
        return None


def _choose(codes: list[str], context: str) -> str | None:
    """The code among several that the rows above point to: a child of the deepest code above, else of
    its parents, else the only code at the top (a 类) or the only code at all."""
    for depth in (len(context), 5, 3):
        parent = context[:depth]
        if not parent:
            continue
        children = [c for c in codes if c.startswith(parent) and len(c) > len(parent)]
        if len(children) == 1:
            return children[0]
        if len(children) > 1:
            nearest = [c for c in children if len(c) == min(len(x) for x in children)]
            if len(nearest) == 1:
                return nearest[0]
    top = [c for c in codes if len(c) == 3]
    if len(top) == 1:
        return top[0]
    return codes[0] if len(codes) == 1 else None

"""Classification codes and printed labels: function classes by name, row labels of two-sided
tables, project types (mappings/codes/*.csv, mappings/tables/labels.yaml)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from ..namespaces import MAPPINGS
from ..specs import load_yaml
from ..recognise.text import normalise, term


@lru_cache(maxsize=None)
def load_labels() -> dict:
    return load_yaml(MAPPINGS / "tables" / "labels.yaml")


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
    # the first words of one class's name (西安: 自然资源 for 自然资源海洋气象等支出, 国有资本经营 for
    # 国有资本经营预算支出, 灾害防治及应急 for 灾害防治及应急管理支出)
    starting = {code for name, code in names.items() if len(key) >= 4 and name.startswith(key)}
    return starting.pop() if len(starting) == 1 else None


def name_key(name: str) -> str:
    """A printed name as compared with the names of codes: no ordinal, blanks or bracket style; a
    bracket the cell cut off closed (西安: “(5)资本性支出（基本建设” for 资本性支出（基本建设）)."""
    key = term(name)
    return key + "）" * (key.count("（") - key.count("）")) if key.count("（") > key.count("）") else key


@lru_cache(maxsize=None)
def national_names() -> dict[str, dict[str, tuple[str, ...]]]:
    """axis → name → the codes of the national classification printed with that name
    (mappings/codes/*.csv; a name printed under several codes, such as 行政运行, has several)."""
    out: dict[str, dict[str, set[str]]] = {"function": {}, "economic-dept": {}, "economic-gov": {}}
    secondary: dict[str, dict[str, set[str]]] = {axis: {} for axis in out}
    for axis, files in (
        ("function", ("function-classes.csv", "function.csv", "function-items.csv")),
        ("economic-dept", ("economic-dept-classes.csv", "economic-dept.csv")),
        ("economic-gov", ("economic-gov.csv",)),
    ):
        for file in files:
            path = MAPPINGS / "codes" / file
            if not path.exists():
                continue
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    name = row.get("name_zh") or row.get("name") or ""
                    # a code used only in a special case (基本建设) is chosen only when no other has the name
                    target = secondary if "only" in (row.get("note") or "") else out
                    for n in [name] + [x for x in (row.get("former_names") or "").split("|") if x]:
                        target[axis].setdefault(name_key(n), set()).add(row["code"])
    for axis, names in secondary.items():
        for key, codes in names.items():
            out[axis].setdefault(key, codes)
    return {axis: {k: tuple(sorted(v)) for k, v in names.items()} for axis, names in out.items()}


class CodeResolver:
    """Codes for names printed without them, found first among the code/name pairs the same document
    prints in its other tables, then in the national classification; the rows above (the 类 and 款
    a 项 name follows) choose among codes that share a name (行政运行 is 2010101, 2010301 …)."""

    def __init__(self):
        self.names: dict[str, dict[str, set[str]]] = {}

    def learn(self, axis: str, code: str, name: str) -> None:
        if code and code.isdigit() and len(name_key(name)) >= 2:  # (one character, 出 of a name the cell cut off, names nothing)
            self.names.setdefault(axis, {}).setdefault(name_key(name), set()).add(code)

    def resolve(self, axis: str, name: str, context: str = "", with_suffix: bool = True) -> str | None:
        key = name_key(name)
        if len(key) < 2:
            return None  # one character (出, 费: the end of a name the cell cut off) is no name of a code
        sources = (self.names.get(axis, {}), national_names().get(axis, {}))
        if axis == "function" and _FIRST_LEVEL.match(name.strip()):
            code = function_class_by_name(name)  # 五、其他支出 after 22102's rows: the 类 229, not 其他住房改革支出
            if code:
                return code
        if context:  # a child of the codes above first: 行政运行 under 20406 is 2040601
            for source in sources:
                found = _child(sorted(source.get(key, ())), context)
                if found:
                    return found
            if axis == "function":
                generic = generic_item(key, context) or generic_section(key, context)
                if generic:
                    return generic
        if axis == "function":
            code = function_class_by_name(name)  # a class by its name, with or without 支出
            if code:
                return code
        for source in sources:
            found = _choose(sorted(source.get(key, ())))
            if found and axis == "function" and len(found) > 3 and len(context) >= 3 and not found.startswith(context[:3]):
                return None  # a 款 or 项 of another 类 than the rows above: a name the lists hold under this class too
            if found:
                return found
        if with_suffix and axis != "function" and not key.endswith("支出"):  # 西安: 11、债务利息及费用 for 债务利息及费用支出
            return self.resolve(axis, name.rstrip() + "支出", context, with_suffix=False)  # once: “（…” keys end in “）”
        return None


_FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+[、.．]")  # the ordinal of a first-level heading: a 类


def generic_item(key: str, context: str) -> str | None:
    """The 项 a generic name stands for under the 款 of the rows above (行政运行 → 款 + 01, 其他…支出 → 款 + 99)."""
    if len(context) < 5:
        return None
    digits = (load_labels().get("function_generic_items") or {}).get(key)
    if digits is None and key.startswith("其他") and key.endswith("支出") and not (len(context) >= 7 and function_class_by_name(key)):
        digits = "99"  # (under a 项, 其他支出 itself is the 类 229 that follows: 湖州's summary, names only)
    return context[:5] + str(digits) if digits else None


def generic_section(key: str, context: str) -> str | None:
    """The 款 a name every 类 has stands for under the 类 of the rows above (超长期特别国债安排的支出 → 类 + 98)."""
    digits = (load_labels().get("function_generic_sections") or {}).get(key)
    return context[:3] + str(digits) if digits and len(context) >= 3 else None


def _child(codes: list[str], context: str) -> str | None:
    """The code among several that the rows above point to: a child of the deepest code above, else
    of its parents (a 项 of the 款 above, a 款 of the 类 above)."""
    for depth in sorted({len(context), 5, 3}, reverse=True):
        parent = context[:depth]
        if len(parent) < 3 or depth > len(context):
            continue
        children = [c for c in codes if c.startswith(parent) and len(c) > len(parent)]
        if len(children) == 1:
            return children[0]
        if len(children) > 1:
            nearest = [c for c in children if len(c) == min(len(x) for x in children)]
            if len(nearest) == 1:
                return nearest[0]
    return None


def _choose(codes: list[str]) -> str | None:
    """Without rows above to choose by: the only code at the top (a 类) or the only code at all."""
    top = [c for c in codes if len(c) == 3]
    if len(top) == 1:
        return top[0]
    return codes[0] if len(codes) == 1 else None

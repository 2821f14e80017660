"""Classification codes and printed labels: function classes by name, row labels of two-sided
tables, project types (mappings/codes/*.csv, mappings/tables/labels.yaml)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import yaml

from ..namespaces import MAPPINGS
from ..recognise.text import normalise


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

"""records.projects looks a project up by its name in an index (issue 13: the scan of every project and
every observation of the document, once per row of a targets table, was quadratic in a document that
prints its tables many times). The index answers as the scan did, on names that repeat, that differ
only by — and -, and whose 合计 figures tell them apart or do not."""

from __future__ import annotations

import random
from decimal import Decimal

from lodpub.recognise.text import normalise
from lodpub.records.model import DocumentRecords, Observation, Project
from lodpub.records.projects import _match_project


def _scan(doc: DocumentRecords, name: str, amount: Decimal | None) -> Project | None:
    """The lookup as it was before the index: every project, every observation."""
    key = normalise(name)
    same = [p for p in doc.projects if normalise(p.name) == key]
    if not same:
        same = [p for p in doc.projects if normalise(p.name).replace("—", "-") == key.replace("—", "-")]
    if len(same) > 1 and amount is not None:
        totals = {o.dims.get("lp:project"): o.amount for o in doc.observations if o.dims.get("lp:project") and o.col and o.column_label.startswith("合计")}
        same = [p for p in same if totals.get(p.key) == amount] or same
    return same[0] if same else None


NAMES = ["办公楼维修—改造", "办公楼维修-改造", "信息化建设", "信息化建设 ", "专项业务经费", "培训费"]


def _observation(project: str, label: str, amount: int, col: int = 3) -> Observation:
    return Observation(1, 1, col, 1, 1, str(amount), Decimal(amount), "元", "item", "", label, {"lp:project": project})


def test_the_index_answers_as_the_scan_while_projects_and_figures_are_added():
    rng = random.Random(13)
    doc = DocumentRecords("d", "s", "x.txt", "text/plain", "t", "部门", "2024", "budget")
    asked = 0
    for _ in range(400):
        step = rng.random()
        if step < 0.3:
            doc.projects.append(Project(str(len(doc.projects) + 1), rng.choice(NAMES), None, None, None))
        elif step < 0.6 and doc.projects:
            key = rng.choice(doc.projects).key
            label = rng.choice(["合计", "合计数", "财政拨款", ""])
            doc.observations.append(_observation(key, label, rng.choice([100, 200, 300]), col=rng.choice([0, 3])))
        else:
            name, amount = rng.choice(NAMES + ["没有的项目", "办公楼维修–改造"]), rng.choice([None, Decimal(100), Decimal(200), Decimal(300)])
            assert _match_project(doc, name, amount) is _scan(doc, name, amount), (name, amount)
            asked += 1
    assert asked > 100 and len(doc.projects) > 50

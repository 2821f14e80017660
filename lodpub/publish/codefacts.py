"""The names and classes of codes and organisations, from the shared graphs, that complete a
document's partial rows (`lines`) into rows of budget-lines.csv."""

from __future__ import annotations

import json
from collections import defaultdict

import pyoxigraph as ox

from .columns import COLUMN_NAMES, HIERARCHY, RDFS_LABEL, SKOS


def _index(triples) -> dict[str, dict[str, list]]:
    """subject → predicate → objects (pyoxigraph terms)."""
    index: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        index[t.subject.value][t.predicate.value].append(t.object)
    return index


class CodeFacts:
    """Notations, names and classes of the code concepts and organisations in the shared graphs, as
    the query reads them (MIN of the string values, Chinese or untagged names)."""

    def __init__(self, shared_lines: list[str]):
        quads = ox.parse(("\n".join(shared_lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_QUADS) if shared_lines else []
        self.index = _index(q.triple for q in quads)
        self._memo: dict[tuple, list[str] | tuple[list[str], list[str]]] = {}

    def _values(self, subject: str, predicate: str, zh: bool = False) -> list[str]:
        key = (subject, predicate, zh)
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = self._lookup(subject, predicate, zh)
        return known

    def _lookup(self, subject: str, predicate: str, zh: bool) -> list[str]:
        terms = self.index.get(subject, {}).get(predicate, [])
        if zh:
            terms = [t for t in terms if isinstance(t, ox.Literal) and (t.language in (None, "zh"))]
        return [t.value for t in terms if not isinstance(t, ox.BlankNode)]

    def notation(self, subject: str) -> list[str]:
        return self._values(subject, SKOS + "notation")

    def name(self, subject: str) -> list[str]:
        return self._values(subject, SKOS + "prefLabel", zh=True)

    def classes(self, concept: str) -> tuple[list[str], list[str]]:
        """Notations and names of the top concepts of the concept's schemes above it (skos:broader*)."""
        known = self._memo.get(("classes", concept))
        if known is None:
            known = self._memo[("classes", concept)] = self._classes(concept)
        return known

    def _classes(self, concept: str) -> tuple[list[str], list[str]]:
        schemes = set(self._values(concept, SKOS + "inScheme"))
        seen, todo = {concept}, [concept]
        while todo:
            for parent in self._values(todo.pop(), SKOS + "broader"):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        codes, names = [], []
        for top in seen:
            if schemes & set(self._values(top, SKOS + "topConceptOf")) and self.notation(top):
                codes += self.notation(top)
                names += self.name(top)
        return codes, names

    def _memo_of(self, key: tuple, compute) -> list[tuple[int, str]]:
        known = self._memo.get(key)
        if known is None:
            known = self._memo[key] = [(COLUMN_NAMES.index(k), v) for k, v in compute().items()]
        return known

    def resolve(self, organisation: str, publishers: list[str], codes: dict[str, list[str]], projects: list[str]) -> list[tuple[int, str]]:
        """The columns of a row that come from the shared graphs, as (column index, value), for a line's
        organisation, its document's publishers, its code concepts (by CODED prefix) and its projects."""
        out = self._memo_of(
            ("organisation", organisation),
            lambda: {"organisation_code": min(self.notation(organisation), default=""), "organisation_name": min(self.name(organisation), default="")},
        )
        # a line's project is in its document's graph, or a code of the shared vocabulary (the total _T)
        # (not remembered: projects are many, and mostly in the document's graph only)
        out = out + [
            (_PROJECT_COLUMNS[0], min((v for p in projects for v in self._lookup(p, SKOS + "notation", False)), default="")),
            (_PROJECT_COLUMNS[1], min((v for p in projects for v in self._lookup(p, RDFS_LABEL, False)), default="")),
        ]
        out = out + self._memo_of(("publishers", *publishers), lambda: self._department(publishers))
        for prefix, concepts in codes.items():
            out = out + self._memo_of((prefix, *concepts), lambda: self._coded(prefix, concepts))
        return out

    def _department(self, publishers: list[str]) -> dict[str, str]:
        publishers = [p for p in publishers if self._values(p, SKOS + "prefLabel")]
        return {
            "department": min((v for p in publishers for v in self._values(p, SKOS + "prefLabel")), default=""),
            "department_code": min((v for p in publishers for v in self.notation(p)), default=""),
        }

    def _coded(self, prefix: str, concepts: list[str]) -> dict[str, str]:
        code = min((v for c in concepts for v in self.notation(c)), default="")
        name = min((v for c in concepts for v in self.name(c)), default="")
        if prefix in ("phase", "direction", "row_role"):
            return {prefix: code} if prefix == "row_role" else {prefix: code, prefix + "_name": name}
        out = {f"{prefix}_code": code, f"{prefix}_name": name}
        if prefix in HIERARCHY:
            classes = [self.classes(c) for c in concepts]
            out[f"{prefix}_class_code"] = min((v for c in classes for v in c[0]), default="")
            out[f"{prefix}_class_name"] = min((v for c in classes for v in c[1]), default="")
        return out


_PROJECT_COLUMNS = (COLUMN_NAMES.index("project_code"), COLUMN_NAMES.index("project_name"))


def complete_rows(packed: list, facts: CodeFacts) -> list[list[str]]:
    """The CSV rows (lists in COLUMNS order) of a document's packed partial rows."""
    rows = []
    memo: dict[str, list] = {}  # per document: its lines share few organisations and code sets
    for values, foreign in packed:
        resolved = memo.get(foreign)
        if resolved is None:
            resolved = memo[foreign] = facts.resolve(*json.loads(foreign))
        row = list(values)
        for i, value in resolved:
            if i in _PROJECT_COLUMNS:  # the smaller of the document's and the shared graphs' values
                row[i] = min((v for v in (row[i], value) if v), default="")
            else:
                row[i] = value
        rows.append(row)
    return rows

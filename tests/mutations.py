"""Mutations of a disclosure document in the tab-separated text format, for validation tests.

Each mutation takes the text of the example document and returns it changed in one place: one
figure, one code, one narrative sentence, one row removed or inserted, or one table removed. Tables
are found by their printed title (a line of its own), rows inside a table by what the row contains.
`run` writes the mutated text to a directory, runs the pipeline and the validation, and returns
the findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lodpub.uris import DEFAULT_BASE
from lodpub.pipeline import document_quads, process
from lodpub.validate import Finding, validate_document
from lodpub.vocabulary import code_usage, vocabulary_quads

TABLE_TITLES = (
    "部门收支预算表",
    "部门收入预算表",
    "部门支出预算表",
    "财政拨款收支总体情况表",
    "一般公共预算支出预算表",
    "一般公共预算基本支出预算表",
    "一般公共预算“三公”经费支出情况表",
    "政府性基金预算支出情况表",
    "国有资本经营预算支出情况表",
    "项目支出表",
    "部门预算项目绩效目标汇总表",
    "部门整体绩效目标表",
)


class MutationError(ValueError):
    """The place a mutation names is not in the document (the test itself is wrong)."""


def _table_span(lines: list[str], title: str) -> tuple[int, int]:
    """Line indices [start, end) of the table printed under `title` (up to the next table title)."""
    starts = [i for i, line in enumerate(lines) if line.strip() == title]
    # the contents list the titles with an ordinal (“三、部门支出预算表”); the table itself has the bare title
    if not starts:
        raise MutationError(f"no table titled {title}")
    start = starts[-1]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in TABLE_TITLES), len(lines))
    return start, end


def _find_row(lines: list[str], title: str, contains: str | tuple[str, ...], nth: int = 0) -> int:
    start, end = _table_span(lines, title)
    needles = (contains,) if isinstance(contains, str) else contains
    hits = [i for i in range(start, end) if "\t" in lines[i] and all(n in lines[i] for n in needles)]
    if len(hits) <= nth:
        raise MutationError(f"{title}: no row containing {needles} (#{nth})")
    return hits[nth]


def change_cell(text: str, title: str, row: str | tuple[str, ...], column: int, new: str, nth: int = 0) -> str:
    """Set cell `column` (0-based, tab-separated) of a row of a table to `new` (a figure or a code)."""
    lines = text.split("\n")
    i = _find_row(lines, title, row, nth)
    cells = lines[i].split("\t")
    if column >= len(cells):
        raise MutationError(f"{title}: row {lines[i]!r} has no column {column}")
    cells[column] = new
    lines[i] = "\t".join(cells)
    return "\n".join(lines)


def change_figure(text: str, title: str, row: str | tuple[str, ...], old: str, new: str, nth: int = 0, occurrence: int = 0) -> str:
    """Replace the `occurrence`-th cell equal to `old` in a row of a table by `new`."""
    lines = text.split("\n")
    i = _find_row(lines, title, row, nth)
    cells = lines[i].split("\t")
    positions = [j for j, c in enumerate(cells) if c.strip() == old]
    if len(positions) <= occurrence:
        raise MutationError(f"{title}: row {lines[i]!r} has no cell {old!r}")
    cells[positions[occurrence]] = new
    lines[i] = "\t".join(cells)
    return "\n".join(lines)


def change_sentence(text: str, old: str, new: str) -> str:
    """Change the first occurrence of `old` in the narrative (outside the tables)."""
    if old not in text:
        raise MutationError(f"no sentence containing {old!r}")
    return text.replace(old, new, 1)


def remove_row(text: str, title: str, row: str | tuple[str, ...], nth: int = 0) -> str:
    lines = text.split("\n")
    del lines[_find_row(lines, title, row, nth)]
    return "\n".join(lines)


def insert_row(text: str, title: str, before: str | tuple[str, ...] | None, cells: list[str]) -> str:
    """Insert a row into a table, before the row containing `before` (or after its last row)."""
    lines = text.split("\n")
    if before is None:
        start, end = _table_span(lines, title)
        i = max(j for j in range(start, end) if "\t" in lines[j]) + 1
    else:
        i = _find_row(lines, title, before)
    lines.insert(i, "\t".join(cells))
    return "\n".join(lines)


def remove_table(text: str, title: str) -> str:
    lines = text.split("\n")
    start, end = _table_span(lines, title)
    return "\n".join(lines[:start] + lines[end:])


@dataclass
class Outcome:
    findings: list[Finding]
    docid: str

    def of(self, shape: str) -> list[Finding]:
        """Findings of one shape (its local name, e.g. "ColumnTotals", or its IRI)."""
        return [f for f in self.findings if f.shape == shape or f.shape.endswith("#" + shape)]

    def at(self, shape: str, table: int, row: int | None = None) -> list[Finding]:
        return [f for f in self.of(shape) if f.table == table and (row is None or f.row == row)]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]


def run(text: str, directory: Path, name: str = "mutated.txt") -> Outcome:
    """Write the text, run the pipeline and the validation, return the findings."""
    path = Path(directory) / name
    path.write_text(text, encoding="utf-8")
    result = process(str(path), validate=False, keep_records=True)
    if result.error:
        raise AssertionError(result.error)
    own, shared = document_quads(result.records, DEFAULT_BASE)
    vocab = vocabulary_quads(code_usage([result.records]), DEFAULT_BASE)
    return Outcome(validate_document(result.records.docid, own + shared, vocab), result.records.docid)

"""budget-lines.xlsx: the rows of budget-lines.csv as a workbook a spreadsheet opens with its types.

Opened by a double click, a CSV is typed by the spreadsheet's guesses: Excel reads the unit code
`001` as the number 1 and the 21-digit project code `410000210000000012345` as 4.1E+20 (its last six
digits gone when the file is saved). A workbook says what each cell is: the codes, names and labels
are text (never a formula, whatever they begin with), the amounts numbers in yuan (shown as
`#,##0.00`), the years, table numbers and source places integers. The first sheet holds the budget
lines under the CSV's column names (its header row frozen, with filters); the second, 说明 / about,
each column's title and type, and how to sum the lines.

A worksheet holds at most 1,048,576 rows: a publication with more budget lines than one sheet takes
has no workbook (a spreadsheet could not open it whole); its CSV and SPARQL serve. The file is
written as a stream (XlsxWriter's constant-memory mode), with fixed timestamps: the same publication
gives the same bytes. XlsxWriter spends about 5 µs on a cell, four times what the CSV's pass costs, so
a build writes the workbook in a process of its own (`WorkbookProcess`), from the same rows, while it
writes the CSV, the dumps and the reports and the store loads.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
import traceback
from decimal import Decimal, InvalidOperation
from pathlib import Path

import xlsxwriter

from .codefacts import CodeFacts
from .columns import COLUMNS
from .datapackage import document_rows

MAX_LINES = 1_048_576 - 1  # a worksheet's rows, less the header
LINES_SHEET = "budget-lines"
ABOUT_SHEET = "说明 about"
_WIDTHS = {"string": 18, "integer": 9, "number": 16}
_WIDE = {"document_title", "table_title", "row_label", "column_label", "project_name", "department", "organisation_name", "budget_line"}


class BudgetLinesWorkbook:
    """budget-lines.xlsx written row by row: `add` each document's rows (lists in COLUMNS order), then `close`."""

    def __init__(self, path: Path, issued: str, summing: str, scratch: Path | None = None):
        """`scratch`: the folder of XlsxWriter's temporary files (else the workbook's own)."""
        self.path = Path(path)
        self.rows = 0
        self.too_large = False
        self._summing = summing
        created = dt.datetime.combine(dt.date.fromisoformat(issued), dt.time(), tzinfo=dt.timezone.utc)
        self._book = xlsxwriter.Workbook(str(self.path), {"constant_memory": True, "tmpdir": str(scratch or self.path.parent)})
        self._book.set_properties({"title": "预算数据行 / budget lines", "created": created})
        self._amount = self._book.add_format({"num_format": "#,##0.00"})
        self._bold = self._book.add_format({"bold": True})
        self._sheet = self._book.add_worksheet(LINES_SHEET)
        self._types = [type_ for _, type_, _, _ in COLUMNS]
        for c, (name, type_, _, _) in enumerate(COLUMNS):
            self._sheet.set_column(c, c, 40 if name in _WIDE else _WIDTHS[type_])
            self._sheet.write_string(0, c, name, self._bold)
        self._sheet.freeze_panes(1, 0)

    def add(self, rows: list[list[str]]) -> None:
        """Write the rows (a document's budget lines), each cell typed as its column; past one sheet's rows,
        none (`too_large`)."""
        if self.too_large or self.rows + len(rows) > MAX_LINES:
            self.too_large = True
            return
        write_string, write_number = self._sheet.write_string, self._sheet.write_number
        r = self.rows
        for row in rows:
            r += 1
            for c, value in enumerate(row):
                if not value:
                    continue
                type_ = self._types[c]
                if type_ == "string":
                    write_string(r, c, value)
                elif type_ == "integer" and value.isdigit():
                    write_number(r, c, int(value))
                elif type_ == "number" and _exact_float(value):
                    write_number(r, c, float(value), self._amount)
                else:  # a figure a double cannot hold exactly stays its text
                    write_string(r, c, value)
        self.rows = r

    def close(self) -> bool:
        """Filters over the lines, the about sheet, and the file closed; False (and no file) when the lines
        did not fit one sheet."""
        if self.too_large:
            self._book.close()
            self.path.unlink(missing_ok=True)
            return False
        self._sheet.autofilter(0, 0, self.rows, len(COLUMNS) - 1)
        about = self._book.add_worksheet(ABOUT_SHEET)
        wrap = self._book.add_format({"text_wrap": True, "valign": "top"})
        about.set_column(0, 0, 26)
        about.set_column(1, 1, 60)
        about.set_column(2, 2, 10)
        about.write_string(0, 0, "求和 / summing", self._bold)
        about.write_string(0, 1, self._summing, wrap)
        for c, heading in enumerate(("列 / column", "含义 / title", "类型 / type")):
            about.write_string(2, c, heading, self._bold)
        for r, (name, type_, _, title) in enumerate(COLUMNS, start=3):
            about.write_string(r, 0, name)
            about.write_string(r, 1, title)
            about.write_string(r, 2, {"string": "文本 / text"}.get(type_, "数值 / number"))
        self._book.close()
        return True


def write_workbook(path: Path, issued: str, summing: str, pieces: list[Path], shared_lines: list[str]) -> bool:
    """budget-lines.xlsx from the documents' pieces of budget-lines.csv (in publication order), completed
    with the shared graphs' code facts, as the CSV's rows are (`datapackage.document_rows`); False (and no
    file) when the lines do not fit one sheet."""
    facts = CodeFacts(shared_lines)
    with tempfile.TemporaryDirectory(prefix=".xlsx-", dir=Path(path).parent) as scratch:  # (gone even when it fails)
        book = BudgetLinesWorkbook(path, issued, summing, Path(scratch))
        for piece in pieces:
            book.add(document_rows(piece, facts)[0])
        return book.close()


class WorkbookProcess:
    """`write_workbook` in a process of its own (started afresh: the build's process runs threads), which
    ends with the build's process; `wait` for its answer, `stop` it when the build fails."""

    def __init__(self, path: Path, issued: str, summing: str, pieces: list[Path], shared_lines: list[str]):
        context = multiprocessing.get_context("spawn")
        self.path = Path(path)
        self._answer, send = context.Pipe(duplex=False)
        arguments = (send, os.getpid(), str(path), issued, summing, [str(p) for p in pieces], shared_lines)
        self._process = context.Process(target=_write_and_answer, args=arguments, name="lodpub-workbook", daemon=True)
        self._process.start()
        send.close()  # (the child holds its end: when it ends without an answer, `recv` sees the end)

    def wait(self) -> bool:
        """Whether the workbook was written (False: its lines do not fit one sheet); the child's error, raised here."""
        try:
            written, error = self._answer.recv()
        except EOFError:  # (it ended without answering: its exit code says how)
            written, error = False, None
        except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle
            written, error = False, RuntimeError(f"{self.path}: {exc}")
        self._process.join()
        if error is not None:
            raise error
        if self._process.exitcode != 0:
            raise RuntimeError(f"{self.path}: the process writing it ended with exit code {self._process.exitcode}")
        return written

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _write_and_answer(send, parent: int, path: str, issued: str, summing: str, pieces: list[str], shared_lines: list[str]) -> None:
    """In the workbook's process: write it, and answer (written, None) or (False, the error)."""
    from ..children import end_with_parent

    end_with_parent(parent)
    try:
        send.send((write_workbook(Path(path), issued, summing, [Path(p) for p in pieces], shared_lines), None))
    except BaseException as exc:  # noqa: BLE001 - the build raises it
        Path(path).unlink(missing_ok=True)
        try:
            send.send((False, exc))
        except Exception:  # noqa: BLE001 - an error that does not pickle: its words
            send.send((False, RuntimeError(f"{path}: {traceback.format_exception_only(exc)[-1].strip()}")))


def _exact_float(text: str) -> bool:
    """The decimal text comes back from the double a spreadsheet holds (any amount up to 15 significant digits)."""
    try:
        return Decimal(repr(float(text))) == Decimal(text)
    except (InvalidOperation, ValueError):
        return False

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
written as a stream (XlsxWriter's constant-memory mode) in the pass that writes the CSV, with fixed
timestamps: the same publication gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import xlsxwriter

from .columns import COLUMNS

MAX_LINES = 1_048_576 - 1  # a worksheet's rows, less the header
LINES_SHEET = "budget-lines"
ABOUT_SHEET = "说明 about"
_WIDTHS = {"string": 18, "integer": 9, "number": 16}
_WIDE = {"document_title", "table_title", "row_label", "column_label", "project_name", "department", "organisation_name", "budget_line"}


class BudgetLinesWorkbook:
    """budget-lines.xlsx written row by row: `add` each document's rows (lists in COLUMNS order), then `close`."""

    def __init__(self, path: Path, issued: str, summing: str):
        self.path = Path(path)
        self.rows = 0
        self.too_large = False
        self._summing = summing
        created = dt.datetime.combine(dt.date.fromisoformat(issued), dt.time(), tzinfo=dt.timezone.utc)
        self._book = xlsxwriter.Workbook(str(self.path), {"constant_memory": True, "tmpdir": str(self.path.parent)})
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


def _exact_float(text: str) -> bool:
    """The decimal text comes back from the double a spreadsheet holds (any amount up to 15 significant digits)."""
    try:
        return Decimal(repr(float(text))) == Decimal(text)
    except (InvalidOperation, ValueError):
        return False

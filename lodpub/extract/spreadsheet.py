"""Spreadsheets (.xlsx, .xls, .csv) → ExtractedDocument: every sheet row becomes a line of cells.

A line's page is the sheet (1, 2 … in workbook order) and its number the row in that sheet, so
that every figure keeps its sheet, row and column as provenance. A sheet whose first rows print no
table title gets one: the sheet's name, or for a CSV (and a workbook's only sheet) the file's name,
as departments name such files after the table they hold (收支预算总表.csv). Figures keep the text
the cell shows: numbers are written as the sheet displays them (two decimals where the cell is
formatted so), never in exponent notation. A hidden sheet (code lists, a copy of the data the
visible sheets print) is not read: what the workbook shows is what a PDF of it would print.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from ..errors import ExtractError
from ..model import ExtractedDocument, Line, Source
from ..recognise.kinds import SENTENCE, candidate_kinds, title_core
from ..recognise.lines import is_metadata
from .text import decode

MAX_ROWS = 200_000


def extract(source: Source) -> ExtractedDocument:
    data = source.path.read_bytes()
    if source.media_type == "text/csv":
        sheets = [(None, _csv_rows(data, source.location))]
        extractor = "csv"
    elif source.media_type.endswith("ms-excel"):
        sheets, extractor = _xls_sheets(data, source.location), "xlrd"
    else:
        sheets, extractor = _xlsx_sheets(data, source.location), "openpyxl"
    lines: list[Line] = []
    file_title = _file_title(source.location)
    for number, (name, rows) in enumerate(sheets, start=1):
        rows = [tuple(_text(c) for c in row) for row in rows]
        rows = [r[: max((k + 1 for k, c in enumerate(r) if c), default=0)] for r in rows]  # no trailing blanks
        if not any(rows):
            continue
        if not _has_title(rows):
            title = name if name and title_core(name) else file_title if (name is None or len(sheets) == 1) else name
            if title:
                lines.append(Line(number, 0, (title,)))
        filled = [[k for k, c in enumerate(row) if c] for row in rows]
        # a row with one cell filled is a line of text (a title, a note), unless it is a row of the table it
        # stands in, between rows of cells, and prints no text of its own: a label with its figure left blank
        # (上级补助收入 | |, or | | 二十一、其他支出 | on a two-sided table's expenditure side) keeps its column
        label = [len(f) == 1 and not _text_of_its_own(row[f[0]]) for row, f in zip(rows, filled)]
        in_table = False  # the line before is a row of cells
        for n, (row, cells) in enumerate(zip(rows, filled), start=1):
            if not cells:
                continue
            alone = len(cells) == 1 and not (in_table and label[n - 1] and _table_goes_on(filled, label, n))
            lines.append(Line(number, n, (row[cells[0]],) if alone else row if len(row) > 1 else (*row, "")))
            in_table = not alone
    if not lines:
        raise ExtractError(source.location, None, "holds no cells with text (an empty spreadsheet)")
    return ExtractedDocument(source=source, lines=lines, extractor=extractor)


def _table_goes_on(filled: list[list[int]], label: list[bool], n: int) -> bool:
    """Does a row of cells come after row n (1-based), past blank rows and rows of one label?"""
    for cells, is_label in zip(filled[n:], label[n:]):
        if len(cells) > 1:
            return True
        if cells and not is_label:
            return False
    return False


def _text_of_its_own(text: str) -> bool:
    """A cell that prints a title, a unit of money, a department, a page number or a sentence (注：…。), not a
    cell of a table."""
    core = title_core(text)
    return bool(core and candidate_kinds(core)) or is_metadata(Line(0, 0, (text,))) or bool(SENTENCE.search(text)) or len(text) > 40


def _has_title(rows: list[tuple[str, ...]]) -> bool:
    for row in rows[:5]:
        cells = [c for c in row if c]
        if len(cells) == 1:
            core = title_core(cells[0])
            if core and candidate_kinds(core):
                return True
    return False


def _file_title(location: str) -> str:
    from ..records.identity import file_title

    return file_title(location).split("__")[-1]


def _text(value) -> str:
    """A cell as text: numbers without exponent notation and without a spurious “.0”, to the 15
    significant digits a spreadsheet keeps and shows. Excel stores what a formula computes with 17
    (15.549999999999999 for =0.2+15.35), and its cell shows 15.55: that is what the sheet prints."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        try:
            d = Decimal(format(value, ".15g"))
        except InvalidOperation:
            return str(value)
        text = format(d, "f")
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def _csv_rows(data: bytes, location: str) -> list[list[str]]:
    text, _ = decode(data, location)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) > MAX_ROWS:
        raise ExtractError(location, None, f"more than {MAX_ROWS} rows: not a budget table")
    return rows


def _xlsx_sheets(data: bytes, location: str) -> list[tuple[str, list]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign zip
        raise ExtractError(location, None, f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}") from None
    formulas = None  # the same workbook's formulas, opened when a cell has no value
    try:
        sheets = []
        for number, sheet in enumerate(book.worksheets):
            if sheet.sheet_state != "visible":  # a hidden sheet: not what the workbook shows
                sheets.append((sheet.title, []))  # (its number is kept: the sheets after it keep theirs)
                continue
            rows = []
            for row in sheet.iter_rows():
                rows.append([_formatted(c) for c in row])
                if len(rows) > MAX_ROWS:
                    raise ExtractError(location, f"sheet “{sheet.title}”", f"more than {MAX_ROWS} rows")
            if any(v is None for r in rows for v in r):
                formulas = formulas or openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
                _uncalculated(rows, formulas.worksheets[number])
            sheets.append((sheet.title, rows))
        return sheets
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


def _uncalculated(rows: list[list], sheet) -> None:
    """A formula the workbook holds without its value (a program that writes formulas and never
    calculates them): the cell shows its formula (=SUM(C4:C6)), which the records stage reports as not
    a figure, rather than an empty cell whose figure would be lost unseen."""
    for r, row in enumerate(sheet.iter_rows(max_row=len(rows))):
        for c, cell in enumerate(row[: len(rows[r])]):
            value = getattr(cell, "value", None)
            if rows[r][c] is None and isinstance(value, str) and value.startswith("="):
                rows[r][c] = value


def _formatted(cell):
    """An .xlsx cell's value, a number as its number format shows it (`_shown`)."""
    return _shown(getattr(cell, "value", None), getattr(cell, "number_format", "") or "")


def _shown(value, fmt: str):
    """A cell's value as its number format `fmt` shows a number: with the decimals it fixes (#,##0.00 →
    two), as a percentage (0.00% → 95.00%: a performance target typed as 0.95), with the leading
    zeros of a code (000000 → 001001: a unit's code typed as a number). A number no format can show so
    (infinite, or beyond a decimal's precision) is left as it is."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    section = fmt.split(";")[0]
    try:
        if section and set(section) == {"0"} and float(value).is_integer() and value >= 0:
            return str(int(value)).zfill(len(section))
        if section.endswith("%") and "0" in section:
            return f"{_to_places(Decimal(repr(float(value))) * 100, _places(section)):f}%"
        if _places(fmt):
            return format(_to_places(Decimal(repr(float(value))), _places(fmt)), "f")
    except (InvalidOperation, OverflowError, ValueError):
        pass
    return value


def _places(fmt: str) -> int:
    """The decimal places a number format fixes: the zeros after its first “0.”, up to the end of that
    section (#,##0.00 → 2; 0% → 0)."""
    if "0." not in fmt:
        return 0
    after = fmt.split("0.", 1)[1].split(";")[0]
    return len(after) - len(after.lstrip("0"))


def _to_places(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places))


def _xls_sheets(data: bytes, location: str) -> list[tuple[str, list]]:
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True)  # (the number formats)
        except Exception:  # noqa: BLE001 - read without them what xlrd cannot read with them
            book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # noqa: BLE001
        raise ExtractError(location, None, f"not a readable .xls workbook: {type(exc).__name__}: {exc}") from None
    sheets = []
    for sheet in book.sheets():
        if sheet.visibility:  # hidden or very hidden
            sheets.append((sheet.name, []))
            continue
        if sheet.nrows > MAX_ROWS:
            raise ExtractError(location, f"sheet “{sheet.name}”", f"more than {MAX_ROWS} rows")
        rows = [[_xls_value(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        sheets.append((sheet.name, rows))
    return sheets


def _xls_value(book, cell):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER and book.formatting_info:
        try:
            fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        except (IndexError, KeyError, AttributeError, TypeError):
            fmt = ""
        return _shown(cell.value, fmt)
    return cell.value

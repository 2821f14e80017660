"""CSV cells a spreadsheet would run as a formula, neutralised as OWASP recommends.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@`` (also
after leading spaces), or with a tab or a carriage return, as a formula: ``=HYPERLINK(…)`` or
``@SUM(…)`` printed in a budget document would run on the reader's machine. Such a cell is written
with a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as text and which a person
reading the file recognises. A number (``-12.50``, ``+3``, ``-1,234.5``) is not a formula and stays
as it is, so numeric columns keep their numbers and normal files are unchanged.

Every CSV lodpub writes goes through ``safe_cell`` / ``safe_row`` / ``safe_dict``.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@")
CONTROL_START = ("\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value):
    """The value, with an apostrophe in front when a spreadsheet would run it as a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_START):
        return "'" + value
    stripped = value.lstrip(" \u3000\u00a0\n\x0b\x0c")
    if stripped.startswith(FORMULA_START) and not _NUMBER.fullmatch(stripped):
        return "'" + value
    return value


def safe_row(row):
    """A row (a list of cells) with every cell neutralised."""
    return [safe_cell(c) for c in row]


def safe_dict(row: dict) -> dict:
    return {k: safe_cell(v) for k, v in row.items()}


def safe_rows(rows):
    return [safe_row(r) for r in rows]

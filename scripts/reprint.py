#!/usr/bin/env python3
"""Reprint documents the ways offices print them and read the reprints against the originals.

Each document's extracted lines (without page numbers and running heads) are written again:

- as a workbook (--via sheet): a sheet per table, ruled, fitted to the page's width; lodpub reads the
  workbook, and LibreOffice prints it to PDF;
- as a Word document (--via word): a ruled table for each run of rows, A3 landscape where the rows are
  wide, rows free to break across pages; LibreOffice prints it to PDF.

Each reprint's budget lines are compared with the original's (amount, dimensions, phase, year; projects by
name), and a line per document says how many are missing, how many are extra and how many more cells
are skipped. A reprint that reads differently shows a way of printing lodpub does not read yet, or one
the reprint itself brought in (a running head set mid-page, a repeated title laid out where Word put it):
read the difference before changing the readers. Needs LibreOffice (scripts/setup --system).

Usage: scripts/reprint.py [--via sheet|word|both] [--out DIR] DOCUMENT...
"""

from __future__ import annotations

import argparse
import collections
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lodpub.extract import extract, office  # noqa: E402
from lodpub.model import Line  # noqa: E402
from lodpub.pipeline import process  # noqa: E402
from lodpub.recognise import recognise, title_core  # noqa: E402
from lodpub.recognise.lines import PAGE_NUMBER  # noqa: E402
from lodpub.sources import from_path  # noqa: E402


def printed_lines(lines: list[Line]) -> list[Line]:
    """The lines without page numbers and running heads (a text first on three pages or more); a table's
    title printed again at the top of each of its pages is kept where it is first printed."""
    first: dict[int, Line] = {}
    for line in lines:
        first.setdefault(line.page, line)
    tops = collections.Counter(line.cells[0].strip() for line in first.values() if not line.is_row)
    heads = {text for text, n in tops.items() if n >= 3}
    kept: list[Line] = []
    seen: set[str] = set()
    for line in lines:
        text = line.cells[0].strip()
        if not line.is_row and (PAGE_NUMBER.match(text) or text in heads):
            if text in seen or not title_core(text):
                continue
            seen.add(text)
        kept.append(line)
    return kept


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# -- as a workbook ------------------------------------------------------------------------------------


def _fill_sheet(sheet, lines: list[Line]) -> None:
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    widest: dict[int, int] = collections.defaultdict(int)
    n = 0
    for line in lines:
        if not line.is_row and _width(line.cells[0]) > 90:
            continue  # a paragraph: a row taller than a page cannot be printed
        n += 1
        for j, text in enumerate(line.cells):
            cell = sheet.cell(row=n, column=j + 1, value=text)
            if line.is_row:
                cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                widest[j] = max(widest[j], _width(text))
    widths = {j: max(6, min(30, w + 1)) for j, w in widest.items()}
    for j, w in widths.items():
        sheet.column_dimensions[sheet.cell(row=1, column=j + 1).column_letter].width = w
    for row in sheet.iter_rows():
        if any(c.border is not None and c.border.left is not None and c.border.left.style for c in row):
            lines_needed = max((math.ceil(_width(str(c.value)) / widths.get(c.column - 1, 10)) for c in row if c.value), default=1)
            sheet.row_dimensions[row[0].row].height = 15 * max(1, lines_needed) + 2
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if sum(widths.values()) * 5.6 > 487 * 1.2:
        sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 200


def as_workbook(path: Path, out: Path) -> Path:
    from openpyxl import Workbook

    document = extract(from_path(path))
    lines = printed_lines(document.lines)
    starts = sorted({t.title_line.number for t in recognise(document).tables})
    book = Workbook()
    book.remove(book.active)
    bounds = [0, *starts, max(line.number for line in lines) + 1]
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        part = [line for line in lines if a <= line.number < b]
        if part:
            _fill_sheet(book.create_sheet(f"表{k}"), part)
    target = out / (path.stem + ".xlsx")
    book.save(target)
    return target


# -- as a Word document -------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _table(rows: list[tuple[str, ...]], page_width: int) -> str:
    n = max(len(r) for r in rows)
    need = [max(4, min(40, max((_width(r[j]) for r in rows if j < len(r)), default=4))) for j in range(n)]
    widths = [max(300, page_width * w // sum(need)) for w in need]
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"
    body = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{widths[j]}" w:type="dxa"/></w:tcPr>{_paragraph(text) if text else "<w:p/>"}</w:tc>'
            for j, text in enumerate(list(row) + [""] * (n - len(row)))
        )
        + "</w:tr>"
        for row in rows
    )
    props = f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>{_BORDERS}</w:tblBorders></w:tblPr>'
    return f"<w:tbl>{props}{grid}{body}</w:tbl>"


def as_word(path: Path, out: Path) -> Path:
    lines = printed_lines(extract(from_path(path)).lines)
    wide = max((len(line.cells) for line in lines), default=1) > 8
    page_width = 22371 if wide else 10466  # twentieths of a point inside the margins: A3 landscape, A4 portrait
    body, run = "", []
    for line in lines:
        if line.is_row:
            run.append(line.cells)
            continue
        if run:
            body, run = body + _table(run, page_width), []
        body += _paragraph(line.cells[0])
    if run:
        body += _table(run, page_width)
    size = '<w:pgSz w:w="23811" w:h="16838" w:orient="landscape"/>' if wide else '<w:pgSz w:w="11906" w:h="16838"/>'
    margins = '<w:pgMar w:top="720" w:right="720" w:bottom="720" w:left="720" w:header="0" w:footer="0" w:gutter="0"/>'
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>{body}<w:p/><w:sectPr>{size}{margins}</w:sectPr></w:body></w:document>'
    target = out / (path.stem + ".docx")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return target


def as_pdf(path: Path, out: Path, profile: Path) -> Path:
    """The file printed to PDF by LibreOffice."""
    subprocess.run(
        [office.program(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out / (path.stem + ".pdf")


# -- comparing ----------------------------------------------------------------------------------------


def budget_lines(records) -> collections.Counter:
    """The budget lines as a multiset of (amount, dimensions, phase, year), a project by its name."""
    names = {p.key: p.name for p in records.projects}
    return collections.Counter(
        (
            str(o.amount),
            tuple(sorted((k, names.get(v, v) if k == "lp:project" else v) for k, v in o.dims.items() if k != "lp:organisation" and v != "_T")),
            o.phase,
            o.fiscal_year,
        )
        for o in records.observations
    )


def compare(original, reprint) -> tuple[int, int, int]:
    """(budget lines missing from the reprint, lines it has more, cells it skips more)."""
    a, b = budget_lines(original), budget_lines(reprint)
    return sum((a - b).values()), sum((b - a).values()), len(reprint.skipped) - len(original.skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", nargs="+", type=Path)
    parser.add_argument("--via", choices=("sheet", "word", "both"), default="both")
    parser.add_argument("--out", type=Path, help="where the reprints are kept (a temporary folder by default)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lodpub-reprint-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        profile = Path(tmp) / "profile"
        for path in args.documents:
            original = process(str(path), validate=False, keep_records=True)
            if not original.ok or not original.records.observations:
                print(f"{path}: no budget lines to compare ({original.error or 'none read'})")
                continue
            reprints = []
            if args.via in ("sheet", "both"):
                book = as_workbook(path, out)
                reprints += [("sheet", book), ("sheet→pdf", as_pdf(book, out, profile))]
            if args.via in ("word", "both"):
                reprints.append(("word→pdf", as_pdf(as_word(path, out), out, profile)))
            results = []
            for how, reprint in reprints:
                read = process(str(reprint), validate=False, keep_records=True)
                results.append(
                    f"{how} {'error: ' + (read.error or '')[:80] if not read.ok else '%d missing, %d extra, %+d skipped' % compare(original.records, read.records)}"
                )
            print(f"{path}: {len(original.records.observations)} lines; " + "; ".join(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

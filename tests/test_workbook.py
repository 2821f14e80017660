"""budget-lines.xlsx: the CSV's rows as a workbook whose cells say their types (codes text, amounts numbers)."""

from __future__ import annotations

import csv
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from rdflib import Graph, URIRef

from lodpub.publish import workbook
from lodpub.publish.columns import COLUMN_NAMES, COLUMNS
from lodpub.publish.workbook import BudgetLinesWorkbook

XLSX_MEDIA = "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _row(**cells) -> list[str]:
    return [cells.get(name, "") for name in COLUMN_NAMES]


def test_the_workbook_holds_every_row_of_the_csv_with_its_type(example_build):
    _, out = example_build
    rows = _csv_rows(out / "budget-lines.csv")
    book = openpyxl.load_workbook(out / "budget-lines.xlsx", read_only=True)
    assert book.sheetnames == ["budget-lines", "说明 about"]
    cells = list(book["budget-lines"].iter_rows(values_only=True))
    assert len(cells) == len(rows) == 420  # the header and the example's 419 budget lines
    types = dict((name, type_) for name, type_, _, _ in COLUMNS)
    for printed, read in zip(rows, cells):
        for name, text, value in zip(COLUMN_NAMES, printed, read):
            if not text:
                assert value is None
            elif types[name] == "string" or printed is rows[0]:
                assert value == text, (name, text, value)  # 001 stays 001
            else:
                assert isinstance(value, (int, float)) and Decimal(repr(value)) == Decimal(text), (name, text, value)
    assert {row[COLUMN_NAMES.index("department_code")] for row in cells[1:]} == {"001"}
    projects = {row[COLUMN_NAMES.index("project_code")] for row in cells[1:]} - {None}
    assert projects and all(isinstance(code, str) for code in projects)
    assert any(len(code) > 15 and code.isdigit() for code in projects)  # what a double would round


def test_the_header_stays_in_view_with_filters_and_the_columns_are_explained(example_build):
    _, out = example_build
    book = openpyxl.load_workbook(out / "budget-lines.xlsx")
    lines = book["budget-lines"]
    assert lines.freeze_panes == "A2"
    assert lines.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}420"
    assert lines.cell(2, COLUMN_NAMES.index("amount") + 1).number_format == "#,##0.00"
    about = book["说明 about"]
    assert "row_role" in about["B1"].value and "amount.sum()" in about["B1"].value
    explained = {about.cell(r, 1).value: about.cell(r, 2).value for r in range(4, 4 + len(COLUMNS))}
    assert explained["department_code"] == "部门编码 / department code" and len(explained) == len(COLUMNS)


def test_the_catalogue_describes_the_workbook(example_build):
    from rdflib.namespace import DCAT, DCTERMS  # (inside: pytest's look at a module's names trips rdflib's closed namespaces)

    _, out = example_build
    catalogue = Graph().parse(out / "catalog.ttl")
    url = URIRef("https://data.example.org/lodpub/budget-lines.xlsx")
    distribution = catalogue.value(predicate=DCAT.downloadURL, object=url)
    assert distribution is not None
    assert catalogue.value(distribution, DCAT.mediaType) == URIRef(XLSX_MEDIA)
    assert catalogue.value(distribution, DCTERMS.format) == URIRef("http://publications.europa.eu/resource/authority/file-type/XLSX")
    assert int(catalogue.value(distribution, DCAT.byteSize)) == (out / "budget-lines.xlsx").stat().st_size
    assert "budget-lines.xlsx" in (out / "index.html").read_text(encoding="utf-8")


def test_text_that_looks_like_a_formula_or_a_number_stays_text(tmp_path):
    path = tmp_path / "b.xlsx"
    book = BudgetLinesWorkbook(path, "2024-03-01", "sum the item rows")
    book.add(
        [
            _row(row_label='=HYPERLINK("http://attacker.example/","点击")', department_code="001", project_code="410000210000000012345", amount="12.5"),
            _row(row_label="@SUM(A1)", fiscal_year="2024", amount="1234567890123456789.01"),
        ]
    )
    assert book.close()
    sheet = openpyxl.load_workbook(path)["budget-lines"]
    label, amount = COLUMN_NAMES.index("row_label") + 1, COLUMN_NAMES.index("amount") + 1
    assert sheet.cell(2, label).value.startswith("=HYPERLINK") and sheet.cell(2, label).data_type == "s"
    assert sheet.cell(3, label).value == "@SUM(A1)" and sheet.cell(3, label).data_type == "s"
    assert sheet.cell(2, COLUMN_NAMES.index("project_code") + 1).value == "410000210000000012345"
    assert sheet.cell(2, amount).value == 12.5
    # more digits than a double holds: the amount stays the text it is in the CSV, not a rounded number
    assert sheet.cell(3, amount).value == "1234567890123456789.01"
    assert sheet.cell(3, COLUMN_NAMES.index("fiscal_year") + 1).value == 2024


def test_the_same_rows_give_the_same_bytes(tmp_path):
    rows = [_row(budget_line=f"l{i}", department_code="001", amount=str(i)) for i in range(50)]
    for name in ("a.xlsx", "b.xlsx"):
        book = BudgetLinesWorkbook(tmp_path / name, "2024-03-01", "sum")
        book.add(rows)
        book.close()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_lines_past_one_sheet_give_no_workbook(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_LINES", 3)
    book = BudgetLinesWorkbook(tmp_path / "b.xlsx", "2024-03-01", "sum")
    book.add([_row(amount="1")] * 2)
    book.add([_row(amount="2")] * 2)  # five rows with the header: one more than the sheet
    assert not book.close()
    assert list(tmp_path.iterdir()) == []


def test_no_xlsx_writes_none_and_the_catalogue_lists_none(tmp_path):
    from click.testing import CliRunner

    from lodpub.cli import main

    from conftest import EXAMPLE

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out), "--issued", "2024-03-01", "--no-xlsx"])
    assert result.exit_code == 0, result.output
    assert (out / "budget-lines.csv").is_file() and not (out / "budget-lines.xlsx").exists()
    assert "budget-lines.xlsx" not in (out / "catalog.ttl").read_text(encoding="utf-8")


def test_libreoffice_reads_the_codes_as_text(example_build, tmp_path):
    """A spreadsheet program opens the workbook with the unit code 001 and the long project codes whole."""
    from lodpub.extract.office import program

    if not program():
        pytest.skip("LibreOffice (soffice) is not installed: scripts/setup --system installs it")
    _, out = example_build
    subprocess.run(
        [
            program(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(out / "budget-lines.xlsx"),
        ],
        capture_output=True,
        timeout=300,
    )
    converted = tmp_path / "budget-lines.csv"
    if not converted.is_file():
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui): no workbook can be read here")
    with open(converted, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    printed = list(csv.DictReader(open(out / "budget-lines.csv", encoding="utf-8-sig", newline="")))
    assert len(rows) == len(printed) == 419
    for name in ("department_code", "organisation_code", "function_code", "economic_dept_code", "project_code"):
        assert [r[name] for r in rows] == [r[name] for r in printed], name


def test_lodpub_serve_serves_the_workbook_as_a_workbook(example_build):
    from lodpub.serve.files import file_response

    _, out = example_build
    response = file_response(out, "/budget-lines.xlsx")
    assert response is not None and response.status == "200 OK"
    assert response.ctype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.file == out / "budget-lines.xlsx"


def test_the_workbook_process_names_a_piece_it_cannot_read_and_leaves_no_file(tmp_path):
    """The build writes the workbook in a process of its own; what goes wrong there is raised in the build's
    process, with the child's words, and the half-written workbook is gone."""
    missing = tmp_path / "doc.lines.json"
    book = workbook.WorkbookProcess(tmp_path / "b.xlsx", "2024-03-01", "sum", [missing], [])
    with pytest.raises(FileNotFoundError, match="doc.lines.json"):
        book.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_workbook_process_that_dies_fails_the_wait_with_its_exit_code(tmp_path):
    """A child killed without answering (here while it waits to read a pipe that nobody writes) is an error
    that says how it ended, never a workbook taken as written."""
    import os
    import signal

    pipe = tmp_path / "never-written"
    os.mkfifo(pipe)
    book = workbook.WorkbookProcess(tmp_path / "b.xlsx", "2024-03-01", "sum", [pipe], [])
    os.kill(book._process.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match=r"b\.xlsx: the process writing it ended with exit code -9"):
        book.wait()


def test_a_build_whose_workbook_fails_leaves_nothing_and_no_process_behind(tmp_path, monkeypatch):
    """When the workbook's process fails, the build fails with its error, the publication and its temporary
    folder are not left behind, and the child is not left running."""
    from conftest import BASE, EXAMPLE
    from lodpub.build import build

    started = []

    def failing_wait(self):
        started.append(self)
        raise OSError("the disk is full")

    monkeypatch.setattr(workbook.WorkbookProcess, "wait", failing_wait)
    with pytest.raises(OSError, match="the disk is full"):
        build([str(EXAMPLE)], tmp_path / "out", base=BASE, issued="2024-03-01")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert len(started) == 1 and not started[0]._process.is_alive()

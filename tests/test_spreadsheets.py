"""Spreadsheets go through the same recognition and mapping as the tables of a PDF, with the sheet,
row and column as provenance: a workbook written here, and the 江苏 CSV of the regional corpus."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import CORPUS


def test_a_workbook_is_read_like_a_pdf_table(tmp_path):
    import openpyxl

    from lodpub.pipeline import process

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "一般公共预算支出表"
    rows = [
        ["2026年某某市某某局一般公共预算支出表"],
        ["部门名称：某某市某某局", None, None, "单位：万元"],
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["合计", None, 30.5, 20, 10.5],
        ["201", "一般公共服务支出", 30.5, 20, 10.5],
        ["2010101", "行政运行", 30.5, 20, 10.5],
    ]
    for row in rows:
        sheet.append(row)
    for cell in sheet["C"][3:]:
        cell.number_format = "#,##0.00"
    path = tmp_path / "某某市某某局2026年部门预算.xlsx"
    book.save(path)
    result = process(str(path), validate=False, keep_records=True)
    assert result.ok, result.error
    records = result.records
    assert records.department == "某某市某某局" and records.fiscal_year == "2026"
    item = next(o for o in records.observations if o.dims["lp:functionalClassification"] == "2010101" and o.column_label == "合计")
    assert (item.page, item.line, item.col, item.printed, item.amount) == (1, 6, 3, "30.50", Decimal("305000.00"))
    assert not records.skipped


def test_rows_of_one_label_stay_rows_of_their_table(tmp_path):
    """A summary whose revenue side ends before its expenditure side: rows that print one label and leave its
    figure blank (| | 二十一、其他支出 |, 上级补助收入 | | |) are rows of the table, not lines of text. As text,
    上级补助收入 was taken for the heading of a new table, whose 收入总计 and 支出总计 were skipped; a note
    under the table stays a line of text."""
    import openpyxl

    from lodpub.extract import extract
    from lodpub.pipeline import process
    from lodpub.sources import from_path

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["收支总体情况表"],
        [None, None, None, "单位：万元"],
        ["收入", None, "支出"],
        ["项目", "预算数", "项目", "预算数"],
        ["一、财政拨款收入", "30.00", "一、一般公共服务支出", "20.00"],
        [None, None, "二、外交支出", None],
        [None, None, "三、社会保障和就业支出", "10.00"],
        ["本年收入合计", "30.00", "本年支出合计", "30.00"],
        ["上级补助收入", None, None, None],
        ["上年结转", None, "结转下年", None],
        ["收入总计", "30.00", "支出总计", "30.00"],
        ["注：本表反映部门本年度的总收支。"],
    ]:
        sheet.append(row)
    path = tmp_path / "某某市某某局2026年部门预算.xlsx"
    book.save(path)
    lines = extract(from_path(path)).lines
    assert [ln.cells for ln in lines if ln.number in (6, 9, 12)] == [("", "", "二、外交支出"), ("上级补助收入", ""), ("注：本表反映部门本年度的总收支。",)]
    records = process(str(path), validate=False, keep_records=True).records
    assert len(records.tables) == 1 and not records.skipped
    got = {(o.row_label, o.amount) for o in records.observations}
    assert {("收入总计", Decimal(300000)), ("支出总计", Decimal(300000)), ("三、社会保障和就业支出", Decimal(100000))} <= got


def test_a_computed_figure_reads_as_the_sheet_shows_it(tmp_path):
    """Excel keeps what a formula computes as 17 significant digits (=0.2+15.35 is stored as
    15.549999999999999) and shows 15 (15.55): the figure is 15.55, not a number of invented
    precision whose sums then differ from the total by 0.000000000000001."""
    import zipfile

    import openpyxl

    from lodpub.pipeline import process

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "一般公共预算支出表"
    for row in (
        ["单位：万元"],
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["合计", None, 44.01, 28.46, 15.55],
        ["2010301", "行政运行", 28.46, 28.46, None],
        ["2010302", "一般行政管理事务", 15.55, None, 15.55],
    ):
        sheet.append(row)
    saved = tmp_path / "saved.xlsx"
    book.save(saved)
    path = tmp_path / "某某市某某局2026年部门预算.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:  # the cached values as Excel writes them
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>15.55</v>", b"<v>15.549999999999999</v>").replace(b"<v>44.01</v>", b"<v>44.009999999999998</v>")
            target.writestr(item, data)
    assert b"15.549999999999999" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    result = process(str(path), validate=True, keep_records=True)
    assert result.ok, result.error
    assert sorted({o.printed for o in result.records.observations}) == ["15.55", "28.46", "44.01"]
    assert {o.amount for o in result.records.observations if o.printed == "15.55"} == {Decimal("155500.00")}
    assert not [f for f in result.details.findings if "一般公共预算支出表" in f.message]


def codes_workbook(path):
    """A workbook of a revenue table whose unit codes are numbers shown with leading zeros (000000),
    figures shown with two decimals, and a sheet with a target shown as a percentage."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "部门收入总表"
    for row in (
        ["单位：万元"],
        ["单位编码", "单位名称", "合计", "一般公共预算"],
        [None, "合计", 30.5, 30.5],
        [1001, "某某局本级", 20, 20],
        [1002, "某某中心", 10.5, 10.5],
    ):
        sheet.append(row)
    for r in (4, 5):
        sheet.cell(r, 1).number_format = "000000"
    for r in (3, 4, 5):
        for c in (3, 4):
            sheet.cell(r, c).number_format = "#,##0.00"
    targets = book.create_sheet("指标")
    targets.append(["预算执行率", 0.95])
    targets.cell(1, 2).number_format = "0.00%"
    book.save(path)
    return path


def test_codes_and_percentages_read_as_their_number_format_shows_them(tmp_path):
    """A unit's code typed as a number and shown with its leading zeros by the format 000000 (1001 →
    001001) is the code 001001, as in the document's other tables; a target typed as 0.95 and shown as
    95.00% reads 95.00%."""
    from lodpub.extract import extract
    from lodpub.pipeline import process
    from lodpub.sources import from_path

    path = codes_workbook(tmp_path / "某某局2026年部门预算.xlsx")
    cells = [line.cells for line in extract(from_path(path)).lines]
    assert ("预算执行率", "95.00%") in cells and ("001001", "某某局本级", "20.00", "20.00") in cells
    result = process(str(path), validate=False, keep_records=True)
    assert result.ok, result.error
    assert sorted(o.code for o in result.records.organisations if o.key) == ["001001", "001002"]


def test_a_number_no_format_can_show_is_read_as_it_is(tmp_path):
    """1e308 in a cell formatted #,##0.00 or 0.00% (a hostile or broken workbook): a decimal of two places
    cannot hold it. The workbook is read, the number as it is; it was an “unexpected InvalidOperation”."""
    import openpyxl

    from lodpub.pipeline import process

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "一般公共预算支出表"
    for row in (["单位：万元"], ["科目编码", "科目名称", "合计"], ["合计", None, 1e308], ["2010301", "行政运行", 1e308]):
        sheet.append(row)
    sheet.cell(3, 3).number_format = "#,##0.00"
    sheet.cell(4, 3).number_format = "0.00%"
    path = tmp_path / "漯河市财政局2026年部门预算.xlsx"
    book.save(path)
    result = process(str(path), validate=True, keep_records=True)
    assert result.ok, result.error
    assert [len(o.printed) for o in result.records.observations] == [309, 309]


def test_a_97_2003_workbook_reads_as_the_same_workbook_saved_as_xlsx(tmp_path):
    """The workbook above saved as .xls by LibreOffice Calc: the same lines, its numbers shown as their
    formats show them (xlrd reads the formats of an .xls: the codes keep their zeros there too)."""
    import subprocess

    from lodpub.extract import extract
    from lodpub.extract.office import program
    from lodpub.media import XLS
    from lodpub.sources import from_path

    if not program():
        pytest.skip("LibreOffice (soffice) is not installed: scripts/setup --system installs it")
    xlsx = codes_workbook(tmp_path / "某某局2026年部门预算.xlsx")
    out = tmp_path / "xls"
    subprocess.run(
        [program(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "xls", "--outdir", str(out), str(xlsx)],
        capture_output=True,
        timeout=300,
    )
    xls = out / "某某局2026年部门预算.xls"
    if not xls.is_file():
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui): no .xls can be made here")
    assert from_path(xls).media_type == XLS
    assert [line.cells for line in extract(from_path(xls)).lines] == [line.cells for line in extract(from_path(xlsx)).lines]


def test_a_csv_of_several_years_turned_round():
    """江苏: a peer-extracted CSV of a 收支预算总表, one row per year, one column per line."""
    from lodpub.pipeline import process

    path = CORPUS / "regions" / "jiangsu-province" / "江苏省委办公厅__收支预算总表.csv"
    if not path.exists():
        pytest.skip(f"{path} not found (regional corpus absent)")
    result = process(str(path), validate=False, keep_records=True)
    assert result.ok, result.error
    records = result.records
    assert records.department == "江苏省委办公厅" and not records.skipped
    years = {o.fiscal_year for o in records.observations}
    assert years == {"2017", "2018", "2019"}
    gps = {(o.fiscal_year, o.amount) for o in records.observations if o.dims.get("lp:functionalClassification") == "201"}
    assert ("2018", Decimal("201537500.00")) in gps
    # provenance: the line (the CSV's row) of the year as printed; row and column of the table as read turned
    # round, one column per year, so that every figure is a cell of its own (one URI, one amount)
    o = next(o for o in records.observations if o.fiscal_year == "2019" and o.dims.get("lp:functionalClassification") == "201")
    assert (o.line, o.row, o.col, o.column_label) == (3, 1, 3, "2019年")
    assert len({(o.table, o.row, o.col) for o in records.observations}) == len(records.observations) == 37


def test_a_broken_workbook_is_reported(tmp_path):
    from lodpub.pipeline import process

    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    result = process(str(path), validate=False)
    assert not result.ok and "broken.xlsx" in result.error and ".xlsx" in result.error


def test_a_hidden_sheet_is_not_read(tmp_path):
    """A workbook's hidden sheet (a copy of the data, code lists) is not what it shows: its figures would
    be read twice. The visible sheets keep their numbers in the workbook (the provenance's page)."""
    import openpyxl

    from lodpub.pipeline import process

    book = openpyxl.Workbook()
    rows = [
        ["某某市某某局一般公共预算支出表"],
        ["单位：万元"],
        ["科目编码", "科目名称", "合计"],
        ["2010101", "行政运行", 30.5],
    ]
    hidden = book.active
    hidden.title = "底稿"
    for row in rows:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("一般公共预算支出表")
    for row in rows:
        shown.append(row)
    path = tmp_path / "某某市某某局2026年部门预算.xlsx"
    book.save(path)
    result = process(str(path), validate=False, keep_records=True)
    assert result.ok, result.error
    assert [(o.page, o.line, o.amount) for o in result.records.observations] == [(2, 4, Decimal("305000"))]


def test_a_formula_without_its_value_is_reported_not_lost(tmp_path):
    """A workbook written by a program that writes formulas and never calculates them holds no value for
    them: the figure is reported (skipped.csv, with the formula), not an empty cell lost unseen."""
    import openpyxl

    from lodpub.pipeline import process

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "一般公共预算支出表"
    for row in (["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "=C3+C4"], ["2010101", "行政运行", 20], ["2010102", "一般行政管理事务", 10.5]):
        sheet.append(row)
    path = tmp_path / "某某市某某局2026年部门预算.xlsx"
    book.save(path)
    result = process(str(path), validate=False, keep_records=True)
    assert result.ok, result.error
    assert sorted(o.printed for o in result.records.observations) == ["10.5", "20"]
    assert [(s.line, s.printed) for s in result.records.skipped] == [(2, "=C3+C4")]

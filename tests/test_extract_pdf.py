"""PDF extraction: lines in reading order, table rows as cells, no text lost, bad input refused."""

from __future__ import annotations

import collections
import hashlib
import os
import random
import time
from pathlib import Path

import pytest

from lodpub.errors import ExtractError
from lodpub.extract import pdf as pdfx
from lodpub.model import Line, Source

CORPUS = Path(os.environ.get("LODPUB_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() or not list(CORPUS.glob("*.pdf")),
    reason=f"reference corpus of PDFs not found at {CORPUS} (set LODPUB_CORPUS to its folder)",
)
ZFBGS = "sh-putuo-zfbgs-2025-dept-budget.pdf"
CZJ = "sh-putuo-czj-2024-final-account.pdf"


def _pdf_file(objs: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1, the first the catalogue) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def source(path: Path) -> Source:
    return Source(str(path), path, hashlib.sha256(path.read_bytes()).hexdigest(), "application/pdf")


_cache: dict[tuple[str, str], list[Line]] = {}


def lines_of(name: str, backend: str = pdfx.DEFAULT_BACKEND) -> list[Line]:
    if (name, backend) not in _cache:
        doc = pdfx.extract(source(CORPUS / name), backend=backend)
        assert doc.extractor == backend
        _cache[(name, backend)] = doc.lines
    return _cache[(name, backend)]


def rows_on(lines: list[Line], page: int) -> list[tuple[str, ...]]:
    return [ln.cells for ln in lines if ln.page == page and ln.is_row]


def texts_on(lines: list[Line], page: int) -> list[str]:
    return [ln.text for ln in lines if ln.page == page]


# ---------------------------------------------------------------------------------------------
# a PDF made here: no corpus needed


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def make_pdf(path: Path, content: bytes, width: int = 400, height: int = 300, rotate: int = 0, font: bytes = HELVETICA, more: tuple[bytes, ...] = ()) -> Path:
    """Write a one-page PDF with Helvetica (or `font`, object 5; `more` objects from 6 on) and the given
    content stream (the page turned by `rotate`)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Rotate %d /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>" % (width, height, rotate),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font,
        *more,
    ]
    path.write_bytes(_pdf_file(objs))
    return path


def text_at(x: float, y: float, s: str, size: int = 10) -> bytes:
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, s.encode())


# A title, then a 3-column, 3-row ruled table: a header row, a row whose middle cell holds a name
# wrapped onto two lines, and a row with an empty middle cell; then a note under the table.
GRID = (
    text_at(50, 270, "Budget table", 12)
    + b"0.5 w\n"
    + b"".join(b"50 %d m 350 %d l S\n" % (y, y) for y in (250, 230, 190, 170))
    + b"".join(b"%d 250 m %d 170 l S\n" % (x, x) for x in (50, 120, 270, 350))
    + text_at(55, 236, "Code")
    + text_at(125, 236, "Name")
    + text_at(275, 236, "Amount")
    + text_at(55, 206, "2010301")
    + text_at(125, 214, "General")
    + text_at(125, 198, "administration")
    + text_at(275, 206, "1,234.50")
    + text_at(55, 176, "Total")
    + text_at(275, 176, "1,234.50")
    + text_at(50, 150, "Note: amounts in yuan")
)


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_made_pdf_table_and_text(tmp_path, backend):
    path = make_pdf(tmp_path / "grid.pdf", GRID)
    doc = pdfx.extract(source(path), backend=backend)
    assert [(ln.page, ln.number, ln.cells) for ln in doc.lines] == [
        (1, 1, ("Budget table",)),
        (1, 2, ("Code", "Name", "Amount")),
        (1, 3, ("2010301", "General administration", "1,234.50")),
        (1, 4, ("Total", "", "1,234.50")),
        (1, 5, ("Note: amounts in yuan",)),
    ]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_drawing_of_rules_too_close_for_text_is_no_table(tmp_path, backend):
    """Rules a few points apart (a seal's or a chart's hatching, 厦门) cross like a grid but no
    character fits in a cell: the page reads as without them, and the table beside them as before
    (their columns, collapsed when pages were matched, crashed the reading)."""
    hatch = b"0.2 w\n" + b"".join(b"%.1f 20 m %.1f 27.5 l S\n" % (x, x) for x in (360, 362.5, 365, 367.5))
    hatch += b"".join(b"360 %.1f m 367.5 %.1f l S\n" % (y, y) for y in (20, 22.5, 25, 27.5))
    plain = pdfx.extract(source(make_pdf(tmp_path / "grid.pdf", GRID)), backend=backend)
    drawn = pdfx.extract(source(make_pdf(tmp_path / "hatched.pdf", GRID + hatch)), backend=backend)
    assert [(ln.page, ln.cells) for ln in drawn.lines] == [(ln.page, ln.cells) for ln in plain.lines]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
@pytest.mark.parametrize("missing", [250, 170])
def test_a_table_edge_without_its_rule_still_closes_its_row(tmp_path, backend, missing):
    """A table cut by a page break is drawn without its top (or bottom) rule on the page; its vertical rules
    still run to the edge. The row between the last rule and the edge is a row of the table (it was read as a
    line of text, ending the table there: 江苏 省法院)."""
    rules = b"0.5 w\n" + b"".join(b"50 %d m 350 %d l S\n" % (y, y) for y in (250, 230, 190, 170) if y != missing)
    rules += b"".join(b"%d 250 m %d 170 l S\n" % (x, x) for x in (50, 120, 270, 350))
    cells = GRID[GRID.index(b"BT /F1 10 Tf 55.0 236.0") :]  # the title and every rule left out, the text kept
    whole = pdfx.extract(source(make_pdf(tmp_path / "grid.pdf", GRID)), backend=backend)
    cut = pdfx.extract(source(make_pdf(tmp_path / "cut.pdf", text_at(50, 270, "Budget table", 12) + rules + cells)), backend=backend)
    assert [ln.cells for ln in cut.lines] == [ln.cells for ln in whole.lines]


TURNED = {  # the landscape GRID drawn on a portrait page (300 × 400) turned, as printer drivers do
    "up the page": b"0 1 -1 0 300 0 cm\n",
    "down the page": b"0 -1 1 0 0 400 cm\n",
}


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
@pytest.mark.parametrize("turn", sorted(TURNED))
@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_a_table_printed_turned_reads_as_the_same_table(tmp_path, backend, turn, rotate):
    """A landscape table on a portrait page, its text running up or down the page: whether the page says
    so (/Rotate, 烟台) or not (a printer driver), it reads as the table it is, not letters in columns."""
    path = make_pdf(tmp_path / "turned.pdf", b"q\n" + TURNED[turn] + GRID + b"Q\n", 300, 400, rotate)
    doc = pdfx.extract(source(path), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("Budget table",),
        ("Code", "Name", "Amount"),
        ("2010301", "General administration", "1,234.50"),
        ("Total", "", "1,234.50"),
        ("Note: amounts in yuan",),
    ]


def test_made_pdf_narrative_only(tmp_path):
    content = text_at(50, 250, "First line") + text_at(50, 230, "Second   line") + text_at(200, 250, "right")
    doc = pdfx.extract(source(make_pdf(tmp_path / "t.pdf", content)))
    assert [ln.cells for ln in doc.lines] == [("First line right",), ("Second line",)]


def test_made_pdf_without_text_is_reported_as_such(tmp_path):
    path = make_pdf(tmp_path / "blank.pdf", b"0 0 m 10 10 l S\n")
    err = expect_error(path)
    assert "no text on its 1 page(s)" in str(err) and "OCR" in str(err)


# ---------------------------------------------------------------------------------------------
# bad input: always ExtractError, naming the file


def expect_error(path: Path, backend: str = pdfx.DEFAULT_BACKEND) -> ExtractError:
    t0 = time.monotonic()
    with pytest.raises(ExtractError) as info:
        pdfx.extract(source(path), backend=backend)
    assert time.monotonic() - t0 < 30
    err = info.value
    assert err.location == str(path)
    assert str(path) in str(err)
    return err


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_zero_byte_file(tmp_path, backend):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "empty" in str(expect_error(path, backend))


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_random_bytes(tmp_path, backend):
    path = tmp_path / "random.pdf"
    path.write_bytes(random.Random(7).randbytes(5000))
    assert "not a PDF" in str(expect_error(path, backend))


def test_text_file_renamed_pdf(tmp_path):
    path = tmp_path / "budget.pdf"
    path.write_text("项目\t预算数\n合计\t1,000.00\n", encoding="utf-8")
    err = expect_error(path)
    assert err.place is None and "not a PDF" in str(err)


def test_pdf_header_with_garbage(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(3).randbytes(3000) + b"\n%%EOF\n")
    expect_error(path)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.pdf"
    with pytest.raises(ExtractError):
        pdfx.extract(Source(str(path), path, "0" * 64, "application/pdf"))


def test_encrypted_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is needed to make an encrypted PDF")
    plain = make_pdf(tmp_path / "plain.pdf", GRID)
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert "encrypted" in str(expect_error(path))


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_locked_against_copying_reads(tmp_path, algorithm):
    """Departments often publish with an owner password only (copying and printing forbidden, opened by
    anyone): such a PDF is read as the plain one."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf is needed to make an encrypted PDF")
    plain = make_pdf(tmp_path / "plain.pdf", GRID)
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm, permissions_flag=0)
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert [ln.cells for ln in pdfx.extract(source(path)).lines] == [ln.cells for ln in pdfx.extract(source(plain)).lines]


def test_a_hyphen_that_ends_a_line_is_a_hyphen(tmp_path):
    """PDFium gives U+0002 for a hyphen printed at the end of a line (and says so: FPDFText_IsHyphen).
    广州 and 深圳 print project names wrapped there (广州市商务局2025年- | 2026年信息化运维项目), which were
    published with the control character in them."""
    content = text_at(50, 200, "Project mainte-") + text_at(50, 188, "nance upkeep") + text_at(50, 150, "x-y")
    path = make_pdf(tmp_path / "hyphen.pdf", content)
    assert [ln.cells for ln in pdfx.extract(source(path)).lines] == [("Project mainte-",), ("nance upkeep",), ("x-y",)]


def pdf_with_font_map(path: Path, chars: bytes, content: bytes) -> Path:
    """A one-page PDF whose font's map (ToUnicode) gives the code points `chars` says (a bfchar block)."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Made def "
        b"1 begincodespacerange <00> <FF> endcodespacerange " + chars + b" endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return make_pdf(
        path,
        content,
        font=b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        more=(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",),
    )


def test_characters_no_font_prints_are_the_replacement_character(tmp_path):
    """A damaged font map (ToUnicode) gives half of a UTF-16 surrogate pair or a control character: no
    output format can carry the one (N-Triples, UTF-8) and a CSV or a terminal should not get the
    other; both are read as �, as a decoder writes a byte it cannot read. Found by mutating corpus
    PDFs: the graph of such a page failed to load into the validation store."""
    from lodpub.extract import extract

    path = pdf_with_font_map(
        tmp_path / "damaged-font-map.pdf", b"3 beginbfchar <41> <DF20> <42> <0005> <43> <D83D> endbfchar", b"BT /F1 12 Tf 50 250 Td (xABCy) Tj ET"
    )
    assert [ln.cells for ln in pdfx.extract(source(path)).lines] == [("x\udf20\x05\ud83dy",)]  # what the page gives
    lines = extract(source(path)).lines
    assert [ln.cells for ln in lines] == [("x\ufffd\ufffd\ufffdy",)]
    assert lines[0].cells[0].encode("utf-8")  # would raise on a surrogate
    from lodpub.extract.characters import meant

    assert meant("其中：\n基本支出\t\r") == "其中：\n基本支出\t\r"  # a spreadsheet cell's wrapped lines stay


def test_characters_beyond_the_basic_plane_keep_their_place(tmp_path):
    """PDFium gives a character beyond U+FFFF (CJK extension B, found in personal and place names: 𠀀)
    as two characters, the halves of its surrogate pair. They were published as two replacement
    characters (��); they are the one character the font maps, and the characters after it keep
    their places."""
    path = pdf_with_font_map(
        tmp_path / "extension-b.pdf",
        b"2 beginbfchar <41> <D840DC00> <42> <4E2D> endbfchar",
        b"BT /F1 12 Tf 50 250 Td (xAByAz) Tj ET BT /F1 12 Tf 50 200 Td (B12.5) Tj ET",
    )
    assert [ln.cells for ln in pdfx.extract(source(path)).lines] == [("x\U00020000中y\U00020000z",), ("中12.5",)]


HYPHENS = "regions/guangdong-guangzhou/2026年广州市交通运输局部门预算.pdf"  # U+0002 hyphens at line ends


@needs_corpus
@pytest.mark.parametrize("name", ["sh-putuo-czj-2024-final-account.pdf", HYPHENS])
def test_a_page_read_in_one_call_reads_as_character_by_character(name):
    """A page's characters come from PDFium's text of the page in one call (`_page_unicode`), which
    holds only if that text gives each character at its index and PDFium generates no character
    but spaces and line breaks (only those are asked whether it generated them). Both are checked
    here against PDFium character by character, on every page, so that a newer PDFium that breaks
    either fails here."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    from lodpub.extract.pdf_pages import _SPACES, _page_unicode

    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            raw = text.raw
            one_by_one = [(k, R.FPDFText_GetUnicode(raw, k)) for k in range(R.FPDFText_CountChars(raw))]
            assert _page_unicode(R, raw) == one_by_one, f"page {i + 1}"
            generated = {u for k, u in one_by_one if R.FPDFText_IsGenerated(raw, k) == 1}
            assert generated <= _SPACES, f"page {i + 1}: PDFium generated {sorted(map(hex, generated - _SPACES))}"
            text.close()
            page.close()
    finally:
        pdf.close()


@pytest.mark.parametrize("fraction", [0.02, 0.3, 0.6, 0.97])
def test_truncated_made_pdf(tmp_path, fraction):
    data = make_pdf(tmp_path / "whole.pdf", GRID).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    expect_error(path)


@needs_corpus
@pytest.mark.parametrize("fraction", [0.001, 0.1, 0.5, 0.9, 0.999])
def test_truncated_corpus_pdf(tmp_path, fraction):
    data = (CORPUS / ZFBGS).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    err = expect_error(path)
    assert "truncated" in str(err) or "not a PDF" in str(err)


# ---------------------------------------------------------------------------------------------
# the reference corpus


@needs_corpus
def test_numbering_and_pages():
    lines = lines_of(ZFBGS)
    assert [ln.number for ln in lines] == list(range(1, len(lines) + 1))
    assert sorted({ln.page for ln in lines}) == list(range(1, 23))  # 22 pages, all with text
    assert [ln.page for ln in lines] == sorted(ln.page for ln in lines)
    assert lines[0].cells == ("上海市普陀区2025年区级部门预算",)
    assert lines[1].cells == ("预算主管部门：上海市普陀区人民政府办公室",)


ZFBGS_FUNCTION_ROWS = [
    ("201", "", "", "一般公共服务支出", "82,096,797.42", "15,686,797.42", "66,410,000.00"),
    ("201", "03", "", "政府办公厅（室）及相关机构事务", "82,096,797.42", "15,686,797.42", "66,410,000.00"),
    ("201", "03", "01", "行政运行", "12,029,501.84", "11,919,501.84", "110,000.00"),
    ("201", "03", "02", "一般行政管理事务", "46,140,000.00", "", "46,140,000.00"),
    ("201", "03", "50", "事业运行", "3,807,295.58", "3,767,295.58", "40,000.00"),
    ("201", "03", "99", "其他政府办公厅（室）及相关机构事务支出", "20,120,000.00", "", "20,120,000.00"),
    ("208", "", "", "社会保障和就业支出", "4,213,779.28", "4,213,779.28", ""),
    ("208", "05", "", "行政事业单位养老支出", "4,213,779.28", "4,213,779.28", ""),
    ("208", "05", "01", "行政单位离退休", "1,554,220.00", "1,554,220.00", ""),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "1,763,159.52", "1,763,159.52", ""),
    ("208", "05", "06", "机关事业单位职业年金缴费支出", "881,579.76", "881,579.76", ""),
    ("208", "05", "99", "其他行政事业单位养老支出", "14,820.00", "14,820.00", ""),
    ("210", "", "", "卫生健康支出", "1,097,073.43", "1,097,073.43", ""),
    # page 15: the table goes on, its header repeated, same 7 columns
    ("210", "11", "", "行政事业单位医疗", "1,097,073.43", "1,097,073.43", ""),
    ("210", "11", "01", "行政单位医疗", "782,855.28", "782,855.28", ""),
    ("210", "11", "02", "事业单位医疗", "314,218.15", "314,218.15", ""),
    ("221", "", "", "住房保障支出", "3,609,125.22", "3,609,125.22", ""),
    ("221", "02", "", "住房改革支出", "3,609,125.22", "3,609,125.22", ""),
    ("221", "02", "01", "住房公积金", "1,741,445.22", "1,741,445.22", ""),
    ("221", "02", "03", "购房补贴", "1,867,680.00", "1,867,680.00", ""),
    ("合计", "", "", "", "91,016,775.35", "24,606,775.35", "66,410,000.00"),
]

ZFBGS_FUNCTION_HEADER = [
    ("项目", "", "", "", "一般公共预算支出", "", ""),
    ("功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"),
    ("类", "款", "项", "", "", "", ""),
]


@needs_corpus
def test_zfbgs_general_public_budget_function_table():
    lines = lines_of(ZFBGS)
    assert texts_on(lines, 14)[:2] == [
        "2025年部门一般公共预算支出功能分类预算表",
        "编制部门：上海市普陀区人民政府办公室 单位：元",
    ]
    p14, p15 = rows_on(lines, 14), rows_on(lines, 15)
    assert p14[:3] == ZFBGS_FUNCTION_HEADER
    assert p15[:3] == ZFBGS_FUNCTION_HEADER  # repeated header on the continuation page
    assert p14[3:] + p15[3:] == ZFBGS_FUNCTION_ROWS
    # nothing but the table on page 15: it continues without a title
    assert all(ln.is_row for ln in lines if ln.page == 15)


@needs_corpus
def test_zfbgs_continuation_without_header_keeps_columns():
    """收入预算总表 runs from page 9 to page 10; page 10 has data rows only."""
    lines = lines_of(ZFBGS)
    p9, p10 = rows_on(lines, 9), rows_on(lines, 10)
    assert p9[1] == ("功能分类科目编码", "", "", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入")
    assert {len(r) for r in p9 + p10} == {9}
    assert p10[0] == ("210", "", "", "卫生健康支出", "1,097,073.43", "1,097,073.43", "", "", "")
    assert p10[-1] == ("合计", "", "", "", "91,016,775.35", "91,016,775.35", "", "", "")
    assert not any(ln.page == 10 and not ln.is_row for ln in lines)


@needs_corpus
def test_zfbgs_other_tables_and_colons():
    lines = lines_of(ZFBGS)
    assert rows_on(lines, 8)[2] == ("一、财政拨款收入", "91,016,775.35", "一、一般公共服务支出", "82,096,797.42")
    # the amount overflowing its cell on page 13 stays in its own column
    assert rows_on(lines, 13)[2] == (
        "一、一般公共预算资金",
        "91,016,775.35",
        "一、一般公共服务支出",
        "82,096,797.42",
        "82,096,797.42",
        "",
        "",
    )
    # 三公 table: wrapped header cell joined, amounts in the columns of their headers
    p20 = rows_on(lines, 20)
    assert p20 == [
        ("“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"),
        ("合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""),
        ("", "", "", "小计", "购置费", "运行费", ""),
        ("867.50", "839.00", "28.50", "", "", "", "213.28"),
    ]
    # colons as printed: full-width on most tables, ASCII on the 三公 table
    assert "编制部门：上海市普陀区人民政府办公室 单位：元" in texts_on(lines, 8)
    assert "编制部门：上海市普陀区人民政府办公室 单位:万元" in texts_on(lines, 20)
    assert "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。" in texts_on(lines, 16)


@needs_corpus
def test_zfbgs_narrative_and_contents():
    lines = lines_of(ZFBGS)
    toc = texts_on(lines, 2)
    assert toc[0].replace(" ", "") == "目录"
    assert any(t.startswith("5．2025年部门一般公共预算支出功能分类预算表") for t in toc)
    assert all(not ln.is_row for ln in lines if ln.page in (1, 2, 3, 4, 5, 6, 7, 21, 22))
    assert "财政拨款收入支出减少的主要原因是项目调整。" in texts_on(lines, 6)


@needs_corpus
def test_czj_two_groups_on_a_row_and_wrapped_cells():
    lines = lines_of(CZJ)
    p16 = rows_on(lines, 16)
    assert {len(r) for r in p16} == {8}
    assert ("301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21") in p16
    # names wrapped inside their cell are joined without a break
    assert ("301", "08", "机关事业单位基本养老保险缴费", "160.75", "302", "06", "电费", "") in p16
    assert ("301", "13", "住房公积金", "187.19", "302", "12", "因公出国（境）费用", "") in p16
    # page 17 continues the table without header; the left group ends first
    p17 = rows_on(lines, 17)
    assert {len(r) for r in p17} == {8}
    assert p17[0] == ("303", "05", "生活补助", "", "302", "25", "专用燃料费", "")
    assert ("", "", "", "", "310", "02", "办公设备购置", "13.58") in p17
    assert p17[-1] == ("人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65")
    p8 = rows_on(lines, 8)
    assert ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", "", "", "", "", "") in p8


@needs_corpus
def test_czj_numbers_in_another_font_stay_in_their_sentence():
    texts = texts_on(lines_of(CZJ), 21)
    assert "第三部分上海市普陀区财政局2024年度部门决算情况" in texts
    assert "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入" in texts


@needs_corpus
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])
def test_every_character_ends_in_a_line(name):
    """The non-whitespace characters of pdfplumber's plain page text are exactly those of the lines: of the
    text the page shows (普陀 商务委 page 4 also carries page 3's text above its top edge, never shown), and
    those a clip to the page's body hides (普陀 司法局's 主要职能, a text box drawn whole on both pages it spans)."""
    import pdfplumber

    from lodpub.extract.pdf_pages import read_pdfium

    lines = lines_of(name)
    clipped = {p.number: p.clipped for p in read_pdfium(name, CORPUS / name)}
    assert [ln.number for ln in lines] == list(range(1, len(lines) + 1))
    ours: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for ln in lines:
        assert all(isinstance(c, str) and c == c.strip() for c in ln.cells)
        assert ln.text.strip(), "no empty lines"
        ours[ln.page].update(ch for ch in ln.text if not ch.isspace())
    for page, text in clipped.items():
        ours[page].update(ch for ch in text if not ch.isspace())
    with pdfplumber.open(CORPUS / name) as pdf:
        assert max(ours) <= len(pdf.pages)
        for i, page in enumerate(pdf.pages, 1):
            shown = page.filter(
                lambda o: o.get("object_type") != "char" or (0 <= (o["x0"] + o["x1"]) / 2 <= page.width and 0 <= (o["top"] + o["bottom"]) / 2 <= page.height)
            )
            theirs = collections.Counter(ch for ch in shown.extract_text() if not ch.isspace())
            assert ours.get(i, collections.Counter()) == theirs, f"page {i}"


@needs_corpus
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])
def test_tables_keep_one_width(name):
    """Consecutive rows of one table have the same number of cells."""
    lines = lines_of(name)
    for a, b in zip(lines, lines[1:]):
        if a.is_row and b.is_row and a.page == b.page:
            # rows of two tables on one page are separated by a title line in this corpus
            assert len(a.cells) == len(b.cells), (a, b)


@needs_corpus
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])
def test_backends_agree(name):
    """pdfplumber (pdfminer) and pypdfium2 (PDFium) read the same characters, rules and spaces, on every page
    where no clip to the page's body hides text (pdfminer does not follow clipping paths: it reads 普陀 司法局's
    主要职能 twice, once from each page of the text box)."""
    from lodpub.extract.pdf_pages import read_pdfium

    clipped = {p.number for p in read_pdfium(name, CORPUS / name) if p.clipped}
    assert len(clipped) <= 2

    def unclipped(lines: list[Line]) -> list[tuple[int, tuple[str, ...]]]:
        return [(ln.page, ln.cells) for ln in lines if ln.page not in clipped]

    assert unclipped(lines_of(name, "pdfplumber")) == unclipped(lines_of(name, "pypdfium2"))


def make_pages(path: Path, contents: list[bytes], width: int = 400, height: int = 300) -> Path:
    """Write a PDF of several pages with Helvetica, one content stream per page."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * k) for k in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for k, content in enumerate(contents):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (width, height, 5 + 2 * k)
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    path.write_bytes(_pdf_file(objs))
    return path


def ruled(ys: tuple[int, ...], xs: tuple[int, ...] = (50, 150, 250, 350)) -> bytes:
    return (
        b"0.5 w\n" + b"".join(b"%d %d m %d %d l S\n" % (xs[0], y, xs[-1], y) for y in ys) + b"".join(b"%d %d m %d %d l S\n" % (x, ys[0], x, ys[-1]) for x in xs)
    )


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_row_cut_by_a_page_break_is_joined(tmp_path, backend):
    """杭州 收入预算总表: a row at the foot of a page (“Unit A” | 14,549.64 | 12,437.3) ends at the top of the next
    page, where the table goes on (“nnex” | | 6): one row (“Unit Annex” | 14,549.64 | 12,437.36), not a
    second row holding a figure 6; the row after it stays a row of its own."""
    first = ruled((250, 230, 210)) + text_at(55, 236, "Total") + text_at(155, 236, "14,555.64") + text_at(255, 236, "12,443.36")
    first += text_at(55, 216, "Unit A") + text_at(155, 216, "14,549.64") + text_at(255, 216, "12,437.3") + text_at(200, 20, "20")
    second = ruled((290, 270, 250)) + text_at(55, 276, "nnex") + text_at(255, 276, "6")
    second += text_at(55, 256, "Unit B") + text_at(155, 256, "6.00") + text_at(255, 256, "6")
    doc = pdfx.extract(source(make_pages(tmp_path / "split.pdf", [first, second])), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("Total", "14,555.64", "12,443.36"),
        ("Unit Annex", "14,549.64", "12,437.36"),
        ("20",),
        ("Unit B", "6.00", "6"),
    ]
    assert [ln.number for ln in doc.lines] == [1, 2, 3, 4]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_row_cut_before_its_decimal_points_or_inside_its_code_is_joined(tmp_path, backend):
    """A Word or WPS table printed to PDF lets a row break across pages: every figure of the row cut at the
    foot (“001 | Unit | 4,212 | 290.2”), the rest at the top of the next page (“Office | .99 | 7”), or a
    code cut in its cell (“3022 | Welfare | 0.47”, then “9 | fund”; a project's code of many digits). One
    row each (4,212.99, 290.27; 30229): before, 4,212 and 290.2 were read as figures and .99 skipped. A next
    row printing a code of its own (30230) is a row of its own."""
    xs = (20, 80, 180, 280, 380)

    def page_one(last: bytes) -> bytes:
        return (
            ruled((250, 230, 210), xs)
            + text_at(25, 236, "000")
            + text_at(85, 236, "Total")
            + text_at(185, 236, "4,213.99")
            + text_at(285, 236, "291.27")
            + last
        )

    cut_figures = text_at(25, 216, "001") + text_at(85, 216, "Unit") + text_at(185, 216, "4,212") + text_at(285, 216, "290.2")
    rest_figures = ruled((290, 270, 250), xs) + text_at(85, 276, "Office") + text_at(185, 276, ".99") + text_at(285, 276, "7")
    rest_figures += text_at(25, 256, "002") + text_at(85, 256, "Other") + text_at(185, 256, "1.00") + text_at(285, 256, "1.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "figures.pdf", [page_one(cut_figures), rest_figures], width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("000", "Total", "4,213.99", "291.27"),
        ("001", "UnitOffice", "4,212.99", "290.27"),
        ("002", "Other", "1.00", "1.00"),
    ]
    cut_code = text_at(25, 216, "3022") + text_at(85, 216, "Welfare") + text_at(185, 216, "0.47") + text_at(285, 216, "0.47")
    rest_code = ruled((290, 270, 250), xs) + text_at(25, 276, "9") + text_at(85, 276, "fund")
    rest_code += text_at(25, 256, "30230") + text_at(85, 256, "Other") + text_at(185, 256, "1.00") + text_at(285, 256, "1.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "code.pdf", [page_one(cut_code), rest_code], width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("30229", "Welfarefund", "0.47", "0.47"), ("30230", "Other", "1.00", "1.00")]
    cut_project = text_at(22, 216, "41110022") + text_at(85, 216, "Printing") + text_at(185, 216, "40.50") + text_at(285, 216, "40.50")
    rest_project = ruled((290, 270, 250), xs) + text_at(25, 276, "023") + text_at(85, 276, "fees")
    doc = pdfx.extract(source(make_pages(tmp_path / "project.pdf", [page_one(cut_project), rest_project], width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("41110022023", "Printingfees", "40.50", "40.50")]
    whole = text_at(25, 216, "30228") + text_at(85, 216, "Welfare") + text_at(185, 216, "0.47") + text_at(285, 216, "0.47")
    rest_row = ruled((290, 270, 250), xs) + text_at(25, 276, "30230") + text_at(85, 276, "Other") + text_at(185, 276, "1.00") + text_at(285, 276, "1.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "rows.pdf", [page_one(whole), rest_row], width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("30228", "Welfare", "0.47", "0.47"), ("30230", "Other", "1.00", "1.00")]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_figure_cut_inside_its_decimals_or_its_thousands_is_joined(tmp_path, backend):
    """Word lets a row break inside its cells' lines (found by printing the corpus's tables from Word): a
    figure cut inside its decimals (76.0000 | 00, where its column prints six), beside an indicator's
    value of two decimals (33.39), which told the joiner the row prints two; a figure cut inside a group
    of its thousands (796,71 | 3) with its 款 and 项 codes cut in their narrow columns (0 | 5, 0 | 6). One
    row each; before, 76.0000 and 796,71 were the figures (the latter skipped as no number) and the rest a
    row of its own. A next row printing a code of its own stays a row of its own."""
    xs = (20, 80, 180, 280, 380)

    def pages(last: bytes, rest: bytes, above: bytes) -> list[bytes]:
        return [ruled((250, 230, 210), xs) + above + last, ruled((290, 270, 250), xs) + rest]

    above = text_at(25, 236, "000") + text_at(85, 236, "Total") + text_at(185, 236, "80.000000") + text_at(285, 236, "1.00")
    last = text_at(25, 216, "001") + text_at(85, 216, "Unit") + text_at(185, 216, "76.0000") + text_at(285, 216, "33.39")
    rest = text_at(85, 276, "Office") + text_at(185, 276, "00") + text_at(25, 256, "002") + text_at(85, 256, "Other") + text_at(185, 256, "4.000000")
    doc = pdfx.extract(source(make_pages(tmp_path / "decimals.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("000", "Total", "80.000000", "1.00"),
        ("001", "UnitOffice", "76.000000", "33.39"),
        ("002", "Other", "4.000000", ""),
    ]
    xs = (20, 80, 120, 160, 260, 380)
    above = text_at(25, 236, "208") + text_at(85, 236, "05") + text_at(125, 236, "05") + text_at(165, 236, "Pension") + text_at(265, 236, "1,593,425")
    last = text_at(25, 216, "208") + text_at(85, 216, "0") + text_at(125, 216, "0") + text_at(165, 216, "Annuity") + text_at(265, 216, "796,71")
    rest = text_at(85, 276, "5") + text_at(125, 276, "6") + text_at(265, 276, "3")
    rest += text_at(25, 256, "210") + text_at(85, 256, "11") + text_at(125, 256, "01") + text_at(165, 256, "Medical") + text_at(265, 256, "913,138")
    doc = pdfx.extract(source(make_pages(tmp_path / "thousands.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("208", "05", "05", "Pension", "1,593,425"),
        ("208", "05", "06", "Annuity", "796,713"),
        ("210", "11", "01", "Medical", "913,138"),
    ]
    xs = (20, 80, 180, 280, 380)  # 西安: a unit's code wrapped after three digits, its figure before its decimals
    above = text_at(25, 236, "253001") + text_at(85, 236, "Office") + text_at(185, 236, "100.00") + text_at(285, 236, "100.00")
    last = text_at(25, 216, "253") + text_at(85, 216, "Team") + text_at(185, 216, "3973924") + text_at(285, 216, "3973924.07")
    rest = text_at(25, 276, "021") + text_at(185, 276, ".07") + text_at(25, 256, "254") + text_at(85, 256, "Other") + text_at(185, 256, "1.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "unit.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("253021", "Team", "3973924.07", "3973924.07"), ("254", "Other", "1.00", "")]
    above = text_at(25, 236, "210") + text_at(85, 236, "Health") + text_at(185, 236, "200.55") + text_at(285, 236, "200.55")  # 深圳: 59,46 | 9.74
    last = text_at(25, 216, "211") + text_at(85, 216, "Environment") + text_at(185, 216, "59,46") + text_at(285, 216, "5,01")
    rest = text_at(185, 276, "9.74") + text_at(285, 276, "7.42")
    doc = pdfx.extract(source(make_pages(tmp_path / "group.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("211", "Environment", "59,469.74", "5,017.42")]
    above = text_at(25, 236, "252001") + text_at(85, 236, "Bureau") + text_at(185, 236, "109502224.00")  # 西安: no separators, 213808 | 2.18
    last = text_at(25, 216, "252002") + text_at(85, 216, "Station") + text_at(185, 216, "213808")
    rest = text_at(185, 276, "2.18")
    doc = pdfx.extract(source(make_pages(tmp_path / "plain.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("252002", "Station", "2138082.18", "")]
    # 北京 公安局: an indicator's value of digits (90) at the foot, the next page's first row an indicator of its own
    # (with a value of decimals, 29.16): two rows, not “效益指标成本指标 … 9029.16”
    above = text_at(25, 236, "Output") + text_at(85, 236, "Unit price") + text_at(185, 236, "3.18") + text_at(285, 236, "yuan")
    last = text_at(25, 216, "Benefit") + text_at(85, 216, "Usage rate") + text_at(185, 216, "90") + text_at(285, 216, "%")
    rest = text_at(25, 276, "Cost") + text_at(85, 276, "Vet care") + text_at(185, 276, "29.16") + text_at(285, 276, "wan")
    doc = pdfx.extract(source(make_pages(tmp_path / "indicator.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("Benefit", "Usage rate", "90", "%"), ("Cost", "Vet care", "29.16", "wan")]
    above = text_at(25, 236, "2200501") + text_at(85, 236, "Running") + text_at(185, 236, "5.00")  # 重庆: a code wrapped, nothing else
    last = text_at(25, 216, "22005") + text_at(85, 216, "Detection") + text_at(185, 216, "8.00")
    rest = text_at(25, 276, "06") + text_at(25, 256, "2200508") + text_at(85, 256, "Forecast") + text_at(185, 256, "2.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "wrapped.pdf", pages(last, rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("2200506", "Detection", "8.00", ""), ("2200508", "Forecast", "2.00", "")]
    above = text_at(25, 236, "253001") + text_at(85, 236, "Office") + text_at(185, 236, "100.00") + text_at(285, 236, "100.00")
    last = text_at(25, 216, "253") + text_at(85, 216, "Team") + text_at(185, 216, "3973924") + text_at(285, 216, "3973924.07")
    rest = text_at(25, 276, "021") + text_at(85, 276, "Annex")  # digits under the codes, no figure cut: a row of its own
    doc = pdfx.extract(source(make_pages(tmp_path / "row.pdf", pages(last.replace(b"3973924)", b"3973924.07)"), rest, above), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines][1:] == [("253", "Team", "3973924.07", "3973924.07"), ("021", "Annex", "", "")]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_paragraph_beside_a_name_cut_by_a_page_break_is_joined_with_its_digits(tmp_path, backend):
    """广州 水务局 printed from Word: a project's name and its performance target both cut at the foot; the
    target's rest holds digits (80.33km), which a name's rest never does, and was taken for a row of its
    own with the name's rest."""
    xs = (20, 100, 160, 360)  # both texts end within two ems of their cells' right edges
    target = "Patrol the dikes along the river bank for a"
    first = ruled((250, 230, 210), xs) + text_at(25, 236, "Total") + text_at(105, 236, "9.00") + text_at(165, 236, "Targets of the projects")
    first += text_at(25, 216, "Liuxi dike patro") + text_at(105, 216, "1.00") + text_at(165, 216, target)
    second = ruled((290, 270, 250), xs) + text_at(25, 276, "l") + text_at(165, 276, "length of 80.33 km")
    second += text_at(25, 256, "Other") + text_at(105, 256, "8.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "paragraph.pdf", [first, second], width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("Total", "9.00", "Targets of the projects"),
        ("Liuxi dike patrol", "1.00", target + "length of 80.33 km"),
        ("Other", "8.00", ""),
    ]


def test_a_dash_printed_as_one_glyph_for_its_two_characters_keeps_both(tmp_path):
    """LibreOffice prints the Chinese dash —— as one glyph two ems wide for its two characters, and PDFium
    gives both the glyph's box: they are not a character drawn twice on itself (the project 梅州水库除险达标
    加固——主坝灌浆工程 was read with one dash)."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Made def 1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfchar <41> <20142014> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 65 /LastChar 65 /Widths [2000] /ToUnicode 6 0 R >>"
    stream = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    path = make_pdf(tmp_path / "dash.pdf", b"BT /F1 10 Tf 50 250 Td (xAy) Tj ET", font=font, more=(stream,))
    assert [ln.cells for ln in pdfx.extract(source(path)).lines] == [("x——y",)]
    bold = b"BT /F1 10 Tf 50 250 Td (xAy) Tj ET BT /F1 10 Tf 50.1 250 Td (xAy) Tj ET"  # drawn twice to look bold: once
    assert [ln.cells for ln in pdfx.extract(source(make_pdf(tmp_path / "bold.pdf", bold, font=font, more=(stream,)))).lines] == [("x——y",)]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_row_cut_by_a_page_break_is_joined_under_the_header_the_page_repeats(tmp_path, backend):
    """Word repeats a table's header rows at the top of every page (重复标题行) and lets a row break across
    pages: the rest of the cut row comes after the repeated header, and is joined to the row it completes."""
    xs = (20, 80, 180, 280, 380)
    header = text_at(25, 276, "Code") + text_at(85, 276, "Name") + text_at(185, 276, "Total") + text_at(285, 276, "Basic")
    first = (
        ruled((290, 270, 250, 230), xs) + header + text_at(25, 256, "201") + text_at(85, 256, "General") + text_at(185, 256, "9.00") + text_at(285, 256, "9.00")
    )
    first += text_at(25, 236, "20103") + text_at(85, 236, "Office") + text_at(185, 236, "4,212") + text_at(285, 236, "290.2")
    second = ruled((290, 270, 250, 230), xs) + header + text_at(85, 256, "work") + text_at(185, 256, ".99") + text_at(285, 256, "7")
    second += text_at(25, 236, "20104") + text_at(85, 236, "Other") + text_at(185, 236, "1.00") + text_at(285, 236, "1.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "repeated.pdf", [first, second], width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [
        ("Code", "Name", "Total", "Basic"),
        ("201", "General", "9.00", "9.00"),
        ("20103", "Officework", "4,212.99", "290.27"),
        ("Code", "Name", "Total", "Basic"),
        ("20104", "Other", "1.00", "1.00"),
    ]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_paragraph_of_a_form_cut_by_a_page_break_is_joined(tmp_path, backend):
    """深圳 部门整体绩效目标: a target's long text, cut at the foot (…协助组织宁静小区案例评), goes on at the top of
    the next page (选，支撑…): one text. A short text over a short text (a label under a label, a new
    indicator) stays a row of its own."""
    xs = (20, 80, 350)  # the long text's last glyph ends at x = 342, within two ems of the cell's right edge

    def pages(last: str, rest: str) -> list[bytes]:
        first = ruled((250, 230, 210), xs) + text_at(25, 236, "Goal") + text_at(85, 236, "Targets") + text_at(25, 216, "A") + text_at(85, 216, last)
        return [first, ruled((290, 270, 250), xs) + text_at(85, 276, rest) + text_at(25, 256, "B") + text_at(85, 256, "Next")]

    long = "Organise the case selection of quiet neighbourhoods in se"
    doc = pdfx.extract(source(make_pages(tmp_path / "long.pdf", pages(long, "lected areas"), width=400)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [("Goal", "Targets"), ("A", long + "lected areas"), ("B", "Next")]
    doc = pdfx.extract(source(make_pages(tmp_path / "short.pdf", pages("Special account fees", "Other non-tax income"), width=400)), backend=backend)
    assert ("", "Other non-tax income") in [ln.cells for ln in doc.lines]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_name_cut_by_a_page_break_is_joined(tmp_path, backend):
    """江苏 收支预算总表: a function's name wrapped in its cell, its first line at the foot of one page
    (“八、社会保障和就” | 1,608.51), the rest at the top of the next (“业支出”): one name. A row whose name
    does not fill its cell is whole, and the text under it on the next page is a line of its own
    (普陀 财政局: “本年收入合计” | 2,946.25, then “使用非财政拨款结余”); so is what opens a line (“九、…”)."""

    def page_one(last: str) -> bytes:
        return ruled((250, 230, 210)) + text_at(55, 236, "Total") + text_at(155, 236, "3.00") + text_at(55, 216, last) + text_at(155, 216, "1.00")

    page_two = ruled((290, 270, 250)) + text_at(55, 276, "ployment") + text_at(55, 256, "Other") + text_at(155, 256, "2.00")
    doc = pdfx.extract(source(make_pages(tmp_path / "cut.pdf", [page_one("Socialsecurityandem"), page_two])), backend=backend)
    assert [ln.cells for ln in doc.lines] == [("Total", "3.00", ""), ("Socialsecurityandemployment", "1.00", ""), ("Other", "2.00", "")]
    doc = pdfx.extract(source(make_pages(tmp_path / "whole.pdf", [page_one("Sum"), page_two])), backend=backend)
    assert [ln.cells for ln in doc.lines] == [("Total", "3.00", ""), ("Sum", "1.00", ""), ("ployment", "", ""), ("Other", "2.00", "")]
    opens = page_two.replace(b"(ployment)", b"(9. Other)")
    doc = pdfx.extract(source(make_pages(tmp_path / "opens.pdf", [page_one("Socialsecurityandem"), opens])), backend=backend)
    assert ("9. Other", "", "") in [ln.cells for ln in doc.lines]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_name_cut_by_a_page_break_under_the_running_head_is_joined(tmp_path, backend):
    """无锡: every page opens with the document's running head (“…2026年度部门预算公开”), and the table goes on
    below it: a unit's name cut at the foot of a page (“无锡市社会保” | 66.00), the rest under the next page's
    running head (“险基金管理中心”), is one name. Text above the table that is no running head (printed atop
    one page only) starts a table of its own, and nothing is joined across it."""
    head = text_at(55, 285, "Budget of the Bureau 2026")

    def page_one(top: bytes) -> bytes:
        return (
            top
            + ruled((250, 230, 210))
            + text_at(55, 236, "Total")
            + text_at(155, 236, "3.00")
            + text_at(55, 216, "Socialsecurityandem")
            + text_at(155, 216, "1.00")
        )

    def page_two(top: bytes) -> bytes:
        return top + ruled((270, 250, 230)) + text_at(55, 256, "ployment") + text_at(55, 236, "Other") + text_at(155, 236, "2.00")

    page_three = head + text_at(55, 200, "Notes")
    doc = pdfx.extract(source(make_pages(tmp_path / "heads.pdf", [page_one(head), page_two(head), page_three])), backend=backend)
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert rows == [("Total", "3.00", ""), ("Socialsecurityandemployment", "1.00", ""), ("Other", "2.00", "")]
    title = text_at(55, 285, "Table 2")
    doc = pdfx.extract(source(make_pages(tmp_path / "title.pdf", [page_one(b""), page_two(title), page_three])), backend=backend)
    assert ("ployment", "", "") in [ln.cells for ln in doc.lines]


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_text_outside_the_page_is_not_read(tmp_path, backend):
    """A PDF printed from a spreadsheet can carry rows below the page's bottom edge, or the previous
    page's text above its top (江苏 人大, 普陀 商务委): no viewer shows them, and they are not read."""
    page = ruled((250, 230, 210)) + text_at(55, 236, "Total") + text_at(155, 236, "3.00") + text_at(55, 216, "Item") + text_at(155, 216, "3.00")
    page += text_at(55, -40, "Hidden 9.99") + text_at(55, 340, "Above") + text_at(420, 100, "Right")
    doc = pdfx.extract(source(make_pdf(tmp_path / "outside.pdf", page)), backend=backend)
    assert [ln.cells for ln in doc.lines] == [("Total", "3.00", ""), ("Item", "3.00", "")]


def test_text_clipped_away_from_the_pages_body_is_not_read_and_a_cells_overflow_is(tmp_path):
    """A report generator draws a merged cell's whole text on each page the cell spans, clipped to the page's
    body (北京's 项目支出绩效目标表: a project's name, amounts and goal again, unseen, above the next page's
    header, read into the header: “103.984764项目总额”); no viewer shows it, and it is not read. Text a cell's
    own clip hides (西安: a wrapped date, a header's last character under its cell) is printed nowhere else:
    it is read, as before."""
    page = b"q 20 20 360 200 re W n\n" + text_at(55, 150, "Shown 1.00") + text_at(55, 250, "Hidden 103.98") + text_at(55, 5, "Below") + b"Q\n"
    page += b"q 50 100 60 20 re W n\n" + text_at(55, 105, "Overflowing cell text") + b"Q\n"
    doc = pdfx.extract(source(make_pdf(tmp_path / "clipped.pdf", page)), backend="pypdfium2")
    assert sorted(ln.text for ln in doc.lines) == ["Overflowing cell text", "Shown 1.00"]


def test_a_cells_text_clipped_away_over_the_cell_below_is_not_read(tmp_path):
    """首都绿化委's 部门整体支出绩效目标表: a cell's text runs on, unseen, below its cell's clip, over what the cell
    below prints; read, the two interleaved (检产测出评指报标告数量 for 产出指标数量 and 检测评报告). Hidden over
    nothing, or run on to the right of its cell (西安's labels under the next cell's figure, mended back), a
    cell's text is read, as before. A cell narrower than a glyph is a column hidden from print (重庆: a row's
    number read into the label beside it, 1（一）一般公共预算资金): not read."""
    page = b"q 50 200 100 20 re W n\n" + text_at(55, 205, "Upper") + text_at(55, 185, "HIDE") + text_at(55, 125, "Alone") + b"Q\n"
    page += text_at(55, 185, "Lower")
    page += b"q 50 150 50 20 re W n\n" + text_at(55, 155, "Overflowing text") + b"Q\n"
    page += b"q 49 80 0.5 20 re W n\n" + text_at(50, 85, "1") + b"Q\n" + text_at(57, 85, "Label")  # 重庆: a column hidden from print
    doc = pdfx.extract(source(make_pdf(tmp_path / "cells.pdf", page)), backend="pypdfium2")
    assert [ln.text for ln in doc.lines] == ["Upper", "Lower", "Overflowing text", "Alone", "Label"]


def test_a_label_overprinting_the_figure_beside_it_goes_back_to_the_label():
    """西安 收入总表: a unit's name runs over the rule and overprints the figure of the next cell; sorted by
    position, its last characters interleave with the digits (“障中18心39311.66”)."""
    from lodpub.extract.pdf_rows import mend_spills

    assert mend_spills(["234002", "西安市人工影响天气服务保", "障中18心39311.66", "1839311.66"]) == (
        "234002",
        "西安市人工影响天气服务保障中心",
        "1839311.66",
        "1839311.66",
    )
    assert mend_spills(["4", "其中：专项资金列入部门预", "算0的.0项0 目", "3、国防支出"]) == ("4", "其中：专项资金列入部门预算的项目", "0.00", "3、国防支出")
    assert mend_spills(["（二", "）0.00"]) == ("（二）", "0.00")
    assert mend_spills(["项目", "第1项", "2026年"]) == ("项目", "第1项", "2026年")  # no figure: left alone


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_text_run_over_a_rule_goes_back_to_its_cell(tmp_path, backend):
    """Text wider than its cell, as Excel prints it: a label running on under the figure of the next cell
    (西安 “(5)资本性支出(基本建” | “0设.0)0”), a heading centred in a narrow cell sticking out on both
    sides (“预算数政” | “府预算…（按大类” | “）预算数”). Each run of glyphs goes back to the cell that holds
    most of it; a figure set right after its label stays in its own cell, and so does text that only
    touches a rule."""
    page = ruled((250, 230, 210, 190), xs=(50, 150, 200, 350))
    page += text_at(55, 236, "Item") + text_at(152, 236, "Sum") + text_at(140, 216, "Headingwiderthanits") + text_at(202, 216, "x")
    page += text_at(55, 196, "Expenditure(construction)") + text_at(152, 196, "0.00") + text_at(205, 196, "Other")
    doc = pdfx.extract(source(make_pdf(tmp_path / "overflow.pdf", page)), backend=backend)
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert rows[0] == ("Item", "Sum", "")
    assert rows[1] == ("", "Headingwiderthanits", "x")  # centred over the rule at 150: one heading
    assert rows[2] == ("Expenditure(construction)", "0.00", "Other")
    chars = [c for ln in doc.lines for cell in ln.cells for c in cell if not c.isspace()]
    assert sorted(chars) == sorted("ItemSumHeadingwiderthanitsxExpenditure(construction)0.00Other")


@pytest.mark.skipif(not (CORPUS / "regions" / "shaanxi-xian").is_dir(), reason=f"regional corpus not found at {CORPUS / 'regions'}")
def test_xian_labels_and_headings_printed_over_the_rules():
    """西安市气象局: Excel-printed tables whose labels run on under the next cell's figure and whose wide
    headings stick out of their cells; each cell reads as printed, every figure on its own."""
    lines = pdfx.extract(source(CORPUS / "regions" / "shaanxi-xian" / "气象局_2026年部门预算.pdf")).lines
    rows = {ln.cells[0]: ln.cells for ln in lines if ln.page == 18 and ln.is_row}
    assert rows["12"][5:7] == ("(5)资本性支出(基本建设)", "0.00")
    assert rows["11"][7:9] == ("10、对社会保障基金补助", "0.00")
    header = next(ln.cells for ln in lines if ln.page == 21 and ln.is_row and "项目" in ln.cells)
    assert header[5:] == ("部门预算支出经济科目（按大类）", "预算数", "政府预算支出经济科目（按大类）", "预算数")
    rows = {ln.cells[0]: ln.cells for ln in lines if ln.page == 21 and ln.is_row}
    assert rows["3"][1:3] == ("其中：专项资金列入部门预算的项目", "0.00")
    rows = {ln.cells[0]: ln.cells for ln in lines if ln.page == 23 and ln.is_row}
    assert rows["8"][2:4] == ("机关事业单位基本养老保险缴费", "50501")
    rows = {ln.cells[0]: ln.cells for ln in lines if ln.page == 22 and ln.is_row}
    assert rows["4"][2:4] == ("机关事业单位职业年金缴费支出", "43608.96")  # ran over, then its figure set close


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_string_drawn_again_on_itself_reads_once(tmp_path, backend):
    """西安 商务局: a producer makes headers look bold by drawing them several times at the same place,
    a few hundredths of a point apart (read as “金金金金金金金额额额额额额额…”, “序序号号”). The page shows each
    string once, and so does what lodpub reads: a copy at the same place, or a whole run drawn again
    within a point. Two different strings that overlap by half a point, where a heading overflows its
    cell, are both read: only part of the later run repeats what is there."""
    page = ruled((250, 230, 210))
    for dx in (0, 0.02, 0.01):
        page += text_at(55 + dx, 236, "Code") + text_at(155 + dx, 236, "Amount")
    page += text_at(55.6, 236.3, "Code")  # the whole run again, 0.6 point off
    page += text_at(55, 216, "Item") + text_at(155, 216, "3.00") + text_at(155.02, 216, "3.00")
    page += text_at(55, 150, "Budgetary") + text_at(55.5, 150, "Bud.")  # overlapping, not a copy: 'Bud' then '.'
    doc = pdfx.extract(source(make_pdf(tmp_path / "bold.pdf", page)), backend=backend)
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert rows == [("Code", "Amount", ""), ("Item", "3.00", "")]
    note = [ln.text for ln in doc.lines if not ln.is_row]
    assert len(note) == 1 and sorted(note[0].replace(" ", "")) == sorted("BudgetaryBud.")


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_heading_centred_over_a_narrower_cell_stays_whole(tmp_path, backend):
    """西安 三公 tables: “公务用车购置及运行维护费” centred over its merged cell sticks out one glyph on each side, neither
    glyph cut by its rule nor over the neighbours' text (printed on other lines), and read as “公公务接待费” and
    “费会议费” beside it. A run of glyphs sticking out on both sides is the middle cell's."""
    page = ruled((250, 210, 190), xs=(50, 150, 200, 350))
    page += text_at(55, 220, "Left") + text_at(144.44, 233, "qabdeghnoup") + text_at(220, 220, "Right")
    page += text_at(55, 196, "Item") + text_at(155, 196, "1.00") + text_at(205, 196, "2.00")
    doc = pdfx.extract(source(make_pdf(tmp_path / "centred.pdf", page)), backend=backend)
    rows = [ln.cells for ln in doc.lines if ln.is_row]
    assert rows[0] == ("Left", "qabdeghnoup", "Right")
    assert rows[1] == ("Item", "1.00", "2.00")


def after_a_page_of_text(path: Path, resources: bytes, content: bytes, more: tuple[bytes, ...]) -> Path:
    """A PDF of two pages: the first prints “Budget table” and “Total 5.00” in Helvetica (object 5), the
    second has `resources` and `content`, and objects `more` from 8 on."""
    text = text_at(50, 250, "Budget table") + text_at(50, 230, "Total 5.00")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        HELVETICA,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources %s /Contents 7 0 R >>" % resources,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *more,
    ]
    path.write_bytes(_pdf_file(objs))
    return path


# a font without a map to Unicode (Identity-H, no ToUnicode, not embedded): PDFium gives each glyph's number as
# its character (U+0001 …), pdfminer (cid:1)
GLYPH_FONT = b"<< /Type /Font /Subtype /Type0 /BaseFont /MadeSubset /Encoding /Identity-H /DescendantFonts [%d 0 R] >>"
GLYPH_CIDFONT = (
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MadeSubset /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
    b" /FontDescriptor %d 0 R /DW 1000 >>"
)
GLYPH_DESCRIPTOR = (
    b"<< /Type /FontDescriptor /FontName /MadeSubset /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
)
GLYPHS = b"BT /F2 10 Tf 50 250 Td <" + b"".join(b"%04X" % (1 + k % 40) for k in range(30)) + b"> Tj ET\n"


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_pdf_whose_text_is_glyph_numbers_says_so(tmp_path, backend):
    """A PDF whose fonts map no characters to Unicode gives glyph numbers, not text: the document fails with
    what it is and what to do (it failed as “no table of a kind lodpub knows”, naming a title of Latin
    letters and control characters)."""
    path = make_pdf(tmp_path / "glyphs.pdf", GLYPHS.replace(b"/F2", b"/F1"), font=GLYPH_FONT % 6, more=(GLYPH_CIDFONT % 7, GLYPH_DESCRIPTOR))
    err = expect_error(path, backend)
    assert "map no characters to Unicode" in str(err) and "OCR" in str(err)


@pytest.mark.parametrize("backend", ["pypdfium2", "pdfplumber"])
def test_a_page_whose_text_is_glyph_numbers_is_named(tmp_path, backend):
    """A page of glyph numbers among text pages: the document is read, that page's characters are not
    taken for text (none of them ends in a line) and the page is named (ExtractedDocument.unreadable_pages),
    so that what it prints is reported as not read."""
    second = GLYPHS + text_at(50, 250, "Budget table") + text_at(50, 230, "Total 5.00")
    fonts = b"<< /Font << /F1 5 0 R /F2 8 0 R >> >>"
    path = after_a_page_of_text(tmp_path / "glyphs-inside.pdf", fonts, second, (GLYPH_FONT % 9, GLYPH_CIDFONT % 10, GLYPH_DESCRIPTOR))
    document = pdfx.extract(source(path), backend=backend)
    assert [(ln.page, ln.cells) for ln in document.lines] == [(1, ("Budget table",)), (1, ("Total 5.00",))]
    assert document.unreadable_pages == [2]
    assert document.image_pages == []


def test_a_page_that_is_an_image_without_text_is_named(tmp_path):
    """A scanned page among text pages (an image, no text): the document is read, and the page is
    named (ExtractedDocument.image_pages), so that what it prints is reported as not read."""
    scan = b"q 300 0 0 200 50 50 cm /Im1 Do Q"
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    path = after_a_page_of_text(tmp_path / "scan-inside.pdf", b"<< /XObject << /Im1 8 0 R >> >>", scan, (image,))
    document = pdfx.extract(source(path))
    assert [ln.cells for ln in document.lines] == [("Budget table",), ("Total 5.00",)]
    assert document.image_pages == [2]


def test_a_disclosure_of_several_files_keeps_each_files_image_pages(tmp_path):
    """Read as one disclosure with a text file before it (`--together`), the PDF's image page is kept
    as that file's (the pages of the files were dropped from what is reported as not read)."""
    from lodpub.extract import extract_together
    from lodpub.sources import from_path

    scan = b"q 300 0 0 200 50 50 cm /Im1 Do Q"
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    pdf = after_a_page_of_text(tmp_path / "报表.pdf", b"<< /XObject << /Im1 8 0 R >> >>", scan, (image,))
    text = tmp_path / "情况说明.txt"
    text.write_text("一、部门职责\n本部门负责……\n", encoding="utf-8")
    document = extract_together([from_path(text), source(pdf)])
    assert document.part_image_pages == [[], [2]]
    assert document.part_unreadable_pages == [[], []]
    assert document.image_pages == []  # the document's pages are its files' (page 2 of which?)

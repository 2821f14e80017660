"""Word documents (.docx): the body's paragraphs and tables become the lines a PDF or a text of the same
document gives, and go through the same recognition and mapping. The documents are written here, in the
WordprocessingML a word processor saves (merged cells, page breaks, deleted text, fields, text boxes);
the example's text written as one gives the example's budget lines."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from conftest import EXAMPLE

from lodpub.errors import LodpubError
from lodpub.extract import extract
from lodpub.media import DOC, DOCX, XLSX
from lodpub.sources import from_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def write_docx(path: Path, body: str) -> Path:
    """A .docx whose document body is `body` (WordprocessingML elements, the w: prefix bound)."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return path


def para(text: str, before: str = "") -> str:
    """A paragraph of runs; `before` is put in the first run before its text (a break)."""
    return f'<w:p><w:r>{before}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def cell(text: str, span: int = 1, vmerge: str | None = None) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        "" if vmerge is None else '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    )
    paragraphs = "".join(para(line) for line in text.split("\n")) if text else "<w:p/>"
    width = f'<w:tcW w:w="{COLUMN_WIDTH * span}" w:type="dxa"/>'  # as Word writes it (a converter lays the table out by it)
    return f"<w:tc><w:tcPr>{width}{props}</w:tcPr>{paragraphs}</w:tc>"


def row(cells: list[str], before: int | None = None) -> str:
    props = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before is not None else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


COLUMN_WIDTH = 900  # twentieths of a point


def table(rows: list[str], columns: int = 0) -> str:
    """A table of rows; with `columns`, its grid (tblGrid) as Word writes it."""
    grid = "<w:tblGrid>" + f'<w:gridCol w:w="{COLUMN_WIDTH}"/>' * columns + "</w:tblGrid>" if columns else ""
    return f"<w:tbl><w:tblPr/>{grid}{''.join(rows)}</w:tbl>"


def lines_of(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    return [(ln.page, ln.cells) for ln in extract(from_path(path)).lines]


def test_merged_cells_stand_in_the_columns_they_cover(tmp_path):
    """科目编码 merged down two header rows and across 类 | 款 | 项, 本年收入 across its two parts, a row
    that leaves its first grid column out (gridBefore): each text in the first column it covers, the
    covered ones blank, as the text and the spreadsheet of the same table give them. A row that says it
    leaves out no column (gridBefore 0) leaves out none."""
    body = para("一般公共预算支出表") + table(
        [
            row([cell("科目编码", span=3), cell("科目名称", vmerge="restart"), cell("本年收入", span=2)]),
            row([cell("类"), cell("款"), cell("项"), cell("", vmerge="continue"), cell("基本支出"), cell("项目支出")]),
            row([cell("201"), cell("03"), cell("01"), cell("行政运行"), cell("1,026.27"), cell("")]),
            row([cell("一般行政\n管理事务"), cell("72.00"), cell("0.00")], before=3),
            row([cell("合计", span=4), cell("1,098.27"), cell("0.00")], before=0),  # (a row that says it skips no column)
        ]
    )
    path = write_docx(tmp_path / "表.docx", body)
    assert lines_of(path) == [
        (1, ("一般公共预算支出表",)),
        (1, ("科目编码", "", "", "科目名称", "本年收入", "")),
        (1, ("类", "款", "项", "", "基本支出", "项目支出")),
        (1, ("201", "03", "01", "行政运行", "1,026.27", "")),
        (1, ("", "", "", "一般行政\n管理事务", "72.00", "0.00")),
        (1, ("合计", "", "", "", "1,098.27", "0.00")),
    ]


def test_what_the_page_does_not_show_is_not_read(tmp_path):
    """Deleted and moved-away text, a field's instruction (PAGE), the fallback copy of a text box: not
    read; the field's result, a text box's text (once), a symbol and a non-breaking hyphen: read."""
    body = (
        "<w:p><w:r><w:t>收入</w:t></w:r><w:del><w:r><w:delText>删去的</w:delText></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>移走的</w:t></w:r></w:moveFrom><w:r><w:t>预算</w:t></w:r></w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框中的字</w:t></w:r></w:p>"
        "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框中的字</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        '<w:p><w:r><w:t>2025年</w:t><w:noBreakHyphen/><w:t>2026年</w:t><w:sym w:font="Symbol" w:char="F0B3"/><w:t>90%</w:t></w:r></w:p>'
    )
    path = write_docx(tmp_path / "说明.docx", body)
    assert [cells for _page, cells in lines_of(path)] == [("收入预算",), ("7",), ("框中的字",), ("2025年-2026年³90%",)]


def test_pages_are_counted_from_the_breaks_word_laid_out_else_from_those_typed(tmp_path):
    rendered = "<w:lastRenderedPageBreak/>"
    typed = '<w:br w:type="page"/>'
    body = (
        para("第一页")
        + para("第二页", rendered)
        + table(
            [
                row([cell("项目"), cell("金额")]),
                "<w:tr><w:tc><w:p><w:r>" + rendered + "<w:t>合计</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>5.00</w:t></w:r></w:p></w:tc></w:tr>",
            ]
        )
        + para("仍是第三页", typed)
    )
    assert [page for page, _ in lines_of(write_docx(tmp_path / "laid-out.docx", body))] == [1, 2, 2, 3, 3]  # the typed break: a rendered one follows it
    body = para("第一页") + para("第二页", typed) + para("第三页", typed) + "<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>第四页</w:t></w:r></w:p>"
    assert [page for page, _ in lines_of(write_docx(tmp_path / "typed.docx", body))] == [1, 2, 3, 4]


def docx_of_text(text: str) -> str:
    """A document body with the paragraphs and tables of a text document (`text_layout`), a heading
    over several columns merged across them (gridSpan) as Word prints it, each table with its grid and
    its cells' widths, and a paragraph after the last table (Word ends a document with one)."""
    from text_layout import blocks_of_text

    body = "".join(
        para(block)
        if isinstance(block, str)
        else table([row([cell(text, span=span) for text, span in cells]) for cells in block], max(sum(span for _, span in cells) for cells in block))
        for block in blocks_of_text(text)
    )
    return body + "<w:p/>"


def _budget_lines(records):
    return sorted(
        (t.title, o.row, o.column_label, o.row_label, o.printed, o.amount, tuple(sorted(o.dims.items())))
        for t in records.tables
        for o in records.observations
        if o.table == t.ordinal
    )


def reads_as_the_example(path: Path) -> None:
    """The document at `path` gives what the example's text gives: its budget lines dimension for
    dimension, its projects, indicators and narrative figures, and as many skipped cells."""
    from lodpub.pipeline import process

    from_word = process(str(path), validate=False, keep_records=True)
    from_text = process(str(EXAMPLE), validate=False, keep_records=True)
    assert from_word.ok, from_word.error
    word, plain = from_word.records, from_text.records
    assert (word.department, word.fiscal_year, word.phase) == (plain.department, plain.fiscal_year, plain.phase)
    assert len(word.observations) == len(plain.observations) > 400
    assert _budget_lines(word) == _budget_lines(plain)
    assert [p.name for p in word.projects] == [p.name for p in plain.projects]
    assert [(i.name, i.value) for i in word.indicators] == [(i.name, i.value) for i in plain.indicators]
    assert [(s.figure, s.amount) for s in word.statements] == [(s.figure, s.amount) for s in plain.statements] != []
    assert len(word.skipped) == len(plain.skipped)


@pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")
def test_the_example_as_a_word_document_gives_the_examples_budget_lines(tmp_path):
    path = write_docx(tmp_path / "example.docx", docx_of_text(EXAMPLE.read_text(encoding="utf-8")))
    assert from_path(path).media_type == DOCX
    reads_as_the_example(path)


@pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")
def test_a_table_that_frames_the_document_is_read_as_what_it_holds(tmp_path):
    """The example inside a one-cell table (a frame round the document, as some templates draw it), beside
    a cell of notes: its paragraphs and tables are read in order, as without the frame; they were one
    cell of text."""
    framed = "<w:tc><w:tcPr/>" + docx_of_text(EXAMPLE.read_text(encoding="utf-8")) + "</w:tc>"
    notes = cell("注：本文件由某某局编制")
    path = write_docx(tmp_path / "framed.docx", table([row([framed]), row([notes])]) + "<w:p/>")
    reads_as_the_example(path)
    assert lines_of(path)[-1][1] == ("注：本文件由某某局编制",)


def test_a_zip_or_compound_file_is_told_by_what_it_holds(tmp_path):
    import openpyxl

    docx = write_docx(tmp_path / "named-as-a-workbook.xlsx", para("说明"))
    assert from_path(docx).media_type == DOCX
    book = openpyxl.Workbook()
    book.save(tmp_path / "named-as-a-document.docx")
    assert from_path(tmp_path / "named-as-a-document.docx").media_type == XLSX
    # an OLE2 compound file whose directory names a WordDocument stream: a Word 97–2003 .doc
    doc = tmp_path / "预算.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(100))
    assert from_path(doc).media_type == DOC


def fake_doc(path: Path) -> Path:
    """An OLE2 compound file whose directory names a WordDocument stream, and nothing else."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(100))
    return path


def test_a_doc_without_libreoffice_says_what_to_do(tmp_path, monkeypatch):
    from lodpub.extract import office

    monkeypatch.setattr(office, "program", lambda: None)
    doc = fake_doc(tmp_path / "预算.doc")
    with pytest.raises(LodpubError, match=r"预算\.doc: is a Word 97–2003 document \(\.doc\).*LibreOffice is not installed.*save the file as \.docx or PDF"):
        extract(from_path(doc))


def _program(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_a_conversion_that_fails_or_hangs_is_reported_and_stopped(tmp_path, monkeypatch):
    """A program that fails says why, in the message; one that takes too long is stopped with what it
    started (the process group), and the document is reported, not waited for."""
    import time

    from lodpub.extract import office

    doc = fake_doc(tmp_path / "预算.doc")
    monkeypatch.setenv(office.SOFFICE, _program(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1"))
    with pytest.raises(LodpubError, match=r"预算\.doc: .*LibreOffice could not convert.*: Error: source file could not be loaded"):
        extract(from_path(doc))
    marker = tmp_path / "still-running"
    monkeypatch.setenv(office.SOFFICE, _program(tmp_path, f"(sleep 3; touch '{marker}') & sleep 30"))
    monkeypatch.setattr(office, "TIMEOUT", 1)
    start = time.monotonic()
    with pytest.raises(LodpubError, match=r"took longer than 1 s to convert it: stopped"):
        extract(from_path(doc))
    assert time.monotonic() - start < 3
    time.sleep(3.5)
    assert not marker.exists()  # the child it started was stopped too


needs_libreoffice = pytest.mark.skipif(
    not __import__("lodpub.extract.office", fromlist=["program"]).program(),
    reason="LibreOffice (soffice) is not installed: scripts/setup --system installs it",
)


def as_word_97(path: Path, folder: Path) -> Path:
    """The .docx converted to a Word 97–2003 .doc by LibreOffice, as a department's office saves one."""
    import subprocess

    from lodpub.extract import office

    out = folder / "doc"
    subprocess.run(
        [
            office.program(),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / (path.stem + ".doc")


@needs_libreoffice
@pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")
def test_the_example_as_a_word_97_document_gives_the_examples_budget_lines(tmp_path):
    docx = write_docx(tmp_path / "example.docx", docx_of_text(EXAMPLE.read_text(encoding="utf-8")))
    doc = as_word_97(docx, tmp_path)
    assert from_path(doc).media_type == DOC
    reads_as_the_example(doc)


@needs_libreoffice
@pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")
def test_the_example_printed_to_pdf_from_word_gives_the_examples_budget_lines(tmp_path):
    """The example as a Word document with ruled tables on A3 landscape pages, printed to PDF by LibreOffice,
    as an office prints its disclosure. Word lets a table row break across pages: a header row cut after
    一般公共预 (算 on the next page), a row's figures cut before their decimal points (4,212 | .99), a
    project's code cut in its cell. The PDF gives the example's budget lines, dimension for dimension, and
    its projects; no cell is skipped."""
    import subprocess

    from lodpub.extract import office

    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    body = docx_of_text(EXAMPLE.read_text(encoding="utf-8")).replace("<w:tblPr/>", f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>")
    body += '<w:sectPr><w:pgSz w:w="23811" w:h="16838" w:orient="landscape"/><w:pgMar w:top="720" w:right="720" w:bottom="720" w:left="720" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>'
    docx = write_docx(tmp_path / "example.docx", body)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    subprocess.run(
        [office.program(), profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=300
    )
    from lodpub.pipeline import process

    printed = process(str(tmp_path / "example.pdf"), validate=False, keep_records=True)
    plain = process(str(EXAMPLE), validate=False, keep_records=True)
    assert printed.ok, printed.error
    pdf, text = printed.records, plain.records
    assert pdf.skipped == []
    assert sorted((o.amount, sorted(o.dims.items())) for o in pdf.observations) == sorted((o.amount, sorted(o.dims.items())) for o in text.observations)
    assert len(pdf.observations) == len(text.observations) > 400
    assert [(p.key, p.name, p.unit_key) for p in pdf.projects] == [(p.key, p.name, p.unit_key) for p in text.projects]


@needs_libreoffice
def test_a_damaged_doc_is_reported_by_name(tmp_path):
    with pytest.raises(LodpubError, match=r"预算\.doc: is a Word 97–2003 document \(\.doc\) that LibreOffice could not convert"):
        extract(from_path(fake_doc(tmp_path / "预算.doc")))


@pytest.mark.parametrize("damage", ["truncated", "deflate stream", "no body", "not xml", "empty"])
def test_a_damaged_word_document_is_reported(tmp_path, damage):
    path = tmp_path / "坏.docx"
    if damage == "truncated":
        data = write_docx(tmp_path / "whole.docx", para("说明" * 500)).read_bytes()
        path.write_bytes(data[: len(data) // 2])
        expected = "not a readable .docx document"
    elif damage == "deflate stream":  # the compressed body's bytes damaged, the zip's directory intact
        data = bytearray(write_docx(tmp_path / "whole.docx", "".join(para(f"第{n}行：说明") for n in range(300))).read_bytes())
        start = data.index(b"word/document.xml") + len("word/document.xml")
        data[start + 40 : start + 48] = b"\xff" * 8
        path.write_bytes(bytes(data))
        expected = "not a readable .docx document"
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            if damage == "not xml":
                archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
            elif damage == "empty":
                archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body><w:p/></w:body></w:document>')
        expected = {"no body": "without word/document.xml", "not xml": "not a readable .docx document", "empty": "holds no text"}[damage]
    with pytest.raises(LodpubError, match=expected) as err:
        extract(from_path(path))
    assert str(path) in str(err.value)


def test_a_body_that_unpacks_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    from lodpub.extract import word

    path = write_docx(tmp_path / "炸弹.docx", para(" " * 100_000))
    monkeypatch.setattr(word, "MAX_BODY", 50_000)
    with pytest.raises(LodpubError, match="unpacks to .* bytes"):
        extract(from_path(path))


def test_entities_are_refused_before_parsing(tmp_path):
    """A billion-laughs body (nine levels of entities, each ten of the one below): refused at once."""
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    document = f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="{W}"><w:body>{para("&lol9;")}</w:body></w:document>'
    path = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document.replace("&amp;lol9;", "&lol9;"))
    with pytest.raises(LodpubError, match="declares a DTD or entities"):
        extract(from_path(path))


def test_a_folder_of_word_documents_is_read(tmp_path):
    from lodpub.sources import expand_inputs

    write_docx(tmp_path / "a.docx", para("说明"))
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert [Path(p).name for p in expand_inputs([str(tmp_path)])] == ["a.docx", "b.doc"]


@pytest.mark.parametrize("levels", [20, 5000])
def test_tables_nested_beyond_any_document_are_read_up_to_a_depth(tmp_path, levels):
    """Tables inside one another: 20 (more than a document nests) are read through to the text inside;
    5,000 (a hostile file) give no recursion error, and what lies deeper than the bound is not read."""
    deep = "<w:tbl><w:tr><w:tc>" * levels + para("深处") + "</w:tc></w:tr></w:tbl><w:p/>" * levels
    lines = lines_of(write_docx(tmp_path / "deep-tables.docx", para("前") + deep + para("后")))
    assert lines[0] == (1, ("前",)) and lines[-1] == (1, ("后",))
    assert ((1, ("深处",)) in lines) == (levels == 20)


def test_content_controls_nested_beyond_any_document_are_read_up_to_a_depth(tmp_path):
    """5,000 content controls inside one another (a hostile file): no recursion error; what Word nests
    (a few) is read."""
    deep = "<w:sdt><w:sdtContent>" * 5000 + para("深处") + "</w:sdtContent></w:sdt>" * 5000
    shallow = "<w:sdt><w:sdtContent>" * 3 + para("浅处") + "</w:sdtContent></w:sdt>" * 3
    path = write_docx(tmp_path / "deep.docx", shallow + deep)
    assert lines_of(path) == [(1, ("浅处",))]

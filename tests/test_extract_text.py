"""Text documents: encodings, bad input, and what the extractor keeps."""

from __future__ import annotations

import pytest

from lodpub.errors import ExtractError, SourceError
from lodpub.extract import extract
from lodpub.sources import expand_inputs, from_path

SAMPLE = "部门收支预算表\n\n单位：万元\n\n项 目\t预算数\n一、一般公共预算拨款收入\t4,212.99\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_every_common_encoding_gives_the_same_lines(tmp_path, encoding):
    doc = extract(from_path(write(tmp_path, "doc.txt", SAMPLE.encode(encoding))))
    assert [l.cells for l in doc.lines] == [
        ("部门收支预算表",),
        ("单位：万元",),
        ("项 目", "预算数"),
        ("一、一般公共预算拨款收入", "4,212.99"),
    ]
    assert [l.number for l in doc.lines] == [1, 3, 5, 6]  # line numbers in the file, blank lines counted


def test_undecodable_bytes_are_named_by_line(tmp_path):
    data = "第一行\n第二行\n".encode("utf-8") + b"\xff\xfe\xfa\x80\x81 bad\n"
    with pytest.raises(ExtractError) as info:
        extract(from_path(write(tmp_path, "bad.txt", data)))
    assert "bad.txt" in str(info.value) and "line 3" in str(info.value)


def test_binary_garbage_is_refused(tmp_path):
    with pytest.raises(ExtractError) as info:
        extract(from_path(write(tmp_path, "garbage.txt", b"abc\x00\x01\x02" * 100)))
    assert "garbage.txt" in str(info.value) and "binary" in str(info.value)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(SourceError, match="empty"):
        from_path(write(tmp_path, "empty.txt", b""))
    with pytest.raises(SourceError, match="no such file"):
        from_path(tmp_path / "missing.txt")


def test_pdf_bytes_are_recognised_whatever_the_name(tmp_path):
    source = from_path(write(tmp_path, "renamed.txt", b"%PDF-1.7\n%..."))
    assert source.media_type == "application/pdf"


def test_folders_expand_to_their_documents_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "~$预算.docx").write_bytes(b"\x06user  ")  # the lock file Word and Excel keep beside an open file
    assert expand_inputs([str(tmp_path)]) == [str(tmp_path / "a.pdf"), str(tmp_path / "b.txt")]
    (tmp_path / "emptydir").mkdir()
    with pytest.raises(SourceError, match=r"no \.pdf, \.txt, \.xlsx, \.xls, \.csv, \.docx, \.doc, \.wps, \.et, \.ofd, \.zip, \.rar or \.7z documents"):
        expand_inputs([str(tmp_path / "emptydir")])


# what some fonts' Unicode maps give instead of the character the page shows (Kangxi and CJK radicals)
AS_FONTS_MAP_THEM = {"门": "⻔", "一": "⼀", "支": "⽀", "人": "⼈", "长": "⻓", "入": "⼊", "用": "⽤", "工": "⼯"}


def test_characters_a_font_map_gives_instead_of_the_ideographs_read_as_the_ideographs(tmp_path):
    """部⻔ (U+2ED4), ⼀般公共预算⽀出 (U+2F00, U+2F40): the page shows 部门 and 一般公共预算支出; the document
    gives the same tables, rows and figures as when its text has the ordinary characters."""
    from pathlib import Path

    from lodpub.recognise import recognise
    from lodpub.records import build_records

    example = Path(__file__).resolve().parents[1] / "examples" / "luohe-2024-budget.txt"
    text = example.read_text(encoding="utf-8")
    mapped = text.translate(str.maketrans(AS_FONTS_MAP_THEM))
    mapped = mapped.replace("2024", "２０２４", 3).replace("\t", "\u200b\t", 5)
    assert mapped != text and "⻔" in mapped and "⼀" in mapped

    def read(data: str, name: str):
        path = tmp_path / name
        path.write_text(data, encoding="utf-8")
        extracted = extract(from_path(path))
        records = build_records(recognise(extracted))
        return extracted, records

    plain_lines, plain = read(text, "plain.txt")
    mapped_lines, records = read(mapped, "mapped.txt")
    assert [ln.cells for ln in mapped_lines.lines] == [ln.cells for ln in plain_lines.lines]
    assert len(records.observations) == len(plain.observations) > 400
    assert [(o.table, o.row, o.amount, sorted(o.dims.items())) for o in records.observations] == [
        (o.table, o.row, o.amount, sorted(o.dims.items())) for o in plain.observations
    ]


@pytest.mark.parametrize(
    ("printed", "read_as"),
    [("1，234.00", "1,234.00"), ("－1,234.00", "-1,234.00"), ("１，２３４．００", "1,234.00"), ("－", "－"), ("(1,234.00)", "(1,234.00)")],
)
def test_a_figure_typed_with_fullwidth_marks_is_that_figure(tmp_path, printed, read_as):
    """A figure typed in a Word table with fullwidth marks (1，234.00, －12.50) is the figure; a dash for
    nothing stays a dash, and a figure in brackets is not guessed to be negative."""
    doc = extract(from_path(write(tmp_path, "doc.txt", f"项目\t合计\n行政运行\t{printed}\n".encode())))
    assert doc.lines[1].cells == ("行政运行", read_as)


def test_amounts_in_sentences_typed_with_fullwidth_marks_are_those_amounts(tmp_path):
    """收入总计4，212.99万元 (a fullwidth comma), 基本支出2754．1万元 (a fullwidth point): the narrative's figures
    are the same as when typed with ordinary marks; read as printed they were 212.99 万元, or nothing."""
    from pathlib import Path

    from lodpub.extract.characters import meant
    from lodpub.pipeline import process

    text = (Path(__file__).resolve().parents[1] / "examples" / "luohe-2024-budget.txt").read_text(encoding="utf-8")
    wide = text.replace("4212.99 万元", "4，212.99 万元").replace("4212.99万元", "4，212.99万元").replace("2754.1万元", "2754．1万元")
    assert wide.count("4，212.99") > 5 and "2754．1万元" in wide

    def figures(data: str, name: str) -> list:
        path = tmp_path / name / "doc.txt"
        path.parent.mkdir()
        path.write_text(data, encoding="utf-8")
        result = process(str(path), validate=False, keep_records=True)
        return sorted((s.line, str(s.amount)) for s in result.records.statements if s.amount is not None)

    plain = figures(text, "plain")
    assert figures(wide, "wide") == plain and ("42129900.00" in {a for _, a in plain})
    assert meant("共12，345人；分别为1，2，3项") == "共12，345人；分别为1，2，3项"  # not money: left as printed

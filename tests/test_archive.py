"""Zip archives of documents (a portal's 部门预算.zip): the documents inside are read like a folder's,
named as if the archive were one; what cannot be read is reported by name, and the other documents
are published."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_lines import table_digests
from conftest import EXAMPLE, zip_of
from lodpub import archive
from lodpub.cli import main
from lodpub.pipeline import process
from lodpub.sources import expand_inputs

pytestmark = pytest.mark.skipif(not EXAMPLE.is_file(), reason=f"the example document is not at {EXAMPLE}")

GBK_NAME = "部门预算/漯河市政府办公室.txt"


def _unflagged(data: bytes, placeholder: str, name: str, encoding: str = "gbk") -> bytes:
    """A zip whose member `placeholder` is renamed `name` in `encoding` without the UTF-8 flag, as a
    Chinese Windows writes it (the name's bytes are swapped in the local and the central header)."""
    raw = name.encode(encoding)
    assert len(raw) == len(placeholder)
    assert data.count(placeholder.encode("ascii")) == 2
    return data.replace(placeholder.encode("ascii"), raw)


@pytest.fixture()
def disclosure_zip(tmp_path) -> Path:
    """An archive as portals publish them: the example under a GBK name in a folder, an archive inside
    holding it again under another name, and what is no document (a picture, macOS's resource forks)."""
    example = EXAMPLE.read_bytes()
    placeholder = "X" * len(GBK_NAME.encode("gbk"))
    inner = zip_of({"单位预算/二级单位.txt": example})
    data = zip_of({placeholder: example, "附件.zip": inner, "logo.png": b"\x89PNG\r\n\x1a\n", "__MACOSX/._x.txt": b"\x00\x05\x16\x07"})
    path = tmp_path / "2024年部门预算.zip"
    path.write_bytes(_unflagged(data, placeholder, GBK_NAME))
    return path


def test_a_zip_archive_gives_its_documents_named_as_in_a_folder(disclosure_zip):
    with zipfile.ZipFile(disclosure_zip) as z:
        gbk = [i for i in z.infolist() if not i.flag_bits & 0x800 and not i.filename.isascii()]
        assert len(gbk) == 1 and gbk[0].filename != GBK_NAME  # the name is GBK, unflagged: zipfile alone misreads it
    assert expand_inputs([str(disclosure_zip)]) == [f"{disclosure_zip}/{GBK_NAME}", f"{disclosure_zip}/附件.zip/单位预算/二级单位.txt"]


def test_a_document_inside_an_archive_reads_as_the_same_file_outside(disclosure_zip):
    plain = process(str(EXAMPLE), validate=False, keep_records=True)
    for location in expand_inputs([str(disclosure_zip)]):
        inside = process(location, validate=False, keep_records=True)
        assert inside.ok, inside.error
        assert inside.location == location
        assert table_digests(inside.records) == table_digests(plain.records)
        assert len(inside.records.observations) == len(plain.records.observations) > 400


def test_build_of_an_archive_and_a_folder_holding_it(disclosure_zip, tmp_path):
    folder = disclosure_zip.parent
    (folder / "notes.zip").write_bytes(zip_of({"readme.md": b"nothing to read"}))  # an archive without documents
    (folder / "broken.zip").write_bytes(disclosure_zip.read_bytes()[:300])  # a download cut short
    (folder / "scans.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(64))
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["build", str(folder), "--out", str(out), "-j", "1", "--issued", "2024-03-01"])
    assert run.exit_code == 1, run.output  # documents failed: said, and the others published
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert any("broken.zip" in line and "damaged zip archive" in line for line in failed), failed
    assert any("notes.zip" in line and "holds no" in line for line in failed), failed
    assert any("scans.rar" in line and "RAR archive" in line and "unpack" in line for line in failed), failed
    assert len(failed) == 3
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    good = sorted(d["location"] for d in summary["documents"] if "error" not in d)
    assert good == [f"{disclosure_zip}/{GBK_NAME}"]  # the same bytes under two names: read once
    assert [d["budget_lines"] for d in summary["documents"] if "error" not in d] == [419]
    assert "1 given twice" in run.stdout


def test_one_document_of_an_archive_is_named_by_its_path(disclosure_zip, tmp_path):
    location = f"{disclosure_zip}/附件.zip/单位预算/二级单位.txt"
    assert expand_inputs([location]) == [location]
    run = CliRunner().invoke(main, ["build", location, "--out", str(tmp_path / "out"), "-j", "1", "--issued", "2024-03-01"])
    assert run.exit_code == 0, run.output
    missing = process(f"{disclosure_zip}/部门预算/另一个.txt", validate=False)
    assert not missing.ok and "no document of that name" in missing.error and "2024年部门预算.zip" in missing.error


def test_what_an_archive_cannot_give_is_reported_by_name(tmp_path):
    example = EXAMPLE.read_bytes()
    big = tmp_path / "big.zip"
    big.write_bytes(zip_of({"huge.txt": example * 40}))  # 40 copies: more than the limit below
    [location] = expand_inputs([str(big)])
    result = process(location, validate=False, max_size=len(example) * 10)
    assert not result.ok and "huge.txt" in result.error and "--max-size" in result.error

    lying = tmp_path / "lying.zip"  # an entry that claims to be smaller than it holds (a zip bomb's trick): no more is unpacked
    data = bytearray(zip_of({"a.txt": example * 40}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("a.txt")
    size = (len(example) * 40).to_bytes(4, "little")
    assert bytes(data).count(size) == 2
    lying.write_bytes(bytes(data).replace(size, (100).to_bytes(4, "little")))
    [location] = expand_inputs([str(lying)])
    result = process(location, validate=False, max_size=len(example) * 10)
    assert not result.ok and "lying.zip/a.txt" in result.error and "damaged" in result.error, result.error
    assert info.file_size == len(example) * 40

    garbled = tmp_path / "garbled.zip"  # a compressed stream zlib itself refuses (not only a wrong checksum)
    data = bytearray(zip_of({"a.txt": example}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("a.txt")
    start = 30 + len(info.filename) + len(info.extra)  # the local header of the first member, then its data
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    garbled.write_bytes(bytes(data))
    [location] = expand_inputs([str(garbled)])
    result = process(location, validate=False)
    assert not result.ok and "garbled.zip/a.txt: is damaged in its archive (error:" in result.error, result.error

    encrypted = tmp_path / "locked.zip"
    data = zip_of({"a.txt": example})
    flags_at = [i for i in range(len(data) - 4) if data[i : i + 4] in (b"PK\x03\x04", b"PK\x01\x02")]
    patched = bytearray(data)
    for at in flags_at:  # the general-purpose flag's bit 0: encrypted
        offset = at + (6 if data[at + 2] == 3 else 8)
        patched[offset] |= 1
    encrypted.write_bytes(bytes(patched))
    [location] = expand_inputs([str(encrypted)])
    result = process(location, validate=False)
    assert not result.ok and "encrypted" in result.error and "locked.zip/a.txt" in result.error


def test_archive_names_that_would_leave_the_folder_are_only_names(tmp_path):
    """A member called ../../x.txt or /etc/x.txt is read from the archive; nothing is written under its name."""
    example = EXAMPLE.read_bytes()
    path = tmp_path / "names.zip"
    path.write_bytes(zip_of({"../../escape.txt": example, "/etc/absolute.txt": example, "..": example, "a//./b.txt": example}))
    locations = expand_inputs([str(path)])
    assert locations == [f"{path}/../../escape.txt", f"{path}/a/b.txt", f"{path}/etc/absolute.txt"]
    for location in locations:
        result = process(location, validate=False)
        assert result.ok, result.error
    assert sorted(p.name for p in tmp_path.parent.iterdir() if p.name.endswith(".txt")) == []
    assert not (tmp_path.parent.parent / "escape.txt").exists()


def test_member_names_in_gbk_utf8_and_flagged_utf8():
    for name, flags, raw in (("单位.txt", 0x800, "单位.txt".encode()), ("单位.txt", 0, "单位.txt".encode("gbk")), ("单位.txt", 0, "单位.txt".encode())):
        info = zipfile.ZipInfo(raw.decode("utf-8") if flags else raw.decode("cp437"))
        info.flag_bits = flags
        assert archive.member_name(info) == name


def test_an_archive_read_as_one_document_says_what_it_holds(disclosure_zip):
    """An archive that reaches the readers (from a URL, or nested deeper than lodpub opens) names its documents."""
    result = process(str(disclosure_zip), validate=False)
    assert not result.ok
    assert "a zip archive of 2 document(s) (漯河市政府办公室.txt, 二级单位.txt)" in result.error and "unpack" in result.error


def test_an_ofd_document_is_told_apart_from_an_archive(tmp_path):
    """An OFD file (a zip holding OFD.xml) is reported as the format lodpub does not read, in a folder too;
    Kingsoft WPS files in a folder are taken for documents (read when they hold the .doc or .xls format)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "部门预算.ofd").write_bytes(zip_of({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"}))
    (folder / "表格.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (folder / "说明.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (folder / "说明.ofd.txt").write_text("not a budget", encoding="utf-8")
    found = expand_inputs([str(folder)])
    assert [Path(f).name for f in found] == ["表格.et", "说明.ofd.txt", "说明.wps", "部门预算.ofd"]
    result = process(str(folder / "部门预算.ofd"), validate=False)
    assert not result.ok and "部门预算.ofd: an OFD document" in result.error and "PDF" in result.error

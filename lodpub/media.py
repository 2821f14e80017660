"""The media type of a document, decided from its bytes (not from its name). Sources and the
fetcher both ask it."""

from __future__ import annotations

from pathlib import Path

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ZIP = "application/zip"  # an archive of documents (a zip that is no .docx, .xlsx or OFD): `lodpub.archive`
OFD = "application/ofd"  # the Chinese fixed-layout format (GB/T 33190): a zip holding OFD.xml; not read
RAR = "application/vnd.rar"
SEVEN_ZIP = "application/x-7z-compressed"


def sniff_media_type(head: bytes, name: str = "", whole: bytes | Path | None = None) -> str:
    """The media type of a document from its first bytes; a zip (.xlsx or .docx) and an OLE2 compound
    file (.xls or a Word 97–2003 .doc) from what they hold when the whole file is given (its bytes, or
    its path), else from the name; CSV text from its name."""
    if head.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        names = _zip_names(whole)
        if names is not None and "OFD.xml" in names:
            return OFD
        if (names is None and name.lower().endswith(".zip")) or (names is not None and not names.intersection(_OFFICE)):
            return ZIP  # (a damaged zip is an archive when its name says so)
        named_docx = name.lower().endswith(".docx")
        if names is None:  # a damaged zip: its name says what it was meant to be (its reader reports the damage)
            return DOCX if named_docx else XLSX
        return DOCX if "word/document.xml" in names or (named_docx and "xl/workbook.xml" not in names) else XLSX
    if head[:6] == b"Rar!\x1a\x07":
        return RAR
    if head[:6] == b"7z\xbc\xaf\x27\x1c":
        return SEVEN_ZIP
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return DOC if _word_stream(whole, name.lower().endswith((".doc", ".wps"))) else XLS
    if name.lower().endswith(".csv"):
        return "text/csv"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start[:200]:
        return "text/html"
    return "text/plain"


_OFFICE = ("[Content_Types].xml", "word/document.xml", "xl/workbook.xml")  # what a .docx or .xlsx holds


def _zip_names(whole: bytes | Path | None) -> set[str] | None:
    """The names of a zip's members; None when the zip is not given or cannot be read."""
    import io
    import zipfile

    if whole is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(whole) if isinstance(whole, bytes) else whole) as archive:
            return set(archive.namelist())
    except Exception:  # noqa: BLE001 - a damaged zip, whatever zipfile makes of it
        return None


def _word_stream(whole: bytes | Path | None, otherwise: bool) -> bool:
    """Does the compound file hold a WordDocument stream rather than a workbook (its directory names
    its streams in UTF-16, wherever in the file the directory is)?"""
    if whole is None:
        return otherwise
    try:
        data = whole if isinstance(whole, bytes) else Path(whole).read_bytes()
    except OSError:
        return otherwise
    if "WordDocument".encode("utf-16-le") in data:
        return True
    return otherwise and "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data

"""The media type of a document, decided from its bytes (not from its name). Sources and the
fetcher both ask it."""

from __future__ import annotations

from pathlib import Path

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ZIP = "application/zip"  # an archive of documents (a zip that is no .docx or .xlsx): `lodpub.archive`
RAR = "application/vnd.rar"
SEVEN_ZIP = "application/x-7z-compressed"


def sniff_media_type(head: bytes, name: str = "", whole: bytes | Path | None = None) -> str:
    """The media type of a document from its first bytes; a zip (.xlsx or .docx) and an OLE2 compound
    file (.xls or a Word 97–2003 .doc) from what they hold when the whole file is given (its bytes, or
    its path), else from the name; CSV text from its name."""
    if head.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        if _zip_of_documents(whole, name):
            return ZIP
        return DOCX if _zip_holds(whole, "word/document.xml", name.lower().endswith(".docx")) else XLSX
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


def _zip_holds(whole: bytes | Path | None, member: str, otherwise: bool) -> bool:
    import io
    import zipfile

    if whole is None:
        return otherwise
    try:
        with zipfile.ZipFile(io.BytesIO(whole) if isinstance(whole, bytes) else whole) as archive:
            names = set(archive.namelist())
        return member in names or (otherwise and "xl/workbook.xml" not in names)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return otherwise  # a damaged zip: its name says what it was meant to be (its reader reports the damage)


def _zip_of_documents(whole: bytes | Path | None, name: str) -> bool:
    """A zip that is neither a .docx nor an .xlsx (an archive of documents); a damaged one when named .zip."""
    import io
    import zipfile

    if whole is None:
        return name.lower().endswith(".zip")
    try:
        with zipfile.ZipFile(io.BytesIO(whole) if isinstance(whole, bytes) else whole) as archive:
            names = set(archive.namelist())
    except Exception:  # noqa: BLE001 - a damaged zip, whatever zipfile makes of it
        return name.lower().endswith(".zip")
    return not names.intersection(("[Content_Types].xml", "word/document.xml", "xl/workbook.xml"))


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

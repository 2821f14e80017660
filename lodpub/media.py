"""The media type of a document, decided from its bytes (not from its name). Sources and the
fetcher both ask it."""

from __future__ import annotations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS = "application/vnd.ms-excel"


def sniff_media_type(head: bytes, name: str = "") -> str:
    """The media type of a document from its first bytes (and, for CSV text, its name)."""
    if head.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    if head[:4] == b"PK\x03\x04":
        return XLSX  # a zip: lodpub reads only spreadsheets among zipped formats
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return XLS
    if name.lower().endswith(".csv"):
        return "text/csv"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start[:200]:
        return "text/html"
    return "text/plain"

"""Errors that name the file and the place where an input went wrong."""

from __future__ import annotations

import unicodedata


class LodpubError(Exception):
    """Base class of every error lodpub reports to a user."""


class SourceError(LodpubError):
    """A document could not be read or fetched."""

    def __init__(self, location: str, message: str):
        self.location = location
        super().__init__(f"{printable(location)}: {message}")


class ExtractError(LodpubError):
    """A document was read but its content could not be extracted."""

    def __init__(self, location: str, place: str | None, message: str):
        self.location = location
        self.place = place
        where = f"{printable(location)} ({place})" if place else printable(location)
        super().__init__(f"{where}: {message}")


def printable(text: str) -> str:
    """Text as one printable line: control characters (a newline in a file name …) written as escapes,
    like repr() but without quotes and keeping every other character (Chinese stays Chinese)."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or unicodedata.category(char) == "Zs":
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    return "".join(out)


def size_text(n: int) -> str:
    """A number of bytes as people write it: 52,428,800 → 50 MB."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if value == int(value) or value >= 100 else f"{value:.1f} {unit}"
    return f"{n} bytes"


def check_size(location: str, size: int, max_size: int | None) -> None:
    if max_size is not None and size > max_size:
        raise SourceError(location, f"{size_text(size)} ({size:,} bytes), more than the limit of {size_text(max_size)} for one document (--max-size)")

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

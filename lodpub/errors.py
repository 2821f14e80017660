"""Errors that name the file and the place where an input went wrong."""

from __future__ import annotations


class LodpubError(Exception):
    """Base class of every error lodpub reports to a user."""


class SourceError(LodpubError):
    """A document could not be read or fetched."""

    def __init__(self, location: str, message: str):
        self.location = location
        super().__init__(f"{location}: {message}")


class ExtractError(LodpubError):
    """A document was read but its content could not be extracted."""

    def __init__(self, location: str, place: str | None, message: str):
        self.location = location
        self.place = place
        where = f"{location} ({place})" if place else location
        super().__init__(f"{where}: {message}")

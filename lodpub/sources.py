"""Stage 1: sources. Turn what the user names (paths, folders, URLs) into `Source`s with checksums.

URLs are fetched by `lodpub.fetch`; this module only deals with local files and decides the media
type from the bytes, not from the file name.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .errors import SourceError
from .fetch import DEFAULT_MAX_BYTES, fetch
from .media import sniff_media_type
from .model import Source

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".xlsx", ".xls", ".csv", ".docx", ".doc")  # (a web page is read when named: a folder may hold a publication's own pages)


MAX_SIZE = 50 * 1024 * 1024  # bytes of one document (--max-size): larger ones are refused


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


def from_path(path: str | Path, location: str | None = None, max_size: int | None = MAX_SIZE) -> Source:
    """A Source for a local file; raises SourceError when it cannot be read or is larger than `max_size`."""
    p = Path(path)
    location = location or str(path)
    try:
        if max_size is not None and p.is_file():
            check_size(location, p.stat().st_size, max_size)
        data = p.read_bytes()
    except FileNotFoundError:
        raise SourceError(location, "no such file") from None
    except IsADirectoryError:
        raise SourceError(location, "is a folder; name the documents in it or use the folder as input") from None
    except OSError as exc:
        raise SourceError(location, f"cannot be read: {exc.strerror or exc}") from None
    if not data:
        raise SourceError(location, "is empty (0 bytes)")
    return Source(
        location=location,
        path=p,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=sniff_media_type(data[:1024], p.name, data),  # (the bytes in hand: a zip or compound file is not read again)
    )


def expand_inputs(inputs: list[str]) -> list[str]:
    """Folders become the supported documents inside them, sorted; other inputs stay as given."""
    expanded: list[str] = []
    for item in inputs:
        p = Path(item)
        if "://" not in item and p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith("~$")
            )  # (~$name.docx: the lock file Word or Excel keeps beside a file it has open, no document)
            if not found:
                raise SourceError(item, f"folder holds no {', '.join(SUPPORTED_SUFFIXES[:-1])} or {SUPPORTED_SUFFIXES[-1]} documents")
            expanded.extend(found)
        elif "://" not in item and not p.exists():  # before any work starts: a mistyped name is told at once
            raise SourceError(item, "no such file")
        else:
            expanded.append(item)
    return expanded


def distinct_inputs(locations: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The locations whose bytes differ, and (location, the location read instead) for each local file
    that holds the same bytes as one before it: a document given twice is read once."""
    seen: dict[str, str] = {}
    kept: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for location in locations:
        digest = _file_digest(location)
        if digest is not None and digest in seen:
            duplicates.append((location, seen[digest]))
            continue
        if digest is not None:
            seen[digest] = location
        kept.append(location)
    return kept, duplicates


def _file_digest(location: str) -> str | None:
    """SHA-256 of a local file's bytes, None for a URL or a file that cannot be read (reported later)."""
    if "://" in location:
        return None
    try:
        stat = Path(location).stat()
    except OSError:
        return None
    return _digest(location, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=65536)
def _digest(location: str, size: int, mtime: int) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(location, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def open_source(item: str, cache_dir: Path | None = None, max_size: int | None = MAX_SIZE) -> Source:
    """A Source for a path or a URL (URLs are fetched through the cache), at most `max_size` bytes."""
    if item.startswith(("http://", "https://")):
        source = fetch(item, cache_dir=cache_dir, max_bytes=max_size if max_size is not None else DEFAULT_MAX_BYTES)
        check_size(item, Path(source.path).stat().st_size, max_size)  # a copy in the cache, fetched before
        return source
    return from_path(item, max_size=max_size)

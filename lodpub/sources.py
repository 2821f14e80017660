"""Stage 1: sources. Turn what the user names (paths, folders, URLs) into `Source`s with checksums.

URLs are fetched by `lodpub.fetch`; this module only deals with local files and decides the media
type from the bytes, not from the file name.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import archive
from .errors import SourceError, check_size
from .fetch import DEFAULT_MAX_BYTES, fetch
from .media import sniff_media_type
from .model import Source

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".xlsx", ".xls", ".csv", ".docx", ".doc")  # (a web page is read when named: a folder may hold a publication's own pages)
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z")  # a zip's documents are read; the others are reported (unpack them)
# what a folder's or an archive's files are taken for: besides those read, Kingsoft WPS files (read when
# they hold the .doc or .xls format, as WPS writes by default) and OFD documents (reported: not read)
FOUND_SUFFIXES = SUPPORTED_SUFFIXES + (".wps", ".et", ".ofd") + ARCHIVE_SUFFIXES


MAX_SIZE = 50 * 1024 * 1024  # bytes of one document (--max-size): larger ones are refused


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


def expand_inputs(inputs: list[str], max_size: int | None = MAX_SIZE, cache_dir: Path | None = None) -> list[str]:
    """Folders become the supported documents inside them, sorted; a zip archive (named, in a folder,
    or at a URL ending in .zip, fetched through the cache) the documents inside it (`archive`); other
    inputs stay as given. A damaged archive, or one that cannot be fetched, stays as given, to be
    reported with the other documents' results."""
    expanded: list[str] = []
    for item in inputs:
        p = Path(item)
        if archive.is_url_archive(item):
            expanded.extend(_url_archive_documents(item, max_size, cache_dir))
        elif "://" not in item and p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FOUND_SUFFIXES and not f.name.startswith("~$")
            )  # (~$name.docx: the lock file Word or Excel keeps beside a file it has open, no document)
            if not found:
                raise SourceError(item, f"folder holds no {', '.join(FOUND_SUFFIXES[:-1])} or {FOUND_SUFFIXES[-1]} documents")
            for f in found:
                expanded.extend(_archive_documents(Path(f), max_size) if f.lower().endswith(".zip") else [f])
        elif "://" not in item and p.is_file() and archive.is_archive(p):
            expanded.extend(_archive_documents(p, max_size))
        elif "://" not in item and not p.exists() and not archive.is_member(item):  # before any work starts: a mistyped name is told at once
            raise SourceError(item, "no such file")
        else:
            expanded.append(item)
    return expanded


def _url_archive_documents(url: str, max_size: int | None, cache_dir: Path | None) -> list[str]:
    try:
        source = fetch(url, cache_dir=cache_dir, max_bytes=DEFAULT_MAX_BYTES)
    except SourceError:
        return [url]  # fetched again when read, and what went wrong reported with the other documents' results
    if not archive.is_archive(Path(source.path)):
        return [url]  # not a zip whatever its name says: read (or reported) as what it is
    return _archive_documents(Path(source.path), max_size, location=url)


def _archive_documents(path: Path, max_size: int | None, location: str | None = None) -> list[str]:
    """The documents of the archive at `path` (named from `location`, a URL's copy); the archive itself when damaged."""
    try:
        return archive.documents_in(path, FOUND_SUFFIXES, max_size, location=location)
    except SourceError:
        return [location or str(path)]  # read as a document, whose result says what is wrong with the archive


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
    """A Source for a path or a URL (URLs are fetched through the cache), at most `max_size` bytes.
    (A document inside a zip archive is copied out first: `pipeline.process`.)"""
    if item.startswith(("http://", "https://")):
        source = fetch(item, cache_dir=cache_dir, max_bytes=max_size if max_size is not None else DEFAULT_MAX_BYTES)
        check_size(item, Path(source.path).stat().st_size, max_size)  # a copy in the cache, fetched before
        return source
    return from_path(item, max_size=max_size)

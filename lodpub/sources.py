"""Stage 1: sources. Turn what the user names (paths, folders, URLs) into `Source`s with checksums.

URLs are fetched by `lodpub.fetch`; this module only deals with local files and decides the media
type from the bytes, not from the file name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import SourceError
from .fetch import fetch
from .media import sniff_media_type
from .model import Source

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".xlsx", ".xls", ".csv")


def from_path(path: str | Path, location: str | None = None) -> Source:
    """A Source for a local file; raises SourceError when it cannot be read."""
    p = Path(path)
    location = location or str(path)
    try:
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
        media_type=sniff_media_type(data[:1024], p.name),
    )


def expand_inputs(inputs: list[str]) -> list[str]:
    """Folders become the supported documents inside them, sorted; other inputs stay as given."""
    expanded: list[str] = []
    for item in inputs:
        p = Path(item)
        if "://" not in item and p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not found:
                raise SourceError(item, "folder holds no .pdf, .txt, .xlsx, .xls or .csv documents")
            expanded.extend(found)
        else:
            expanded.append(item)
    return expanded


def open_source(item: str, cache_dir: Path | None = None) -> Source:
    """A Source for a path or a URL (URLs are fetched through the cache)."""
    if item.startswith(("http://", "https://")):
        return fetch(item, cache_dir=cache_dir)
    return from_path(item)

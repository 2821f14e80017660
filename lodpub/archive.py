"""Zip archives of documents: a portal's 部门预算.zip holding a department's budget and its units'.
The documents inside are inputs like the files of a folder, and are named as if the archive were
one: `budgets.zip/2026/部门预算.pdf` (an archive inside an archive: `a.zip/b.zip/c.pdf`). An archive
named by a URL ending in .zip is fetched, and its documents named the same way:
`https://host/budgets.zip/2026/部门预算.pdf`.

Nothing is unpacked to disk under the names the archive gives (a name may hold `..` or an absolute
path): a document is read from the archive into memory, at most `max_size` bytes of it whatever its
entry claims, and copied where the pipeline reads it under a name of lodpub's making.

A member's name is decoded as its archive says (UTF-8 when flagged); an archive made on a Chinese
Windows, which flags nothing and writes GBK, has its names read as GB 18030 when they are not UTF-8.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path, PurePosixPath

from .errors import SourceError, check_size
from .media import ZIP, sniff_media_type

MAX_DEPTH = 3  # archives inside archives read through; deeper ones are reported, not opened
_SKIPPED_FOLDERS = ("__MACOSX/",)  # the resource forks macOS adds to the archives it makes


def is_archive(path: Path) -> bool:
    """Is the file a zip archive of documents (not a .docx or .xlsx, which are zips too)? A damaged
    zip is an archive when its name says so, so that the damage is reported as an archive's."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head[:2] == b"PK" and sniff_media_type(head, path.name, path) == ZIP


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it: UTF-8 when flagged, else UTF-8 or GB 18030 (what a
    Chinese Windows writes unflagged; Python reads unflagged names as code page 437)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    name = name.replace("\\", "/").lstrip("/")  # (a name written on Windows with backslashes)
    return posixpath.normpath(name) if name and not name.endswith("/") else name  # a//b and a/./b are a/b


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Member name → entry, folders and macOS resource forks left out (a name given twice: the last, as unzip does)."""
    out: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        name = member_name(info)
        base = PurePosixPath(name).name
        if info.is_dir() or name.endswith("/") or base in ("", ".", "..") or name.startswith(_SKIPPED_FOLDERS) or base.startswith(("._", "~$")):
            continue
        out[name] = info
    return out


def _open(location: str, data: bytes | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except Exception as exc:  # noqa: BLE001 - zipfile meets a damaged directory with many kinds of error
        raise SourceError(location, f"a damaged zip archive ({type(exc).__name__}: {exc}): its documents cannot be read") from None


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, location: str, max_size: int | None) -> bytes:
    check_size(location, info.file_size, max_size)
    if info.flag_bits & 0x1:
        raise SourceError(location, "is encrypted in its archive (a password is needed): unpack the archive with its password and build the files")
    try:
        with archive.open(info) as f:
            data = f.read() if max_size is None else f.read(max_size + 1)
    except NotImplementedError as exc:  # deflate64, say, which Windows uses for large archives
        raise SourceError(location, f"is packed in its archive by a method lodpub cannot unpack ({exc}): unpack the archive and build the files") from None
    except Exception as exc:  # noqa: BLE001 - a damaged stream fails in zipfile, zlib, bz2 or lzma, each its own way
        raise SourceError(location, f"is damaged in its archive ({type(exc).__name__}: {exc})") from None
    check_size(location, len(data), max_size)  # an entry that claims less than it holds
    if not data:
        raise SourceError(location, "is empty (0 bytes)")
    return data


def documents_in(path: Path, suffixes: tuple[str, ...], max_size: int | None = None, location: str | None = None) -> list[str]:
    """The locations of the documents in an archive whose names end in one of `suffixes`, in the order
    of their names, those of the archives inside it (to MAX_DEPTH) among them; raises SourceError for a
    damaged archive or one that holds none. `location`: the archive's name where it is not `path`
    (a URL's copy)."""
    found: list[str] = []
    location = location or str(path)
    _list(location, path, suffixes, max_size, 1, found)
    if not found:
        raise SourceError(location, f"zip archive holds no {', '.join(suffixes[:-1])} or {suffixes[-1]} documents")
    return found


def _list(location: str, data: bytes | Path, suffixes: tuple[str, ...], max_size: int | None, depth: int, found: list[str]) -> None:
    with _open(location, data) as archive:
        members = _members(archive)
        for name in sorted(members):
            inner = f"{location}/{name}"
            suffix = PurePosixPath(name).suffix.lower()
            if suffix == ".zip" and depth < MAX_DEPTH:
                try:
                    _list(inner, _read(archive, members[name], inner, max_size), suffixes, max_size, depth + 1, found)
                except SourceError:
                    found.append(inner)  # reported when read, with the other documents' results
            elif suffix in suffixes or suffix == ".zip":
                found.append(inner)


def split(location: str) -> tuple[Path, str] | None:
    """(the archive file, the member's path in it) when `location` names a document inside a zip
    archive on disk (budgets.zip/2026/部门预算.pdf), else None. A file cannot hold other files, so the
    first existing file among the location's parents is the archive."""
    if "://" in location:
        return None
    path = Path(location)
    if path.exists():
        return None
    for parent in path.parents:
        if parent.is_file():
            if not is_archive(parent):
                return None
            return parent, PurePosixPath(*path.relative_to(parent).parts).as_posix()
        if parent.exists():
            return None
    return None


def _plain_url(location: str) -> tuple[str, str] | None:
    """(scheme, the rest) of an http(s) URL without query or fragment, else None."""
    scheme, sep, rest = location.partition("://")
    if not sep or scheme not in ("http", "https") or "?" in rest or "#" in rest:
        return None
    return scheme, rest


def split_url(location: str) -> tuple[str, str] | None:
    """(the archive's URL, the member's path in it) when `location` names a document inside a zip archive
    published at a URL (https://host/budgets.zip/2026/部门预算.pdf: `is_url_archive`), else None."""
    url = _plain_url(location)
    if url is None:
        return None
    scheme, rest = url
    parts = rest.split("/")
    for k in range(1, len(parts) - 1):  # (parts[0] is the host; the member follows the archive's name)
        if parts[k].lower().endswith(".zip") and all(parts[k + 1 :]):
            return f"{scheme}://{'/'.join(parts[: k + 1])}", "/".join(parts[k + 1 :])
    return None


def is_url_archive(url: str) -> bool:
    """Is the URL one whose documents a build reads (its path names a .zip, without query or fragment)?"""
    plain = _plain_url(url)
    return plain is not None and "/" in plain[1] and plain[1].lower().endswith(".zip")


def is_member(location: str) -> bool:
    return split(location) is not None


def read_member(location: str, max_size: int | None, where: tuple[Path | str, str] | None = None, cache_dir: Path | None = None) -> bytes:
    """The bytes of the document `location` names inside an archive on disk or at a URL; `where`: its
    `split` (or `split_url`), when known. An archive at a URL is read from the cache (`cache_dir`), fetched
    when it holds no copy."""
    where = where or split(location) or split_url(location)
    if where is None:
        raise SourceError(location, "no such file")
    archive_path, member = where
    if isinstance(archive_path, str):  # a URL: the copy fetched when the inputs were expanded (a worker without it fetches one)
        from .fetch import DEFAULT_MAX_BYTES, cached, fetch

        source = cached(archive_path, cache_dir) or fetch(archive_path, cache_dir=cache_dir, max_bytes=DEFAULT_MAX_BYTES)
        return _member(archive_path, Path(source.path), member, max_size, 1)
    return _member(str(archive_path), archive_path, member, max_size, 1)


def _member(location: str, data: bytes | Path, member: str, max_size: int | None, depth: int) -> bytes:
    with _open(location, data) as archive:
        members = _members(archive)
        if member in members:
            return _read(archive, members[member], f"{location}/{member}", max_size)
        parts = member.split("/")
        for cut in range(len(parts) - 1, 0, -1):  # the longest leading part that is an archive inside this one
            inner = "/".join(parts[:cut])
            if inner in members and inner.lower().endswith(".zip") and depth < MAX_DEPTH:
                inner_location = f"{location}/{inner}"
                return _member(inner_location, _read(archive, members[inner], inner_location, max_size), "/".join(parts[cut:]), max_size, depth + 1)
    raise SourceError(f"{location}/{member}", f"no document of that name in {location}")


def copy_name(location: str) -> str:
    """The name a member's copy gets on disk: lodpub's own, with the member's suffix (media types are
    told from it: .csv, .doc)."""
    suffix = PurePosixPath(location).suffix.lower()
    return "document" + (suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 6 else "")

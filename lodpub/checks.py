"""Checks of what a user gives lodpub (base URI, licence IRI, dates, ports, files), made before any
work starts, each failing with a one-line LodpubError that names the option and the value."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import socket
import unicodedata
from pathlib import Path

from .errors import LodpubError, printable

# What RFC 3987 allows in no part of an IRI (besides white space and control characters)
IRI_FORBIDDEN = set('<>"{}|\\^`')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _iri_problem(value: str) -> str | None:
    if not value:
        return "it is empty"
    for char in value:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            return f"it contains white space or a control character ({printable(repr(char))})"
        if char in IRI_FORBIDDEN:
            return f"it contains {char!r}, which no IRI may contain"
    if not _SCHEME.match(value):
        return "it is not an absolute IRI (it has no scheme such as https:)"
    return None


def check_iri(value: str, option: str) -> str:
    """An absolute IRI (scheme:…, nothing an IRI may not contain)."""
    problem = _iri_problem(value)
    if problem:
        raise LodpubError(f"{option} {printable(value)!r}: {problem}")
    return value


def check_http_iri(value: str, option: str) -> str:
    """An absolute http(s) IRI with a host."""
    check_iri(value, option)
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port
    except ValueError as exc:
        raise LodpubError(f"{option} {printable(value)!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise LodpubError(f"{option} {printable(value)!r}: it must be an http:// or https:// IRI with a host")
    return value


_EMAIL = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:.]+")


def check_contact(value: str, option: str = "--contact") -> str:
    """An email address (or mailto: IRI) or an http(s) IRI; the IRI the catalogue states is
    `contact_iri(value)`."""
    address = value[7:] if value.lower().startswith("mailto:") else value
    if "@" in address and "://" not in address:
        if not _EMAIL.fullmatch(address):
            raise LodpubError(f"{option} {printable(value)!r}: not an email address (name@example.org) or an http(s) URL")
        return check_iri("mailto:" + address, option)
    if not value.lower().startswith(("http://", "https://")):
        raise LodpubError(f"{option} {printable(value)!r}: not an email address (name@example.org) or an http(s) URL")
    return check_http_iri(value, option)


def contact_iri(value: str) -> str:
    """The IRI of a contact given as checked by `check_contact`: mailto:… for an email address."""
    if value.lower().startswith(("http://", "https://")):
        return value
    return "mailto:" + (value[7:] if value.lower().startswith("mailto:") else value)


def check_text(value: str, option: str, lines: bool = False) -> str:
    """A name, title or (with `lines`) description: not blank, no control characters (a description
    may have line breaks)."""
    if not (value or "").strip():
        raise LodpubError(f"{option} {printable(value or '')!r}: it is empty")
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and not (lines and char in "\n\t"):
            raise LodpubError(f"{option} {printable(value)!r}: it contains a control character ({printable(repr(char))})")
    return value


def check_base(base: str) -> str:
    """The base URI of a publication: an absolute http(s) IRI ending with / or #."""
    check_http_iri(base, "--base")
    if not base.endswith(("/", "#")):
        raise LodpubError(f"--base must end with / or #: {printable(base)}")
    if "?" in base:
        raise LodpubError(f"--base {printable(base)!r}: a base URI has no query part (?)")
    if "#" in base[:-1]:
        raise LodpubError(f"--base {printable(base)!r}: '#' may only end a base URI")
    return base


def check_date(value: str, option: str = "--issued") -> str:
    """A calendar date written YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise LodpubError(f"{option} {printable(value)!r}: not a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise LodpubError(f"{option} {value}: not a date ({exc})") from None
    return value


def issued_from_environment() -> str | None:
    """The issue date from $SOURCE_DATE_EPOCH (reproducible builds), or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise LodpubError(f"SOURCE_DATE_EPOCH={printable(epoch)!r}: not a number of seconds since 1970") from None


def check_port(host: str, port: int) -> None:
    """The port is free on the host (a server can bind it)."""
    if not 0 <= port <= 65535:
        raise LodpubError(f"--port {port}: not a port number (0–65535)")
    bound_socket(host, port).close()


def bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to the first address of ``host`` at ``port``; a one-line error when it cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise LodpubError(f"--host {printable(host)}: not an address of this machine ({exc})") from None
    family, kind, proto, _, address = infos[0]
    s = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(address)
    except OSError as exc:
        s.close()
        if exc.errno == errno.EADDRINUSE:
            raise LodpubError(f"port {port} on {host} is in use (another server runs there): choose another with --port") from None
        raise LodpubError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    return s


def check_readable_file(path: str | Path, what: str = "file") -> Path:
    """A file that exists and can be read."""
    p = Path(path)
    if not p.exists():
        raise LodpubError(f"{printable(str(path))}: no such {what}")
    if p.is_dir():
        raise LodpubError(f"{printable(str(path))}: is a folder, not a {what}")
    if not os.access(p, os.R_OK):
        raise LodpubError(f"{printable(str(path))}: cannot be read (permission denied)")
    return p


def check_writable_file(path: str | Path, option: str) -> Path:
    """A file that can be written: its folder exists and it is not a folder."""
    p = Path(path)
    if p.is_dir():
        raise LodpubError(f"{option} {printable(str(path))}: is a folder, not a file")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise LodpubError(f"{option} {printable(str(path))}: its folder {printable(str(parent))} does not exist")
    if not os.access(parent, os.W_OK):
        raise LodpubError(f"{option} {printable(str(path))}: its folder cannot be written")
    return p


def check_out_folder(out: str | Path) -> Path:
    """A publication folder that can be made or replaced: not a file, its parent writable."""
    p = Path(out)
    if p.exists() and not p.is_dir():
        raise LodpubError(f"--out {printable(str(out))}: is a file, not a folder")
    parent = p.resolve().parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise LodpubError(f"--out {printable(str(out))}: {printable(str(probe))} cannot be written")
    return p


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", re.I)


def parse_size(value: str | int, option: str = "--max-size") -> int | None:
    """A size as written on a command line: 50MB, 50M, 1.5 GB, 800k, 1048576 (bytes); 0 or "none":
    no limit (None)."""
    if isinstance(value, int):
        return value or None
    if str(value).strip().lower() in ("none", "unlimited", "0"):
        return None
    m = _SIZE.fullmatch(str(value))
    if not m:
        raise LodpubError(f"{option} {printable(str(value))!r}: not a size (write it like 50MB, 800KB or 1GB)")
    number, unit = float(m.group(1)), m.group(2).lower()
    size = int(number * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[unit])
    if size <= 0:
        raise LodpubError(f"{option} {printable(str(value))!r}: a limit must be at least one byte")
    return size

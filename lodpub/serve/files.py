"""The publication's files served beside the endpoint, by the names `publish.manifest` gives them
(the dumps, the catalogue, the CSV, the report, the landing page …): one command hosts a
publication. Only those names are served, from the publication folder, never a path a client
spells."""

from __future__ import annotations

from pathlib import Path

from ..publish.manifest import DUMPS, LANDING_PAGE, OTHER_FILES, XLSX
from .http import Response

NAMES = [*DUMPS, *(name for name, _ in OTHER_FILES), LANDING_PAGE]

_TYPES = {
    ".gz": "application/gzip",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": XLSX,
    ".html": "text/html; charset=utf-8",
}


def media_type(name: str) -> str:
    return _TYPES.get(Path(name).suffix, "application/octet-stream")


def file_response(folder: Path, path: str) -> Response | None:
    """The response serving ``path`` (``/NAME``) from the publication ``folder``, or None when it
    names no file of a publication or the folder lacks it."""
    name = path.lstrip("/")
    if name not in NAMES:
        return None
    file = folder / name
    if not file.is_file():
        return None
    headers = [("Cache-Control", "max-age=300")]
    if name.endswith(".gz"):
        headers.append(("Content-Disposition", f'attachment; filename="{name}"'))
    resp = Response("200 OK", b"", media_type(name), headers)
    resp.file = file
    return resp

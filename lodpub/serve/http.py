"""The small pieces of HTTP the application needs: a response raised as an exception, the URL-encoded
parameters, the request body within its limit, the refusal of SPARQL Update, and who the client is."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

MAX_BODY = 1 << 20  # 1 MiB of query text is plenty

UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>|#[^\n]*)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


class Response(Exception):
    def __init__(self, status: str, body: bytes | str = b"", ctype="text/plain; charset=utf-8", headers: list | None = None):
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.ctype = ctype
        self.headers = headers or []
        self.file: Path | None = None  # streamed instead of body when set


def params_of(qs: str) -> dict[str, list[str]]:
    try:
        return parse_qs(qs, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise Response("400 Bad Request", "malformed URL-encoded parameters\n") from None


def one(params: dict, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def read_body(environ, limit: int = MAX_BODY) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Response("400 Bad Request", "bad Content-Length\n") from None
    if length > limit:
        raise Response("413 Content Too Large", f"request body over {limit} bytes\n")
    return environ["wsgi.input"].read(length) if length > 0 else b""


def forbidden_update() -> Response:
    return Response("403 Forbidden", "SPARQL Update is not allowed: this endpoint is read-only. Change the data with `lodpub build` and publish again.\n")


def client_of(environ) -> str:
    """Who sends the request, for fairness among clients: the peer's address or, when the peer is
    this machine (a reverse proxy beside the server), the last address the proxy appended to
    ``X-Forwarded-For``. A client on another machine cannot choose its name this way."""
    peer = environ.get("REMOTE_ADDR", "")
    if peer in ("127.0.0.1", "::1") or peer.startswith("127."):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded[:64]
    return peer

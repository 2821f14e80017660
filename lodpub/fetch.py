"""Stage 1 for URLs: fetch a document over HTTP(S) into a local cache and describe it as a Source.

* Timeouts on connecting and on every read, and a deadline for the whole body.
* Bounded retries with exponential backoff on connection errors, timeouts, 429 and 5xx; other
  4xx answers fail at once.
* A size limit, checked against Content-Length and while the body streams in.
* A cache keyed by content hash: ``objects/<sha256>`` holds the bytes, ``urls/<sha256 of URL>.json``
  what was learnt about the URL (checksum, ETag, Last-Modified, retrieval time). A URL seen before
  is re-fetched conditionally (If-None-Match / If-Modified-Since); 304 reuses the cached bytes.
* The Source carries the URL, the retrieval time (ISO 8601, UTC) and the SHA-256 of the bytes.

Every failure is a `SourceError` naming the URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from .errors import SourceError
from .model import Source
from .media import sniff_media_type

DEFAULT_TIMEOUT = 30.0  # seconds to connect and between two reads
DEFAULT_DEADLINE = 300.0  # seconds for the whole body
DEFAULT_RETRIES = 3  # attempts in all
DEFAULT_BACKOFF = 0.5  # seconds before the second attempt, doubled after each
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
USER_AGENT = "lodpub (linked open data publisher for budget disclosures)"
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lodpub"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Cache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.objects = self.folder / "objects"
        self.urls = self.folder / "urls"

    def _entry_path(self, url: str) -> Path:
        return self.urls / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def entry(self, url: str) -> dict | None:
        """What the cache knows of a URL, if its bytes are still there."""
        try:
            data = json.loads(self._entry_path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        path = self.objects / data.get("sha256", "-")
        if not path.is_file() or data.get("url") != url:
            return None
        return data

    def store(self, url: str, tmp: Path, sha256: str, meta: dict) -> Path:
        self.objects.mkdir(parents=True, exist_ok=True)
        self.urls.mkdir(parents=True, exist_ok=True)
        target = self.objects / sha256
        if target.exists():
            tmp.unlink(missing_ok=True)
        else:
            os.replace(tmp, target)
        entry = {"url": url, "sha256": sha256, **meta}
        fd, name = tempfile.mkstemp(dir=self.urls, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(name, self._entry_path(url))
        return target


def _cache_at(cache_dir: Path | str | None) -> _Cache:
    return _Cache(Path(cache_dir) if cache_dir is not None else default_cache_dir())


def cached(url: str, cache_dir: Path | str | None = None) -> Source | None:
    """The copy of `url` the cache holds, as a Source (with when it was fetched), without asking the
    server; None if it holds none."""
    cache = _cache_at(cache_dir)
    entry = cache.entry(url)
    return _source(url, cache.objects / entry["sha256"], entry) if entry else None


def _source(url: str, path: Path, entry: dict) -> Source:
    with path.open("rb") as f:
        head = f.read(1024)
    return Source(
        location=url,
        path=path,
        sha256=entry["sha256"],
        media_type=sniff_media_type(head, url.rsplit("/", 1)[-1].split("?")[0], path),
        retrieved=entry.get("retrieved"),
        url=url,
    )


def fetch(
    url: str,
    cache_dir: Path | str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    max_bytes: int = DEFAULT_MAX_BYTES,
    deadline: float = DEFAULT_DEADLINE,
    session=None,
) -> Source:
    """The document at `url`, fetched (or revalidated) through the cache; raises SourceError."""
    import requests

    if not url.startswith(("http://", "https://")):
        raise SourceError(url, "not an http(s) URL")
    cache = _cache_at(cache_dir)
    cached = cache.entry(url)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/pdf, text/plain;q=0.9, */*;q=0.1"}
    if cached:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    http = session or requests.Session()
    attempts = max(1, retries)
    last_problem = "no attempt made"
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * (2 ** (attempt - 1)))
        try:
            with http.get(url, headers=headers, stream=True, timeout=(timeout, timeout), allow_redirects=True) as response:
                status = response.status_code
                if status == 304 and cached:
                    return _source(url, cache.objects / cached["sha256"], cached)
                if status in RETRY_STATUS:
                    last_problem = f"server answered HTTP {status} {response.reason or ''}".strip()
                    continue
                if status >= 400:
                    raise SourceError(url, f"server answered HTTP {status} {response.reason or ''}".strip())
                if status != 200:
                    raise SourceError(url, f"unexpected HTTP {status} {response.reason or ''}".strip())
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise SourceError(url, f"document too large: {int(length)} bytes announced, the limit is {max_bytes}")
                tmp, sha256, size = _download(url, response, cache, max_bytes, deadline)
                if size == 0:
                    tmp.unlink(missing_ok=True)
                    raise SourceError(url, "server sent an empty body (0 bytes)")
                meta = {
                    "etag": response.headers.get("ETag"),
                    "last_modified": response.headers.get("Last-Modified"),
                    "retrieved": _now(),
                    "content_type": response.headers.get("Content-Type"),
                    "bytes": size,
                }
                path = cache.store(url, tmp, sha256, meta)
                return _source(url, path, {"sha256": sha256, **meta})
        except SourceError:
            raise
        except requests.exceptions.Timeout:
            last_problem = f"timed out (no answer within {timeout:g} s)"
        except requests.exceptions.ConnectionError as exc:
            last_problem = f"cannot connect: {_reason(exc)}"
        except requests.exceptions.RequestException as exc:
            raise SourceError(url, f"cannot fetch: {_reason(exc)}") from None
        except _Stalled as exc:
            last_problem = str(exc)
    raise SourceError(url, f"{last_problem}; gave up after {attempts} attempt{'s' if attempts > 1 else ''}")


class _Stalled(Exception):
    pass


def _download(url: str, response, cache: _Cache, max_bytes: int, deadline: float) -> tuple[Path, str, int]:
    """Stream the body into a temporary file in the cache; the file, its SHA-256 and its size."""
    import requests

    cache.objects.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=cache.objects, suffix=".part")
    tmp = Path(name)
    digest = hashlib.sha256()
    size = 0
    started = time.monotonic()
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(url, f"document too large: more than {max_bytes} bytes")
                if time.monotonic() - started > deadline:
                    raise _Stalled(f"body not received within {deadline:g} s")
                digest.update(chunk)
                out.write(chunk)
    except requests.exceptions.ConnectionError as exc:  # a read timeout or a dropped connection mid-body
        tmp.unlink(missing_ok=True)
        raise _Stalled(f"connection lost or stalled while reading the body: {_reason(exc)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, digest.hexdigest(), size


def _reason(exc: Exception) -> str:
    text = str(exc)
    inner = getattr(exc, "args", None)
    if inner and hasattr(inner[0], "reason"):
        text = str(inner[0].reason)
    return text[:200]

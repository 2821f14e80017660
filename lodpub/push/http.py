"""The HTTP side of a push: the client that sends one request to a Graph Store with retries,
backoff, timeouts and a deadline, the credentials (from the URL, the environment or netrc) and the
redaction of the password in every URL lodpub prints."""

from __future__ import annotations

import logging
import os
import re
import time
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from lodpub.errors import LodpubError

log = logging.getLogger("lodpub.push")

RETRY_STATUS = (500, 502, 503, 504)
NT_TYPE = "application/n-triples"

CONNECT_TIMEOUT = 10.0  # seconds to wait for a connection
READ_TIMEOUT = 120.0  # seconds to wait for the server's next bytes (a large graph may take a while to load)
DEADLINE = 3600.0  # seconds a whole push may take


def check_endpoint(endpoint: str) -> tuple[str, tuple[str, str] | None]:
    """The endpoint without its user part and the credentials from it; a one-line error for a URL
    that cannot be used (not http(s), no host, a port that is not a number)."""
    try:
        shown = redact(endpoint)
    except ValueError:
        shown = "the endpoint"
    try:
        parts = urlsplit(endpoint)
        parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError as e:
        raise LodpubError(f"{shown}: not a usable endpoint URL ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LodpubError(f"{shown}: the endpoint must be an http(s) URL with a host")
    if any(c.isspace() for c in endpoint):
        raise LodpubError(f"{shown}: the endpoint URL contains white space")
    return split_credentials(endpoint)


def credentials_from_environment(endpoint: str) -> tuple[str, str] | None:
    """``(user, password)`` from ``LODPUB_PUSH_USER`` / ``LODPUB_PUSH_PASSWORD``, else from the
    netrc entry of the endpoint's host, else ``None``."""
    user, password = os.environ.get("LODPUB_PUSH_USER"), os.environ.get("LODPUB_PUSH_PASSWORD")
    if user:
        return user, password or ""
    found = requests.utils.get_netrc_auth(endpoint)
    return tuple(found) if found else None


class Client:
    def __init__(self, endpoint, credentials, scheme, retries, backoff, timeout, report, session=None, deadline=None):
        self.endpoint = endpoint  # without credentials
        self.shown = redact(report.endpoint)  # as printed: the password hidden
        self.deadline = deadline  # time.monotonic() after which no request starts, or None
        self.credentials = credentials
        self.scheme = scheme
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.report = report
        self.session = session or requests.Session()
        self.session.trust_env = False  # netrc is read explicitly; no proxies for a push
        self.auth: AuthBase | None = None
        if isinstance(credentials, AuthBase):
            self.auth = credentials
        elif credentials and scheme in ("basic", "digest"):
            self.auth = self._make_auth(scheme)

    def _make_auth(self, scheme):
        user, password = self.credentials
        return HTTPDigestAuth(user, password) if scheme == "digest" else HTTPBasicAuth(user, password)

    @property
    def user(self) -> str:
        if isinstance(self.credentials, tuple):
            return self.credentials[0]
        return getattr(self.credentials, "username", None) or "(no user)"

    def request(self, method: str, graph: str, body: bytes | None = None, ok=(200, 201, 204), allow=()) -> requests.Response:
        params = {"graph": graph}
        headers = {"Content-Type": f"{NT_TYPE}; charset=utf-8"} if body is not None else {}
        if method == "GET":
            headers["Accept"] = f"{NT_TYPE}, text/turtle;q=0.9, text/plain;q=0.5"
        attempt = 0
        while True:
            attempt += 1
            timeout = self._timeout(method, graph, attempt)
            try:
                resp = self.session.request(method, self.endpoint, params=params, data=body, headers=headers, auth=self.auth, timeout=timeout)
            except (requests.ConnectionError, requests.Timeout) as e:
                why = _why(e, timeout)
                if attempt > self.retries:
                    raise LodpubError(f"{self.shown}: {method} {graph} failed after {attempt} attempts: {why}") from None
                self._sleep(attempt, why)
                continue
            except requests.RequestException as e:  # a URL requests cannot use, a redirect loop …
                raise LodpubError(f"{self.shown}: {method} {graph} failed: {_one_line(e)}") from None
            self.report.requests += 1
            if body:
                self.report.bytes_sent += len(body)
            if resp.status_code == 401 and self.auth is None and self.credentials:
                challenge = resp.headers.get("WWW-Authenticate", "").lower()
                scheme = self.scheme if self.scheme in ("basic", "digest") else ("digest" if challenge.startswith("digest") else "basic")
                self.auth = self._make_auth(scheme)
                attempt -= 1
                continue
            if resp.status_code in (401, 403):
                if not self.credentials:
                    raise LodpubError(
                        f"authentication failed for {self.shown}: the server wants credentials;"
                        " set LODPUB_PUSH_USER and LODPUB_PUSH_PASSWORD or add a netrc entry"
                    )
                raise LodpubError(f"authentication failed for {self.shown} as {self.user} (HTTP {resp.status_code})")
            if resp.status_code in RETRY_STATUS and attempt <= self.retries:
                self._sleep(attempt, f"HTTP {resp.status_code}")
                continue
            if resp.status_code in ok or resp.status_code in allow:
                return resp
            raise HttpError(resp, f"{self.shown}: {method} graph {graph} answered HTTP {resp.status_code}: {_excerpt(resp.text)}")

    def _left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _timeout(self, method, graph, attempt):
        """(connect, read) seconds for the next attempt, cut to what is left of the deadline."""
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        left = self._left()
        if left is not None:
            if left <= 0:
                raise LodpubError(f"{self.shown}: {method} {graph}: the push ran past its deadline (--deadline) after {attempt - 1} attempt(s) of this request")
            connect, read = min(connect, left), min(read, left)
        return connect, read

    def _sleep(self, attempt, why):
        delay = min(self.backoff * 2 ** (attempt - 1), 30.0)
        left = self._left()
        if left is not None:
            delay = max(0.0, min(delay, left))
        log.warning("%s: %s, retrying in %.1f s (attempt %d of %d)", self.shown, why, delay, attempt, self.retries)
        time.sleep(delay)


class HttpError(LodpubError):
    def __init__(self, resp, message):
        self.status = resp.status_code
        super().__init__(message)


def redact(url: str) -> str:
    """The URL with the password of its user part hidden: ``http://user:***@host/…``."""
    parts = urlsplit(url)
    if parts.password is None and "@" not in parts.netloc:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}" if ":" in user else f"{name}@{host}"))


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without its user part, and ``(user, password)`` from that part (``None`` without one)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    user, _, host = parts.netloc.rpartition("@")
    name, _, password = user.partition(":")
    return urlunsplit(parts._replace(netloc=host)), (unquote(name), unquote(password))


def _one_line(e: BaseException) -> str:
    return re.sub(r"\s+", " ", str(e)).strip() or type(e).__name__


def _why(e: BaseException, timeout) -> str:
    """What went wrong with a connection, in a few words (not the repr of urllib3's exception chain)."""
    connect, read = timeout
    if isinstance(e, requests.ConnectTimeout):
        return f"no connection within {connect:g} s (--connect-timeout)"
    if isinstance(e, requests.ReadTimeout):
        return f"no answer within {read:g} s (--read-timeout)"
    text = str(e)
    found = re.findall(r"\[Errno -?\d+\] [^'\")]+", text)
    if found:
        return found[-1].strip()
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the server closed the connection without answering"
    return type(e).__name__


def _excerpt(text: str, n: int = 300) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text[:n] + ("…" if len(text) > n else "")

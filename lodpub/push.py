"""Load a build into any SPARQL 1.1 Graph Store Protocol server (Virtuoso, Fuseki, GraphDB, …).

``push(dir, endpoint)`` reads ``DIR/lodpub.nq.gz`` and, for every named graph in it, replaces that
graph on the server (HTTP ``PUT endpoint?graph=IRI`` with N-Triples). Graphs that an earlier push
of the same publication put there and that are no longer in the build (withdrawn documents) are
deleted (``DELETE endpoint?graph=IRI``).

The list of graphs pushed — the *manifest* — is kept **on the server**, as a small named graph
(``<BASE graph/push-manifest>`` by default). The server is the one place that knows what is on the
server: a push from another machine, from a fresh checkout or from a rebuilt ``DIR`` (``lodpub
build`` writes a new folder) still sees what the previous push left, which a file in ``DIR``
would not. The manifest is widened to include every graph about to be written *before* any graph
is written, and narrowed to the build's graphs only after the withdrawn graphs are deleted, so a
push that dies half way never leaves a graph that a later push would not clean up.

Credentials come from the user part of the endpoint URL (``http://user:pw@host/…``), else from the
environment (``LODPUB_PUSH_USER``, ``LODPUB_PUSH_PASSWORD``), else from a netrc file (``~/.netrc``
or ``$NETRC``); the environment or netrc keep a password out of the process list and the shell's
history. Every URL lodpub prints has its password redacted. The scheme (digest or basic) is taken
from the server's 401 challenge unless given.

A request waits at most ``connect_timeout`` for a connection and ``read_timeout`` for the server's
next bytes, and the whole push ends at its ``deadline``: a server that accepts a connection and
never answers costs a bounded time, with a warning at each retry.

Requests that fail with a 5xx status or a connection error are retried with exponential backoff,
a bounded number of times. A graph larger than ``max_request_bytes`` is sent in chunks: ``PUT``
the first, ``POST`` (append) the rest; a 413 answer halves the chunk size and starts the graph
again. Triples that share a blank node are always sent in the same request.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from lodpub import uris
from lodpub.errors import LodpubError
from lodpub.publish.manifest import NQUADS

log = logging.getLogger(__name__)

MANIFEST_NS = "https://w3id.org/lodpub/ontology#"
MANIFEST_PUSHED = f"<{MANIFEST_NS}pushedGraph>"
MANIFEST_MODIFIED = "<http://purl.org/dc/terms/modified>"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
RETRY_STATUS = (500, 502, 503, 504)
NT_TYPE = "application/n-triples"


@dataclass
class PushReport:
    """What a push did."""

    endpoint: str  # as given, the password redacted
    manifest_graph: str
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI -> triples sent
    deleted: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_sent: int = 0
    seconds: float = 0.0
    skipped_default_graph: int = 0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def __str__(self) -> str:
        return (
            f"pushed {len(self.graphs)} graph(s), {self.triples} triples, to {redact(self.endpoint)}; "
            f"deleted {len(self.deleted)} withdrawn graph(s); {self.requests} requests, "
            f"{self.bytes_sent} bytes, {self.seconds:.1f} s"
        )


def read_dump(path) -> dict[str, list[str]]:
    """The quads of an N-Quads dump (gzipped or not) as ``{graph IRI: [N-Triples lines]}``.

    Quads in the default graph are returned under the key ``""``. The whole dump is held in
    memory, grouped by graph (about twice the dump's uncompressed size).
    """
    import pyoxigraph as ox

    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    graphs: dict[str, list[str]] = {}
    try:
        with opener(path, "rb") as f:
            for quad in ox.parse(f, format=ox.RdfFormat.N_QUADS):
                g = quad.graph_name
                key = g.value if isinstance(g, ox.NamedNode) else ("" if isinstance(g, ox.DefaultGraph) else str(g))
                graphs.setdefault(key, []).append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    except SyntaxError as e:
        raise LodpubError(f"{path}: not valid N-Quads: {e}") from e
    except OSError as e:
        raise LodpubError(f"{path}: cannot read the dump: {e}") from e
    return graphs


_BNODE = re.compile(r"(?:^|\s)_:([A-Za-z0-9_\-.]+)")


def chunk_triples(lines: list[str], max_bytes: int) -> list[list[str]]:
    """Split N-Triples lines into chunks of at most ``max_bytes`` (UTF-8), never separating
    triples that share a blank node (a blank node is scoped to one request). A group of
    connected blank-node triples larger than ``max_bytes`` is sent whole."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    line_nodes = []
    for line in lines:
        nodes = _BNODE.findall(line) if "_:" in line else []
        for a, b in zip(nodes, nodes[1:]):
            parent[find(a)] = find(b)
        line_nodes.append(nodes)
    groups: dict = {}
    order = []
    for i, (line, nodes) in enumerate(zip(lines, line_nodes)):
        key = ("b", find(nodes[0])) if nodes else ("l", i)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(line)
    chunks, current, size = [], [], 0
    for key in order:
        group = groups[key]
        gsize = sum(len(x.encode("utf-8")) for x in group)
        if current and size + gsize > max_bytes:
            chunks.append(current)
            current, size = [], 0
        current.extend(group)
        size += gsize
    if current or not chunks:
        chunks.append(current)
    return chunks


def credentials_from_environment(endpoint: str) -> tuple[str, str] | None:
    """``(user, password)`` from ``LODPUB_PUSH_USER`` / ``LODPUB_PUSH_PASSWORD``, else from the
    netrc entry of the endpoint's host, else ``None``."""
    user, password = os.environ.get("LODPUB_PUSH_USER"), os.environ.get("LODPUB_PUSH_PASSWORD")
    if user:
        return user, password or ""
    found = requests.utils.get_netrc_auth(endpoint)
    return tuple(found) if found else None


class _Client:
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
            raise _HttpError(resp, f"{self.shown}: {method} graph {graph} answered HTTP {resp.status_code}: {_excerpt(resp.text)}")

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


class _HttpError(LodpubError):
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


def _manifest_lines(manifest: str, graphs: Iterable[str]) -> list[str]:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    lines = [f"<{manifest}> {MANIFEST_PUSHED} <{g}> .\n" for g in sorted(graphs)]
    lines.append(f'<{manifest}> {MANIFEST_MODIFIED} "{now}"^^<{XSD_DATETIME}> .\n')
    return lines


def _read_manifest(client: _Client, manifest: str) -> set[str]:
    import pyoxigraph as ox

    resp = client.request("GET", manifest, allow=(404,))
    if resp.status_code == 404 or not resp.content.strip():
        return set()
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    fmt = {"application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-triples": ox.RdfFormat.N_TRIPLES}.get(
        ctype, ox.RdfFormat.TURTLE
    )
    try:
        triples = list(ox.parse(resp.content, format=fmt))
    except SyntaxError as e:
        raise LodpubError(f"{client.shown}: the push manifest <{manifest}> is not readable ({ctype}): {e}") from e
    pushed = MANIFEST_PUSHED[1:-1]
    return {t.object.value for t in triples if t.predicate.value == pushed and isinstance(t.object, ox.NamedNode)}


def _put_graph(client: _Client, graph: str, lines: list[str], max_bytes: int) -> None:
    while True:
        chunks = chunk_triples(lines, max_bytes)
        try:
            for i, chunk in enumerate(chunks):
                body = "".join(chunk).encode("utf-8")
                client.request("PUT" if i == 0 else "POST", graph, body)
            if len(chunks) > 1:
                log.info("%s: sent in %d chunks", graph, len(chunks))
            return
        except _HttpError as e:
            if e.status == 413 and max_bytes > 4096:
                max_bytes //= 2
                log.warning("%s: request too large, retrying in chunks of %d bytes", graph, max_bytes)
                continue
            raise


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


def push(
    dir,
    endpoint: str,
    *,
    auth=None,
    auth_scheme: str = "auto",
    manifest_graph: str | None = None,
    base: str | None = None,
    max_request_bytes: int = 8 * 1024 * 1024,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float | tuple[float, float] | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    deadline: float | None = DEADLINE,
    session: requests.Session | None = None,
) -> PushReport:
    """Replace every named graph of the build in ``DIR`` on the Graph Store ``endpoint``.

    ``dir``: the publication folder (holding ``lodpub.nq.gz``) or the dump file itself.
    ``endpoint``: the Graph Store Protocol URL, e.g. ``http://host:8890/sparql-graph-crud-auth``
    for Virtuoso or ``http://host:3030/ds/data`` for Fuseki.
    ``auth``: ``None`` (the default: credentials from ``LODPUB_PUSH_USER`` /
    ``LODPUB_PUSH_PASSWORD``, else the netrc entry of the endpoint's host, else none), a
    ``(user, password)`` pair, or a ``requests`` auth object. Meant for programs; the command
    line takes credentials from the environment only.
    ``auth_scheme``: ``"auto"`` (digest or basic, as the server's 401 challenge asks),
    ``"digest"`` or ``"basic"``.
    ``manifest_graph``: the server-side graph recording what was pushed; defaults to
    ``<base>graph/push-manifest``, ``base`` being inferred from the build's ``…/graph/{docid}``
    IRIs when not given. Two publications pushed to one server need two manifests.
    ``max_request_bytes``: larger graphs go in chunks (PUT then POST).
    ``retries`` / ``backoff``: a request failing with 5xx or a connection error is retried up to
    ``retries`` times, waiting ``backoff * 2**n`` seconds (at most 30 s).
    ``connect_timeout`` / ``read_timeout``: seconds to wait for a connection, and for the server's
    next bytes (``timeout``, a number or a pair, sets both); ``deadline``: seconds the whole push
    may take (``None``: no limit). A server that accepts and never answers costs at most these.
    User and password written in the endpoint URL (``http://user:pw@host/…``) are the credentials
    (before the environment and netrc); every URL in a message or the report has them redacted.

    Returns a :class:`PushReport`. Raises :class:`lodpub.errors.LodpubError` with a readable
    message on any failure, ``"authentication failed for <endpoint> as <user>"`` on 401/403.
    """
    t0 = time.monotonic()
    given = endpoint
    endpoint, url_credentials = check_endpoint(endpoint)
    if timeout is not None:
        connect_timeout, read_timeout = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    for name, value in (("connect timeout", connect_timeout), ("read timeout", read_timeout), ("deadline", deadline)):
        if value is not None and not value > 0:
            raise LodpubError(f"the {name} must be a positive number of seconds, not {value}")
    path = Path(dir)
    dump = path / NQUADS if path.is_dir() else path
    if not dump.is_file():
        raise LodpubError(f"{dump}: no dump to push (run `lodpub build` first)")
    graphs = read_dump(dump)
    default = graphs.pop("", [])
    if default:
        log.warning("%s: %d quads in the default graph are not pushed", dump, len(default))
    if manifest_graph is None:
        base = base or uris.infer_base(graphs)
        manifest_graph = uris.graph(base, "push-manifest") if base else "urn:lodpub:push-manifest"
    graphs.pop(manifest_graph, None)
    credentials = auth if auth is not None else (url_credentials or credentials_from_environment(endpoint))
    if isinstance(credentials, list):
        credentials = tuple(credentials)
    report = PushReport(endpoint=redact(given), manifest_graph=manifest_graph, skipped_default_graph=len(default))
    client = _Client(
        endpoint,
        credentials,
        auth_scheme,
        retries,
        backoff,
        (connect_timeout, read_timeout),
        report,
        session,
        deadline=None if deadline is None else t0 + deadline,
    )

    previous = _read_manifest(client, manifest_graph)
    current = set(graphs)
    # 1. record every graph about to be written, so a failed push can still be cleaned up
    if not current <= previous:
        _put_graph(client, manifest_graph, _manifest_lines(manifest_graph, previous | current), max_request_bytes)
    # 2. replace each graph whole
    for graph in sorted(graphs):
        _put_graph(client, graph, graphs[graph], max_request_bytes)
        report.graphs[graph] = len(graphs[graph])
        log.info("pushed %s (%d triples)", graph, len(graphs[graph]))
    # 3. delete withdrawn graphs
    for graph in sorted(previous - current):
        client.request("DELETE", graph, allow=(404,))
        report.deleted.append(graph)
        log.info("deleted withdrawn graph %s", graph)
    # 4. the manifest now lists exactly the build's graphs
    _put_graph(client, manifest_graph, _manifest_lines(manifest_graph, current), max_request_bytes)
    report.seconds = time.monotonic() - t0
    return report


__all__ = ["push", "PushReport", "read_dump", "chunk_triples", "credentials_from_environment", "redact", "check_endpoint"]

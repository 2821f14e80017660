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

Credentials come from the environment (``LODPUB_PUSH_USER``, ``LODPUB_PUSH_PASSWORD``) or from a
netrc file (``~/.netrc`` or ``$NETRC``), never from the command line. The scheme (digest or basic)
is taken from the server's 401 challenge unless given.

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
from urllib.parse import urlsplit

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

    endpoint: str
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
                key = g.value if isinstance(g, ox.NamedNode) else ("" if isinstance(g, ox.DefaultGraph)
                                                                   else str(g))
                graphs.setdefault(key, []).append(
                    f"{quad.subject} {quad.predicate} {quad.object} .\n")
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
    def __init__(self, endpoint, credentials, scheme, retries, backoff, timeout, report,
                 session=None):
        self.endpoint = endpoint
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

    def request(self, method: str, graph: str, body: bytes | None = None, ok=(200, 201, 204),
                allow=()) -> requests.Response:
        params = {"graph": graph}
        headers = {"Content-Type": f"{NT_TYPE}; charset=utf-8"} if body is not None else {}
        if method == "GET":
            headers["Accept"] = f"{NT_TYPE}, text/turtle;q=0.9, text/plain;q=0.5"
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self.session.request(method, self.endpoint, params=params, data=body,
                                            headers=headers, auth=self.auth, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as e:
                if attempt > self.retries:
                    raise LodpubError(f"{self.endpoint}: {method} {graph} failed after "
                                      f"{attempt} attempts: {e}") from e
                self._sleep(attempt, f"{type(e).__name__}")
                continue
            self.report.requests += 1
            if body:
                self.report.bytes_sent += len(body)
            if resp.status_code == 401 and self.auth is None and self.credentials:
                challenge = resp.headers.get("WWW-Authenticate", "").lower()
                scheme = self.scheme if self.scheme in ("basic", "digest") else (
                    "digest" if challenge.startswith("digest") else "basic")
                self.auth = self._make_auth(scheme)
                attempt -= 1
                continue
            if resp.status_code in (401, 403):
                if not self.credentials:
                    raise LodpubError(
                        f"authentication failed for {self.endpoint}: the server wants credentials;"
                        " set LODPUB_PUSH_USER and LODPUB_PUSH_PASSWORD or add a netrc entry")
                raise LodpubError(f"authentication failed for {self.endpoint} as {self.user} "
                                  f"(HTTP {resp.status_code})")
            if resp.status_code in RETRY_STATUS and attempt <= self.retries:
                self._sleep(attempt, f"HTTP {resp.status_code}")
                continue
            if resp.status_code in ok or resp.status_code in allow:
                return resp
            raise _HttpError(resp, f"{self.endpoint}: {method} graph {graph} answered HTTP "
                             f"{resp.status_code}: {_excerpt(resp.text)}")

    def _sleep(self, attempt, why):
        delay = min(self.backoff * 2 ** (attempt - 1), 30.0)
        log.warning("%s: %s, retrying in %.1f s (attempt %d of %d)", self.endpoint, why, delay,
                    attempt, self.retries)
        time.sleep(delay)


class _HttpError(LodpubError):
    def __init__(self, resp, message):
        self.status = resp.status_code
        super().__init__(message)


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
    fmt = {"application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
           "application/n-triples": ox.RdfFormat.N_TRIPLES}.get(ctype, ox.RdfFormat.TURTLE)
    try:
        triples = list(ox.parse(resp.content, format=fmt))
    except SyntaxError as e:
        raise LodpubError(f"{client.endpoint}: the push manifest <{manifest}> is not readable "
                          f"({ctype}): {e}") from e
    pushed = MANIFEST_PUSHED[1:-1]
    return {t.object.value for t in triples
            if t.predicate.value == pushed and isinstance(t.object, ox.NamedNode)}


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
                log.warning("%s: request too large, retrying in chunks of %d bytes", graph,
                            max_bytes)
                continue
            raise


def push(dir, endpoint: str, *, auth=None, auth_scheme: str = "auto",
         manifest_graph: str | None = None, base: str | None = None,
         max_request_bytes: int = 8 * 1024 * 1024, retries: int = 4, backoff: float = 0.5,
         timeout: float = 300.0, session: requests.Session | None = None) -> PushReport:
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

    Returns a :class:`PushReport`. Raises :class:`lodpub.errors.LodpubError` with a readable
    message on any failure, ``"authentication failed for <endpoint> as <user>"`` on 401/403.
    """
    t0 = time.monotonic()
    path = Path(dir)
    dump = path / NQUADS if path.is_dir() else path
    if not dump.is_file():
        raise LodpubError(f"{dump}: no dump to push (run `lodpub build` first)")
    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise LodpubError(f"{endpoint}: the endpoint must be an http(s) URL")
    graphs = read_dump(dump)
    default = graphs.pop("", [])
    if default:
        log.warning("%s: %d quads in the default graph are not pushed", dump, len(default))
    if manifest_graph is None:
        base = base or uris.infer_base(graphs)
        manifest_graph = uris.graph(base, "push-manifest") if base else "urn:lodpub:push-manifest"
    graphs.pop(manifest_graph, None)
    credentials = auth if auth is not None else credentials_from_environment(endpoint)
    if isinstance(credentials, list):
        credentials = tuple(credentials)
    report = PushReport(endpoint=endpoint, manifest_graph=manifest_graph,
                        skipped_default_graph=len(default))
    client = _Client(endpoint, credentials, auth_scheme, retries, backoff, timeout, report, session)

    previous = _read_manifest(client, manifest_graph)
    current = set(graphs)
    # 1. record every graph about to be written, so a failed push can still be cleaned up
    if not current <= previous:
        _put_graph(client, manifest_graph, _manifest_lines(manifest_graph, previous | current),
                   max_request_bytes)
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


__all__ = ["push", "PushReport", "read_dump", "chunk_triples", "credentials_from_environment"]

"""The Graph Store Protocol upload: read the build's dump, group it by named graph, and replace
each graph on the server (in chunks when large), keeping the push manifest on the server (see the
package's docstring for the order of the steps)."""

from __future__ import annotations

import gzip
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import requests

from lodpub import uris
from lodpub.errors import LodpubError
from lodpub.publish.manifest import NQUADS

from .http import CONNECT_TIMEOUT, DEADLINE, READ_TIMEOUT, Client, HttpError, check_endpoint, credentials_from_environment, redact

log = logging.getLogger("lodpub.push")

MANIFEST_NS = "https://w3id.org/lodpub/ontology#"
MANIFEST_PUSHED = f"<{MANIFEST_NS}pushedGraph>"
MANIFEST_MODIFIED = "<http://purl.org/dc/terms/modified>"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


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


def dump_of(dir) -> Path:
    """The N-Quads dump of a build folder (or the dump file named), which must exist."""
    path = Path(dir)
    dump = path / NQUADS if path.is_dir() else path
    if not dump.is_file():
        raise LodpubError(f"{dump}: no dump to push (run `lodpub build` first)")
    return dump


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


def _manifest_lines(manifest: str, graphs: Iterable[str]) -> list[str]:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    lines = [f"<{manifest}> {MANIFEST_PUSHED} <{g}> .\n" for g in sorted(graphs)]
    lines.append(f'<{manifest}> {MANIFEST_MODIFIED} "{now}"^^<{XSD_DATETIME}> .\n')
    return lines


def _read_manifest(client: Client, manifest: str) -> set[str]:
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


def _put_graph(client: Client, graph: str, lines: list[str], max_bytes: int) -> None:
    while True:
        chunks = chunk_triples(lines, max_bytes)
        try:
            for i, chunk in enumerate(chunks):
                body = "".join(chunk).encode("utf-8")
                client.request("PUT" if i == 0 else "POST", graph, body)
            if len(chunks) > 1:
                log.info("%s: sent in %d chunks", graph, len(chunks))
            return
        except HttpError as e:
            if e.status == 413 and max_bytes > 4096:
                max_bytes //= 2
                log.warning("%s: request too large, retrying in chunks of %d bytes", graph, max_bytes)
                continue
            raise


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
    dump = dump_of(dir)
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
    client = Client(
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

"""A read-only SPARQL 1.1 Protocol server over a built publication folder.

``make_app(store_dir, ...)`` returns a WSGI application; ``serve(store_dir, ...)`` runs it on the
standard library's ``wsgiref`` server with one thread per request (no third-party web framework).

What the application serves:

* ``/sparql`` — SPARQL 1.1 Protocol queries (GET ``?query=``, POST form, POST
  ``application/sparql-query``), ``default-graph-uri`` / ``named-graph-uri`` honoured. Without
  them (and without FROM in the query) the default graph is the union of all named graphs.
  SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or
  RDF/XML, chosen by the ``Accept`` header (q-values honoured) or a ``format=`` parameter.
  Updates are refused with 403; other HTTP methods with 405.
* ``/`` — a small query page (``lodpub/static/``) with the example queries preloaded.
* ``/resource?uri=IRI`` and every other path ``/P`` (read as the IRI ``BASE + P``) — the
  description of one resource as Turtle, JSON-LD, N-Triples or an HTML page.
* ``/lodpub.nq.gz`` — the dump of the folder, when present.

Query execution: pyoxigraph cannot cancel a running query, so queries run in a small pool of
worker *processes*, each holding the store open read-only. A query that exceeds the timeout has
its worker killed (and replaced) and the client gets 503. A persistent pool costs well under a
millisecond per query; starting a fresh interpreter per query would cost ~50 ms.
"""

from __future__ import annotations

import html
import json
import logging
import os
import queue
import re
import socket
import socketserver
import subprocess
import sys
import threading
import time
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import parse_qs, quote, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lodpub.errors import LodpubError

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://data.example.org/lodpub/"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESULTS = 10000
MAX_BODY = 1 << 20  # 1 MiB of query text is plenty
STARTUP_TIMEOUT = 60.0  # seconds a fresh query worker may take to open the store

from lodpub.namespaces import PREFIXES  # noqa: E402  (one declaration of the namespaces)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2004/02/skos/core#notation",
)

# media type -> internal format key; the order is the server's preference on ties
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "jsonld",
}
FORMAT_PARAM = {  # ?format= / ?output= shortcuts -> (results format, rdf format)
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"),
    "srx": ("xml", None), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "nt": (None, "nt"),
    "ntriples": (None, "nt"), "n-triples": (None, "nt"), "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"), "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
    "html": (None, None),
}
RESULT_CTYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
RDF_CTYPE = {"turtle": "text/turtle", "nt": "application/n-triples",
             "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}

_UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>|#[^\n]*)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_FROM_RE = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_STRIP_RE = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*",
                       re.DOTALL)


class QueryTimeout(LodpubError):
    """A query ran longer than the server allows (its worker was killed)."""


class ServerBusy(LodpubError):
    """Every worker stayed busy for longer than the timeout."""


# ----------------------------------------------------------------------------------------------
# content negotiation


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an HTTP Accept header into ``[(media range, q)]`` (lower-cased, parameters dropped)."""
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if not mt:
            continue
        if mt == "*":
            mt = "*/*"
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((mt, q))
    return ranges


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or ``None`` when none is acceptable.

    Each offer takes the q of the most specific range that matches it (``type/sub`` over
    ``type/*`` over ``*/*``); ties go to the earlier offer. No Accept header accepts the first.
    """
    if not header or not header.strip():
        return offers[0] if offers else None
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for offer in offers:
        otype = offer.split("/", 1)[0]
        q, spec = None, -1
        for mt, mq in ranges:
            if mt == offer:
                s = 2
            elif mt == f"{otype}/*":
                s = 1
            elif mt == "*/*":
                s = 0
            else:
                continue
            if s > spec:
                spec, q = s, mq
        if q is not None and q > best_q:
            best, best_q = offer, q
    return best


# ----------------------------------------------------------------------------------------------
# result serialisation (done in the worker, so that the row cap can stop iteration early)


def _term_json(t) -> dict:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(t.subject),
                                            "predicate": _term_json(t.predicate),
                                            "object": _term_json(t.object)}}
    return {"type": "literal", "value": str(t)}


def _xml_escape(s: str) -> str:
    # control characters are not allowed in XML 1.0, not even as references
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", html.escape(s, quote=True))


def _term_xml(t) -> str:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f'<literal xml:lang="{_xml_escape(t.language)}">{_xml_escape(t.value)}</literal>'
        if t.datatype.value != XSD_STRING:
            return (f'<literal datatype="{_xml_escape(t.datatype.value)}">'
                    f"{_xml_escape(t.value)}</literal>")
        return f"<literal>{_xml_escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_term_xml(t.subject)}</subject><predicate>"
                f"{_term_xml(t.predicate)}</predicate><object>{_term_xml(t.object)}</object></triple>")
    return f"<literal>{_xml_escape(str(t))}</literal>"


def _term_csv(t) -> str:
    import pyoxigraph as ox

    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def _term_tsv(t) -> str:
    if t is None:
        return ""
    return str(t).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _csv_field(s: str) -> str:
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def serialize_solutions(variables: list[str], rows: Iterable[Sequence], fmt: str) -> bytes:
    """Serialise SELECT solutions (rows of pyoxigraph terms or None) as SPARQL JSON/XML/CSV/TSV."""
    if fmt == "json":
        bindings = []
        for row in rows:
            bindings.append({v: _term_json(t) for v, t in zip(variables, row) if t is not None})
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
               'sparql-results#">\n<head>']
        out += [f'<variable name="{_xml_escape(v)}"/>' for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            out += [f'<binding name="{_xml_escape(v)}">{_term_xml(t)}</binding>'
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(_csv_field(v) for v in variables)]
        lines += [",".join(_csv_field(_term_csv(t)) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_term_tsv(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """Serialise an ASK answer."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
                f'sparql-results#">\n<head/>\n<boolean>{str(value).lower()}</boolean>\n'
                "</sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n")
                + ("true" if value else "false") + ("\r\n" if fmt == "csv" else "\n")).encode()
    raise ValueError(f"unknown results format {fmt}")


def serialize_triples(triples: list, fmt: str) -> bytes:
    """Serialise pyoxigraph triples as Turtle, N-Triples, JSON-LD or RDF/XML."""
    import pyoxigraph as ox

    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    if fmt == "nt":
        triples = sorted(triples, key=str)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


# ----------------------------------------------------------------------------------------------
# the worker process


def _prim(t):
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.datatype.value, t.language)
    return ("other", str(t))


def _run_query(store, job: dict) -> dict:
    import pyoxigraph as ox

    kwargs = {}
    dg, ng = job.get("default_graph"), job.get("named_graphs")
    if dg or ng:
        kwargs["default_graph"] = [ox.NamedNode(u) for u in dg or []]
        kwargs["named_graphs"] = [ox.NamedNode(u) for u in ng or []]
    elif not _FROM_RE.search(_STRIP_RE.sub(" ", job["query"])):
        kwargs["use_default_graph_as_union"] = True
    result = store.query(job["query"], base_iri=job.get("base_iri"), **kwargs)
    cap = job["max_results"]
    if isinstance(result, ox.QueryBoolean):
        if not job.get("results_format"):
            return {"status": "error", "kind": "not_acceptable", "message":
                    "ASK results can be served as " + ", ".join(RESULT_CTYPE.values())}
        return {"status": "ok", "kind": "ask", "truncated": False, "count": 1,
                "body": serialize_boolean(bool(result), job["results_format"]),
                "format": job["results_format"]}
    if isinstance(result, ox.QuerySolutions):
        if not job.get("results_format"):
            return {"status": "error", "kind": "not_acceptable", "message":
                    "SELECT results can be served as " + ", ".join(RESULT_CTYPE.values())}
        variables = [v.value for v in result.variables]
        n = len(variables)
        rows, truncated = [], False
        for sol in result:
            if len(rows) >= cap:
                truncated = True
                break
            rows.append([sol[i] for i in range(n)])
        return {"status": "ok", "kind": "select", "truncated": truncated, "count": len(rows),
                "body": serialize_solutions(variables, rows, job["results_format"]),
                "format": job["results_format"]}
    # CONSTRUCT / DESCRIBE
    if not job.get("rdf_format"):
        return {"status": "error", "kind": "not_acceptable", "message":
                "graph results can be served as " + ", ".join(RDF_CTYPE.values())}
    triples, truncated, seen = [], False, set()
    for t in result:
        if t in seen:
            continue
        if len(triples) >= cap:
            truncated = True
            break
        seen.add(t)
        triples.append(t)
    return {"status": "ok", "kind": "graph", "truncated": truncated, "count": len(triples),
            "body": serialize_triples(triples, job["rdf_format"]), "format": job["rdf_format"]}


def _label_of(store, node, cache: dict):
    import pyoxigraph as ox

    if node.value in cache:
        return cache[node.value]
    best = None
    for prop in LABEL_PROPERTIES:
        found = {}
        for q in store.quads_for_pattern(node, ox.NamedNode(prop), None, None):
            if isinstance(q.object, ox.Literal):
                found.setdefault(q.object.language or "", q.object.value)
        for lang in ("zh", "zh-cn", "zh-hans", "", "en"):
            if lang in found:
                best = found[lang]
                break
        else:
            if found:
                best = next(iter(found.values()))
        if best:
            break
    cache[node.value] = best
    return best


def _run_resource(store, job: dict) -> dict:
    """Everything needed for a resource's HTML page: outgoing (with blank-node closure),
    incoming (bounded) and labels of every IRI shown."""
    import pyoxigraph as ox

    subject = ox.NamedNode(job["iri"])
    labels: dict = {}

    def outgoing(node, depth, seen):
        rows, pairs = [], set()
        for q in store.quads_for_pattern(node, None, None, None):
            if (q.predicate, q.object) in pairs:
                continue
            pairs.add((q.predicate, q.object))
            children = None
            if isinstance(q.object, ox.BlankNode) and depth < 4 and q.object not in seen:
                children = outgoing(q.object, depth + 1, seen | {q.object})
            rows.append((q.predicate, q.object, children))
        rows.sort(key=lambda r: (str(r[0]), str(r[1])))
        return [(_prim(p), _prim(o), c) for p, o, c in rows]

    out = outgoing(subject, 0, {subject})
    incoming, more = [], False
    limit = job.get("incoming_limit", 200)
    pairs = set()
    for q in store.quads_for_pattern(None, None, subject, None):
        if (q.subject, q.predicate) in pairs:
            continue
        if len(incoming) >= limit:
            more = True
            break
        pairs.add((q.subject, q.predicate))
        incoming.append((q.subject, q.predicate))
    incoming.sort(key=lambda r: (str(r[1]), str(r[0])))
    graphs = sorted({q.graph_name.value for q in store.quads_for_pattern(subject, None, None, None)
                     if isinstance(q.graph_name, ox.NamedNode)})

    def collect(rows):
        for p, o, c in rows:
            yield p
            yield o
            if c:
                yield from collect(c)

    for prim in list(collect(out)) + [_prim(x) for pair in incoming for x in pair]:
        if prim[0] == "uri" and prim[1] not in labels:
            _label_of(store, ox.NamedNode(prim[1]), labels)
    _label_of(store, subject, labels)
    return {"status": "ok", "kind": "resource", "outgoing": out,
            "incoming": [(_prim(s), _prim(p)) for s, p in incoming], "more_incoming": more,
            "labels": {k: v for k, v in labels.items() if v}, "graphs": graphs,
            "count": len(out)}


def _worker_fd_main(store_dir: str, fd: int) -> None:  # pragma: no cover - a child process
    """Entry point of a query worker: serve jobs over the socket ``fd``."""
    _worker_main(store_dir, Connection(fd))


def _worker_main(store_dir: str, conn) -> None:  # pragma: no cover - runs in a child process
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(store_dir)
    except Exception as e:  # report the failure instead of the ready signal, then exit
        try:
            conn.send({"status": "error", "kind": "internal",
                       "message": f"cannot open store {store_dir}: {e}"})
        finally:
            return
    conn.send({"status": "ready"})
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job["op"] == "query":
                result = _run_query(store, job)
            elif job["op"] == "resource":
                result = _run_resource(store, job)
            elif job["op"] == "ping":
                result = {"status": "ok", "kind": "ping"}
            else:
                result = {"status": "error", "kind": "internal", "message": "unknown op"}
        except SyntaxError as e:
            result = {"status": "error", "kind": "syntax", "message": str(e)}
        except ValueError as e:  # bad IRI in default-graph-uri and the like
            result = {"status": "error", "kind": "bad_request", "message": str(e)}
        except Exception as e:
            result = {"status": "error", "kind": "internal", "message": f"{type(e).__name__}: {e}"}
        try:
            conn.send(result)
        except (EOFError, OSError):
            return


class QueryPool:
    """A fixed number of worker processes, each with the store open read-only.

    ``run(job, timeout)`` hands the job to an idle worker and waits at most ``timeout`` seconds;
    on timeout the worker is killed and a fresh one started in its place.
    """

    def __init__(self, store_dir: str, size: int = 2):
        self._store_dir = str(store_dir)
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._ready: set = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self):
        # A plain subprocess, not multiprocessing: no fork of a threaded server, and no
        # re-import of the caller's __main__ (which would need an `if __name__` guard).
        parent, child = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "  # Ctrl-C is the server's
                 "import sys; from lodpub.serve import _worker_fd_main; "
                 "_worker_fd_main(sys.argv[1], int(sys.argv[2]))", self._store_dir,
                 str(child.fileno())],
                pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=env)
        finally:
            child.close()
        worker = (proc, Connection(parent.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _discard(self, worker) -> None:
        proc, conn = worker
        with self._lock:
            self._all.discard(worker)
            self._ready.discard(worker)
        try:
            proc.kill()
            proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        conn.close()

    def run(self, job: dict, timeout: float) -> dict:
        """Run one job; raise QueryTimeout / ServerBusy."""
        if self._closed:
            raise LodpubError("query pool is closed")
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy(f"every query worker stayed busy for {timeout:g} s") from None
        proc, conn = worker
        healthy = False
        try:
            if worker not in self._ready:  # a fresh worker: its start-up is not the query's time
                if not conn.poll(STARTUP_TIMEOUT):
                    return {"status": "error", "kind": "internal",
                            "message": f"query worker did not start in {STARTUP_TIMEOUT} s"}
                hello = conn.recv()
                if hello.get("status") != "ready":
                    return hello
                self._ready.add(worker)
            conn.send(job)
            if not conn.poll(timeout):
                raise QueryTimeout(f"query stopped after the time limit of {timeout:g} s")
            result = conn.recv()
            healthy = True
            return result
        except (EOFError, OSError, BrokenPipeError) as e:
            return {"status": "error", "kind": "internal", "message": f"query worker died: {e}"}
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._discard(worker)
                if not self._closed:
                    self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            self._discard(w)


# ----------------------------------------------------------------------------------------------
# the WSGI application


class _Response(Exception):
    def __init__(self, status: str, body: bytes | str = b"", ctype="text/plain; charset=utf-8",
                 headers: list | None = None):
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.ctype = ctype
        self.headers = headers or []
        self.file: Path | None = None  # streamed instead of body when set


def _static(name: str) -> bytes:
    return resources.files("lodpub").joinpath("static", name).read_bytes()


class SparqlApp:
    """The WSGI application returned by :func:`make_app`. Call :meth:`close` to stop its workers."""

    def __init__(self, store_dir, *, base: str = DEFAULT_BASE, timeout: float = DEFAULT_TIMEOUT,
                 max_results: int = DEFAULT_MAX_RESULTS, examples: Sequence[tuple[str, str]] = (),
                 workers: int = 2, title: str = "lodpub SPARQL endpoint"):
        import pyoxigraph as ox

        store_dir = Path(store_dir)
        if (store_dir / "store").is_dir():  # given the publication folder rather than its store
            store_dir = store_dir / "store"
        if not store_dir.is_dir():
            raise LodpubError(f"{store_dir}: no store there (run `lodpub build` first)")
        try:
            probe = ox.Store.read_only(str(store_dir))
            del probe
        except OSError as e:
            raise LodpubError(f"{store_dir}: cannot open the store read-only: {e}") from e
        self.store_dir = store_dir
        self.dump = store_dir.parent / "lodpub.nq.gz"
        self.base = base
        self.timeout = float(timeout)
        self.max_results = int(max_results)
        self.examples = [(str(t), str(q)) for t, q in examples]
        self.title = title
        self.pool = QueryPool(str(store_dir), workers)

    def close(self) -> None:
        """Stop the query workers."""
        self.pool.close()

    # -- WSGI entry -------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            resp = self._dispatch(environ, method)
        except _Response as r:
            resp = r
        except Exception as e:  # never leak a traceback to the client
            log.exception("internal error")
            resp = _Response("500 Internal Server Error", f"internal error: {type(e).__name__}: {e}\n")
        length = resp.file.stat().st_size if resp.file else len(resp.body)
        headers = [("Content-Type", resp.ctype), ("Content-Length", str(length)),
                   ("Access-Control-Allow-Origin", "*"),
                   ("Access-Control-Expose-Headers",
                    "Content-Type, X-Lodpub-Truncated, X-SPARQL-MaxRows")] + resp.headers
        start_response(resp.status, headers)
        if method == "HEAD":
            return [b""]
        if resp.file:
            f = open(resp.file, "rb")
            wrapper = environ.get("wsgi.file_wrapper")
            return wrapper(f, 1 << 16) if wrapper else iter(lambda: f.read(1 << 16), b"")
        return [resp.body]

    def _dispatch(self, environ, method: str) -> _Response:
        path = environ.get("PATH_INFO", "/") or "/"
        if method == "OPTIONS":
            req_headers = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS",
                                      "Content-Type, Accept")
            return _Response("204 No Content", b"", headers=[
                ("Allow", "GET, POST, HEAD, OPTIONS"),
                ("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS"),
                ("Access-Control-Allow-Headers", req_headers),
                ("Access-Control-Max-Age", "86400")])
        if method not in ("GET", "POST", "HEAD"):
            return _Response("405 Method Not Allowed",
                             f"{method} is not allowed: this endpoint is read-only "
                             "(GET, POST, HEAD and OPTIONS only)\n",
                             headers=[("Allow", "GET, POST, HEAD, OPTIONS")])
        if path == "/sparql":
            return self._sparql(environ, method)
        if method == "POST":
            return _Response("405 Method Not Allowed", "POST is only accepted on /sparql\n",
                             headers=[("Allow", "GET, HEAD, OPTIONS")])
        if path in ("/", "/index.html"):
            return self._index()
        if path.startswith("/static/"):
            name = path[len("/static/"):]
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
                raise _Response("404 Not Found", "no such file\n")
            try:
                data = _static(name)
            except (FileNotFoundError, IsADirectoryError):
                raise _Response("404 Not Found", "no such file\n") from None
            ctype = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                     "html": "text/html; charset=utf-8"}.get(name.rsplit(".", 1)[-1],
                                                            "text/plain; charset=utf-8")
            return _Response("200 OK", data, ctype, [("Cache-Control", "max-age=3600")])
        if path == "/lodpub.nq.gz" and self.dump.is_file():
            resp = _Response("200 OK", b"", "application/gzip",
                             [("Content-Disposition", 'attachment; filename="lodpub.nq.gz"')])
            resp.file = self.dump
            return resp
        params = _params(environ.get("QUERY_STRING", ""))
        if path == "/resource":
            iri = _one(params, "uri")
            if not iri:
                raise _Response("400 Bad Request", "missing parameter uri\n")
            return self._resource(environ, iri, params)
        if self.base:
            return self._resource(environ, self.base + path.lstrip("/"), params)
        raise _Response("404 Not Found", "not found\n")

    # -- /sparql ------------------------------------------------------------------------------
    def _sparql(self, environ, method: str) -> _Response:
        params = _params(environ.get("QUERY_STRING", ""))
        query = None
        if method == "POST":
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            body = _read_body(environ)
            if ctype == "application/sparql-update":
                raise _forbidden_update()
            if ctype == "application/x-www-form-urlencoded":
                form = _params(body.decode("utf-8", "replace"))
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                try:
                    query = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise _Response("400 Bad Request", "query body is not UTF-8\n") from None
            else:
                raise _Response("415 Unsupported Media Type",
                                "POST a query as application/x-www-form-urlencoded or "
                                "application/sparql-query\n")
        if "update" in params:
            raise _forbidden_update()
        if query is None:
            qs = params.get("query", [])
            if len(qs) > 1:
                raise _Response("400 Bad Request", "give exactly one query parameter\n")
            if not qs:
                accept = environ.get("HTTP_ACCEPT", "")
                if negotiate(accept, ["text/html"]) and "text/html" in accept:
                    raise _Response("303 See Other", "see /\n", headers=[("Location", "/")])
                raise _Response("400 Bad Request", "missing query parameter\n")
            query = qs[0]
        elif "query" in params:
            raise _Response("400 Bad Request",
                            "query given both in the body and as a parameter\n")
        results_fmt, rdf_fmt, results_ct, rdf_ct = self._formats(environ, params)
        timeout = self.timeout
        if _one(params, "timeout"):
            try:  # a client may lower the limit, never raise it
                timeout = min(timeout, max(0.01, float(_one(params, "timeout"))))
            except ValueError:
                raise _Response("400 Bad Request", "timeout must be a number of seconds\n") from None
        job = {"op": "query", "query": query, "results_format": results_fmt,
               "rdf_format": rdf_fmt, "max_results": self.max_results,
               "default_graph": params.get("default-graph-uri") or None,
               "named_graphs": params.get("named-graph-uri") or None}
        result = self._run(job, timeout, query)
        ctype = results_ct if result["kind"] in ("select", "ask") else rdf_ct
        return self._ok(result, ctype)

    def _formats(self, environ, params):
        fmt = (_one(params, "format") or _one(params, "output") or "").lower()
        if fmt:
            if fmt not in FORMAT_PARAM:
                raise _Response("400 Bad Request", f"unknown format {fmt!r}; use one of "
                                + ", ".join(FORMAT_PARAM) + "\n")
            results_fmt, rdf_fmt = FORMAT_PARAM[fmt]
            return (results_fmt, rdf_fmt, RESULT_CTYPE.get(results_fmt), RDF_CTYPE.get(rdf_fmt))
        accept = environ.get("HTTP_ACCEPT")
        results_ct = negotiate(accept, list(RESULT_TYPES))
        rdf_ct = negotiate(accept, list(RDF_TYPES))
        return (RESULT_TYPES.get(results_ct), RDF_TYPES.get(rdf_ct), results_ct, rdf_ct)

    def _run(self, job: dict, timeout: float, query: str | None = None) -> dict:
        t0 = time.perf_counter()
        try:
            result = self.pool.run(job, timeout)
        except QueryTimeout as e:
            log.warning("query timed out after %.1f s", time.perf_counter() - t0)
            raise _Response("503 Service Unavailable", f"{e}\n") from None
        except ServerBusy as e:
            raise _Response("503 Service Unavailable", f"{e}\n", headers=[("Retry-After", "5")]) \
                from None
        log.debug("query ran in %.1f ms", (time.perf_counter() - t0) * 1000)
        if result["status"] == "ok":
            return result
        kind, message = result["kind"], result["message"]
        if kind == "syntax":
            if query is not None and _UPDATE_RE.match(query):
                raise _forbidden_update()
            raise _Response("400 Bad Request", f"malformed query: {message}\n")
        if kind == "bad_request":
            raise _Response("400 Bad Request", f"{message}\n")
        if kind == "not_acceptable":
            raise _Response("406 Not Acceptable", f"no acceptable format: {message}\n")
        raise _Response("500 Internal Server Error", f"{message}\n")

    def _ok(self, result: dict, ctype: str) -> _Response:
        headers = [("Vary", "Accept")]
        if result.get("truncated"):
            headers += [("X-Lodpub-Truncated", "true"), ("X-SPARQL-MaxRows", str(self.max_results))]
        charset = "" if ctype.endswith("json") else "; charset=utf-8"
        return _Response("200 OK", result["body"], ctype + charset, headers)

    # -- resources ----------------------------------------------------------------------------
    def _resource(self, environ, iri: str, params) -> _Response:
        if not re.fullmatch(r"[^\s<>\"{}|\\^`]+", iri):
            raise _Response("400 Bad Request", f"not an IRI: {iri!r}\n")
        fmt = (_one(params, "format") or "").lower()
        if fmt:
            if fmt not in FORMAT_PARAM or (FORMAT_PARAM[fmt][1] is None and fmt != "html"):
                raise _Response("400 Bad Request", "format must be html, turtle, jsonld, nt "
                                "or rdfxml\n")
            rdf_fmt = FORMAT_PARAM[fmt][1]
            ctype = RDF_CTYPE.get(rdf_fmt, "text/html")
        else:
            offers = ["text/turtle", "application/ld+json", "application/n-triples",
                      "application/rdf+xml", "text/html", "application/xhtml+xml",
                      "application/json", "application/x-turtle"]
            ctype = negotiate(environ.get("HTTP_ACCEPT"), offers)
            if ctype is None:
                raise _Response("406 Not Acceptable", "a resource can be served as "
                                "text/turtle, application/ld+json, application/n-triples, "
                                "application/rdf+xml or text/html\n")
            rdf_fmt = RDF_TYPES.get(ctype)
        if rdf_fmt is None:  # HTML
            result = self._run({"op": "resource", "iri": iri, "incoming_limit": 200}, self.timeout)
            if not result["count"]:
                raise _Response("404 Not Found", _page(
                    "Not found", f"<p>No description of <code>{html.escape(iri)}</code> "
                    "is published here.</p>"), "text/html; charset=utf-8")
            body = self._render_resource(iri, result)
            return _Response("200 OK", body, "text/html; charset=utf-8",
                             [("Vary", "Accept")] + self._alternates(iri))
        query = f"DESCRIBE <{iri}>"
        result = self._run({"op": "query", "query": query, "results_format": None,
                            "rdf_format": rdf_fmt, "max_results": self.max_results}, self.timeout)
        if not result["count"]:
            raise _Response("404 Not Found", f"no description of <{iri}> is published here\n")
        resp = self._ok(result, ctype)
        resp.headers += self._alternates(iri)
        return resp

    def _href(self, iri: str) -> str:
        if self.base and iri.startswith(self.base) and "?" not in iri and "#" not in iri:
            return "/" + quote(iri[len(self.base):], safe="/:@!$&'()*+,;=-._~%")
        return "/resource?" + urlencode({"uri": iri})

    def _alternates(self, iri: str) -> list:
        href = self._href(iri)
        sep = "&" if "?" in href else "?"
        links = [f'<{href}{sep}format={f}>; rel="alternate"; type="{RDF_CTYPE[f]}"'
                 for f in ("turtle", "jsonld", "nt")]
        return [("Link", ", ".join(links))]

    def _render_term(self, prim, labels) -> str:
        kind = prim[0]
        if kind == "uri":
            iri = prim[1]
            label = labels.get(iri)
            text = html.escape(label) if label else html.escape(_qname(iri))
            return (f'<a href="{html.escape(self._href(iri))}" title="{html.escape(iri)}">{text}</a>'
                    f' <a class="ext" href="{html.escape(iri)}" title="the IRI itself">↗</a>')
        if kind == "bnode":
            return f"<span class='bnode'>_:{html.escape(prim[1])}</span>"
        if kind == "literal":
            value, dt, lang = prim[1], prim[2], prim[3]
            extra = f"@{lang}" if lang else ("" if dt == XSD_STRING else _qname(dt))
            return (f"<span class='lit'>{html.escape(value)}</span>"
                    + (f" <small>{html.escape(extra)}</small>" if extra else ""))
        return html.escape(prim[1])

    def _render_rows(self, rows, labels) -> str:
        out = ["<table class='props'>"]
        for p, o, children in rows:
            cell = self._render_term(o, labels)
            if children:
                cell += self._render_rows(children, labels)
            out.append(f"<tr><th>{self._render_term(p, labels)}</th><td>{cell}</td></tr>")
        out.append("</table>")
        return "".join(out)

    def _render_resource(self, iri: str, result: dict) -> str:
        labels = result["labels"]
        title = labels.get(iri) or _qname(iri)
        href = self._href(iri)
        sep = "&" if "?" in href else "?"
        fmts = " · ".join(f'<a href="{html.escape(href + sep + "format=" + f)}">{n}</a>'
                          for f, n in (("turtle", "Turtle"), ("jsonld", "JSON-LD"),
                                       ("nt", "N-Triples")))
        parts = [f"<p class='iri'><code>{html.escape(iri)}</code></p>",
                 f"<p class='formats'>Also as {fmts} · <a href='/'>query</a></p>"]
        if result["graphs"]:
            parts.append("<p class='graphs'>In graph " + ", ".join(
                self._render_term(("uri", g), labels) for g in result["graphs"]) + "</p>")
        parts.append(self._render_rows(result["outgoing"], labels))
        if result["incoming"]:
            parts.append("<h2>Referenced by</h2><table class='props'>")
            for s, p in result["incoming"]:
                parts.append(f"<tr><td>{self._render_term(s, labels)}</td>"
                             f"<th>{self._render_term(p, labels)}</th></tr>")
            parts.append("</table>")
            if result["more_incoming"]:
                q = f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}"
                parts.append(f"<p>… and more: <a href='/?{html.escape(urlencode({'query': q}))}'>"
                             "query them all</a></p>")
        return _page(title, "".join(parts))

    # -- query page ---------------------------------------------------------------------------
    def _index(self) -> _Response:
        template = _static("index.html").decode("utf-8")
        items = "".join(
            f'<li><button type="button" class="example" data-index="{i}">{html.escape(t)}'
            f"</button><pre class='example-query' hidden>{html.escape(q)}</pre></li>"
            for i, (t, q) in enumerate(self.examples))
        data = json.dumps([{"title": t, "query": q} for t, q in self.examples],
                          ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")
        config = json.dumps({"base": self.base, "maxResults": self.max_results,
                             "timeout": self.timeout}).replace("</", "<\\/")
        body = (template.replace("{{TITLE}}", html.escape(self.title))
                .replace("{{LIMITS}}", html.escape(
                    f"Answers are cut at {self.max_results:,} rows; a query stops after "
                    f"{self.timeout:g} s."))
                .replace("{{EXAMPLE_LIST}}", items)
                .replace("{{EXAMPLES_JSON}}", data)
                .replace("{{CONFIG_JSON}}", config))
        return _Response("200 OK", body, "text/html; charset=utf-8")


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><link rel='stylesheet' href='/static/style.css'>"
            f"</head><body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>")


def _qname(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _params(qs: str) -> dict[str, list[str]]:
    try:
        return parse_qs(qs, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise _Response("400 Bad Request", "malformed URL-encoded parameters\n") from None


def _one(params: dict, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def _read_body(environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise _Response("400 Bad Request", "bad Content-Length\n") from None
    if length > MAX_BODY:
        raise _Response("413 Content Too Large", f"request body over {MAX_BODY} bytes\n")
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _forbidden_update() -> _Response:
    return _Response("403 Forbidden", "SPARQL Update is not allowed: this endpoint is read-only. "
                     "Change the data with `lodpub build` and publish again.\n")


def make_app(store_dir, *, base: str = DEFAULT_BASE, timeout: float = DEFAULT_TIMEOUT,
             max_results: int = DEFAULT_MAX_RESULTS,
             examples: Sequence[tuple[str, str]] = (), workers: int = 2,
             title: str = "lodpub SPARQL endpoint") -> SparqlApp:
    """Build the WSGI application serving ``store_dir``.

    ``store_dir`` is the publication folder (``DIR``, holding ``store/``) or its ``store/``
    folder itself. ``base`` is the base URI of the published data: a request for ``/P`` is
    answered with the description of ``<base + P>``. ``timeout`` (seconds) bounds each query:
    a query still running then is killed and answered with 503. ``max_results`` caps the rows of
    a SELECT (triples of a CONSTRUCT/DESCRIBE); a capped answer carries ``X-Lodpub-Truncated:
    true``. ``examples`` are ``(title, query)`` pairs preloaded on the query page. ``workers``
    is the number of query processes. Call ``app.close()`` when done to stop them.
    Raises :class:`lodpub.errors.LodpubError` when the store cannot be opened.
    """
    return SparqlApp(store_dir, base=base, timeout=timeout, max_results=max_results,
                     examples=examples, workers=workers, title=title)


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.info("%s %s", self.address_string(), format % args)


def make_http_server(app, host: str = "127.0.0.1", port: int = 0):
    """A threaded ``wsgiref`` server for ``app`` (port 0 = a free port: see ``server_port``).
    Call ``serve_forever()`` on it (in a thread if you like) and ``shutdown()`` to stop."""
    return make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_Handler)


def serve(store_dir, host: str = "127.0.0.1", port: int = 8000, *, base: str = DEFAULT_BASE,
          timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS,
          examples: Sequence[tuple[str, str]] = (), workers: int = 2) -> None:
    """Serve ``store_dir`` on ``http://host:port/`` until interrupted (see :func:`make_app`)."""
    app = make_app(store_dir, base=base, timeout=timeout, max_results=max_results,
                   examples=examples, workers=workers)
    server = make_http_server(app, host, port)
    log.warning("serving %s on http://%s:%d/ (SPARQL endpoint /sparql)", app.store_dir, host,
                server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()


__all__ = ["make_app", "make_http_server", "serve", "negotiate", "parse_accept",
           "serialize_solutions", "serialize_boolean", "serialize_triples", "SparqlApp",
           "QueryPool", "QueryTimeout", "ServerBusy"]

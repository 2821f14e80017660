"""What a query worker process runs: it holds the store open read-only and answers jobs (a query,
or everything a resource's page shows) sent over a socket by the pool."""

from __future__ import annotations

import re
import sys
import threading
from multiprocessing.connection import Connection

import pyoxigraph as ox

from .negotiation import RDF_CTYPE, RESULT_CTYPE
from .results import serialize_boolean, serialize_solutions, serialize_triples

LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2004/02/skos/core#notation",
)
# pyoxigraph's query parser and optimiser recurse once per operator (`!!!…`, `1+1+…`, `… UNION …`):
# 20,000 of them (40 KB of text) overflow the main thread's 8 MB stack and kill the process. Jobs
# run in a thread with this much (virtual) stack instead: 100 KB of the worst such text (100,000
# `!`) then parses using ~120 MB. Brackets are capped before (guard.MAX_DEPTH).
WORKER_STACK = 512 << 20

_FROM_RE = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_STRIP_RE = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*", re.DOTALL)


def _prim(t):
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.datatype.value, t.language)
    return ("other", str(t))


def _size(term) -> int:
    """Roughly the bytes ``term`` takes in an answer (its text and some markup)."""
    if term is None:
        return 0
    try:
        return len(term.value) + 16
    except AttributeError:
        return len(str(term)) + 16


def _too_large(limit: int) -> dict:
    return {
        "status": "error",
        "kind": "too_large",
        "message": f"answer too large: over the limit of {limit} bytes; ask for fewer rows (LIMIT) or shorter values",
    }


def _run_query(store, job: dict) -> dict:
    kwargs = {}
    dg, ng = job.get("default_graph"), job.get("named_graphs")
    if dg or ng:
        kwargs["default_graph"] = [ox.NamedNode(u) for u in dg or []]
        kwargs["named_graphs"] = [ox.NamedNode(u) for u in ng or []]
    elif not _FROM_RE.search(_STRIP_RE.sub(" ", job["query"])):
        kwargs["use_default_graph_as_union"] = True
    result = store.query(job["query"], base_iri=job.get("base_iri"), **kwargs)
    cap = job["max_results"]
    max_bytes = job.get("max_bytes") or 0  # 0: no limit
    if isinstance(result, ox.QueryBoolean):
        if not job.get("results_format"):
            return {"status": "error", "kind": "not_acceptable", "message": "ASK results can be served as " + ", ".join(RESULT_CTYPE.values())}
        return {
            "status": "ok",
            "kind": "ask",
            "truncated": False,
            "count": 1,
            "body": serialize_boolean(bool(result), job["results_format"]),
            "format": job["results_format"],
        }
    if isinstance(result, ox.QuerySolutions):
        if not job.get("results_format"):
            return {"status": "error", "kind": "not_acceptable", "message": "SELECT results can be served as " + ", ".join(RESULT_CTYPE.values())}
        variables = [v.value for v in result.variables]
        n = len(variables)
        rows, truncated, size = [], False, 0
        for sol in result:
            if len(rows) >= cap:
                truncated = True
                break
            row = [sol[i] for i in range(n)]
            size += sum(_size(t) for t in row)
            if max_bytes and size > max_bytes:  # stop before serialising what cannot be sent
                return _too_large(max_bytes)
            rows.append(row)
        body = serialize_solutions(variables, rows, job["results_format"])
        if max_bytes and len(body) > max_bytes:
            return _too_large(max_bytes)
        return {"status": "ok", "kind": "select", "truncated": truncated, "count": len(rows), "body": body, "format": job["results_format"]}
    # CONSTRUCT / DESCRIBE
    if not job.get("rdf_format"):
        return {"status": "error", "kind": "not_acceptable", "message": "graph results can be served as " + ", ".join(RDF_CTYPE.values())}
    triples, truncated, seen, size = [], False, set(), 0
    for t in result:
        if t in seen:
            continue
        if len(triples) >= cap:
            truncated = True
            break
        size += _size(t.subject) + _size(t.predicate) + _size(t.object)
        if max_bytes and size > max_bytes:
            return _too_large(max_bytes)
        seen.add(t)
        triples.append(t)
    body = serialize_triples(triples, job["rdf_format"])
    if max_bytes and len(body) > max_bytes:
        return _too_large(max_bytes)
    return {"status": "ok", "kind": "graph", "truncated": truncated, "count": len(triples), "body": body, "format": job["rdf_format"]}


def _label_of(store, node, cache: dict):
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
    graphs = sorted({q.graph_name.value for q in store.quads_for_pattern(subject, None, None, None) if isinstance(q.graph_name, ox.NamedNode)})

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
    return {
        "status": "ok",
        "kind": "resource",
        "outgoing": out,
        "incoming": [(_prim(s), _prim(p)) for s, p in incoming],
        "more_incoming": more,
        "labels": {k: v for k, v in labels.items() if v},
        "graphs": graphs,
        "count": len(out),
    }


def worker_fd_main(store_dir: str, fd: int, memory: int = 0) -> None:  # pragma: no cover - a child process
    """Entry point of a query worker: serve jobs over the socket ``fd``, each query allowed
    ``memory`` bytes beyond what the worker holds when ready (0: no limit)."""
    _worker_main(store_dir, Connection(fd), memory)


def _data_bytes() -> int:
    """The process's private writable memory (VmData), which RLIMIT_DATA bounds."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(memory: int) -> None:  # pragma: no cover - runs in a child process
    """Let the process allocate ``memory`` bytes more than it holds now, and no more: past that,
    an allocation fails (Rust aborts the process, Python raises MemoryError), and the pool answers
    503. VmData already counts the reserved query stack (WORKER_STACK), so it is left out of the
    budget; only what a query allocates counts."""
    if memory and sys.platform.startswith("linux"):
        import resource

        limit = _data_bytes() + memory
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _worker_main(store_dir: str, conn, memory: int = 0) -> None:  # pragma: no cover - runs in a child process
    threading.stack_size(WORKER_STACK)
    thread = threading.Thread(target=_serve_jobs, args=(store_dir, conn, memory), name="lodpub-query")
    thread.start()
    thread.join()


def _serve_jobs(store_dir: str, conn, memory: int = 0) -> None:  # pragma: no cover - runs in a child process
    try:
        store = ox.Store.read_only(store_dir)
    except Exception as e:  # report the failure instead of the ready signal, then exit
        try:
            conn.send({"status": "error", "kind": "internal", "message": f"cannot open store {store_dir}: {e}"})
        finally:
            return
    limit_memory(memory)
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
        except MemoryError:
            result = {"status": "error", "kind": "memory", "message": ""}
        except ValueError as e:  # bad IRI in default-graph-uri and the like
            result = {"status": "error", "kind": "bad_request", "message": str(e)}
        except Exception as e:
            result = {"status": "error", "kind": "internal", "message": f"{type(e).__name__}: {e}"}
        try:
            conn.send(result)
        except (EOFError, OSError):
            return

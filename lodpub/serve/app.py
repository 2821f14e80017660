"""The WSGI application: routes, the SPARQL 1.1 Protocol on /sparql, resources and the query page
(see the package's docstring for what it serves)."""

from __future__ import annotations

import html
import logging
import re
import time
from pathlib import Path
from typing import Sequence
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from ..errors import LodpubError
from ..publish.manifest import DUMPS, LANDING_PAGE, store_folder
from ..resources import yasgui_folder
from ..uris import DEFAULT_BASE
from .negotiation import FORMAT_PARAM, RDF_CTYPE, RDF_TYPES, RESULT_CTYPE, RESULT_TYPES, negotiate
from .files import file_response
from .graphs import graph_query, page_result
from .guard import QueryRefused, check_query
from .http import MAX_BODY, UPDATE_RE, Response, client_of, forbidden_update, one, params_of, read_body
from .pages import page, query_page, resource_page, static_file
from .pool import PoolClosed, QueryPool, QueryTimeout, ServerBusy
from .snapshot import Publication

log = logging.getLogger("lodpub.serve")

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESULTS = 10000
DEFAULT_MAX_QUERY_BYTES = 100 << 10  # 100 KB
DEFAULT_MAX_ANSWER_BYTES = 50 << 20  # 50 MB
DEFAULT_QUERY_MEMORY = 1 << 30  # 1 GiB a query may allocate in its worker


class SparqlApp:
    """The WSGI application returned by :func:`make_app`. Call :meth:`close` to stop its workers."""

    def __init__(
        self,
        store_dir,
        *,
        base: str = DEFAULT_BASE,
        timeout: float = DEFAULT_TIMEOUT,
        max_results: int = DEFAULT_MAX_RESULTS,
        examples: Sequence[tuple[str, str]] = (),
        workers: int = 2,
        title: str = "lodpub SPARQL endpoint",
        allow_service: Sequence[str] = (),
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        query_memory: int = DEFAULT_QUERY_MEMORY,
        snapshot: bool = True,
        check_every: float = 2.0,
        yasgui: str | Path | None = "installed",
    ):
        given = Path(store_dir)
        store_dir = store_folder(given)  # given the publication folder rather than its store
        if not store_dir.is_dir():
            raise LodpubError(f"{store_dir}: no store there (run `lodpub build` first)")
        try:
            probe = ox.Store.read_only(str(store_dir))
            del probe
        except OSError as e:
            raise LodpubError(f"{store_dir}: cannot open the store read-only: {e}") from e
        self.store_dir = store_dir
        self.base = base
        self.timeout = float(timeout)
        self.max_results = int(max_results)
        self.examples = [(str(t), str(q)) for t, q in examples]
        self.title = title
        # YASGUI's build (the query page's editor): where scripts/setup installed it, a folder, or None (the plain page)
        self.yasgui = yasgui_folder() if yasgui == "installed" else (Path(yasgui) if yasgui else None)
        self.allow_service = tuple(str(a) for a in allow_service)
        self.max_query_bytes = int(max_query_bytes) if max_query_bytes else None  # None: no limit
        self.max_answer_bytes = int(max_answer_bytes) if max_answer_bytes else None  # None: no limit
        self.max_body = max(MAX_BODY, 4 * (self.max_query_bytes or 16 << 20))  # form encoding grows
        self.query_memory = int(query_memory or 0)  # 0: no limit
        # the publication (its files are served beside the endpoint), as a snapshot switched whole on a rebuild
        self.publication = Publication(
            store_dir.parent,
            store_dir,
            lambda store: QueryPool(str(store), workers, memory=self.query_memory),
            snapshot=snapshot and given != store_dir,
            check_every=check_every,
            grace=2 * self.timeout + 5,
        )

    @property
    def pool(self) -> QueryPool:
        return self.publication.pool

    @property
    def folder(self) -> Path:
        return self.publication.folder

    def close(self) -> None:
        """Stop the query workers (and remove the snapshot)."""
        self.publication.close()

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            resp = self._dispatch(environ, method)
        except Response as r:
            resp = r
        except Exception as e:  # never leak a traceback to the client
            log.exception("internal error")
            resp = Response("500 Internal Server Error", f"internal error: {type(e).__name__}: {e}\n")
        length = resp.file.stat().st_size if resp.file else len(resp.body)
        headers = [
            ("Content-Type", resp.ctype),
            ("Content-Length", str(length)),
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", "Content-Type, X-Lodpub-Truncated, X-SPARQL-MaxRows"),
        ] + resp.headers
        start_response(resp.status, headers)
        if method == "HEAD":
            return [b""]
        if resp.file:
            f = open(resp.file, "rb")
            wrapper = environ.get("wsgi.file_wrapper")
            return wrapper(f, 1 << 16) if wrapper else iter(lambda: f.read(1 << 16), b"")
        return [resp.body]

    def _dispatch(self, environ, method: str) -> Response:
        path = environ.get("PATH_INFO", "/") or "/"
        if method == "OPTIONS":
            req_headers = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "Content-Type, Accept")
            return Response(
                "204 No Content",
                b"",
                headers=[
                    ("Allow", "GET, POST, HEAD, OPTIONS"),
                    ("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS"),
                    ("Access-Control-Allow-Headers", req_headers),
                    ("Access-Control-Max-Age", "86400"),
                ],
            )
        if method not in ("GET", "POST", "HEAD"):
            return Response(
                "405 Method Not Allowed",
                f"{method} is not allowed: this endpoint is read-only (GET, POST, HEAD and OPTIONS only)\n",
                headers=[("Allow", "GET, POST, HEAD, OPTIONS")],
            )
        if path == "/sparql":
            return self._sparql(environ, method)
        if method == "POST":
            return Response("405 Method Not Allowed", "POST is only accepted on /sparql\n", headers=[("Allow", "GET, HEAD, OPTIONS")])
        if path == "/" or (path == "/index.html" and not (self.folder / LANDING_PAGE).is_file()):
            return Response(
                "200 OK", query_page(self.title, self.examples, self.base, self.max_results, self.timeout, self.yasgui is not None), "text/html; charset=utf-8"
            )
        if path.startswith("/static/"):
            found = static_file(path[len("/static/") :], self.yasgui)
            if found is None:
                raise Response("404 Not Found", "no such file\n")
            return Response("200 OK", found[0], found[1], [("Cache-Control", "max-age=3600")])
        served = file_response(self.folder, path)
        if served is not None:
            return served
        params = params_of(environ.get("QUERY_STRING", ""))
        if path == "/resource":
            iri = one(params, "uri")
            if not iri:
                raise Response("400 Bad Request", "missing parameter uri\n")
            return self._resource(environ, iri, params)
        if self.base:
            return self._resource(environ, self.base + path.lstrip("/"), params)
        raise Response("404 Not Found", "not found\n")

    def _sparql(self, environ, method: str) -> Response:
        params = params_of(environ.get("QUERY_STRING", ""))
        query = None
        if method == "POST":
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            body = read_body(environ, self.max_body)
            if ctype == "application/sparql-update":
                raise forbidden_update()
            if ctype == "application/x-www-form-urlencoded":
                form = params_of(body.decode("utf-8", "replace"))
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                try:
                    query = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise Response("400 Bad Request", "query body is not UTF-8\n") from None
            else:
                raise Response("415 Unsupported Media Type", "POST a query as application/x-www-form-urlencoded or application/sparql-query\n")
        if "update" in params:
            raise forbidden_update()
        if query is None:
            qs = params.get("query", [])
            if len(qs) > 1:
                raise Response("400 Bad Request", "give exactly one query parameter\n")
            if not qs:
                accept = environ.get("HTTP_ACCEPT", "")
                if negotiate(accept, ["text/html"]) and "text/html" in accept:
                    raise Response("303 See Other", "see /\n", headers=[("Location", "/")])
                raise Response("400 Bad Request", "missing query parameter\n")
            query = qs[0]
        elif "query" in params:
            raise Response("400 Bad Request", "query given both in the body and as a parameter\n")
        size = len(query.encode("utf-8", "replace"))
        if self.max_query_bytes and size > self.max_query_bytes:
            raise Response("400 Bad Request", f"query too large: {size} bytes, over the limit of {self.max_query_bytes} bytes\n")
        try:
            check_query(query, allow_service=self.allow_service)
        except QueryRefused as e:
            if UPDATE_RE.match(query):
                raise forbidden_update() from None
            raise Response("400 Bad Request", f"{e}\n") from None
        results_fmt, rdf_fmt, results_ct, rdf_ct = self._formats(environ, params)
        timeout = self.timeout
        if one(params, "timeout"):
            try:  # a client may lower the limit, never raise it
                timeout = min(timeout, max(0.01, float(one(params, "timeout"))))
            except ValueError:
                raise Response("400 Bad Request", "timeout must be a number of seconds\n") from None
        job = {
            "op": "query",
            "query": query,
            "results_format": results_fmt,
            "rdf_format": rdf_fmt,
            "max_results": self.max_results,
            "max_bytes": self.max_answer_bytes,
            "default_graph": params.get("default-graph-uri") or None,
            "named_graphs": params.get("named-graph-uri") or None,
        }
        result = self._run(job, timeout, query, client_of(environ))
        ctype = results_ct if result["kind"] in ("select", "ask") else rdf_ct
        return self._ok(result, ctype)

    def _formats(self, environ, params):
        fmt = (one(params, "format") or one(params, "output") or "").lower()
        if fmt:
            if fmt not in FORMAT_PARAM:
                raise Response("400 Bad Request", f"unknown format {fmt!r}; use one of " + ", ".join(FORMAT_PARAM) + "\n")
            results_fmt, rdf_fmt = FORMAT_PARAM[fmt]
            return (results_fmt, rdf_fmt, RESULT_CTYPE.get(results_fmt), RDF_CTYPE.get(rdf_fmt))
        accept = environ.get("HTTP_ACCEPT")
        results_ct = negotiate(accept, list(RESULT_TYPES))
        rdf_ct = negotiate(accept, list(RDF_TYPES))
        return (RESULT_TYPES.get(results_ct), RDF_TYPES.get(rdf_ct), results_ct, rdf_ct)

    def _run(self, job: dict, timeout: float, query: str | None = None, client: str = "") -> dict:
        t0 = time.perf_counter()
        try:
            try:
                result = self.pool.run(job, timeout, client)
            except PoolClosed:  # the publication was replaced meanwhile: ask the new one
                result = self.pool.run(job, timeout, client)
        except QueryTimeout as e:
            log.warning("query timed out after %.1f s", time.perf_counter() - t0)
            raise Response("503 Service Unavailable", f"{e}\n") from None
        except ServerBusy as e:
            raise Response("503 Service Unavailable", f"{e}\n", headers=[("Retry-After", "5")]) from None
        log.debug("query ran in %.1f ms", (time.perf_counter() - t0) * 1000)
        if result["status"] == "ok":
            return result
        kind, message = result["kind"], result["message"]
        if kind == "syntax":
            if query is not None and UPDATE_RE.match(query):
                raise forbidden_update()
            raise Response("400 Bad Request", f"malformed query: {message}\n")
        if kind == "bad_request":
            raise Response("400 Bad Request", f"{message}\n")
        if kind == "memory":
            log.warning("query stopped at the memory limit of %d MiB", self.query_memory >> 20)
            raise Response("503 Service Unavailable", f"{message}\n")
        if kind == "too_large":
            log.warning("answer over %s bytes refused", self.max_answer_bytes)
            raise Response("413 Content Too Large", f"{message}\n")
        if kind == "not_acceptable":
            raise Response("406 Not Acceptable", f"no acceptable format: {message}\n")
        raise Response("500 Internal Server Error", f"{message}\n")

    def _ok(self, result: dict, ctype: str) -> Response:
        headers = [("Vary", "Accept")]
        if result.get("truncated"):
            headers += [("X-Lodpub-Truncated", "true"), ("X-SPARQL-MaxRows", str(self.max_results))]
        charset = "" if ctype.endswith("json") else "; charset=utf-8"
        return Response("200 OK", result["body"], ctype + charset, headers)

    def _resource(self, environ, iri: str, params) -> Response:
        if not re.fullmatch(r"[^\s<>\"{}|\\^`]+", iri):
            raise Response("400 Bad Request", f"not an IRI: {iri!r}\n")
        fmt = (one(params, "format") or "").lower()
        if fmt:
            if fmt not in FORMAT_PARAM or (FORMAT_PARAM[fmt][1] is None and fmt != "html"):
                raise Response("400 Bad Request", "format must be html, turtle, jsonld, nt or rdfxml\n")
            rdf_fmt = FORMAT_PARAM[fmt][1]
            ctype = RDF_CTYPE.get(rdf_fmt, "text/html")
        else:
            offers = [
                "text/turtle",
                "application/ld+json",
                "application/n-triples",
                "application/rdf+xml",
                "text/html",
                "application/xhtml+xml",
                "application/json",
                "application/x-turtle",
            ]
            ctype = negotiate(environ.get("HTTP_ACCEPT"), offers)
            if ctype is None:
                raise Response(
                    "406 Not Acceptable",
                    "a resource can be served as text/turtle, application/ld+json, application/n-triples, application/rdf+xml or text/html\n",
                )
            rdf_fmt = RDF_TYPES.get(ctype)
        graph = graph_query(iri, [name for name in DUMPS if (self.folder / name).is_file()])
        described = self._describe(environ, iri, graph, rdf_fmt, ctype) if graph else None
        if described is not None:  # a named graph of the publication: its VoID description
            return described
        if rdf_fmt is None:  # HTML
            result = self._run({"op": "resource", "iri": iri, "incoming_limit": 200}, self.timeout, client=client_of(environ))
            if not result["count"]:
                raise Response(
                    "404 Not Found",
                    page("Not found", f"<p>No description of <code>{html.escape(iri)}</code> is published here.</p>"),
                    "text/html; charset=utf-8",
                )
            body = resource_page(iri, result, self._href)
            return Response("200 OK", body, "text/html; charset=utf-8", [("Vary", "Accept")] + self._alternates(iri))
        resp = self._describe(environ, iri, f"DESCRIBE <{iri}>", rdf_fmt, ctype)
        if resp is None:
            raise Response("404 Not Found", f"no description of <{iri}> is published here\n")
        return resp

    def _describe(self, environ, iri: str, query: str, rdf_fmt: str | None, ctype: str) -> Response | None:
        """The answer of a CONSTRUCT or DESCRIBE about `iri` (an HTML page when no RDF format is
        asked for), or None when it has no triple."""
        job = {"op": "query", "query": query, "results_format": None, "rdf_format": rdf_fmt or "nt"}
        result = self._run({**job, "max_results": self.max_results, "max_bytes": self.max_answer_bytes}, self.timeout, client=client_of(environ))
        if not result["count"]:
            return None
        if rdf_fmt is None:
            body = resource_page(iri, page_result(iri, result["body"]), self._href)
            return Response("200 OK", body, "text/html; charset=utf-8", [("Vary", "Accept")] + self._alternates(iri))
        resp = self._ok(result, ctype)
        resp.headers += self._alternates(iri)
        return resp

    def _href(self, iri: str) -> str:
        if self.base and iri.startswith(self.base) and "?" not in iri and "#" not in iri:
            return "/" + quote(iri[len(self.base) :], safe="/:@!$&'()*+,;=-._~%")
        return "/resource?" + urlencode({"uri": iri})

    def _alternates(self, iri: str) -> list:
        href = self._href(iri)
        sep = "&" if "?" in href else "?"
        links = [f'<{href}{sep}format={f}>; rel="alternate"; type="{RDF_CTYPE[f]}"' for f in ("turtle", "jsonld", "nt")]
        return [("Link", ", ".join(links))]


def make_app(store_dir, **options) -> SparqlApp:
    """Build the WSGI application serving ``store_dir``.

    ``store_dir`` is the publication folder (``DIR``, holding ``store/``) or its ``store/``
    folder itself. ``base`` is the base URI of the published data: a request for ``/P`` is
    answered with the description of ``<base + P>``. ``timeout`` (seconds) bounds each query:
    a query still running then is killed and answered with 503. ``max_results`` caps the rows of
    a SELECT (triples of a CONSTRUCT/DESCRIBE); a capped answer carries ``X-Lodpub-Truncated:
    true``. ``examples`` are ``(title, query)`` pairs preloaded on the query page. ``workers``
    is the number of query processes. ``allow_service`` lists the endpoint IRIs a query may
    name in ``SERVICE``; any other ``SERVICE`` (all of them by default) gets 400 before it runs,
    so that no client can make the server fetch a URL. A query over ``max_query_bytes`` (UTF-8)
    or nested deeper than :data:`lodpub.serve.guard.MAX_DEPTH` brackets gets 400; an answer
    over ``max_answer_bytes`` is not sent: the client gets 413 with a message. A query may
    allocate ``query_memory`` bytes in its worker (0: no limit); one that needs more stops, its
    worker is replaced and the client gets 503 with a message. Given the publication folder and
    ``snapshot``, the server serves a snapshot of it (hard links, `snapshot`) and switches to a new
    one whole when a build replaces the folder (looked at every ``check_every`` seconds). The
    options are the keywords of :class:`SparqlApp`. Call ``app.close()`` when done to stop them.
    Raises :class:`lodpub.errors.LodpubError` when the store cannot be opened.
    """
    return SparqlApp(store_dir, **options)

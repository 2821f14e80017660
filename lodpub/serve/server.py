"""The HTTP server: the standard library's `wsgiref`, one thread per request."""

from __future__ import annotations

import logging
import socketserver
from typing import Sequence
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..uris import DEFAULT_BASE
from .app import DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_QUERY_BYTES, DEFAULT_MAX_RESULTS, DEFAULT_QUERY_MEMORY, DEFAULT_TIMEOUT, make_app

log = logging.getLogger("lodpub.serve")


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 refused connections under 50 clients (benchmarks/load.py)


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.info("%s %s", self.address_string(), format % args)


def make_http_server(app, host: str = "127.0.0.1", port: int = 0):
    """A threaded ``wsgiref`` server for ``app`` (port 0 = a free port: see ``server_port``).
    Call ``serve_forever()`` on it (in a thread if you like) and ``shutdown()`` to stop."""
    return make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_Handler)


def serve(
    store_dir,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    base: str = DEFAULT_BASE,
    timeout: float = DEFAULT_TIMEOUT,
    max_results: int = DEFAULT_MAX_RESULTS,
    examples: Sequence[tuple[str, str]] = (),
    workers: int = 2,
    allow_service: Sequence[str] = (),
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
    query_memory: int = DEFAULT_QUERY_MEMORY,
) -> None:
    """Serve ``store_dir`` on ``http://host:port/`` until interrupted (see :func:`make_app`)."""
    app = make_app(
        store_dir,
        base=base,
        timeout=timeout,
        max_results=max_results,
        examples=examples,
        workers=workers,
        allow_service=allow_service,
        max_query_bytes=max_query_bytes,
        max_answer_bytes=max_answer_bytes,
        query_memory=query_memory,
    )
    server = make_http_server(app, host, port)
    log.warning("serving %s on http://%s:%d/ (SPARQL endpoint /sparql)", app.store_dir, host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()

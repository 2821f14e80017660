"""The HTTP server: the standard library's `wsgiref`, one thread per request."""

from __future__ import annotations

import json
import logging
import socketserver
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..errors import LodpubError, printable
from ..publish.manifest import SUMMARY
from ..uris import DEFAULT_BASE
from .app import make_app

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


def published_base(folder: Path) -> str:
    """The base URI the publication in `folder` was built with (its summary.json), else the default."""
    summary = folder / SUMMARY
    if not summary.exists():
        return DEFAULT_BASE
    try:
        return json.loads(summary.read_text(encoding="utf-8")).get("base", DEFAULT_BASE)
    except (ValueError, AttributeError):
        raise LodpubError(f"{printable(str(summary))}: not the summary of a lodpub build") from None


def serve(store_dir, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve ``store_dir`` on ``http://host:port/`` until interrupted (see :func:`make_app`)."""
    app = make_app(store_dir, **options)
    server = make_http_server(app, host, port)
    log.warning("serving %s on http://%s:%d/ (SPARQL endpoint /sparql)", app.store_dir, host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()

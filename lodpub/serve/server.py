"""The HTTP server: waitress (HTTP/1.1, persistent connections, pipelining), with a thread for every
connection it may hold, so that no request waits for a thread: every waiting query reaches the fair
query pool (`pool`), which alone decides which client's query runs next."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from waitress import wasyncore
from waitress.server import create_server

from ..checks import bound_socket
from ..errors import LodpubError, printable
from ..publish.manifest import SUMMARY
from ..uris import DEFAULT_BASE
from .app import make_app
from .http import MAX_BODY

log = logging.getLogger("lodpub.serve")

DEFAULT_CONNECTIONS = 200  # connections served at once, each with its thread (--connections)
CHANNEL_TIMEOUT = 30  # seconds an idle connection stays open (between requests, or a request stalled half sent)
BACKLOG = 1024  # connections waiting to be accepted while `connections` are open (the kernel's queue)
MAX_HEADER_BYTES = 64 << 10  # a request's line and headers; more gets 431


class HttpServer:
    """``app`` served by waitress on ``host:port``, with the interface of the standard library's
    servers: ``server_port``, ``serve_forever()`` (in a thread if you like), ``shutdown()`` (from
    another thread: stops ``serve_forever`` and waits for it) and ``server_close()``.

    Sizing: ``connections`` threads for at most ``connections`` open connections. waitress runs one
    request of a connection at a time (a pipelined one waits for the previous answer), so a request
    never waits for a thread in waitress's own queue, where a light query would wait behind heavy
    ones: it goes straight to the app, whose pool orders the queries fairly (a query waits there at
    most the query timeout, then gets 503). Connections beyond the limit wait unanswered in the
    kernel's ``backlog`` until one closes; an idle one closes after ``channel_timeout`` seconds, so
    idle keep-alive clients and requests stalled half sent cannot hold the connections for long.
    The request body is refused beyond the app's own limit (413), before it is read."""

    def __init__(self, app, host: str, port: int, connections: int = DEFAULT_CONNECTIONS, channel_timeout: int = CHANNEL_TIMEOUT):
        self._map: dict = {}
        self._server = create_server(
            app,
            map=self._map,
            sockets=[bound_socket(host, port)],
            threads=connections,
            connection_limit=connections + 2,  # waitress counts its listening socket and its trigger too
            channel_timeout=channel_timeout,
            cleanup_interval=1,  # look for idle connections every second (default 30)
            backlog=BACKLOG,
            max_request_header_size=MAX_HEADER_BYTES,
            max_request_body_size=getattr(app, "max_body", MAX_BODY) + 1,  # waitress refuses a body of this size, the app one over it
            clear_untrusted_proxy_headers=False,  # X-Forwarded-For reaches the app, which trusts it only from this machine (http.client_of)
            asyncore_use_poll=True,  # poll, not select: no limit at 1024 file descriptors
            ident="lodpub",
        )
        self.server_address = (host, int(self._server.effective_port))
        self.server_port = self.server_address[1]
        self._running = threading.Event()
        self._stopped = threading.Event()
        self._closed = False

    def serve_forever(self, poll_interval: float = 1.0) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C, which propagates)."""
        self._stopped.clear()
        self._running.set()
        try:
            wasyncore.loop(timeout=poll_interval, map=self._map, use_poll=True)
        finally:
            self._running.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` and wait until it has returned, then close every connection."""
        if self._running.is_set():
            try:
                self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._map))  # run by the loop's own thread
            except OSError:  # the trigger is gone (its loop closed it): close the connections from here
                wasyncore.close_all(self._map)
            self._stopped.wait(30)
        self._close()

    def server_close(self) -> None:
        """Close the listening socket and the connections, and end the threads (those still inside
        the app end when it returns: they are daemons)."""
        if self._running.is_set():
            self.shutdown()
        else:
            self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        wasyncore.close_all(self._map)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)


def make_http_server(app, host: str = "127.0.0.1", port: int = 0, connections: int = DEFAULT_CONNECTIONS, channel_timeout: int = CHANNEL_TIMEOUT) -> HttpServer:
    """An HTTP/1.1 server (waitress) for ``app`` (port 0 = a free port: see ``server_port``).
    Call ``serve_forever()`` on it (in a thread if you like) and ``shutdown()`` to stop."""
    return HttpServer(app, host, port, connections, channel_timeout)


def published_base(folder: Path) -> str:
    """The base URI the publication in `folder` was built with (its summary.json), else the default."""
    summary = folder / SUMMARY
    if not summary.exists():
        return DEFAULT_BASE
    try:
        return json.loads(summary.read_text(encoding="utf-8")).get("base", DEFAULT_BASE)
    except (ValueError, AttributeError):
        raise LodpubError(f"{printable(str(summary))}: not the summary of a lodpub build") from None


def serve(store_dir, host: str = "127.0.0.1", port: int = 8000, connections: int = DEFAULT_CONNECTIONS, **options) -> None:
    """Serve ``store_dir`` on ``http://host:port/`` until interrupted (see :func:`make_app`)."""
    app = make_app(store_dir, **options)
    try:
        server = make_http_server(app, host, port, connections)
    except BaseException:
        app.close()
        raise
    log.warning("serving %s on http://%s:%d/ (SPARQL endpoint /sparql)", app.store_dir, host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.close()  # first: a thread waiting for a query gets its answer (503) and ends
        server.server_close()

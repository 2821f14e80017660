"""`lodpub serve` speaks HTTP/1.1 (waitress): persistent connections, pipelining, a connection that
stalls half way closed after its timeout without stopping the others, oversized requests refused
before they are read. Loopback only; every wait is bounded."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from lodpub.serve import make_app, make_http_server

ASK = "/sparql?query=" + quote("ASK { ?s ?p ?o }")
COUNT = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")


@pytest.fixture(scope="module")
def app(small_store):
    app = make_app(small_store, workers=1, snapshot=False, yasgui=None)
    yield app
    app.close()


@contextmanager
def serving(app, **options):
    server = make_http_server(app, "127.0.0.1", 0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(10)
        assert not thread.is_alive()


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _request(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n{extra}\r\n".encode("ascii")


def _response(f) -> tuple[str, dict[str, str], bytes]:
    """One response read from the socket's file: its status line, headers and body."""
    status = f.readline().decode("latin-1").rstrip("\r\n")
    headers = {}
    while (line := f.readline().decode("latin-1").rstrip("\r\n")) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, f.read(int(headers.get("content-length", "0")))


def test_the_status_line_says_http_1_1(app):
    with serving(app) as port, _connect(port) as s:
        s.sendall(_request(ASK, "Connection: close\r\n"))
        status, _, body = _response(s.makefile("rb"))
    assert status.startswith("HTTP/1.1 200"), status
    assert b'"boolean":true' in body.replace(b" ", b"")


def test_two_requests_are_answered_on_one_connection(app):
    with serving(app) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", ASK)
            first = conn.getresponse()
            assert first.version == 11 and first.status == 200 and not first.will_close
            first.read()
            sock, local = conn.sock, conn.sock.getsockname()
            conn.request("GET", COUNT)
            second = conn.getresponse()
            assert second.status == 200 and b"20" in second.read()
            assert conn.sock is sock and conn.sock.getsockname() == local  # not reconnected
        finally:
            conn.close()


def test_pipelined_requests_get_their_answers_in_order(app):
    with serving(app) as port, _connect(port) as s:
        s.sendall(_request(COUNT) + _request(ASK, "Connection: close\r\n"))  # both at once
        f = s.makefile("rb")
        first, second = _response(f), _response(f)
    assert first[0].startswith("HTTP/1.1 200") and second[0].startswith("HTTP/1.1 200")
    assert b'"n"' in first[2] and b"boolean" not in first[2]
    assert b"boolean" in second[2]


def test_a_stalled_half_request_is_closed_and_does_not_stop_others(app):
    with serving(app, channel_timeout=3) as port, _connect(port) as stalled:
        stalled.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: half a request
        started = time.monotonic()
        with _connect(port) as other:  # answered meanwhile
            other.sendall(_request(ASK, "Connection: close\r\n"))
            assert _response(other.makefile("rb"))[0].startswith("HTTP/1.1 200")
        assert time.monotonic() - started < 3  # while the stalled one is still open
        stalled.settimeout(10)
        assert stalled.recv(1024) == b""  # the server closed it (an answer would not be empty; a hang times out)
        assert 2.5 < time.monotonic() - started < 10


def test_a_huge_header_is_refused(app):
    with serving(app) as port, _connect(port) as s:
        s.sendall(_request(ASK, "X-Padding: " + "a" * (70 << 10) + "\r\n"))
        status, _, _ = _response(s.makefile("rb"))
    assert status.split()[1:2] == ["431"], status  # (waitress answers it as HTTP/1.0: it read no request line it trusts)


def test_a_huge_body_is_refused_before_it_is_sent(app):
    size = app.max_body + 1
    head = f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: {size}\r\n\r\n"
    with serving(app) as port, _connect(port) as s:
        s.sendall(head.encode("ascii"))  # the body is never sent: the answer cannot wait for it
        status, _, _ = _response(s.makefile("rb"))
    assert status.startswith("HTTP/1.1 413"), status


def test_a_body_within_the_limit_is_read(app):
    query = b"ASK { ?s ?p ?o }" + b" " * (app.max_body - 16)  # exactly the limit
    head = f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: {len(query)}\r\nConnection: close\r\n\r\n"
    with serving(app) as port, _connect(port) as s:
        s.sendall(head.encode("ascii") + query)
        status, _, body = _response(s.makefile("rb"))
    assert status.startswith("HTTP/1.1 "), status
    assert not status.startswith(("HTTP/1.1 413", "HTTP/1.1 431")), status


def test_forwarded_for_reaches_the_app_from_loopback(small_store):
    seen = []

    def probe(environ, start_response):
        seen.append(environ.get("HTTP_X_FORWARDED_FOR"))
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    with serving(probe) as port, _connect(port) as s:
        s.sendall(_request("/", "X-Forwarded-For: 198.51.100.7\r\nConnection: close\r\n"))
        _response(s.makefile("rb"))
    assert seen == ["198.51.100.7"]  # waitress would drop it as an untrusted proxy header

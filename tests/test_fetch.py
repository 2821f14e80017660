"""lodpub.fetch against a local HTTP server on 127.0.0.1 (a free port, served from a thread)."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import EXAMPLE, zip_of
from lodpub.errors import SourceError
from lodpub.fetch import fetch

PDF = b"%PDF-1.4\n% a tiny stand-in for a PDF\n%%EOF\n"
HTML = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Please log in</body></html>\n"
ARTICLE = "<html><body><h1>某某局2026年部门预算</h1><p>附件：<a href='files/yusuan.pdf'>部门预算公开</a></p></body></html>".encode()
ETAG = '"v1"'


class Handler(BaseHTTPRequestHandler):
    """Routes: /doc.pdf (ETag, 304), /flaky (500 once, then the PDF), /broken (always 500),
    /stall (sleeps before answering), /page (HTML), /huge (a body over the limit), /missing (404),
    /example.txt (the example document)."""

    hits: dict[str, int] = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/pdf", extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        from urllib.parse import unquote

        path = unquote(self.path)  # (a client sends a Chinese name percent-encoded)
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        n = Handler.hits[path]
        if path == "/doc.pdf":
            if self.headers.get("If-None-Match") == ETAG:
                self._send(304, extra={"ETag": ETAG})
            else:
                self._send(200, PDF, extra={"ETag": ETAG, "Last-Modified": "Wed, 01 May 2024 00:00:00 GMT"})
        elif path == "/flaky":
            self._send(500, b"oops", "text/plain") if n == 1 else self._send(200, PDF)
        elif path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif path == "/stall":
            time.sleep(2.0)
            try:
                self._send(200, PDF)
            except OSError:
                pass
        elif path == "/page":
            self._send(200, HTML, "text/html; charset=utf-8")
        elif path == "/yusuan/article.html":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path == "/huge":
            self._send(200, b"%PDF-1.4\n" + b"0" * 5000)
        elif path == "/example.txt":
            self._send(200, EXAMPLE.read_bytes(), "text/plain; charset=utf-8")
        elif path == "/yusuan/2024年部门预算.zip":
            self._send(200, zip_of({"部门预算/漯河市政府办公室.txt": EXAMPLE.read_bytes(), "说明.txt": b"\x00\x01\x02garbage"}), "application/zip")
        elif path == "/yusuan/cut.zip":
            self._send(200, zip_of({"a.txt": EXAMPLE.read_bytes()})[:200], "application/zip")
        elif path == "/yusuan/named.zip":
            self._send(200, EXAMPLE.read_bytes(), "text/plain; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)  # port 0: a free port
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_success_then_cache_hit_through_304(server, tmp_path):
    url = f"{server}/doc.pdf"
    first = fetch(url, cache_dir=tmp_path)
    assert first.url == first.location == url
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.media_type == "application/pdf"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first.retrieved)
    assert first.path.read_bytes() == PDF
    assert first.path.parent == tmp_path / "objects" and first.path.name == first.sha256  # keyed by content hash
    before = Handler.hits[url[len(server) :]]
    second = fetch(url, cache_dir=tmp_path)
    assert Handler.hits["/doc.pdf"] == before + 1  # asked again, conditionally, and answered 304
    assert (second.sha256, second.path, second.retrieved) == (first.sha256, first.path, first.retrieved)


def test_server_error_then_success_is_retried(server, tmp_path):
    source = fetch(f"{server}/flaky", cache_dir=tmp_path, backoff=0.01)
    assert source.sha256 == hashlib.sha256(PDF).hexdigest()
    assert Handler.hits["/flaky"] == 2


def test_server_that_always_fails_gives_up_after_bounded_retries(server, tmp_path):
    Handler.hits.pop("/broken", None)
    with pytest.raises(SourceError) as err:
        fetch(f"{server}/broken", cache_dir=tmp_path, retries=3, backoff=0.01)
    assert Handler.hits["/broken"] == 3
    assert f"{server}/broken" in str(err.value) and "500" in str(err.value) and "3 attempts" in str(err.value)


def test_client_error_is_not_retried(server, tmp_path):
    with pytest.raises(SourceError, match="404"):
        fetch(f"{server}/missing", cache_dir=tmp_path, backoff=0.01)
    assert Handler.hits["/missing"] == 1


def test_stalled_server_times_out(server, tmp_path):
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        fetch(f"{server}/stall", cache_dir=tmp_path, timeout=0.3, retries=2, backoff=0.01)
    assert time.monotonic() - started < 1.9  # did not wait for the stalled answers
    assert "timed out" in str(err.value) and f"{server}/stall" in str(err.value)


def test_html_instead_of_pdf_is_a_clear_extraction_error(server, tmp_path):
    from lodpub.extract import extract
    from lodpub.pipeline import process

    source = fetch(f"{server}/page", cache_dir=tmp_path)
    assert source.media_type == "text/html"
    assert [ln.cells for ln in extract(source).lines] == [("Please log in",)]  # read as a page: its text
    result = process(f"{server}/page", cache_dir=tmp_path)  # in a build: reported, not a crash
    assert not result.ok and f"{server}/page: is an HTML page with no budget table in it" in result.error and "a login" in result.error
    result = process(f"{server}/yusuan/article.html", cache_dir=tmp_path)  # an article that links to the document
    assert f"it links to 1 document(s): 部门预算公开 <{server}/yusuan/files/yusuan.pdf>: build those" in result.error


def test_oversized_body_is_refused(server, tmp_path):
    with pytest.raises(SourceError, match="too large") as err:
        fetch(f"{server}/huge", cache_dir=tmp_path, max_bytes=1000)
    assert f"{server}/huge" in str(err.value)
    assert not list((tmp_path / "objects").glob("*"))  # nothing half-written left in the cache


def test_unreachable_host(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/x.pdf", cache_dir=tmp_path, retries=2, backoff=0.01)


def test_build_from_a_url_records_source_and_retrieval(server, tmp_path):
    from lodpub.build import build

    url = f"{server}/example.txt"
    result = build([url], tmp_path / "out", cache_dir=tmp_path / "cache", issued="2024-03-01")
    assert result.succeeded[0].url == url
    import gzip

    nq = gzip.decompress((tmp_path / "out" / "lodpub.nq.gz").read_bytes()).decode("utf-8")
    doc = f"<https://data.example.org/lodpub/doc/{result.succeeded[0].docid}>"
    assert f"{doc} <http://purl.org/dc/terms/source> <{url}>" in nq
    assert re.search(re.escape(doc) + r' <http://www.w3.org/ns/prov#generatedAtTime> "\d{4}-\d\d-\d\dT[\d:]+Z"', nq)


def test_a_zip_archive_at_a_url_is_read_like_one_on_disk(server, tmp_path):
    """A URL ending in .zip (a portal's 2024年部门预算.zip) gives the documents inside, named below the URL as those of
    an archive on disk are below its path; each keeps the archive's URL as its source. What the archive holds that
    is no budget, a damaged archive and a .zip URL that answers with something else are each reported by name."""
    from lodpub.build import build
    from lodpub.sources import expand_inputs

    url = f"{server}/yusuan/2024年部门预算.zip"
    cut, named = f"{server}/yusuan/cut.zip", f"{server}/yusuan/named.zip"
    cache = tmp_path / "cache"
    assert expand_inputs([url, cut, named], cache_dir=cache) == [f"{url}/说明.txt", f"{url}/部门预算/漯河市政府办公室.txt", cut, named]
    result = build([url, cut], tmp_path / "out", cache_dir=cache, issued="2024-03-01")
    [good] = result.succeeded
    assert good.location == f"{url}/部门预算/漯河市政府办公室.txt" and good.url == url and good.counts["budget_lines"] == 419
    failed = {d.location: d.error for d in result.documents if not d.ok}
    assert set(failed) == {f"{url}/说明.txt", cut}
    assert "binary" in failed[f"{url}/说明.txt"] and "damaged zip archive" in failed[cut]
    import gzip

    nq = gzip.decompress((tmp_path / "out" / "lodpub.nq.gz").read_bytes()).decode("utf-8")
    from lodpub.mapping import iri_term

    assert f"<https://data.example.org/lodpub/doc/{good.docid}> <http://purl.org/dc/terms/source> {iri_term(url)}" in nq


def test_the_command_asks_for_a_zip_url_once(server, tmp_path):
    """`lodpub build URL.zip` counts its documents for the progress lines as the build expands its inputs: the
    archive is asked for once (the command expanded the inputs a second time to count them, one request more)."""
    from click.testing import CliRunner

    from lodpub.cli import main

    url = f"{server}/yusuan/2024年部门预算.zip"
    path = url[len(server) :]
    before = Handler.hits.get(path, 0)
    run = CliRunner().invoke(main, ["build", url, "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "--issued", "2024-03-01"])
    assert "[2/2]" in run.output and Handler.hits[path] == before + 1, run.output

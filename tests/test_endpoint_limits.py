"""Safe to put on the internet (issue 13), the endpoint's resources: a query's memory is bounded, and
heavy queries do not starve light ones. Loopback only, bounded in time, temporary folders only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import requests

from conftest import ROOT, free_port

MiB = 1 << 20


@contextmanager
def served(folder, *options):
    """`lodpub serve FOLDER OPTIONS` in its own process group; yields (process, /sparql URL)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen(
        [sys.executable, "-m", "lodpub.cli", "serve", str(folder), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield process, url
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


class PeakMemory:
    """Samples the RSS of a process and of each of its children every 10 ms, keeping the peaks."""

    def __init__(self, pid: int):
        self.pid, self.server, self.worker, self.total = pid, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.is_set():
            server, workers = _rss(self.pid), [_rss(c) for c in _children(self.pid)]
            self.server = max(self.server, server)
            self.worker = max([self.worker, *workers])
            self.total = max(self.total, server + sum(workers))
            time.sleep(0.01)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)


def doubling(times: int) -> str:
    """A short query whose one value doubles ``times`` times (16 bytes · 2^times)."""
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    return f'SELECT ?a{times} {{ BIND("0123456789abcdef" AS ?a0) {binds} }}'


def test_a_query_over_the_memory_limit_is_503_and_the_server_stays_bounded(small_store):
    # Without a limit, doubling(25) (843 bytes of query, one 512 MB value) took a worker to 2.6 GB.
    limit = 256 * MiB
    with served(small_store, "--query-memory", "256MB", "--max-answer-bytes", "0") as (process, url):
        with PeakMemory(process.pid) as peak:
            for times in (26, 40):  # 1 GiB, 16 TiB
                started = time.monotonic()
                r = requests.post(url, data={"query": doubling(times)}, timeout=60)
                assert r.status_code == 503, (r.status_code, r.text[:200])
                assert "memory limit of 256 MiB" in r.text and r.text.count("\n") == 1, r.text
                assert time.monotonic() - started < 30
                ask = requests.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
                assert ask.status_code == 200 and ask.json()["boolean"] is True
        # what a worker holds at rest (~30 MB) plus the limit; the server itself does not grow
        assert peak.worker < limit + 100 * MiB, peak.worker
        assert peak.server < 150 * MiB, peak.server
        assert peak.total < 2 * (limit + 100 * MiB), peak.total
        r = requests.post(url, data={"query": doubling(20)}, timeout=60)  # 16 MB: under the limit
        assert r.status_code == 200 and len(r.content) > 16 * MiB


def test_query_memory_option(small_store):
    from click.testing import CliRunner

    from lodpub.cli import main

    result = CliRunner().invoke(main, ["serve", str(small_store), "--query-memory", "lots"])
    assert result.exit_code == 2 and "--query-memory" in result.output and "not a size" in result.output


# ---- fairness: heavy queries do not starve light ones ------------------------------------------

from lodpub.serve import make_app, make_http_server  # noqa: E402
from lodpub.serve.http import client_of  # noqa: E402

# 20^7 rows to count: far longer than the timeout below on any machine
HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o . ?p ?q ?r . ?s ?t ?u }"


@contextmanager
def in_process(folder, **options):
    app = make_app(folder, **options)
    server = make_http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        app.close()


def test_two_heavy_clients_do_not_starve_ten_light_ones(small_store):
    # Before: both workers held by heavy queries until their timeout; ASK waited 10 s (the
    # timeout), and most got 503. The clients are told apart by X-Forwarded-For (the peer is
    # loopback, as a reverse proxy beside the server would be).
    seconds, light, heavy = 10.0, [], []
    with in_process(small_store, timeout=6, workers=2) as (app, url):
        end = time.monotonic() + seconds

        def heavy_client(i):
            with requests.Session() as s:
                while time.monotonic() < end:
                    heavy.append(s.post(url, data={"query": HEAVY}, headers={"X-Forwarded-For": f"10.0.0.{i}"}, timeout=60).status_code)

        def light_client(i):
            with requests.Session() as s:
                while time.monotonic() < end:
                    started = time.monotonic()
                    r = s.get(url, params={"query": "ASK { ?s ?p ?o }"}, headers={"X-Forwarded-For": f"10.0.1.{i}"}, timeout=60)
                    light.append((r.status_code, time.monotonic() - started))
                    time.sleep(0.2)

        threads = [threading.Thread(target=heavy_client, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # the heavy queries hold both workers first
        threads += [threading.Thread(target=light_client, args=(i,)) for i in range(10)]
        for t in threads[2:]:
            t.start()
        for t in threads:
            t.join(120)
        assert app.pool.extra_started >= 1
    times = sorted(t for _, t in light)
    assert [code for code, _ in light if code != 200] == [], light
    assert len(times) >= 40 and times[len(times) // 2] < 1.0, times
    assert heavy and set(heavy) <= {503}, heavy  # the heavy ones ran out of time, as before


def test_who_the_client_is():
    assert client_of({"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "10.0.0.1"}) == "203.0.113.5"  # no choosing one's name
    assert client_of({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.7"}) == "198.51.100.7"
    assert client_of({"REMOTE_ADDR": "::1"}) == "::1"


def test_a_quick_query_from_an_address_that_sent_a_heavy_one_stays_quick(small_store):
    # Clients behind one address (no X-Forwarded-For) share its slow mark; a text that ran quickly
    # lately still goes ahead, while a second heavy query waits for the first.
    ask = "ASK { ?s ?p ?o }"
    with in_process(small_store, timeout=4, workers=2) as (app, url):
        assert requests.get(url, params={"query": ask}, timeout=30).json()["boolean"] is True
        heavy = []
        threads = [threading.Thread(target=lambda: heavy.append(requests.post(url, data={"query": HEAVY}, timeout=60).status_code)) for _ in range(2)]
        threads[0].start()
        time.sleep(1.5)  # the first heavy query has run long: this address is marked slow
        threads[1].start()
        time.sleep(0.3)
        started = time.monotonic()
        r = requests.get(url, params={"query": ask}, timeout=30)
        assert r.status_code == 200 and time.monotonic() - started < 2.0, time.monotonic() - started  # 4 s: waiting for the first
        for t in threads:
            t.join(60)
        assert heavy == [503, 503]

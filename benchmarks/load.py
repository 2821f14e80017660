"""The endpoint under load: many clients asking the README's queries while heavy queries keep arriving.

    .venv/bin/python benchmarks/load.py                    # 50 clients, one heavy query a second, 60 s
    .venv/bin/python benchmarks/load.py --seconds 10       # shorter
    .venv/bin/python benchmarks/load.py --write            # and the table in BENCHMARKS.md

`lodpub serve` runs in a process of its own (its defaults: 2 workers, 30 s timeout) over a build of the
example (or --publication DIR). Each client loops: a README query (lodpub/queries/*.rq) picked at random,
then a pause of up to a second. Beside them, one heavy query (a count of a cross product, which runs
until the timeout) starts every second, from one of two addresses. Clients are told apart by
X-Forwarded-For (the server trusts it from loopback, as from a reverse proxy beside it). Reported per kind
of query: answers, p50 / p99 latency and the errors by HTTP status; and the peak memory of the server with
its workers. Everything runs on loopback, on one machine: the clients compete with the server for the CPU.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from sections import MarkedSection

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "luohe-2024-budget.txt"
QUERIES = ROOT / "lodpub" / "queries"
SECTION = MarkedSection("load", "## The endpoint under load")
HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return next((int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _tree_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            children = [int(p) for p in f.read().split()]
    except OSError:
        children = []
    return _rss(pid) + sum(_rss(c) for c in children)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def run(publication: Path, seconds: float, clients: int, heavy_every: float, options: list[str]) -> dict:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = subprocess.Popen(
        [sys.executable, "-m", "lodpub.cli", "serve", str(publication), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    queries = {p.stem[:2]: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    lock = threading.Lock()
    failures: dict[str, int] = defaultdict(int)
    peak = [0]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url, params={"query": "ASK {}"}, timeout=10)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        end = time.monotonic() + seconds

        def ask(kind: str, query: str, client: str, session) -> None:
            started = time.monotonic()
            try:
                r = session.post(url, data={"query": query}, headers={"X-Forwarded-For": client, "Accept": "application/sparql-results+json"}, timeout=120)
                code = r.status_code
            except requests.RequestException as e:
                code = 0  # no answer at all
                with lock:
                    failures[type(e).__name__] += 1
            with lock:
                if code == 200:
                    latencies[kind].append(time.monotonic() - started)
                else:
                    errors[kind][code] += 1

        def light(i: int) -> None:
            rng = random.Random(i)
            with requests.Session() as session:
                while time.monotonic() < end:
                    kind = rng.choice(sorted(queries))
                    ask(kind, queries[kind], f"10.1.{i // 250}.{i % 250}", session)
                    time.sleep(rng.uniform(0, 1.0))

        def heavy(i: int) -> None:
            with requests.Session() as session:
                ask("heavy", HEAVY, f"10.2.0.{i % 2}", session)

        def watch() -> None:
            while time.monotonic() < end + 5:
                peak[0] = max(peak[0], _tree_rss(server.pid))
                time.sleep(0.1)

        threads = [threading.Thread(target=light, args=(i,), daemon=True) for i in range(clients)]
        threads.append(threading.Thread(target=watch, daemon=True))
        for t in threads:
            t.start()
        n = 0
        while time.monotonic() < end:
            t = threading.Thread(target=heavy, args=(n,), daemon=True)
            t.start()
            threads.append(t)
            n += 1
            time.sleep(heavy_every)
        for t in threads:
            t.join(200)
    finally:
        server.terminate()
        server.wait(30)
    kinds = [*sorted(queries), "heavy"]
    return {
        "seconds": seconds,
        "clients": clients,
        "heavy_every": heavy_every,
        "options": options,
        "peak_rss": peak[0],
        "failures": dict(failures),
        "kinds": {
            k: {"answers": len(latencies[k]), "p50": percentile(latencies[k], 50), "p99": percentile(latencies[k], 99), "errors": dict(errors[k])}
            for k in kinds
        },
    }


def table(result: dict, titles: dict[str, str]) -> str:
    lines = [
        f"`benchmarks/load.py --seconds {result['seconds']:g}`: `lodpub serve` over the example's build "
        f"(its defaults{', ' + ' '.join(result['options']) if result['options'] else ''}: 2 workers, 30 s timeout), "
        f"{result['clients']} clients on loopback each asking a README query then pausing up to 1 s, and one heavy "
        f"query (a cross product's count, which runs until the timeout) every {result['heavy_every']:g} s from two addresses. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, shared with other jobs and noisy: the figures vary "
        "between runs; the clients run on the same cores as the server.",
        "",
        "| query | answered | p50 s | p99 s | errors (HTTP status: count) |",
        "|---|---|---|---|---|",
    ]
    for kind, k in result["kinds"].items():
        errors = ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(k["errors"].items())) or "none"
        p50 = f"{k['p50']:.3f}" if k["answers"] else "–"
        p99 = f"{k['p99']:.3f}" if k["answers"] else "–"
        lines.append(f"| {titles.get(kind, kind)} | {k['answers']} | {p50} | {p99} | {errors} |")
    lines += ["", f"Peak memory of the server and its workers: {result['peak_rss'] / (1 << 20):.0f} MiB."]
    if result["failures"]:
        lines[-1] += " No answer: " + ", ".join(f"{name} × {n}" for name, n in sorted(result["failures"].items())) + "."
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--heavy-every", type=float, default=1.0, help="seconds between heavy queries")
    parser.add_argument("--publication", type=Path, help="a built publication (default: build the example)")
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    parser.add_argument("serve_options", nargs="*", help="options for lodpub serve (after --)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="lodpub-load-") as tmp:
        publication = args.publication
        if publication is None:
            from lodpub.build import build

            publication = Path(tmp) / "out"
            build([str(EXAMPLE)], publication)
        result = run(publication, args.seconds, args.clients, args.heavy_every, args.serve_options)
    titles = {p.stem[:2]: f"`{p.stem}`" for p in QUERIES.glob("*.rq")}
    titles["heavy"] = "heavy (cross product)"
    text = table(result, titles)
    print(text)
    if args.write:
        SECTION.write(text)
        print(f"wrote {SECTION.path}")


if __name__ == "__main__":
    main()

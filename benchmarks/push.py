"""Pushing a publication to Virtuoso: the Graph Store Protocol push against the bulk loader.

    .venv/bin/python benchmarks/push.py                          # 20 documents made from the example, printed
    .venv/bin/python benchmarks/push.py --documents 20 100 --write   # and the section in BENCHMARKS.md (raw figures: benchmarks/push.json)

For each size, in one run: the documents (the example under other departments and years, as
benchmarks/run.py makes them) are built once (`lodpub.build.build` in a child process), then the
same build is pushed into a fresh, empty throw-away Virtuoso (tests/virtuoso_fixture.py's
`Virtuoso`, started before the clock, `--buffers` pages of memory) by (a) `lodpub.push.push`
(SPARQL 1.1 Graph Store Protocol over HTTP, one PUT per graph) and (b) `lodpub.push.push_bulk`
(the graphs as files, Virtuoso's `rdf_loader_run`, `--loaders` sessions), each on its own fresh
server. Each push is timed end to end (reading the dump, the requests or the files, the load, the
checkpoint), with the CPU time of lodpub's process and of the server; the triples on the server
afterwards are counted, and must be the same for both.

The machine is shared and noisy: compare the figures of one run, as ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
from sections import MarkedSection  # noqa: E402

SECTION = MarkedSection("push", "## Pushing to Virtuoso: Graph Store Protocol and bulk loader")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def on_server(server, base: str, manifest: str) -> int:
    """Triples in the publication's graphs on the server (the push manifest left out)."""
    query = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{base}graph/") && ?g != <{manifest}>) }}'
    rows = server.select(query)
    return int(rows[0]["n"])


def one_push(kind: str, out: Path, folder: Path, buffers: int, loaders: int) -> dict:
    """One push of the build `out` into a fresh Virtuoso rooted in `folder`."""
    from virtuoso_fixture import Virtuoso

    from lodpub.push import push, push_bulk

    server = Virtuoso(folder, buffers=buffers)
    server.start()
    try:
        creds = (server.user, server.password)
        cpu0, scpu0, start = own_cpu(), server_cpu(server.proc.pid), time.perf_counter()
        if kind == "gsp":
            report = push(out, server.crud_auth_url, auth=creds, deadline=None)
        else:
            report = push_bulk(out, str(server.sql_port), server.load_dir, auth=creds, loaders=loaders, deadline=None)
        seconds = time.perf_counter() - start
        result = {
            "seconds": seconds,
            "lodpub_cpu": own_cpu() - cpu0,
            "server_cpu": server_cpu(server.proc.pid) - scpu0,
            "triples": report.triples,
            "graphs": len(report.graphs),
            "requests": report.requests,
            "bytes": report.bytes_sent,
            "phases": getattr(report, "phases", {}),
        }
        base = report.manifest_graph.rpartition("graph/")[0]
        result["on_server"] = on_server(server, base, report.manifest_graph)
        db = folder / "db" / "virtuoso.db"
        result["db_bytes"] = db.stat().st_size if db.exists() else 0
        return result
    finally:
        server.stop()


def measure(sizes: list[int], jobs: int, buffers: int, loaders: list[int]) -> dict:
    from run import commit, run_build, scaled_corpus

    results = {"commit": commit(), "machine": f"{platform.machine()}, {os.cpu_count()} cores", "buffers": buffers, "sizes": []}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="lodpub-push-bench-") as tmp:
            tmp = Path(tmp)
            (tmp / "corpus").mkdir()
            paths = scaled_corpus(tmp / "corpus", n)
            build = run_build(paths, jobs, tmp / "out")
            row = {"n": n, "build_seconds": build["seconds"], "dump_bytes": (tmp / "out" / "lodpub.nq.gz").stat().st_size}
            row["gsp"] = one_push("gsp", tmp / "out", tmp / "gsp", buffers, 1)
            print(f"{n} documents, Graph Store Protocol: {row['gsp']['seconds']:.1f} s", file=sys.stderr)
            for k in loaders:
                row[f"bulk{k}"] = one_push("bulk", tmp / "out", tmp / f"bulk{k}", buffers, k)
                print(f"{n} documents, bulk loader ×{k}: {row[f'bulk{k}']['seconds']:.1f} s", file=sys.stderr)
            results["sizes"].append(row)
    results["loaders"] = loaders
    return results


def render(r: dict) -> str:
    lines = [
        f"`benchmarks/push.py --documents {' '.join(str(s['n']) for s in r['sizes'])}` at {r['commit']}: for each size, the documents made from the example "
        f"built once, then the build pushed into a fresh, empty Virtuoso 7.2 (NumberOfBuffers {r['buffers']:,}: {r['buffers'] * 8 / 1024:.0f} MiB of pages) "
        "on the same machine, once by the Graph Store Protocol (`lodpub push --endpoint`, one PUT per graph) and once by the bulk loader "
        "(`lodpub push --virtuoso-isql … --load-dir …`: the graphs as gzipped files, `rdf_loader_run`), each on its own fresh server, "
        f"end to end (the dump read, sent or written, loaded, checkpointed). Machine: {r['machine']}, shared with other jobs and noisy: "
        "compare the figures of one run, as ratios; lodpub and the server share the cores. "
        "The bulk push's seconds split into the dump written as one file per graph (lodpub) and the load (clearing the graphs, "
        "`rdf_loader_run`, `checkpoint`); the rest is isql sessions and the manifest.",
        "",
        "| documents | triples | push | seconds | of which: files written · loaded | triples/s | CPU s lodpub | CPU s server | triples on the server |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    names = {"gsp": "Graph Store Protocol"} | {f"bulk{k}": f"bulk loader, {k} loader{'s' if k > 1 else ''}" for k in r["loaders"]}
    for s in r["sizes"]:
        for key, name in names.items():
            p = s[key]
            phases = p.get("phases") or {}
            split = f"{phases['files']:.1f} · {phases['load']:.1f}" if phases else "–"
            lines.append(
                f"| {s['n']} | {p['triples']:,} | {name} | {p['seconds']:.1f} | {split} | {p['triples'] / p['seconds']:,.0f} | "
                f"{p['lodpub_cpu']:.1f} | {p['server_cpu']:.1f} | {p['on_server']:,} |"
            )
    last = r["sizes"][-1]
    best = max((k for k in names if k != "gsp"), key=lambda k: last[k]["triples"] / last[k]["seconds"])
    rate_gsp = last["gsp"]["triples"] / last["gsp"]["seconds"]
    rate_bulk = last[best]["triples"] / last[best]["seconds"]
    lines += [
        "",
        f"At {last['n']} documents the bulk loader ({names[best].removeprefix('bulk loader, ')}) pushes {rate_bulk / rate_gsp:.1f} × as many triples a second as the "
        f"Graph Store Protocol. At these rates ~3 billion triples (a national year) would take "
        f"{3e9 / rate_gsp / 3600:.0f} hours by the Graph Store Protocol and {3e9 / rate_bulk / 3600:.0f} hours by the bulk loader on such a "
        "machine, if the rate held at that size (a store larger than the server's memory loads slower).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[20])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--buffers", type=int, default=170000, help="Virtuoso's NumberOfBuffers (8 KB pages)")
    parser.add_argument("--loaders", type=int, nargs="+", default=[1, 2], help="rdf_loader_run sessions at once (each a bulk push of its own)")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args.documents, args.jobs, args.buffers, args.loaders)
    text = render(result)
    print(text)
    if args.write:
        SECTION.write_with_figures(text, result, "push")


if __name__ == "__main__":
    main()

"""How the build loads its store: the batch size of `lodpub.store.StoreLoader` and the compaction at the end,
chosen by measurement.

    .venv/bin/python benchmarks/store_load.py                    # 100 documents made from the example, printed
    .venv/bin/python benchmarks/store_load.py --documents 300 --write   # and the section in BENCHMARKS.md
    .venv/bin/python benchmarks/store_load.py --batches 48 --loads-at-once 1 2   # 48 MB batches, one load at a time, then two

The documents (the example under other departments and years, as benchmarks/run.py makes them) are
built once; their quads (the build's `lodpub.nq.gz`, cut into one piece per document's graph) are
then loaded into a fresh on-disk Oxigraph store in batches of each size, one bulk load at a time or
several side by side (`--loads-at-once`; the build's loader runs `lodpub.store.LOADS_AT_ONCE` once
its documents are all added), each load in a child process of its own: the CPU seconds of the whole process (every
thread Oxigraph and RocksDB start), the clock seconds, the README's queries (`run.query_times`: asked
of a department of the scaled corpus, each must answer) on the store as loaded and after
`Store.optimize()` (the compaction the build ends with), the
compaction's own cost and the peak memory of the process (which holds the documents' quads as bytes
besides the batch). The machine is shared and noisy: compare the figures of one run, as ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from sections import MarkedSection  # noqa: E402

SECTION = MarkedSection("store-load", "## Loading the store: batch size and compaction")
BATCHES_MB = (8, 48, 200, 1000)  # 48: lodpub.store.SEGMENT_BYTES

CHILD = r"""
import gzip, json, resource, shutil, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import pyoxigraph as ox
source, folder, batch_mb, documents = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, sys.argv[5])
at_once = int(sys.argv[6])
from run import query_times  # the README's queries as benchmarks/run.py asks them of its scaled corpus
graphs = {}
for line in gzip.decompress(Path(source).read_bytes()).split(b"\n"):
    if line:
        graphs.setdefault(line[line.rfind(b" <"):], []).append(line)
pieces = [b"\n".join(lines) + b"\n" for lines in graphs.values()]
del graphs
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def slowest(path):
    name, q = max(query_times(path, documents).items(), key=lambda item: item[1]["warm"])
    return {"query": name, "seconds": q["warm"]}
path = folder / f"store-{batch_mb}"
shutil.rmtree(path, ignore_errors=True)
c, t = cpu(), time.perf_counter()
store, batch, size, running = ox.Store(str(path)), [], 0, []
with ThreadPoolExecutor(at_once) as loads:  # (at most at_once bulk loads in flight, as lodpub.store.StoreLoader)
    def load(data):
        if len(running) >= at_once:
            running.pop(0).result()
        running.append(loads.submit(store.bulk_load, data, format=ox.RdfFormat.N_QUADS))
    for piece in pieces:
        batch.append(piece); size += len(piece)
        if size >= batch_mb * 1_000_000:
            load(b"".join(batch)); batch, size = [], 0
    if batch:
        load(b"".join(batch))
    for future in running:
        future.result()
store.flush()
out = {"batch_mb": batch_mb, "loads_at_once": at_once, "graphs": len(pieces), "load_cpu": cpu() - c, "load_seconds": time.perf_counter() - t}
del store
out["query_loaded"] = slowest(path)
store = ox.Store(str(path))
c, t = cpu(), time.perf_counter()
store.optimize(); store.flush()
out.update(optimize_cpu=cpu() - c, optimize_seconds=time.perf_counter() - t, quads=len(store))
del store
out["query_optimized"] = slowest(path)
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
shutil.rmtree(path, ignore_errors=True)
"""


def measure(n: int, batches: tuple[int, ...] = BATCHES_MB, loads_at_once: tuple[int, ...] = (1,)) -> dict:
    from run import commit, run_build, scaled_corpus

    with tempfile.TemporaryDirectory(prefix="lodpub-store-load-") as tmp:
        tmp = Path(tmp)
        (tmp / "corpus").mkdir()
        build = run_build(scaled_corpus(tmp / "corpus", n), 2, tmp / "out")
        runs = []
        for mb in batches:
            for at_once in loads_at_once:
                args = [sys.executable, "-c", CHILD, str(tmp / "out" / "lodpub.nq.gz"), str(tmp), str(mb), str(n), str(ROOT / "benchmarks"), str(at_once)]
                runs.append(json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]))
                print(json.dumps(runs[-1]), flush=True)
    return {"n": n, "commit": commit(), "quads": build["triples"], "runs": runs}


def render(r: dict) -> str:
    runs = r["runs"]
    lines = [
        f"`benchmarks/store_load.py --documents {r['n']}` at {r['commit']}: the {runs[0]['graphs']} graphs of a build of {r['n']} documents "
        f"({runs[0]['quads']:,} quads) loaded into a fresh on-disk store in batches of each size, then compacted; each load in a child "
        "process of its own, one after the other (CPU: the whole process, every thread of Oxigraph and RocksDB). The README's "
        "queries as benchmarks/run.py asks them (best of three), on the store as loaded and after its compaction: the slowest.",
        "",
        "| batch | loads at once | load CPU s | load s | compaction CPU s | compaction s | slowest README query as loaded s | after compaction s | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        loaded, optimized = run["query_loaded"], run["query_optimized"]
        lines.append(
            f"| {run['batch_mb']} MB | {run.get('loads_at_once', 1)} | {run['load_cpu']:.1f} | {run['load_seconds']:.1f} | {run['optimize_cpu']:.1f} | {run['optimize_seconds']:.1f} "
            f"| {loaded['seconds']:.3f} ({loaded['query'][:2]}) | {optimized['seconds']:.3f} ({optimized['query'][:2]}) | {run['peak_mib']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--batches", type=int, nargs="+", default=list(BATCHES_MB), metavar="MB")
    parser.add_argument("--loads-at-once", type=int, nargs="+", default=[1], metavar="N", help="bulk loads side by side: each batch size with each")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args.documents, tuple(args.batches), tuple(args.loads_at_once))
    text = render(result)
    print(text)
    if args.write:
        SECTION.write_with_figures(text, result, "store_load")


if __name__ == "__main__":
    main()

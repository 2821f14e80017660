"""How the build loads its store: the batch size of `lodpub.store.StoreLoader` and the compaction at the end,
chosen by measurement.

    .venv/bin/python benchmarks/store_load.py                    # 100 documents made from the example, printed
    .venv/bin/python benchmarks/store_load.py --documents 300 --write   # and the section in BENCHMARKS.md

The documents (the example under other departments and years, as benchmarks/run.py makes them) are
built once; their quads (the build's `lodpub.nq.gz`, cut into one piece per document's graph) are
then loaded into a fresh on-disk Oxigraph store in batches of each size, as the build's loader
thread does, each load in a child process of its own: the CPU seconds of the whole process (every
thread Oxigraph and RocksDB start), the clock seconds, the README's queries on the store as loaded
(best of three) and after `Store.optimize()` (the compaction the build ends with), the
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
BATCHES_MB = (8, 48, 200, 1000)  # 48: lodpub.store.CHUNK_BYTES

CHILD = r"""
import glob, gzip, json, resource, shutil, sys, time
from pathlib import Path
import pyoxigraph as ox
source, folder, batch_mb = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
graphs = {}
for line in gzip.decompress(Path(source).read_bytes()).split(b"\n"):
    if line:
        graphs.setdefault(line[line.rfind(b" <"):], []).append(line)
pieces = [b"\n".join(lines) + b"\n" for lines in graphs.values()]
del graphs
queries = {Path(p).stem: Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(sys.argv[4] + "/*.rq"))}
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def answers(store):
    out = {}
    for name, text in queries.items():
        best = None
        for _ in range(3):
            t = time.perf_counter(); list(store.query(text, use_default_graph_as_union=True)); t = time.perf_counter() - t
            best = t if best is None else min(best, t)
        out[name] = best
    return out
path = folder / f"store-{batch_mb}"
shutil.rmtree(path, ignore_errors=True)
c, t = cpu(), time.perf_counter()
store, batch, size = ox.Store(str(path)), [], 0
for piece in pieces:
    batch.append(piece); size += len(piece)
    if size >= batch_mb * 1_000_000:
        store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS); batch, size = [], 0
if batch:
    store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
store.flush()
out = {"batch_mb": batch_mb, "graphs": len(pieces), "load_cpu": cpu() - c, "load_seconds": time.perf_counter() - t}
out["queries_loaded"] = answers(store)
c, t = cpu(), time.perf_counter()
store.optimize(); store.flush()
out.update(optimize_cpu=cpu() - c, optimize_seconds=time.perf_counter() - t, quads=len(store))
out["queries_optimized"] = answers(store)
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
shutil.rmtree(path, ignore_errors=True)
"""


def measure(n: int, batches: tuple[int, ...] = BATCHES_MB) -> dict:
    from run import commit, run_build, scaled_corpus

    with tempfile.TemporaryDirectory(prefix="lodpub-store-load-") as tmp:
        tmp = Path(tmp)
        (tmp / "corpus").mkdir()
        build = run_build(scaled_corpus(tmp / "corpus", n), 2, tmp / "out")
        runs = []
        for mb in batches:
            args = [sys.executable, "-c", CHILD, str(tmp / "out" / "lodpub.nq.gz"), str(tmp), str(mb), str(ROOT / "lodpub" / "queries")]
            runs.append(json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]))
    return {"n": n, "commit": commit(), "quads": build["triples"], "runs": runs}


def render(r: dict) -> str:
    runs = r["runs"]
    names = list(runs[0]["queries_loaded"])
    lines = [
        f"`benchmarks/store_load.py --documents {r['n']}` at {r['commit']}: the {runs[0]['graphs']} graphs of a build of {r['n']} documents "
        f"({runs[0]['quads']:,} quads) loaded into a fresh on-disk store in batches of each size, then compacted; each load in a child "
        "process of its own, one after the other (CPU: the whole process, every thread of Oxigraph and RocksDB).",
        "",
        "| batch | load CPU s | load s | compaction CPU s | compaction s | slowest README query as loaded s | after compaction s | peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        loaded, optimized = run["queries_loaded"], run["queries_optimized"]
        slow = max(names, key=lambda q: loaded[q])
        lines.append(
            f"| {run['batch_mb']} MB | {run['load_cpu']:.1f} | {run['load_seconds']:.1f} | {run['optimize_cpu']:.1f} | {run['optimize_seconds']:.1f} "
            f"| {loaded[slow]:.3f} ({slow[:2]}) | {optimized[slow]:.3f} | {run['peak_mib']:.0f} |"
        )
    return "\n".join(lines)


def section() -> str:
    """The section for benchmarks/run.py, as it stands in BENCHMARKS.md ("" before a first run)."""
    return SECTION.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--batches", type=int, nargs="+", default=list(BATCHES_MB), metavar="MB")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args.documents, tuple(args.batches))
    text = render(result)
    print(text)
    if args.write:
        SECTION.write_with_figures(text, result, "store_load")


if __name__ == "__main__":
    main()

"""The floor: the least any publisher of these documents' quads must spend, against lodpub's build.

    .venv/bin/python benchmarks/floor.py                     # 20 documents made from the example, printed
    .venv/bin/python benchmarks/floor.py --write             # and the section in BENCHMARKS.md (raw figures: benchmarks/floor.json)
    .venv/bin/python benchmarks/floor.py --documents 100 --dask 1 2 --write   # and the build on Dask LocalClusters of 1 and 2 workers

In one run, on the same documents (the example under other departments and years, as
benchmarks/run.py makes them): lodpub's whole build (`lodpub.build.build`, --jobs processes, in a
child process), then the floor pipeline on that build's final quads, taken from its own
`lodpub.nq.gz`: the quads, already in memory, serialised as N-Quads (pyoxigraph), gzip-compressed
(level 6, as lodpub's dumps) and bulk-loaded into a fresh on-disk Oxigraph store
(`Store.bulk_load`, then `flush`). The floor keeps the best of three rounds (a fresh store each);
the build runs once. lodpub's throughput is reported as a fraction of the floor's, end to end and per
stage where lodpub records stage timings (the build's steps; the per-document stages on one core).

With `--dask N …`, the same documents are built again with `--scheduler` on a Dask LocalCluster of
N worker processes on loopback (started before the clock), for each N, and with the local pool of N
processes when N is not --jobs: Dask's overhead is its build's time over the local pool's of the same
size, its speed-up the time with the fewest workers over the time with each N.

The machine is shared and noisy: compare the figures of one run, as ratios.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from sections import MarkedSection  # noqa: E402

SECTION = MarkedSection("floor", "## The floor: serialise, compress and bulk-load the same quads")


def floor(nq_gz: Path, folder: Path, rounds: int = 3) -> dict:
    """Seconds of each stage of the floor pipeline on the quads of `nq_gz` (best of `rounds`)."""
    import pyoxigraph as ox

    quads = list(ox.parse(gzip.decompress(nq_gz.read_bytes()), format=ox.RdfFormat.N_QUADS))  # the input: quads in memory
    best: dict | None = None
    for n in range(rounds):
        times = {}
        start = time.perf_counter()
        text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        times["serialise"] = time.perf_counter() - start
        start = time.perf_counter()
        (folder / "floor.nq.gz").write_bytes(gzip.compress(text, compresslevel=6, mtime=0))
        times["gzip"] = time.perf_counter() - start
        path = folder / f"floor-store-{n}"
        start = time.perf_counter()
        store = ox.Store(str(path))
        store.bulk_load(text, format=ox.RdfFormat.N_QUADS)
        store.flush()
        times["bulk load"] = time.perf_counter() - start
        assert len(store) == len(quads)
        del store
        shutil.rmtree(path)
        times["total"] = times["serialise"] + times["gzip"] + times["bulk load"]
        if best is None or times["total"] < best["total"]:
            best = times
    best["lodpub store"] = lodpub_store(nq_gz, folder, rounds)
    best["quads"] = len(quads)
    best["nquads_bytes"] = len(text)
    return best


def lodpub_store(nq_gz: Path, folder: Path, rounds: int) -> float:
    """lodpub's own store writer (lodpub.store.StoreLoader: decompress, bulk-load, compact) on the same
    quads, in one piece (as a build loads them once its documents are read)."""
    from lodpub.store import StoreLoader

    best = None
    for n in range(rounds):
        path = folder / f"lodpub-store-{n}"
        start = time.perf_counter()
        loader = StoreLoader(path)
        loader.add_gzip_file(nq_gz)
        loader.finish()
        seconds = time.perf_counter() - start
        shutil.rmtree(path)
        best = seconds if best is None else min(best, seconds)
    return best


def measure(n: int, jobs: int, dask_workers: tuple[int, ...] = ()) -> dict:
    """The build of n documents, the per-document stages on one core, the floor; and the Dask build."""
    from run import commit, run_build, scaled_corpus, stage_times

    with tempfile.TemporaryDirectory(prefix="lodpub-floor-") as tmp:
        tmp = Path(tmp)
        (tmp / "corpus").mkdir()
        paths = scaled_corpus(tmp / "corpus", n)
        build = run_build(paths, jobs, tmp / "out")
        result = {"n": n, "jobs": jobs, "commit": commit(), "build": build, "floor": floor(tmp / "out" / "lodpub.nq.gz", tmp)}
        result["stages"] = stage_times(paths, sample=min(n, 10))
        runs = []
        for workers in dask_workers:
            local = build if workers == jobs else run_build(paths, workers, tmp / f"local-{workers}-out")
            dask = run_build(paths, workers, tmp / f"dask-{workers}-out", dask_workers=workers)
            dask["files_differing"] = [
                p.name for p in sorted((tmp / "out").iterdir()) if p.is_file() and p.read_bytes() != (tmp / f"dask-{workers}-out" / p.name).read_bytes()
            ]
            runs.append({"workers": workers, "local": local["seconds"], "dask": dask})
        if runs:
            result["dask"] = {"runs": runs, "traffic": traffic(paths[0])}
    return result


def traffic(path: str) -> dict:
    """What one document's task carries: its bytes out, its work-folder files back."""
    from lodpub.distributed import _packed
    from lodpub.pipeline import FILE_SUFFIXES, process
    from lodpub.publish.pieces import document_file

    with tempfile.TemporaryDirectory() as work:
        r = process(path, workdir=Path(work))
        back = sum(len(_packed(s, document_file(r.files, s).read_bytes())) for s in FILE_SUFFIXES)
    return {"sent": Path(path).stat().st_size, "returned": back}


def render(r: dict) -> str:
    b, f, s, n = r["build"], r["floor"], r["stages"], r["n"]
    steps = b["steps"]
    frac = f["total"] / b["seconds"]
    lines = [
        f"`benchmarks/floor.py --documents {n}` at {r['commit']}: {n} documents made from the example "
        f"({f['quads']:,} quads, {f['nquads_bytes'] / 1e6:.1f} MB of N-Quads), lodpub's build with --jobs {r['jobs']} (once) and the floor on "
        "the quads of that build's `lodpub.nq.gz` (best of 3), one after the other on the same 2 shared, noisy cores: compare them as ratios.",
        "",
        "| | seconds | documents/s | quads/s |",
        "|---|---|---|---|",
        f"| lodpub build (read, map, validate, every file, store) | {b['seconds']:.2f} | {n / b['seconds']:.1f} | {f['quads'] / b['seconds']:,.0f} |",
        f"| floor (serialise N-Quads, gzip, bulk-load a fresh store) | {f['total']:.2f} | {n / f['total']:.1f} | {f['quads'] / f['total']:,.0f} |",
        "",
        f"lodpub's end-to-end throughput is **{frac:.1%} of the floor's** ({b['seconds'] / f['total']:.1f} × its time).",
        "",
        "Stage by stage (seconds for the whole run; the per-document stages are medians of one core × the documents, the build ran them on "
        f"{r['jobs']} processes):",
        "",
        "| floor stage | floor s | lodpub's stage | lodpub s | floor ÷ lodpub |",
        "|---|---|---|---|---|",
    ]
    pairs = [
        ("serialise", "map: the records to sorted N-Quads lines", s["map"] * n),
        ("gzip", "write files: the gzip members of N-Quads and N-Triples, Turtle, JSON-LD, CSV rows", s["write files"] * n),
    ]  # (the build's own "store" step is only the wait at its end: its loads run beside the publication's other files)
    if "lodpub store" in f:
        pairs.append(
            ("bulk load", "lodpub.store.StoreLoader on the same quads, measured beside the floor (decompress, bulk load, compaction)", f["lodpub store"])
        )
    for name, what, seconds in pairs:
        lines.append(f"| {name} | {f[name]:.3f} | {what} | {seconds:.3f} | {f[name] / seconds:.1%} |")
    beyond = {k: s[k] * n for k in ("read+extract", "recognise", "records", "validate")}
    publication = {k: v for k, v in steps.items() if k not in ("documents", "store")}  # the build's steps after its documents
    lines += [
        f"| – | – | what the floor does not do: {', '.join(f'{k} {v:.2f}' for k, v in beyond.items())}; "
        + ", ".join(f"{k} {v:.2f}" for k, v in publication.items())
        + f" | {sum(beyond.values()):.2f} + {sum(publication.values()):.2f} | – |",
        "",
        f"Of the per-document work on one core ({sum(s[k] for k in ('read+extract', 'recognise', 'records', 'map', 'validate', 'write files')) * 1000:.0f} ms "
        f"a document), validation is {s['validate'] / sum(s[k] for k in ('read+extract', 'recognise', 'records', 'map', 'validate', 'write files')):.0%}: "
        "the floor validates nothing, writes one format and loads; the gap is mostly the checks and the other formats.",
    ]
    if "dask" in r:
        lines += ["", *dask_lines(r)]
    return "\n".join(lines)


def dask_lines(r: dict) -> list[str]:
    """The Dask builds beside the local pool's of the same size: overhead and speed-up."""
    runs, t, n = r["dask"]["runs"], r["dask"]["traffic"], r["n"]
    fewest = min(runs, key=lambda run: run["workers"])
    lines = [
        f"The same {n} documents built with `--scheduler` on a Dask LocalCluster (worker processes of one thread, loopback, started "
        f"before the clock), and with the local pool of as many processes (`--jobs`), in the same run:",
        "",
        "| workers | local pool s | Dask s | Dask ÷ local pool (overhead) | Dask speed-up over "
        f"{fewest['workers']} worker{'s' if fewest['workers'] > 1 else ''} | files that differ from the local build's |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        d = run["dask"]
        lines.append(
            f"| {run['workers']} | {run['local']:.2f} | {d['seconds']:.2f} | {d['seconds'] / run['local']:.2f} × | "
            f"{fewest['dask']['seconds'] / d['seconds']:.2f} × | {', '.join(d['files_differing']) or 'none'} |"
        )
    lines += [
        "",
        f"A task carries the document's bytes ({t['sent'] / 1e3:.0f} KB) to its worker and its work-folder files ({t['returned'] / 1e3:.0f} KB) "
        "back. The build's own process (the publication and, once the documents are read, the store's loader) shares the 2 cores with the workers.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dask", type=int, nargs="*", default=[], metavar="WORKERS", help="also build on Dask LocalClusters of these many workers")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args.documents, args.jobs, tuple(args.dask))
    text = render(result)
    print(text)
    if args.write:
        SECTION.write_with_figures(text, result, "floor")


if __name__ == "__main__":
    main()

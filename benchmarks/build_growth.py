"""Where a build's cost per document goes as the build grows: `lodpub build --jobs 2` of n documents
made from the example (as benchmarks/run.py makes them), in this process, with the CPU of the
build's own process while its documents are read (until the 28th session the store's loader and
RocksDB's threads ran there; the store is now loaded after) and of its worker processes, per
document, the clock per document over the first and the last tenth of the documents, and the
seconds of each step after them.

    .venv/bin/python benchmarks/build_growth.py 100 800             # one build of each size, printed
    .venv/bin/python benchmarks/build_growth.py 800 --segment-mb 200   # the store loaded in larger bulk loads
    .venv/bin/python benchmarks/build_growth.py 100 100 --loads-at-once 1 2   # each size with one bulk load at a time, then two

Run one size per process when comparing peak memory (it is the process's peak since it started).

The machine is shared and noisy: compare the builds of one run, as ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import scaled_corpus  # noqa: E402
from store_growth import cpu_seconds  # noqa: E402


def measure(n: int) -> dict:
    from lodpub.build import build

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        paths = scaled_corpus(folder / "in", n)
        marks: list[tuple[float, float]] = []
        start, own, workers = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)

        def progress(document) -> None:
            marks.append((time.perf_counter() - start, cpu_seconds(resource.RUSAGE_SELF) - own))

        result = build(paths, folder / "out", jobs=2, progress=progress, issued="2024-01-01")
        seconds = time.perf_counter() - start
        tenth = max(1, n // 10)
        return {
            "documents": n,
            "seconds": seconds,
            "steps": result.publication.seconds,
            "build_process_cpu_ms_per_document_while_reading": 1000 * marks[-1][1] / n,
            "build_process_cpu_ms_per_document": 1000 * (cpu_seconds(resource.RUSAGE_SELF) - own) / n,
            "workers_cpu_ms_per_document": 1000 * (cpu_seconds(resource.RUSAGE_CHILDREN) - workers) / n,
            "ms_per_document_first_tenth": 1000 * marks[tenth - 1][0] / tenth,
            "ms_per_document_last_tenth": 1000 * (marks[-1][0] - marks[-tenth - 1][0]) / tenth,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # this process (the store's batches are here)
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--segment-mb", type=int, help="N-Quads per bulk load of the store in MB (lodpub.store.SEGMENT_BYTES) for these builds")
    parser.add_argument(
        "--loads-at-once", type=int, nargs="+", help="bulk loads of the store at the same time (lodpub.store.LOADS_AT_ONCE): each size built with each, in turn"
    )
    args = parser.parse_args()
    import lodpub.store

    if args.segment_mb:
        lodpub.store.SEGMENT_BYTES = args.segment_mb * 1_000_000
    for n in args.sizes:
        for loads in args.loads_at_once or [lodpub.store.LOADS_AT_ONCE]:
            lodpub.store.LOADS_AT_ONCE = loads
            figures = measure(n)
            figures["segment_mb"] = round(lodpub.store.SEGMENT_BYTES / 1e6)
            figures["loads_at_once"] = loads
            print(json.dumps(figures, default=str), flush=True)


if __name__ == "__main__":
    main()

"""Does a document cost the store more as the store grows? The example's document graph, loaded N
times under other document ids (every IRI and literal holding the id renamed, so each copy is new
data), into one fresh on-disk Oxigraph store in bulk loads of `lodpub.store.SEGMENT_BYTES` of
N-Quads, one at a time (the build's loader runs `lodpub.store.LOADS_AT_ONCE` side by side since
4e6f862); the CPU of the process (every thread of Oxigraph and RocksDB) and the
clock, per block of documents, and the compaction at the end.

    .venv/bin/python benchmarks/store_growth.py                       # 3,000 documents, blocks of 250
    .venv/bin/python benchmarks/store_growth.py --documents 1000 --write   # and the section in BENCHMARKS.md

The machine is shared and noisy: compare the blocks of one run, as ratios.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from sections import MarkedSection  # noqa: E402

SECTION = MarkedSection("store-growth", "## Loading the store as it grows")


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """User and system CPU seconds of this process (every thread), or of its ended children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def document_graph(work: Path) -> tuple[str, str]:
    """The N-Quads of the example's document graph (a build of it in `work`) and its document id."""
    from lodpub.build import build

    result = build([str(ROOT / "examples" / "luohe-2024-budget.txt")], work / "out")
    docid = result.documents[0].docid
    text = gzip.decompress((work / "out" / "lodpub.nq.gz").read_bytes()).decode("utf-8")
    return "".join(line + "\n" for line in text.splitlines() if docid in line), docid


def measure(documents: int, block: int) -> dict:
    import pyoxigraph as ox

    from lodpub.store import SEGMENT_BYTES

    with tempfile.TemporaryDirectory() as tmp:
        quads, docid = document_graph(Path(tmp))
        store = ox.Store(str(Path(tmp) / "store"))
        batch: list[bytes] = []
        size, blocks = 0, []
        cpu, clock = cpu_seconds(), time.perf_counter()
        for n in range(documents):
            data = quads.replace(docid, f"{n:016x}").encode()
            batch.append(data)
            size += len(data)
            if size >= SEGMENT_BYTES:
                store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
                batch, size = [], 0
            if (n + 1) % block == 0:
                now_cpu, now_clock = cpu_seconds(), time.perf_counter()
                blocks.append({"documents": n + 1, "cpu_ms": 1000 * (now_cpu - cpu) / block, "ms": 1000 * (now_clock - clock) / block})
                print(blocks[-1], flush=True)
                cpu, clock = now_cpu, now_clock
        if batch:
            store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
        before = cpu_seconds()
        store.optimize()
        compaction = cpu_seconds() - before
        count = len(store)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {
        "documents": documents,
        "block": block,
        "quads_per_document": quads.count("\n"),
        "quads": count,
        "blocks": blocks,
        "compaction_cpu": compaction,
        "commit": commit,
    }


def render(result: dict) -> str:
    first = result["blocks"][0]["cpu_ms"]
    rows = [
        f"| {b['documents'] - result['block'] + 1}–{b['documents']} | {b['cpu_ms']:.0f} | {b['cpu_ms'] / first:.2f} | {b['ms']:.0f} |" for b in result["blocks"]
    ]
    return "\n".join(
        [
            f"`benchmarks/store_growth.py --documents {result['documents']}` at {result['commit']} ({platform.machine()}, Python {platform.python_version()}):"
            f" the example's document graph ({result['quads_per_document']:,} quads) loaded {result['documents']:,} times under other ids into one"
            f" store ({result['quads']:,} quads), in bulk loads of the build's size, one at a time; CPU of the process and clock, per document, by block.",
            "",
            "| documents | CPU ms per document | × first block | ms per document |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Compaction at the end: {result['compaction_cpu']:.1f} s of CPU.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--block", type=int, default=250)
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md and benchmarks/store_growth.json")
    args = parser.parse_args()
    result = measure(args.documents, args.block)
    text = render(result)
    print(text)
    if args.write:
        SECTION.write_with_figures(text, result, "store_growth")


if __name__ == "__main__":
    main()

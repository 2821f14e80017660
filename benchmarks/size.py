"""How the cost of reading one text document grows with its size (issue 13), written to BENCHMARKS.md.

    .venv/bin/python benchmarks/size.py                         # 1, 2, 4, 8, 16 copies of the example
    .venv/bin/python benchmarks/size.py --copies 118            # 118 copies: the issue's 5 MB document
    .venv/bin/python benchmarks/size.py --budget 600            # fail (exit 1) past 600 s for the largest
    .venv/bin/python benchmarks/size.py --compare /tmp/old      # beside another checkout (git archive)
    .venv/bin/python benchmarks/size.py --copies 118 --without-validation   # reading only (extract … map, write)

A document of k copies is the example (examples/luohe-2024-budget.txt) repeated k times in one
file: one department whose tables are printed k times, as the issue measured it (4 copies 14 s,
8 copies 26 s, 16 copies 68 s for the whole build). Each size runs in a fresh process and times
every per-document stage of a build (`lodpub.pipeline.process`: read, extract, recognise, records,
map, validate, write the files) once with validation and once without, with the peak memory.
The results go to benchmarks/size.json (a run replaces the sizes it measured, keeps the others) and
to a section of BENCHMARKS.md (benchmarks/run.py keeps it when it rewrites the file).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from sections import MarkedSection  # noqa: E402

EXAMPLE = ROOT / "examples" / "luohe-2024-budget.txt"
RESULTS = ROOT / "benchmarks" / "size.json"
SECTION = MarkedSection("size", "## Size of one document (benchmarks/size.py)")

# One run in a child process: prints a JSON line {seconds, cpu, lines, error, peak_mib} (cpu: user + system seconds
# of the run, every thread: on a shared machine the wall time also counts the other jobs' turns)
CHILD = r"""
import json, resource, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from lodpub.pipeline import process
path, validate = sys.argv[2], sys.argv[3] == "1"
with tempfile.TemporaryDirectory() as work:
    import inspect
    used = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    limit = {"max_size": None} if "max_size" in inspect.signature(process).parameters else {}
    result = process(path, workdir=Path(work), validate=validate, **limit)
    seconds = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_SELF)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "lines": result.counts.get("budget_lines"), "error": result.error,
                  "peak_mib": peak}))
"""


def document(folder: Path, copies: int) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = folder / f"copies{copies}.txt"
    path.write_text("\n".join([text] * copies), encoding="utf-8")
    return path


def run(path: Path, validate: bool, root: Path = ROOT) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), str(path), "1" if validate else "0"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(copies: list[int], compare: Path | None = None, validate: bool = True) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for k in copies:
            path = document(Path(folder), k)
            full = run(path, True) if validate else None
            before = run(path, True, compare) if compare is not None and validate else None  # right after: the same load
            unvalidated = run(path, False)
            before_unvalidated = run(path, False, compare) if compare is not None else None
            row = {
                "copies": k,
                "bytes": path.stat().st_size,
                "budget_lines": (full or unvalidated)["lines"],
                "seconds": round(full["seconds"], 2) if full else None,
                "seconds_without_validation": round(unvalidated["seconds"], 2),
                "cpu": round(full["cpu"], 2) if full else None,
                "cpu_without_validation": round(unvalidated["cpu"], 2),
                "peak_mib": round(full["peak_mib"]) if full else None,
                "peak_mib_without_validation": round(unvalidated["peak_mib"]),
                "error": (full or unvalidated)["error"],
            }
            if before is not None:
                row["before"] = round(before["seconds"], 2)
                row["before_peak_mib"] = round(before["peak_mib"])
                row["before_cpu"] = round(before["cpu"], 2)
            if before_unvalidated is not None:
                row["before_without_validation"] = round(before_unvalidated["seconds"], 2)
                row["before_cpu_without_validation"] = round(before_unvalidated["cpu"], 2)
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def render(results: dict) -> str:
    rows = results["rows"]
    base = rows[0]
    lines = [
        "One text document made of k copies of the example (one department, its tables printed k times), every "
        "per-document stage of a build (`lodpub.pipeline.process`) in a fresh process, on one core: CPU seconds "
        "(user + system of the run; the wall times are in benchmarks/size.json). "
        f"{results['machine']}.",
        "",
        "| copies | size | budget lines | CPU s | ÷ k × 1 copy | without validation | ÷ k × 1 copy | peak MiB | before | before, without validation |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    shown = lambda v: "" if v is None else f"{v:.2f}"  # noqa: E731 (none: a size measured without validation)
    for r in rows:
        k = r["copies"] / base["copies"]
        full, read = r.get("cpu"), r["cpu_without_validation"]
        ratio = full / (k * base["cpu"]) if full is not None else None
        peak = r.get("peak_mib") if r.get("peak_mib") is not None else f"{r['peak_mib_without_validation']} (without validation)"
        lines.append(
            f"| {r['copies']} | {r['bytes'] / 1e6:.2f} MB | {r['budget_lines']:,} | {shown(full)} | {shown(ratio)} | "
            f"{read:.2f} | {read / (k * base['cpu_without_validation']):.2f} | {peak} | {shown(r.get('before_cpu'))} | "
            f"{shown(r.get('before_cpu_without_validation'))} |"
        )
    lines += ["", results.get("note", "")]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--budget", type=float, default=None, help="seconds the largest document may take")
    parser.add_argument("--without-validation", action="store_true", help="time only the runs without validation (the issue's 5 MB document)")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout of lodpub (e.g. git archive of an older commit) measured beside this one")
    args = parser.parse_args()
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "rows": sorted(
            [r for r in previous.get("rows", []) if r["copies"] not in args.copies]
            + measure(sorted(args.copies), args.compare, validate=not args.without_validation),
            key=lambda r: r["copies"],
        ),
        "before": previous.get("before", {}),
        "note": previous.get("note", ""),
    }
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    SECTION.write(render(results))
    largest = next(r for r in results["rows"] if r["copies"] == max(args.copies))
    spent = largest["seconds"] if largest["seconds"] is not None else largest["seconds_without_validation"]  # wall time
    if args.budget is not None and spent > args.budget:
        print(f"{largest['copies']} copies took {spent} s, over the budget of {args.budget} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

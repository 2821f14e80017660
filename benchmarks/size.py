"""How the cost of reading one text document grows with its size (issue 13), written to BENCHMARKS.md.

    .venv/bin/python benchmarks/size.py                         # 1, 2, 4, 8, 16 copies of the example
    .venv/bin/python benchmarks/size.py --copies 118            # 118 copies: the issue's 5 MB document
    .venv/bin/python benchmarks/size.py --budget 600            # fail (exit 1) past 600 s for the largest
    .venv/bin/python benchmarks/size.py --compare /tmp/old      # beside another checkout (git archive)

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
EXAMPLE = ROOT / "examples" / "luohe-2024-budget.txt"
RESULTS = ROOT / "benchmarks" / "size.json"
BEGIN, END = "<!-- size.py -->", "<!-- /size.py -->"

# One run in a child process: prints a JSON line {seconds, lines, peak_mib, stages}
CHILD = r"""
import json, resource, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from lodpub.pipeline import process
path, validate = sys.argv[2], sys.argv[3] == "1"
with tempfile.TemporaryDirectory() as work:
    started = time.perf_counter()
    import inspect
    limit = {"max_size": None} if "max_size" in inspect.signature(process).parameters else {}
    result = process(path, workdir=Path(work), validate=validate, **limit)
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "lines": result.counts.get("budget_lines"), "error": result.error,
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


def measure(copies: list[int], compare: Path | None = None) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for k in copies:
            path = document(Path(folder), k)
            full = run(path, True)
            before = run(path, True, compare) if compare is not None else None  # right after: the same load
            unvalidated = run(path, False)
            row = {
                "copies": k,
                "bytes": path.stat().st_size,
                "budget_lines": full["lines"],
                "seconds": round(full["seconds"], 2),
                "seconds_without_validation": round(unvalidated["seconds"], 2),
                "peak_mib": round(full["peak_mib"]),
                "error": full["error"],
            }
            if before is not None:
                row["before"] = round(before["seconds"], 2)
                row["before_peak_mib"] = round(before["peak_mib"])
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def render(results: dict) -> str:
    rows = results["rows"]
    base = rows[0]
    lines = [
        BEGIN,
        "## Size of one document (benchmarks/size.py)",
        "",
        "One text document made of k copies of the example (one department, its tables printed k times), every "
        "per-document stage of a build (`lodpub.pipeline.process`) in a fresh process, on one core. "
        f"{results['machine']}.",
        "",
        "| copies | size | budget lines | seconds | ÷ k × seconds of 1 copy | without validation | peak MiB | before (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    before = {int(k): v for k, v in results.get("before", {}).items()}
    before.update({r["copies"]: r["before"] for r in rows if "before" in r})
    for r in rows:
        ratio = r["seconds"] / (r["copies"] / base["copies"] * base["seconds"])
        lines.append(
            f"| {r['copies']} | {r['bytes'] / 1e6:.2f} MB | {r['budget_lines']:,} | {r['seconds']:.2f} | {ratio:.2f} | "
            f"{r['seconds_without_validation']:.2f} | {r['peak_mib']} | {before.get(r['copies'], '')} |"
        )
    lines += ["", results.get("note", ""), END, ""]
    return "\n".join(lines)


def write_section(results: dict) -> None:
    """Put the section into BENCHMARKS.md, replacing the one there."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    section = render(results)
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def section() -> str:
    """The section for benchmarks/run.py, which rewrites BENCHMARKS.md ("" before a first run)."""
    return "\n" + render(json.loads(RESULTS.read_text(encoding="utf-8"))) if RESULTS.exists() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--budget", type=float, default=None, help="seconds the largest document may take")
    parser.add_argument("--compare", type=Path, default=None, help="another checkout of lodpub (e.g. git archive of an older commit) measured beside this one")
    args = parser.parse_args()
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "rows": sorted(
            [r for r in previous.get("rows", []) if r["copies"] not in args.copies] + measure(sorted(args.copies), args.compare), key=lambda r: r["copies"]
        ),
        "before": previous.get("before", {}),
        "note": previous.get("note", ""),
    }
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_section(results)
    largest = next(r for r in results["rows"] if r["copies"] == max(args.copies))
    if args.budget is not None and largest["seconds"] > args.budget:
        print(f"{largest['copies']} copies took {largest['seconds']} s, over the budget of {args.budget} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

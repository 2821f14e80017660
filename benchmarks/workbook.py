"""What budget-lines.xlsx costs a build: the same documents built with and without it, in turns.

    .venv/bin/python benchmarks/workbook.py --documents 100 --rounds 2 [--write]

The documents are benchmarks/run.py's scaled corpus (copies of the example under other departments);
each build runs in a child process (`lodpub.build.build`, --jobs 2), the two kinds taking turns, so
that a noisy machine disturbs both alike. Reported: the build's seconds, the publication's data
package step (the CSV), the wait for the workbook after the dumps and the reports (written in a
process of its own since 79546d2; before, in the CSV's pass, inside the data package step), and the
CPU seconds of the build (its own process, its workers and the workbook's; the workers' CPU is the
same either way). With --write, the section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import BASE, commit, scaled_corpus  # noqa: E402
from sections import MarkedSection  # noqa: E402

SECTION = MarkedSection("workbook", "## The spreadsheet: budget-lines.xlsx")

CHILD = """
import json, resource, sys, time
from lodpub.build import build
paths, out, workbook = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3] == "1"
start = time.perf_counter()
r = build(paths, out, base=sys.argv[4], jobs=2, issued="2024-01-01", workbook=workbook)
cpu = sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": cpu, "data package": r.publication.seconds.get("data package"),
                  "workbook": r.publication.seconds.get("workbook", 0.0), "bytes": r.publication.files.get("budget-lines.xlsx", 0)}))
"""


def build_once(listing: Path, out: Path, workbook: bool) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(listing), str(out), "1" if workbook else "0", BASE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(documents: int, rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="lodpub-workbook-") as tmp:
        tmp = Path(tmp)
        (tmp / "corpus").mkdir()
        listing = tmp / "inputs.json"
        listing.write_text(json.dumps(scaled_corpus(tmp / "corpus", documents)), encoding="utf-8")
        runs: dict[str, list[dict]] = {"with": [], "without": []}
        for r in range(rounds):
            for kind in ("with", "without") if r % 2 == 0 else ("without", "with"):
                runs[kind].append(build_once(listing, tmp / f"out-{kind}", kind == "with"))
                print(kind, json.dumps(runs[kind][-1]), flush=True)
    return {"documents": documents, "rounds": rounds, "commit": commit(), "runs": runs}


def render(m: dict) -> str:
    def median(kind: str, key: str) -> float:
        return statistics.median(run[key] for run in m["runs"][kind])

    rows = [
        "| build | seconds | data package step s | waiting for the workbook s | build CPU s | budget-lines.xlsx bytes |",
        "|---|---|---|---|---|---|",
    ]
    for kind, name in (("with", "with the workbook (the default)"), ("without", "--no-xlsx")):
        rows.append(
            f"| {name} | {median(kind, 'seconds'):.1f} | {median(kind, 'data package'):.2f} | {median(kind, 'workbook'):.2f} | {median(kind, 'cpu'):.1f} | {median(kind, 'bytes'):,.0f} |"
        )
    extra = median("with", "cpu") - median("without", "cpu")
    return "\n".join(
        [
            f"`benchmarks/workbook.py --documents {m['documents']} --rounds {m['rounds']}` at {m['commit']}: {m['documents']} documents made from the example "
            f"(419 budget lines each), built with --jobs 2 with and without budget-lines.xlsx, in turns, each build in a process of its own "
            f"(medians of {m['rounds']} builds of each kind; 2 shared, noisy cores: compare within the table).",
            "",
            *rows,
            "",
            f"The workbook costs {extra / m['documents'] * 1000:.0f} ms of CPU a document "
            f"({median('with', 'seconds') / median('without', 'seconds'):.2f} × the build's seconds), written in a process of its own while the build's "
            "process writes the CSV, the dumps and the reports and the store loads.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    args = parser.parse_args()
    measured = measure(args.documents, args.rounds)
    (ROOT / "benchmarks" / "workbook.json").write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    text = render(measured)
    print(text)
    if args.write:
        SECTION.write(text)


if __name__ == "__main__":
    main()

"""PDF extraction's cost on every PDF of the corpus, and its lines against another checkout.

    .venv/bin/python benchmarks/extraction.py                          # the corpus's PDFs: extraction CPU
    .venv/bin/python benchmarks/extraction.py --against /tmp/old       # and another checkout's, lines compared
    .venv/bin/python benchmarks/extraction.py --against /tmp/old --write   # and the section in BENCHMARKS.md

Every PDF of the corpus (../shared/corpus and its regions/, or $LODPUB_CORPUS) is extracted
(`lodpub.extract.extract`: characters, rules, cells, lines) by each checkout in a child process of its
own, timed in CPU seconds (`process_time`), the checkouts taking turns for `--rounds` rounds and each
file's best round kept: machines are noisy, and ratios of one run are what compare. With --against,
another checkout (a `git archive` of a commit with its .commit file, see benchmarks/validation.py) is
measured alike, and the files whose lines (text and cells, by page) differ are named.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import corpus_pdfs  # noqa: E402
from sections import MarkedSection  # noqa: E402
from validation import commit_of  # noqa: E402

SECTION = MarkedSection("extraction", "## PDF extraction on the corpus")

# Run in a child process whose sys.path starts with the checkout measured.
CHILD = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from lodpub.extract import extract
from lodpub.sources import open_source
out = {}
for path in json.loads(sys.stdin.read()):
    source = open_source(path)
    start = time.process_time()
    try:
        doc = extract(source)
        lines = "\n".join(f"{ln.page}\t" + "\t".join(ln.cells) for ln in doc.lines)
    except Exception as exc:  # a PDF that cannot be read is measured too, by its message
        lines = f"error: {exc}"
    out[path] = [time.process_time() - start, hashlib.sha256(lines.encode()).hexdigest()]
print(json.dumps(out))
"""


def documents() -> list[str]:
    return sorted(str(p) for p in corpus_pdfs())


def measure(checkout: Path, paths: list[str]) -> dict[str, list]:
    """{path: [CPU seconds, digest of the lines]} of one round in a child process."""
    run = subprocess.run([sys.executable, "-c", CHILD, str(checkout)], input=json.dumps(paths), capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def render(mine: str, runs: dict[str, dict[str, list]]) -> str:
    files = len(next(iter(runs.values())))
    lines = [
        f"Every PDF of the corpus and its regions ({files} files), extracted by each checkout in a process of its own, "
        "the checkouts taking turns; each file's best round, CPU seconds of one core.",
        "",
        "| checkout | CPU s | ms per file | ÷ this checkout |",
        "|---|---:|---:|---:|",
    ]
    base = sum(cpu for cpu, _ in runs[mine].values())
    for name, run in runs.items():
        total = sum(cpu for cpu, _ in run.values())
        lines.append(f"| {name}{' (this)' if name == mine else ''} | {total:.2f} | {1000 * total / files:.0f} | {total / base:.2f} |")
    for name, run in runs.items():
        if name == mine:
            continue
        differ = sorted(Path(p).name for p in run if run[p][1] != runs[mine][p][1])
        lines.append("")
        lines.append(
            f"Files whose lines differ from {name}'s: {len(differ)}" + (f" ({', '.join(differ[:8])}{' …' if len(differ) > 8 else ''})." if differ else ".")
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, nargs="*", default=[], help="other checkouts to measure alike and compare")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per checkout (each file's best is kept)")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    paths = documents()
    checkouts = [ROOT, *args.against]
    runs: dict[str, dict[str, list]] = {}
    for _ in range(args.rounds):
        for checkout in checkouts:
            got = measure(checkout, paths)
            best = runs.setdefault(commit_of(checkout), got)
            for path, (cpu, digest) in got.items():
                best[path] = [min(cpu, best[path][0]), digest]
    text = render(commit_of(ROOT), runs)
    print(text)
    if args.write:
        SECTION.write(text)


if __name__ == "__main__":
    main()

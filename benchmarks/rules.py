"""Each validation rule's cost on every document of the corpus, and its answers against another checkout.

    .venv/bin/python benchmarks/rules.py                          # the corpus's PDFs and the example: each rule's CPU
    .venv/bin/python benchmarks/rules.py --against /tmp/old       # and another checkout's, with the rows of each compared
    .venv/bin/python benchmarks/rules.py --against /tmp/old --write   # and the section in BENCHMARKS.md

A document of one kind can make one rule pathological where the example does not (a rule that
searches a table again for every line: seconds on a table of a thousand lines), so every rule runs
on every document of the corpus (../shared/corpus, its regions/ and the example; or $LODPUB_CORPUS):
each document read by the checkout's own pipeline, its validation graph loaded once, then each
SHACL-SPARQL check of `lodpub.validate.direct` run as `validate_document` runs it, for each focus
node, timed in CPU seconds (`process_time`). With --against, another checkout (a `git archive` of
a commit, see benchmarks/validation.py) is measured alike in the same run, and the rows each check
gives on each document are compared (as digests): a change meant to make a rule cheaper must give
the same rows.
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

SECTION = MarkedSection("rules", "## Validation rules on the corpus")

# Run in a child process whose sys.path starts with the checkout measured.
CHILD = r"""
import hashlib, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pyoxigraph as ox
from lodpub import pipeline, validate
from lodpub.validate import direct
from lodpub.vocabulary import vocabulary_quads

plan = direct.plan(validate.shapes_graph())
out = {}
for path in json.loads(sys.argv[2]):
    r = pipeline.process(path, validate=False, keep_records=True)
    if r.records is None:  # no table: nothing to validate
        continue
    own, shared = pipeline.document_quads(r.records, pipeline.uris.DEFAULT_BASE)
    vocabulary = validate.vocabulary_subset(vocabulary_quads(r.details.usage, pipeline.uris.DEFAULT_BASE))
    store = validate.data_graph(own + shared, vocabulary).store._inner
    rules = out[path] = {}
    for check in plan.checks:
        name = min(str(s.node).rsplit("#", 1)[-1] for s in check.shapes)
        focus = [s["f"] for s in store.query(f"SELECT ?f WHERE {{ ?f a <{check.shapes[0].target}> }}")]
        start, rows = time.process_time(), []
        for f in focus:
            rows += [repr(tuple(str(t) for t in s)) for s in store.query(check.query, prefixes=check.prefixes, substitutions={ox.Variable("this"): f})]
        rules[name] = [time.process_time() - start, hashlib.sha1("\n".join(sorted(rows)).encode()).hexdigest(), len(rows)]
print(json.dumps(out))
"""


def documents() -> list[str]:
    paths = corpus_pdfs() + [ROOT / "examples" / "luohe-2024-budget.txt"]
    return [str(p) for p in paths]


def measure(checkout: Path, paths: list[str]) -> dict:
    """document → rule → [CPU seconds, digest of its rows, rows] for one checkout."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(checkout), json.dumps(paths)], capture_output=True, text=True, check=True, cwd=checkout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def render(here: str, runs: dict[str, dict]) -> str:
    """The rules by CPU over the corpus, with their worst document, for each checkout measured."""
    names = list(runs)
    mine = runs[here]
    rules = sorted({r for doc in mine.values() for r in doc}, key=lambda r: -sum(doc[r][0] for doc in mine.values() if r in doc))
    totals = {name: sum(v[0] for doc in run.values() for v in doc.values()) for name, run in runs.items()}
    lines = [
        f"`benchmarks/rules.py`: every SHACL-SPARQL check on each of the {len(mine)} documents of the corpus that give tables (the "
        "example included), CPU seconds of one core, in one run"
        + (f" for {', '.join(names)}" if len(names) > 1 else f" at {here}")
        + ". The ten costliest rules of "
        + here
        + " over the corpus, and the document each costs most on:",
        "",
        "| rule | " + " | ".join(f"{n}: corpus s" for n in names) + f" | {here}: worst document | s |",
        "|---|" + "---|" * len(names) + "---|---|",
    ]
    for rule in rules[:10]:
        worst = max(mine, key=lambda d: mine[d].get(rule, [0])[0])
        row = " | ".join(f"{sum(doc[rule][0] for doc in run.values() if rule in doc):.2f}" for run in runs.values())
        lines.append(f"| {rule} | {row} | {Path(worst).name} | {mine[worst][rule][0]:.2f} |")
    lines += ["", "All rules over the corpus: " + ", ".join(f"{n} {t:.1f} s" for n, t in totals.items()) + "."]
    for other in names[1:]:
        known = {r for doc in runs[other].values() for r in doc}  # the rules the other checkout has
        new = sorted({r for doc in mine.values() for r in doc} - known)
        differ = [(d, r) for d in mine for r in mine[d] if r in known and runs[other].get(d, {}).get(r, [0, None])[1] != mine[d][r][1]]
        lines.append(
            f"Rows that differ from {other}'s, compared per rule and document: "
            + (", ".join(f"{r} on {Path(d).name}" for d, r in differ[:10]) if differ else "none")
            + (f" ({len(differ)} in all)" if len(differ) > 10 else "")
            + "."
        )
        if new:
            found = {r: sum(1 for doc in mine.values() if doc.get(r, [0, None, 0])[2]) for r in new}
            lines.append(f"Rules {other} does not have: " + ", ".join(f"{r} (rows on {found[r]} documents)" for r in new) + ".")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, nargs="*", default=[], help="other checkouts to measure alike and compare")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    paths = documents()
    runs = {commit_of(checkout): measure(checkout, paths) for checkout in [ROOT, *args.against]}
    text = render(commit_of(ROOT), runs)
    print(text)
    if args.write:
        SECTION.write(text)


if __name__ == "__main__":
    main()

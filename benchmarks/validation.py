"""What validating one document costs, and which shapes cost it; optionally against other checkouts.

    .venv/bin/python benchmarks/validation.py                         # this checkout, the example
    .venv/bin/python benchmarks/validation.py --against /tmp/old      # and a checkout of another commit
    (a copy of a commit: git archive REV | tar -x -C /tmp/old && git rev-parse --short REV > /tmp/old/.commit)
    .venv/bin/python benchmarks/validation.py --write                 # and the table in BENCHMARKS.md

Each checkout is measured in a child process of its own (its own `lodpub` on the path), the checkouts in
turn for several rounds, so that a machine that grows busier or quieter during the run weighs on all of
them alike; the figure kept is each checkout's best (the least disturbed). Machines differ more than
twice in speed: compare the figures of one run, as ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from sections import MarkedSection

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "luohe-2024-budget.txt"
SECTION = MarkedSection("validation", "## Validation of one document")

CHILD = r"""
import collections, json, sys, time
sys.path.insert(0, sys.argv[1])
import oxrdflib.store as store
from rdflib.namespace import SH
spent = collections.defaultdict(float)
query = store.OxigraphStore.query
def timed(self, q, *a, **k):
    t = time.perf_counter(); answer = query(self, q, *a, **k)
    answer.bindings  # the solutions are computed as they are read: read them inside the timer
    spent[str(q)] += time.perf_counter() - t
    return answer
store.OxigraphStore.query = timed
from lodpub.pipeline import process, document_quads
from lodpub.mapping import DEFAULT_BASE
from lodpub.vocabulary import code_usage, vocabulary_quads
from lodpub.validate import validate_document, vocabulary_subset, shapes_graph
r = process(sys.argv[2], validate=False, keep_records=True)
own, shared = document_quads(r.records, DEFAULT_BASE)
vocab = vocabulary_quads(code_usage([r.records]), DEFAULT_BASE)
subset = vocabulary_subset(vocab)
validate_document(r.records.docid, own + shared, vocab, vocabulary=subset)  # warm: shapes parsed, queries prepared
spent.clear()
best, runs = None, int(sys.argv[3])
cpu = None
for _ in range(runs):
    t = {}
    c = time.process_time()
    findings = validate_document(r.records.docid, own + shared, vocab, vocabulary=subset, timings=t)
    c = time.process_time() - c
    cpu = c if cpu is None else min(cpu, c)
    best = t if best is None or t["total"] < best["total"] else best
shapes = shapes_graph()
owner = {}
for s, o in list(shapes.subject_objects(SH.select)) + list(shapes.subject_objects(SH.ask)):
    parent = shapes.value(predicate=SH.sparql, object=s)  # a constraint written as a blank node: named by its shape
    name = str(s).rsplit("#", 1)[-1] if "#" in str(s) else f"[{str(parent).rsplit('#', 1)[-1]}]" if parent is not None else "(unnamed)"
    text = " ".join(str(o).split())
    owner[text[text.find("{"):]] = name  # from the WHERE on (lodpub/validate/shared.py rewrites the projection)
per = collections.defaultdict(float)
for q, seconds in spent.items():
    key = " ".join(q.split())
    names = [n for text, n in owner.items() if text[:300] in key] or [n for text, n in owner.items() if text[:120] in key]
    per[names[0] if names else "(other queries)"] += seconds / runs
try:  # the SHACL-SPARQL shapes lodpub runs straight on Oxigraph (lodpub/validate/direct.py), each check timed alone
    from lodpub.validate import data_graph, direct
except ImportError:
    direct = None
if direct is not None and direct.ON:
    import pyoxigraph as ox
    inner = data_graph(own + shared, subset).store._inner
    focus = [s["f"] for s in inner.query("SELECT ?f { ?f a <https://w3id.org/lodpub/ontology#BudgetDocument> }")]
    for check in direct.plan(shapes).checks:
        t = time.perf_counter()
        for _ in range(runs):
            for f in focus:
                list(inner.query(check.query, prefixes=check.prefixes, substitutions={ox.Variable("this"): f}))
        per[min(str(s.node).rsplit("#", 1)[-1] for s in check.shapes)] += (time.perf_counter() - t) / runs
print(json.dumps({"total": best["total"], "cpu": cpu, "load": best["load"], "shacl": best["shacl"], "findings": len(findings),
                  "queries": sorted(per.items(), key=lambda kv: -kv[1])[:8]}))
"""


def measure(checkout: Path, document: Path, runs: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(checkout), str(document), str(runs)], capture_output=True, text=True, check=True, cwd=checkout)
    return json.loads(out.stdout.strip().splitlines()[-1])


def commit_of(checkout: Path) -> str:
    """The commit of a checkout: git's, or for a copy made with `git archive REV` the file .commit in it
    (`git rev-parse --short REV > DIR/.commit`)."""
    if (checkout / ".commit").is_file():
        return (checkout / ".commit").read_text(encoding="utf-8").strip()
    try:
        return subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", type=Path, default=EXAMPLE)
    parser.add_argument("--against", type=Path, nargs="*", default=[], help="other checkouts to measure alike")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5, help="validations per round and checkout")
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args()
    checkouts = [ROOT, *args.against]
    best: dict[Path, dict] = {}
    cpu: dict[Path, float] = {}  # the least CPU time of one validation: what other jobs on the machine disturb least
    for _ in range(args.rounds):
        for checkout in checkouts:
            result = measure(checkout, args.document, args.runs)
            if checkout not in best or result["total"] < best[checkout]["total"]:
                best[checkout] = result
            cpu[checkout] = min(cpu.get(checkout, result["cpu"]), result["cpu"])
    here = cpu[ROOT]
    lines = [
        f"Validating `{args.document.name}` (one core, best of {args.rounds} × {args.runs}; `benchmarks/validation.py`; the CPU time of the"
        " process compared, which other jobs on a shared machine disturb less than the seconds of the clock; load and shapes"
        " are clock seconds of the best run):",
        "",
        "| commit | CPU seconds | seconds | load | shapes | findings | CPU vs. this commit |",
        "|---|---|---|---|---|---|---|",
    ]
    for checkout in checkouts:
        r = best[checkout]
        lines.append(
            f"| {commit_of(checkout)} | {cpu[checkout]:.3f} | {r['total']:.3f} | {r['load']:.3f} | {r['shacl']:.3f} | {r['findings']} | {cpu[checkout] / here:.2f} |"
        )
    lines += [
        "",
        "Where the queries of this commit spend their time (ms, per validation): "
        + ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in best[ROOT]["queries"])
        + ".",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        SECTION.write(text)


if __name__ == "__main__":
    main()

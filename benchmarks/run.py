"""Benchmark lodpub stage by stage against the naive way, and write BENCHMARKS.md.

    .venv/bin/python benchmarks/run.py                      # 10, 100, 1000 documents + the PDF corpus
    .venv/bin/python benchmarks/run.py --sizes 10 100 1000 10000 --naive-sizes 10 100

The scaled corpus is the example document (examples/luohe-2024-budget.txt) under other
departments, units and years, so that every copy has other bytes and other URIs and nothing is
deduplicated away. Each run:

* times every stage of lodpub on one core (extract, recognise, records, map, validate) over a
  sample of documents, and the whole build (`lodpub.build.build`, all stages, dumps, store) with
  --jobs processes, with the peak memory of the build;
* answers the README's queries on the built store;
* runs the naive baseline on the same documents: one rdflib graph for everything, pyshacl over the
  merged graph, rdflib's SPARQL, rdflib's serializers.

The figures and ratios go to BENCHMARKS.md with the machine, versions and command.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import corpus_pdfs  # noqa: E402

EXAMPLE = ROOT / "examples" / "luohe-2024-budget.txt"
BASE = "https://data.example.org/lodpub/"


def scaled_corpus(folder: Path, n: int) -> list[str]:
    """n copies of the example, each another department, its units and a year."""
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        department = f"基准测试市第{i:05d}部门"
        year = str(2000 + i % 25)
        # the department's name last: its number must not be rewritten as a year or a unit code
        copy = text.replace("2024", year).replace("001", f"{i % 900 + 100:03d}").replace("漯河市人民政府办公室", department)
        path = folder / f"doc{i:05d}.txt"
        path.write_text(copy, encoding="utf-8")
        paths.append(str(path))
    return paths


STAGES = ("read+extract", "recognise", "records", "map", "validate", "write files")


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def stage_times(paths: list[str], sample: int = 20) -> dict[str, float]:
    """Seconds per document of each stage, one core, median over a sample of documents."""
    from lodpub.extract import extract
    from lodpub.pipeline import document_quads
    from lodpub.recognise import recognise
    from lodpub.records import build_records
    from lodpub.sources import from_path
    from lodpub.validate import validate_document
    from lodpub.vocabulary import code_usage, vocabulary_quads

    from lodpub.publish.pieces import write_document_pieces

    times: dict[str, list[float]] = {k: [] for k in ("read+extract", "recognise", "records", "map", "validate", "write files")}
    folder = Path(tempfile.mkdtemp(prefix="lodpub-stages-"))
    triples = []
    for path in paths[:sample]:
        document, t = timed(lambda: extract(from_path(path)))
        times["read+extract"].append(t)
        recognition, t = timed(recognise, document)
        times["recognise"].append(t)
        records, t = timed(build_records, recognition)
        times["records"].append(t)
        (own, shared), t = timed(document_quads, records, BASE)
        times["map"].append(t)
        triples.append(len(own) + len(shared))
        vocabulary = vocabulary_quads(code_usage([records]), BASE)
        _, t = timed(validate_document, records.docid, own + shared, vocabulary)
        times["validate"].append(t)
        stem = folder / records.docid  # the dump pieces and data-package rows a worker writes
        _, t = timed(lambda: write_document_pieces(stem, own))
        times["write files"].append(t)
    shutil.rmtree(folder)
    result = {k: statistics.median(v) for k, v in times.items()}
    result["triples_per_document"] = statistics.median(triples)
    result["map_triples_per_second"] = result["triples_per_document"] / result["map"]
    return result


def commit() -> str:
    """The commit measured (with +dirty when the working tree has changes); in a copy made with `git archive`,
    the commit its file .commit names (see benchmarks/validation.py)."""
    if (ROOT / ".commit").is_file():
        return (ROOT / ".commit").read_text(encoding="utf-8").strip()
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "lodpub", "mappings", "ontology", "shapes"], capture_output=True, text=True, cwd=ROOT, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def run_build(paths: list[str], jobs: int, out: Path, dask_workers: int = 0, workbook: bool = True) -> dict:
    """The whole build in a child process, so that its peak memory is its own. With `dask_workers`,
    the documents are read on a Dask LocalCluster of that many worker processes (one thread each),
    started before the clock (`lodpub build --scheduler`); the peak memory is then the build's process's.
    Without `workbook`, as `lodpub build --no-xlsx`; `workbook` in the answer says whether one was written."""
    cluster = (
        "from distributed import LocalCluster\n"
        f"cluster = LocalCluster(n_workers={dask_workers}, threads_per_worker=1, processes=True, host='127.0.0.1', dashboard_address=None)\n"
        if dask_workers
        else ""
    )
    code = (
        "import json, resource, sys, time\n"
        "from lodpub.build import build\n" + cluster + "paths = json.loads(sys.argv[1]); start = time.perf_counter()\n"
        f"r = build(paths, {str(out)!r}, base={BASE!r}, jobs={jobs}, issued='2024-01-01', workbook={workbook}"
        + (", scheduler=cluster.scheduler_address" if dask_workers else "")
        + ")\n"
        "elapsed = time.perf_counter() - start\n"
        "hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "peak = max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(json.dumps({'seconds': elapsed, 'peak_mib': peak / 1024, 'triples': r.publication.triples,\n"
        "  'documents': len(r.published()), 'failed': len(r.failed), 'steps': r.publication.seconds,\n"
        "  'workbook': 'budget-lines.xlsx' in r.publication.files}))\n"
    )
    listing = out.parent / "inputs.json"
    listing.write_text(json.dumps(paths), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", code.replace("json.loads(sys.argv[1])", f"json.load(open({str(listing)!r}))")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


EXAMPLE_DEPARTMENT = "漯河市人民政府办公室"


def query_times(store_dir: Path, n: int) -> dict[str, dict]:
    """Each README query on the store: the first run and the best of three more, and its rows. The
    queries that start from the example's department ask about a department of the scaled corpus
    instead (the middle one), which holds the same data."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    department = f"基准测试市第{n // 2:05d}部门"
    out = {}
    for path in sorted((ROOT / "lodpub" / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8").replace(EXAMPLE_DEPARTMENT, department)
        rows, first = timed(lambda: list(store.query(text, use_default_graph_as_union=True)))
        warm = min(timed(lambda: list(store.query(text, use_default_graph_as_union=True)))[1] for _ in range(3))
        if not rows:
            raise SystemExit(f"{path.name} answered nothing on the {n}-document store: the benchmark would time nothing")
        out[path.stem] = {"first": first, "warm": warm, "rows": len(rows)}
    return out


def naive(paths: list[str], folder: Path) -> dict[str, float]:
    """The naive way: one rdflib graph, pyshacl on the merged graph, rdflib SPARQL and serializers."""
    from rdflib import Dataset, Graph

    from lodpub.pipeline import document_quads
    from lodpub.extract import extract
    from lodpub.recognise import recognise
    from lodpub.records import build_records
    from lodpub.sources import from_path
    from lodpub.validate import validate_document
    from lodpub.vocabulary import code_usage, vocabulary_quads

    times = {}
    start = time.perf_counter()
    records = [build_records(recognise(extract(from_path(p)))) for p in paths]
    vocabulary = vocabulary_quads(code_usage(records), BASE)
    lines = set(vocabulary)
    for r in records:
        own, shared = document_quads(r, BASE)
        lines.update(own)
        lines.update(shared)
    times["read+map (lodpub)"] = time.perf_counter() - start
    data = "\n".join(sorted(lines)) + "\n"
    dataset = Dataset()
    _, times["rdflib parse"] = timed(dataset.parse, data=data, format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    # pyshacl over the merged graph: rdflib's own SPARQL engine cannot evaluate our shapes (EXISTS
    # inside an aggregate), so the merged graph goes to pyshacl the way lodpub gives it one document
    _, times["pyshacl merged graph"] = timed(validate_document, "all", sorted(lines), vocabulary)
    q = {}
    department = f"基准测试市第{len(paths) // 2:05d}部门"
    for path in sorted((ROOT / "lodpub" / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8").replace(EXAMPLE_DEPARTMENT, department)
        _, q[path.stem] = timed(lambda: list(union.query(text)))
    times["rdflib queries"] = sum(q.values())
    _, times["rdflib turtle"] = timed(union.serialize, destination=str(folder / "naive.ttl"), format="turtle")
    _, times["rdflib nquads"] = timed(dataset.serialize, destination=str(folder / "naive.nq"), format="nquads")
    times["triples"] = len(union)
    times["total"] = sum(v for k, v in times.items() if k != "triples")
    return times


def machine() -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "pyshacl": pyshacl.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--merge", action="store_true", help="keep the builds and naive runs of benchmarks/results.json whose sizes this run does not repeat")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF corpus")
    parser.add_argument("--floor-size", type=int, default=20, help="documents of the floor's comparison (benchmarks/floor.py; 0: skip it)")
    parser.add_argument(
        "--floor-dask",
        type=int,
        nargs="*",
        default=[1, 2],
        metavar="WORKERS",
        help="the floor's documents also built on Dask LocalClusters of these many workers",
    )
    args = parser.parse_args()
    results: dict = {"machine": machine(), "command": " ".join([Path(sys.executable).name] + sys.argv), "builds": [], "naive": [], "jobs": args.jobs}
    previous = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8")) if args.merge else {}
    with tempfile.TemporaryDirectory(prefix="lodpub-bench-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus.mkdir()
        paths = scaled_corpus(corpus, max(args.sizes + args.naive_sizes))
        results["stages"] = stage_times(paths)
        print("stages", json.dumps(results["stages"]), flush=True)
        for n in args.sizes:
            out = tmp / f"out{n}"
            build = run_build(paths[:n], args.jobs, out)
            build["n"] = n
            build["commit"] = commit()
            build["queries"] = query_times(out / "store", n)
            results["builds"].append(build)
            print("build", json.dumps(build), flush=True)
            shutil.rmtree(out)
        # a build too large for a worksheet writes no workbook: the build of 100 it is compared with, again without one
        hundred = next((b for b in results["builds"] if b["n"] == 100 and b.get("workbook")), None)
        if hundred is not None and any(b.get("workbook") is False for b in results["builds"]):
            plain = run_build(paths[:100], args.jobs, tmp / "out100-plain", workbook=False)
            hundred["without_workbook"] = {k: plain[k] for k in ("seconds", "peak_mib", "steps")}
            print("build of 100 without the workbook", json.dumps(plain), flush=True)
            shutil.rmtree(tmp / "out100-plain")
        pdfs = [str(p) for p in corpus_pdfs(regions=False)] if not args.no_pdf else []
        if pdfs:
            build = run_build(pdfs, args.jobs, tmp / "pdf-out")
            build["n"] = len(pdfs)
            results["pdf_corpus"] = build
            print("pdf corpus", json.dumps(build), flush=True)
        for n in args.naive_sizes:
            gc.collect()
            times = naive(paths[:n], tmp)
            times["n"] = n
            results["naive"].append(times)
            print("naive", json.dumps(times), flush=True)
    if previous:
        results["commands"] = previous.get("commands", [previous.get("command")]) + [results["command"]]
        results["builds"] = sorted([b for b in previous.get("builds", []) if b["n"] not in args.sizes] + results["builds"], key=lambda b: b["n"])
        results["naive"] = sorted([b for b in previous.get("naive", []) if b["n"] not in args.naive_sizes] + results["naive"], key=lambda b: b["n"])
        if "pdf_corpus" in previous and "pdf_corpus" not in results:
            results["pdf_corpus"] = previous["pdf_corpus"]
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.floor_size:  # the floor on the same documents as a build of that size: its own section of BENCHMARKS.md
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import floor

        measured = floor.measure(args.floor_size, args.jobs, tuple(args.floor_dask))
        (ROOT / "benchmarks" / "floor.json").write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
        floor.SECTION.write(floor.render(measured))
    args.output.write_text(render(results) + kept_sections(), encoding="utf-8")
    print(f"wrote {args.output}")


def render(r: dict) -> str:
    m = r["machine"]
    s = r["stages"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run.py` (" + "; ".join(f"`{c}`" for c in r.get("commands", [r["command"]])) + "); raw figures in `benchmarks/results.json`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['platform']}; Python {m['python']}; "
        f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, pyshacl {m['pyshacl']}.",
        "",
        "## Stages, one document of the brief's size, one core (median)",
        "",
        "| stage | ms per document |",
        "|---|---|",
    ]
    for k in ("read+extract", "recognise", "records", "map", "validate", "write files"):
        if k in s:
            lines.append(f"| {k} | {s[k] * 1000:.1f} |")
    lines.append(f"| all | {sum(s[k] for k in STAGES if k in s) * 1000:.1f} |")
    lines += [
        "",
        f"Mapping: {s['triples_per_document']:.0f} triples per document, {s['map_triples_per_second']:,.0f} triples per second.",
        "",
        f"## Whole build (`lodpub build`, --jobs {r['jobs']}: read, map, validate, all dumps, store)",
        "",
        "| documents | seconds | documents/s | ms per document | triples | peak memory MiB | commit |",
        "|---|---|---|---|---|---|---|",
    ]
    for b in r["builds"]:
        lines.append(
            f"| {b['n']} | {b['seconds']:.1f} | {b['n'] / b['seconds']:.1f} | {b['seconds'] / b['n'] * 1000:.0f} | "
            f"{b['triples']:,} | {b['peak_mib']:.0f} | {b.get('commit', '')} |"
        )
    if len({b.get("commit") for b in r["builds"]}) > 1:
        lines += [
            "",
            "The sizes were measured at different commits (a run with `--merge` keeps the sizes it does not "
            "repeat); the commit column says which code each row measured.",
        ]
    steps = [b for b in r["builds"] if b.get("steps")]
    if steps:
        names = list(steps[-1]["steps"])
        lines += [
            "",
            "Where the time of a build goes (seconds): the documents (read, map, validate and write each "
            "document's files in the workers; before 7c10c21 a thread loaded the store meanwhile), then the "
            "publication steps (data package, dumps concatenated, reports, then the wait for the store, whose "
            "load — since 7c10c21 all of it, before only its last part — and compaction run in the loader's "
            "thread beside the three before it; landing page).",
            "",
            "| documents | " + " | ".join(names) + " | other |",
            "|---|" + "---|" * (len(names) + 1),
        ]
        for b in steps:
            other = b["seconds"] - sum(b["steps"].values())
            shown = [f"{b['steps'][k]:.1f}" if k in b["steps"] else "–" for k in names]  # (–: a step that build did not have)
            lines.append(f"| {b['n']} | " + " | ".join(shown) + f" | {other:.1f} |")
    if len(r["builds"]) >= 2:
        # the linearity test compares with 100 documents (10 is dominated by fixed costs)
        # and with the largest size measured by the same code, when there is one (rows kept by --merge may be older)
        first = next((b for b in r["builds"] if b["n"] == 100), r["builds"][0])
        same = [b for b in r["builds"] if b["n"] > first["n"] and b.get("commit") == first.get("commit")]
        last = same[-1] if same else r["builds"][-1]
        ratio = (last["seconds"] / last["n"]) / (first["seconds"] / first["n"])
        measured = f"both at {first.get('commit')}" if last.get("commit") == first.get("commit") else f"at {last.get('commit')} and {first.get('commit')}"
        lines += ["", f"Cost per document at {last['n']} documents is {ratio:.2f} × the cost at {first['n']} ({measured})."]
        plain = first.get("without_workbook")
        if plain and last.get("workbook") is False and last.get("commit") == first.get("commit"):
            like = (last["seconds"] / last["n"]) / (plain["seconds"] / first["n"])
            lines[-1] += (
                f" The build of {first['n']} writes budget-lines.xlsx and that of {last['n']} has none (more lines than a worksheet "
                f"holds): against a build of {first['n']} without it in the same run ({plain['seconds']:.1f} s), {like:.2f} ×."
            )
    names = sorted(r["builds"][-1]["queries"])
    lines += [
        "",
        "## README queries on the built store",
        "",
        "Seconds, best of three runs after a first one (in brackets: the first run, then the rows answered). "
        "Queries 01–05 start from one department; 06 asks about every department: it reads the aggregates "
        "graph since commit 7d6f879 and summed every department's budget lines before.",
        "",
        "| documents | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for b in r["builds"]:
        cells = []
        for k in names:
            q = b["queries"].get(k)
            cells.append("" if q is None else (f"{q['warm']:.3f} ({q['first']:.3f}; {q['rows']:,})" if isinstance(q, dict) else f"{q:.3f}"))
        lines.append(f"| {b['n']} | " + " | ".join(cells) + " |")
    if r["naive"]:
        lines += [
            "",
            "## The naive way (one rdflib graph, pyshacl on it, rdflib SPARQL and serializers)",
            "",
            "| documents | " + " | ".join(k for k in r["naive"][0] if k != "n") + " |",
            "|---|" + "---|" * (len(r["naive"][0]) - 1),
        ]
        for n in r["naive"]:
            lines.append(f"| {n['n']} | " + " | ".join(f"{v:.2f}" if k != "triples" else f"{v:,}" for k, v in n.items() if k != "n") + " |")
        lines += ["", "| documents | lodpub build s | naive s | naive ÷ lodpub |", "|---|---|---|---|"]
        for n in r["naive"]:
            b = next((b for b in r["builds"] if b["n"] == n["n"]), None)
            if b:
                lines.append(f"| {n['n']} | {b['seconds']:.1f} | {n['total']:.1f} | {n['total'] / b['seconds']:.1f} |")
    if "pdf_corpus" in r:
        p = r["pdf_corpus"]
        lines += [
            "",
            f"## The PDF reference corpus ({p['n']} documents), whole build with --jobs {r['jobs']}",
            "",
            f"{p['seconds']:.1f} s, {p['triples']:,} triples, peak {p['peak_mib']:.0f} MiB, {p['failed']} failed.",
        ]
    lines += ["", "## Against the targets of the performance issue", "", "| target | reached |", "|---|---|"]
    best = max(r["builds"], key=lambda b: b["n"] / b["seconds"])
    lines.append(f"| end to end ≥ 20 documents/s | {best['n'] / best['seconds']:.1f} documents/s (at {best['n']}) |")
    big = next((b for b in r["builds"] if b["n"] >= 10000), None)
    if big:
        lines.append(
            f"| {big['n']:,} documents built, validated and loaded in < 15 minutes | {big['seconds'] / 60:.0f} minutes "
            f"({big['n'] / big['seconds']:.1f} documents/s) |"
        )
    naive_ratio = [n["total"] / b["seconds"] for n in r["naive"] for b in r["builds"] if b["n"] == n["n"]]
    if naive_ratio:
        lines.append(f"| ≥ 10 × faster than the naive way | {max(naive_ratio):.1f} × (grows with the corpus: the merged graph's validation is superlinear) |")
    lines.append(f"| mapping ≥ 500,000 triples/s | {s['map_triples_per_second']:,.0f} (one core, in the benchmark run) |")
    if len(r["builds"]) >= 2:
        lines.append(f"| cost per document linear (≤ 1.5 × from 100 up) | {ratio:.2f} × ({first['n']} → {last['n']}, {measured}) |")
        largest = r["builds"][-1]
        warm = {k: (q["warm"] if isinstance(q, dict) else q) for k, q in largest["queries"].items()}
        scoped = {k: v for k, v in warm.items() if not k.startswith("06")}
        lines.append(
            f"| README queries < 1 s at the largest size | 01–05: slowest {max(scoped.values()):.3f} s; 06 (every "
            f"department): {warm.get('06-all-departments-by-function-class', float('nan')):.2f} s; at {largest['n']} documents ({largest.get('commit')}) |"
        )
        lines.append(f"| peak memory < 2 GiB | {max(b['peak_mib'] for b in r['builds']):.0f} MiB at most |")
    if "pdf_corpus" in r:
        lines.append(f"| PDF corpus end to end < 15 s with 2 jobs | {r['pdf_corpus']['seconds']:.1f} s |")
    share = s["validate"] / sum(s[k] for k in STAGES if k in s)
    lines += [
        "",
        f"Validation (the shapes' queries on Oxigraph, {s['validate'] * 1000:.0f} ms of one core per document of this size) "
        f"is {share:.0%} of a document's work in its worker.",
    ]
    return "\n".join(lines) + "\n"


def kept_sections() -> str:
    """The sections the other benchmarks keep in BENCHMARKS.md, as they stand there: the size of one
    document (size.py), one document's validation (validation.py), each rule on the corpus (rules.py), PDF
    extraction (extraction.py), the endpoint under load (load.py), lodpub against the floor (floor.py),
    the store's batch size and compaction (store_load.py), pushing to Virtuoso (push.py), a national year
    estimated (national.py), the store's load as it grows (store_growth.py) and the spreadsheet's cost
    (workbook.py)."""
    import importlib

    kept = []
    for name in ("size", "validation", "rules", "extraction", "load", "floor", "store_load", "push", "national", "store_growth", "workbook"):
        kept.append(importlib.import_module(name).SECTION.read())
    return "".join(kept)


if __name__ == "__main__":
    if sys.argv[1:] == ["--render"]:  # rewrite BENCHMARKS.md from benchmarks/results.json
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
        (ROOT / "BENCHMARKS.md").write_text(render(results) + kept_sections(), encoding="utf-8")
    else:
        main()

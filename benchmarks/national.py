"""A national year, estimated from measured costs: the cores and hours its documents need, and the store.

    .venv/bin/python benchmarks/national.py            # measure on the PDF corpus, print the estimate
    .venv/bin/python benchmarks/national.py --write    # and its section in BENCHMARKS.md (raw figures: benchmarks/national.json)

Every PDF of the reference corpus (../shared/corpus and its regions/, or $LODPUB_CORPUS) goes through
each per-document stage of a build in this process, on one core, and the CPU time of each stage is
kept (`time.process_time`: other jobs on a shared machine disturb it less than the clock): read and
extract the PDF, recognise its tables, read the records, map them to quads, validate, write the
document's pieces of every output. A file that gives no budget table (a 情况说明 whose tables are in
another file) costs its extraction and recognition only. The store's load is not a per-document
stage: its rate comes from benchmarks/floor.json (lodpub's own StoreLoader on a build's quads) and,
when benchmarks/push.py has run, from its figures for Virtuoso.

The estimate multiplies the mean cost of a corpus document by the documents of a national year
(--documents, 300,000 by default: the figure the performance issue works with; each of China's
~3,000 county-level and higher governments' departments and units publishing a budget and a final
account) and states what that needs in cores and hours, triples and store. It is an estimate: the
corpus is 57 files, not a sample drawn at random from the country.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import CORPUS, corpus_pdfs  # noqa: E402
from sections import MarkedSection  # noqa: E402

SECTION = MarkedSection("national", "## A national year, estimated")
STAGES = ("read+extract", "recognise", "records", "map", "validate", "write files")
BASE = "https://data.example.org/budget/"


def cpu(fn, *args):
    start = time.process_time()
    value = fn(*args)
    return value, time.process_time() - start


def document_costs(path: Path, folder: Path) -> dict:
    """CPU seconds of each per-document stage for one file, its pages and quads."""
    from lodpub.extract import extract
    from lodpub.pipeline import document_quads
    from lodpub.publish.pieces import write_document_pieces
    from lodpub.recognise import recognise
    from lodpub.records import build_records
    from lodpub.sources import from_path
    from lodpub.validate import validate_document
    from lodpub.vocabulary import code_usage, vocabulary_quads

    costs = dict.fromkeys(STAGES, 0.0)
    document, costs["read+extract"] = cpu(lambda: extract(from_path(str(path))))
    recognition, costs["recognise"] = cpu(recognise, document)
    pages = max((line.page for line in document.lines), default=0)
    result = {"file": str(path.relative_to(CORPUS)), "pages": pages, "quads": 0, "tables": len(recognition.tables), "cpu": costs}
    if not recognition.tables:
        return result
    records, costs["records"] = cpu(build_records, recognition)
    (own, shared), costs["map"] = cpu(document_quads, records, BASE)
    vocabulary = vocabulary_quads(code_usage([records]), BASE)
    _, costs["validate"] = cpu(validate_document, records.docid, own + shared, vocabulary)
    _, costs["write files"] = cpu(write_document_pieces, folder / records.docid, own)
    result["quads"] = len(own) + len(shared)
    return result


def measure(limit: int | None = None) -> dict:
    from run import commit

    files = corpus_pdfs()[:limit]
    if not files:
        raise SystemExit(f"no PDF under {CORPUS} (set LODPUB_CORPUS)")
    folder = Path(tempfile.mkdtemp(prefix="lodpub-national-"))
    try:
        documents = [document_costs(path, folder) for path in files]
    finally:
        shutil.rmtree(folder)
    floor = json.loads((ROOT / "benchmarks" / "floor.json").read_text(encoding="utf-8"))
    store_rate = floor["floor"]["quads"] / floor["floor"]["lodpub store"]
    push_path = ROOT / "benchmarks" / "push.json"
    push = json.loads(push_path.read_text(encoding="utf-8")) if push_path.exists() else None
    return {"commit": commit(), "documents": documents, "store_quads_per_second": store_rate, "store_commit": floor["commit"], "push": push}


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h"


def render(r: dict, year: int) -> str:
    docs = r["documents"]
    with_tables = [d for d in docs if d["tables"]]
    if not with_tables:
        raise SystemExit("no file of the corpus gave a budget table: nothing to estimate from")
    totals = [sum(d["cpu"].values()) for d in docs]
    mean = statistics.fmean(totals)
    pages = sum(d["pages"] for d in docs)
    quads = statistics.fmean(d["quads"] for d in with_tables)
    year_quads = year * quads
    store_seconds = year_quads / r["store_quads_per_second"]
    lines = [
        f"`benchmarks/national.py` at {r['commit']}: each of the corpus's {len(docs)} PDFs ({pages:,} pages; {len(with_tables)} give budget "
        "tables, the others are 情况说明 files whose tables are in another file) through every per-document stage of a build, one core, "
        "CPU seconds (`process_time`).",
        "",
        "| stage | mean s per file | share | slowest file s |",
        "|---|---|---|---|",
    ]
    for stage in STAGES:
        values = [d["cpu"][stage] for d in docs]
        lines.append(f"| {stage} | {statistics.fmean(values):.3f} | {statistics.fmean(values) / mean:.0%} | {max(values):.2f} |")
    slowest = max(docs, key=lambda d: sum(d["cpu"].values()))
    per_disclosure = sum(totals) / len(with_tables)
    lines += [
        f"| **all** | **{mean:.3f}** | 100% | {max(totals):.2f} ({slowest['file']}, {slowest['pages']} pages) |",
        "",
        f"Per page: {sum(totals) / pages * 1000:.0f} ms of CPU; the median file {statistics.median(totals):.2f} s. "
        f"A file with tables gives {quads:,.0f} quads on average. A disclosure is one file of tables and, where it is published "
        f"apart, its 情况说明: the corpus's CPU over its files with tables is {per_disclosure:.2f} s a disclosure.",
        "",
        f"**A national year** of {year:,} disclosures (an assumption: the figure the performance issue works with), at these costs:",
        "",
        f"* per-document work: {year:,} × {per_disclosure:.2f} s = {_hours(year * per_disclosure)} of one core "
        f"({year * per_disclosure / 3600 / 24:,.1f} core-days): {_hours(year * per_disclosure / 2)} on this project's 2-core machine, "
        f"{_hours(year * per_disclosure / 64)} on 64 cores (a Dask cluster: `lodpub build --scheduler`; the work is one task a document and "
        "needs no shared filesystem), before the overhead the Dask runs of the floor's section measure;",
        f"* triples: {quads:,.0f} quads a disclosure, ~{year_quads / 1e9:.1f} billion quads a year;",
        f"* the embedded store: lodpub's loader took {r['store_quads_per_second']:,.0f} quads/s in the floor's run at {r['store_commit']} "
        f"(one process, which a cluster does not spread): {_hours(store_seconds)} for a year, into one on-disk Oxigraph store that one "
        "machine serves; fine for a region or a province, a stretch for the country;",
    ]
    push = r.get("push")
    if push and push.get("sizes"):
        largest = max(push["sizes"], key=lambda size: size["n"])
        rate = max(v["triples"] / v["seconds"] for k, v in largest.items() if k.startswith("bulk"))
        gsp = largest["gsp"]["triples"] / largest["gsp"]["seconds"]
        lines.append(
            f"* Virtuoso (`benchmarks/push.py`, {largest['n']} documents at {push['commit']}): its bulk loader took {rate:,.0f} triples/s, "
            f"{_hours(year_quads / rate)} for a year, the Graph Store Protocol {gsp:,.0f}/s, {_hours(year_quads / gsp)}, if the rates "
            "held at that size (a store larger than the server's memory loads slower): the store to serve a national year from, or "
            "QLever (built for tens of billions of triples, its index made from the dump) when one server no longer answers quickly enough."
        )
    else:
        lines.append("* a store built for billions of triples (Virtuoso, QLever) holds a national year: `lodpub push` (README, Scaling out).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300_000, help="documents of a national year (an assumption)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N PDFs (a quick try)")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args.limit)
    text = render(result, args.documents)
    print(text)
    if args.write:
        SECTION.write_with_figures(text, result, "national")


if __name__ == "__main__":
    main()

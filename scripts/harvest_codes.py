#!/usr/bin/env python3
"""Collect the 项 (7-digit function codes) and their names that disclosure documents print, into
mappings/codes/function-items.csv: names printed without codes in other documents are resolved
against them (lodpub.records.codes). Codes already in the file keep their name; a new code takes the
name most documents print for it.

Usage: scripts/harvest_codes.py FOLDER_OR_FILE ...
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lodpub.extract import extract  # noqa: E402
from lodpub.recognise import recognise  # noqa: E402
from lodpub.records.codes import CodeResolver  # noqa: E402
from lodpub.records.grid import learn_codes  # noqa: E402
from lodpub.sources import expand_inputs, open_source  # noqa: E402

OUT = ROOT / "mappings" / "codes" / "function-items.csv"


def main(inputs: list[str]) -> None:
    names: dict[str, Counter] = defaultdict(Counter)
    for location in expand_inputs(inputs):
        try:
            recognition = recognise(extract(open_source(location)))
        except Exception as exc:  # noqa: BLE001 - a document that cannot be read adds nothing
            print(f"skipped {location}: {exc}", file=sys.stderr)
            continue
        resolver = CodeResolver()
        for table in recognition.tables:
            if table.layout == "grid":
                learn_codes(table, resolver)
        for name, codes in resolver.names.get("function", {}).items():
            for code in codes:
                if len(code) == 7:
                    names[code][name] += 1
    rows: dict[str, str] = {}
    if OUT.exists():
        with OUT.open(encoding="utf-8") as f:
            rows = {r["code"]: r["name"] for r in csv.DictReader(f)}
    for code, counter in names.items():
        rows.setdefault(code, counter.most_common(1)[0][0])
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name"])
        for code in sorted(rows):
            writer.writerow([code, rows[code]])
    print(f"{len(rows)} codes in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT.parent / "shared" / "corpus")])

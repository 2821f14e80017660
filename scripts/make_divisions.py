#!/usr/bin/env python3
"""Write mappings/codes/divisions.csv: the administrative divisions of China with their GB/T 2260 codes
(province, prefecture and county levels), from the adcodes.csv table that the MIT-licensed Python
package cpca ships (resources/adcodes.csv, codes as published by the National Bureau of Statistics).

Usage: scripts/make_divisions.py PATH/TO/adcodes.csv
  (pip download cpca --no-deps, then unzip the wheel: cpca/resources/adcodes.csv)
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "mappings" / "codes" / "divisions.csv"
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(source: str) -> None:
    rows = {}
    with open(source, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            name = row["name"].strip()
            if not code.isdigit() or name in SKIP:
                continue
            if code.endswith("0000"):
                level, parent = "province", ""
            elif code.endswith("00"):
                level, parent = "prefecture", code[:2] + "0000"
            else:
                level, parent = "county", code[:4] + "00"
            rows[code] = (name, level, parent)
    for code, (name, level, parent) in list(rows.items()):  # 直辖市 districts: the parent is the province
        if parent and parent not in rows:
            rows[code] = (name, level, code[:2] + "0000")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent"])
        for code in sorted(rows):
            writer.writerow([code, *rows[code]])
    print(f"{len(rows)} divisions in {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])

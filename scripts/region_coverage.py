#!/usr/bin/env python3
"""Read the regional corpus (../shared/corpus/regions) and report, per region, what ends in the graph:
documents that give budget lines, amount cells against budget lines, general-public-budget function
tables whose 项 lines add up to their total. With --readme, the table replaces the one in README.md
between its markers (tests/test_regions.py holds the README to what the corpus gives).

Usage: scripts/region_coverage.py [--readme] [FOLDER]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lodpub.build import read_and_validate  # noqa: E402
from lodpub.coverage import Coverage, by_group  # noqa: E402

START, END = "<!-- region coverage: start -->", "<!-- region coverage: end -->"


def region_table(folder: Path, jobs: int = 2) -> tuple[str, dict[str, Coverage], Coverage]:
    result = read_and_validate([str(folder)], jobs=jobs, keep_records=True, validate=False)
    groups = by_group(result.documents, lambda loc: Path(loc).parent.name)
    total = Coverage()
    rows = [
        "| region | documents | with budget lines | budget lines | amount cells | in the graph | GPB tables adding up |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in sorted(groups):
        c = groups[name]
        total.add(c)
        rows.append(f"| {name} | {c.documents} | {c.with_lines} | {c.budget_lines:,} | {c.amount_cells:,} | {c.share:.1%} | {c.gpb_adding_up}/{c.gpb_tables} |")
    rows.append(
        f"| **all** | {total.documents} | {total.with_lines} | {total.budget_lines:,} | {total.amount_cells:,} | "
        f"{total.share:.1%} | {total.gpb_adding_up}/{total.gpb_tables} |"
    )
    return "\n".join(rows) + "\n", groups, total


def main(argv: list[str]) -> None:
    readme = "--readme" in argv
    args = [a for a in argv if a != "--readme"]
    folder = Path(args[0]) if args else ROOT.parent / "shared" / "corpus" / "regions"
    table, _, total = region_table(folder)
    print(table)
    for failure in total.failed:
        print("no budget line:", failure)
    if readme:
        path = ROOT / "README.md"
        text = path.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        path.write_text(head + START + "\n" + table + END + tail, encoding="utf-8")
        print(f"wrote the table into {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])

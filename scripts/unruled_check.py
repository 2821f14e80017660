#!/usr/bin/env python3
"""How tables printed without rules are read: every corpus PDF read twice, as printed and with its
rules taken out (no grid found on any page, so every table is lines of text to `pdf_stream`), and
the budget lines compared by table kind, role, amount, dimensions, year and phase.

    same     — budget lines of the rule-less reading that the ruled reading gives too
    wrong    — budget lines of the rule-less reading that the ruled reading does not give
    invented — of those, amounts the ruled reading has nowhere in a table of that kind
    missed   — budget lines of the ruled reading the rule-less reading does not give (reported instead)

Usage: scripts/unruled_check.py [FOLDER]   (default: ../shared/corpus, every PDF below it)
"""

from __future__ import annotations

import collections
import sys
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _read(args: tuple[str, bool]):
    location, unruled = args
    from lodpub.extract import pdf
    from lodpub.pipeline import process

    if unruled:
        pdf._find_grids = lambda page: []  # a child process of its own (maxtasksperchild=1)
    result = process(location, validate=False, keep_records=True)
    if not result.ok:
        return None
    kinds = {t.ordinal: t.kind for t in result.records.tables}
    return collections.Counter((kinds[o.table], o.role, o.amount, tuple(sorted(o.dims.items())), o.fiscal_year, o.phase) for o in result.records.observations)


def _by_amount(lines: collections.Counter) -> collections.Counter:
    return collections.Counter((k[0], k[2]) for k in lines.elements())


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else ROOT.parent / "shared" / "corpus"
    files = sorted(str(p) for p in folder.rglob("*.pdf"))
    with Pool(2, maxtasksperchild=1) as pool:
        ruled = pool.map(_read, [(f, False) for f in files])
        unruled = pool.map(_read, [(f, True) for f in files])
    total: collections.Counter = collections.Counter()
    for location, a, b in zip(files, ruled, unruled):
        if a is None or b is None:
            continue
        row = {
            "ruled": sum(a.values()),
            "same": sum((a & b).values()),
            "wrong": sum((b - a).values()),
            "invented": sum((_by_amount(b) - _by_amount(a)).values()),
            "missed": sum((a - b).values()),
        }
        total.update(row)
        print("  ".join(f"{k} {v:5d}" for k, v in row.items()), " ", Path(location).name)
    print("all:", "  ".join(f"{k} {total[k]}" for k in ("ruled", "same", "wrong", "invented", "missed")))


if __name__ == "__main__":
    main(sys.argv[1:])

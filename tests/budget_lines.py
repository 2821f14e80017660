"""Budget lines as comparable data: one signature per line, digested per table.

The golden file (tests/golden/budget-lines.json) holds, for the example and for each reference PDF
of the 上海 family, every table's kind, title, number of lines and the SHA-256 of its sorted line
signatures, as lodpub read them when the reading was rewritten for the national templates. The
test holds today's reading equal to it: the same tables, the same lines, the same codes, figures and
places. (The figures themselves stay in the documents: only digests are committed.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "budget-lines.json"


def line_signature(o) -> str:
    """What a budget line says and where it comes from (not its URI): the dimensions it fixes, its
    figure, role, labels and place."""
    dims = ";".join(f"{k}={v}" for k, v in sorted(o.dims.items()) if v != "_T")  # a dimension left at its total says nothing
    return "\t".join(
        [str(o.page), str(o.line), str(o.row), str(o.col), o.printed, str(o.amount), o.unit, o.role, o.row_label, o.column_label, dims, o.phase or ""]
    )


def table_digests(records) -> list[dict]:
    """Per table in document order: kind, title, number of budget lines, digest of their signatures."""
    out = []
    for t in records.tables:
        sigs = sorted(line_signature(o) for o in records.observations if o.table == t.ordinal)
        out.append({"kind": t.kind, "title": t.title, "page": t.page, "lines": len(sigs), "sha256": hashlib.sha256("\n".join(sigs).encode()).hexdigest()})
    return out


def load_golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))

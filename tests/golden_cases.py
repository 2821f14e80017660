"""Golden cases of the reading and mapping stages: a folder per case under tests/golden/cases, holding
an input document (`input.*`) and the quads lodpub makes of it (`expected.nq`: the document's own
graph and what it adds to the shared graph of organisations, sorted), compared as data.

A new layout of table or a new mapping comes with a case: copy a folder, put the new input in it
and write its expected quads with

    python tests/golden_cases.py [CASE …]      (every case when none is named)

then read the diff of expected.nq before committing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

CASES = Path(__file__).resolve().parent / "golden" / "cases"
BASE = "https://data.example.org/lodpub/"


def cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []


def input_of(case: Path) -> Path:
    found = sorted(case.glob("input.*"))
    assert len(found) == 1, f"{case}: one input.* file expected, found {[p.name for p in found]}"
    return found[0]


def case_quads(case: Path) -> list[str]:
    """The sorted quads lodpub makes of the case's input (reading and mapping; no validation)."""
    from lodpub.pipeline import document_quads, process

    result = process(str(input_of(case)), keep_records=True, validate=False)
    assert result.ok, result.error
    own, shared = document_quads(result.records, BASE)
    return sorted(own + shared)


def main(names: list[str]) -> None:
    for case in cases():
        if names and case.name not in names:
            continue
        quads = case_quads(case)
        (case / "expected.nq").write_text("\n".join(quads) + "\n", encoding="utf-8")
        print(f"{case.name}: {len(quads)} quads written to {case / 'expected.nq'}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main(sys.argv[1:])

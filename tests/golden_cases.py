"""Golden cases of the reading and mapping stages: a folder per case under tests/golden/cases, holding
an input document (`input.*`) and the quads lodpub makes of it (`expected.nq`: the document's own
graph and what it adds to the shared graph of organisations, sorted), compared as data.

A new layout of table or a new mapping comes with a case: copy a folder, put the new input in it
and write its expected quads with

    python tests/golden_cases.py [CASE …]      (every case when none is named)

then read the diff of expected.nq before committing it.

The example's whole publication is held byte for byte too: tests/golden/example-publication.sha256
lists the SHA-256 of each file a build of examples/luohe-2024-budget.txt writes (base and issue date
fixed), so that a change meant to move code without changing what it makes (a refactoring) shows
when it does. After a change that is meant to change the output, write the digests anew with

    python tests/golden_cases.py --publication

and say in the commit what changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

CASES = Path(__file__).resolve().parent / "golden" / "cases"
DIGESTS = Path(__file__).resolve().parent / "golden" / "example-publication.sha256"
BASE = "https://data.example.org/lodpub/"
ISSUED = "2024-03-01"
# every file of a publication but the store (a database whose bytes are the engine's own)
PUBLICATION_FILES = (
    "lodpub.nq.gz",
    "lodpub.nt.gz",
    "lodpub.ttl",
    "lodpub.jsonld",
    "context.jsonld",
    "catalog.ttl",
    "validation-report.ttl",
    "accounting.csv",
    "skipped.csv",
    "summary.json",
    "budget-lines.csv",
    "budget-lines.xlsx",
    "datapackage.json",
    "index.html",
)


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


def publication_digests(out: Path) -> str:
    """`sha256  name` lines of the files of a publication folder."""
    import hashlib

    return "".join(f"{hashlib.sha256((out / name).read_bytes()).hexdigest()}  {name}\n" for name in PUBLICATION_FILES)


def write_publication_digests() -> None:
    import tempfile

    from conftest import in_repository
    from lodpub.build import build

    with tempfile.TemporaryDirectory() as tmp, in_repository():  # the example named as in the repository (conftest.py)
        out = Path(tmp) / "out"
        build(["examples/luohe-2024-budget.txt"], out, base=BASE, issued=ISSUED)
        DIGESTS.write_text(publication_digests(out), encoding="utf-8")
    print(f"digests of {len(PUBLICATION_FILES)} files written to {DIGESTS}")


def main(names: list[str]) -> None:
    if names == ["--publication"]:
        write_publication_digests()
        return
    for case in cases():
        if names and case.name not in names:
            continue
        quads = case_quads(case)
        (case / "expected.nq").write_text("\n".join(quads) + "\n", encoding="utf-8")
        print(f"{case.name}: {len(quads)} quads written to {case / 'expected.nq'}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main(sys.argv[1:])

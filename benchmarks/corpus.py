"""Where the benchmarks find the reference corpus: ../shared/corpus beside the repository (its PDFs at the
top, the regional documents under regions/), or the folder $LODPUB_CORPUS names (as the tests do)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("LODPUB_CORPUS") or ROOT.parent / "shared" / "corpus")


def corpus_pdfs(*, regions: bool = True) -> list[Path]:
    """The corpus's PDF files in the order of their paths: those at its top, and with `regions` every one below it."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.rglob("*.pdf") if regions else CORPUS.glob("*.pdf"))

"""A section of BENCHMARKS.md that one benchmark keeps between its markers (validation.py, load.py,
floor.py): written by the benchmark that measures it (`--write`), read back as it stands by
benchmarks/run.py, which rewrites the file around it."""

from __future__ import annotations

import json
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


class MarkedSection:
    def __init__(self, name: str, heading: str, path: Path = BENCHMARKS):
        self.start, self.end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        self.heading, self.path = heading, path

    def read(self) -> str:
        """The section as it stands in the file, heading to the next heading: the measured part between
        the markers and what was written by hand after them ("" before a first run)."""
        current = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        start, end = current.find(self.heading), current.find(self.end)
        if not 0 <= start < end:
            return ""
        following = current.find("\n## ", end)
        return "\n" + current[start : following if following >= 0 else len(current)].rstrip("\n") + "\n"

    def write(self, text: str) -> None:
        """`text` between the markers, replacing what stood there (a new section at the end the first time)."""
        current = self.path.read_text(encoding="utf-8")
        block = f"{self.start}\n{text}\n{self.end}"
        if self.start in current:
            head, _, rest = current.partition(self.start)
            _, _, tail = rest.partition(self.end)
            current = head + block + tail
        else:
            current = current.rstrip("\n") + f"\n\n{self.heading}\n\n{block}\n"
        self.path.write_text(current, encoding="utf-8")

    def write_with_figures(self, text: str, figures: dict, name: str) -> None:
        """The section, and beside it the raw figures it was written from (benchmarks/NAME.json)."""
        (self.path.parent / "benchmarks" / f"{name}.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.write(text)

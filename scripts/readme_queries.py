"""Copy lodpub/queries/*.rq into the README's example-query section (tests/test_docs.py checks it).

Usage: .venv/bin/python scripts/readme_queries.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START = "<!-- queries: generated from lodpub/queries/*.rq; tests/test_docs.py checks they match -->"
END = "<!-- end of queries -->"
NOTES = {
    "01-expenditure-by-function-class.rq": "On the example it answers 201 一般公共服务支出 3385.51, 208 社会保障和就业支出 512.35, "
    "210 卫生健康支出 128.7, 221 住房保障支出 186.43 (万元): together the document's 合计, 4,212.99 万元.",
}


def render() -> str:
    parts = [START]
    for path in sorted((ROOT / "lodpub" / "queries").glob("*.rq")):
        parts.append(f"`{path.name}`\n\n```sparql\n{path.read_text(encoding='utf-8').rstrip()}\n```")
        if path.name in NOTES:
            parts.append(NOTES[path.name])
    parts.append(END)
    return "\n\n".join(parts)


def updated(text: str) -> str:
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return head + render() + tail


if __name__ == "__main__":
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {README}")

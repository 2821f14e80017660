"""Who may import whom: no import circle among lodpub's modules, and every import goes down the
order of docs/design.md ("Who may import whom"). Every import statement counts, those inside
functions too, so that an import cannot be moved into a function to hide a circle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lodpub"

# From the bottom up: a module may import its own layer's modules (without a circle) and those of
# the layers below. A name stands for the module and everything under it; the longest name wins.
LAYERS = [
    ["lodpub", "lodpub.errors", "lodpub.resources", "lodpub.children"],
    ["lodpub.model", "lodpub.namespaces", "lodpub.media", "lodpub.uris", "lodpub.codelists", "lodpub.specs"],
    ["lodpub.fetch", "lodpub.archive", "lodpub.sources"],
    ["lodpub.recognise"],
    ["lodpub.extract"],
    ["lodpub.records", "lodpub.coverage"],
    ["lodpub.mapping"],
    ["lodpub.vocabulary"],
    ["lodpub.validate"],
    ["lodpub.store"],
    # what a worker writes of one document (the per-document pipeline imports only these of publish)
    [
        "lodpub.publish",
        "lodpub.publish.manifest",
        "lodpub.publish.ntriples",
        "lodpub.publish.turtle",
        "lodpub.publish.context",
        "lodpub.publish.jsonld",
        "lodpub.publish.columns",
        "lodpub.publish.lines",
        "lodpub.publish.pieces",
        "lodpub.publish.accounting",
    ],
    ["lodpub.pipeline"],
    ["lodpub.distributed"],  # the per-document stage as tasks of a Dask cluster
    [
        "lodpub.publish.codefacts",
        "lodpub.publish.datapackage",
        "lodpub.publish.workbook",
        "lodpub.publish.aggregates",
        "lodpub.publish.catalogue",
        "lodpub.publish.reports",
        "lodpub.publish.dumps",
        "lodpub.publish.charts",
        "lodpub.publish.landing",
    ],
    ["lodpub.publish.publication"],
    ["lodpub.build"],
    ["lodpub.serve", "lodpub.push"],
    ["lodpub.cli", "lodpub.options", "lodpub.commands", "lodpub.__main__"],
]

# Known breaks of the order, each with its reason (to be removed, not added to).
EXCEPTIONS = {
    # a spreadsheet's sheet names a table by the file's title, which records.identity reads
    ("lodpub.extract.spreadsheet", "lodpub.records.identity"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The lodpub modules `name` imports, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "lodpub")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "lodpub":
                continue
            for alias in node.names:  # `from . import text` imports a module
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def layer(name: str) -> int:
    best, rank = -1, None
    for i, names in enumerate(LAYERS):
        for n in names:
            if (name == n or name.startswith(n + ".")) and len(n) > best:
                best, rank = len(n), i
    assert rank is not None, f"{name} is in no layer of tests/test_imports.py: add it where it belongs"
    return rank


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_circle():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_go_down_the_layers():
    wrong = sorted((a, b) for a, targets in graph().items() for b in targets if layer(b) > layer(a) and (a, b) not in EXCEPTIONS)
    assert wrong == [], "imports against the order of docs/design.md: " + ", ".join(f"{a} → {b}" for a, b in wrong)


def test_the_pipeline_loads_only_the_pieces_of_publish():
    """The per-document stage imports what writes a document's pieces, not the publication's writers."""
    edges = graph()
    seen, todo = set(), ["lodpub.pipeline"]
    while todo:
        for m in edges[todo.pop()]:
            if m not in seen:
                seen.add(m)
                todo.append(m)
    publish = sorted(m for m in seen if m.startswith("lodpub.publish"))
    assert publish and all(layer(m) <= layer("lodpub.publish.pieces") for m in publish), publish

"""The example graphs beside the shapes (shapes/examples/<file-stem>/), run as anyone would run them:
stock pyshacl with SHACL-AF rules (advanced=True), the shapes graph all of shapes/*.ttl, the data
graph the example plus the shared vocabulary a publication carries (ontology, fixed code lists,
data structure definitions, and the concepts of the classification codes the example uses, made
by lodpub.vocabulary as for a published document).

`X.invalid.ttl` (and `XRounding.invalid.ttl`) must give at least one result of lps:X with its
severity; `X.valid.ttl` none of lps:X. A valid example is wholly clean unless its first comment
says which other shape it leaves speaking (`# also reported: lps:Y`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

SHAPES = Path(__file__).resolve().parent.parent / "shapes"
EXAMPLES = SHAPES / "examples"
LPS = "https://w3id.org/lodpub/shapes#"
FILES = sorted(EXAMPLES.glob("*/*.ttl"))
NAME = re.compile(r"^(?P<shape>[A-Za-z]+)\.(?P<kind>valid|invalid)\.ttl$")
CODE = re.compile(r"^https://w3id\.org/lodpub/code/(function|economic-dept|economic-gov)/([0-9]+)$")
# how many Violation/Warning shapes had examples when this was last written down (all of them): the covered set may
# grow, never shrink
COVERED_AT_LEAST = 52


@lru_cache(maxsize=1)
def shapes() -> Graph:
    g = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def shape_files() -> dict[str, str]:
    """lps:X (local name) → the stem of the shapes file that defines it, for every named node shape."""
    out = {}
    for path in sorted(SHAPES.glob("*.ttl")):
        g = Graph()
        g.parse(path, format="turtle")
        for s in g.subjects(RDF.type, SH.NodeShape):
            if str(s).startswith(LPS):
                out[str(s)[len(LPS) :]] = path.stem
    return out


def severity(shape: URIRef) -> URIRef:
    return shapes().value(shape, SH.severity) or SH.Violation


def serious() -> set[str]:
    """The named shapes that report violations or warnings (not the notes, not derived.ttl's rules)."""
    return {n for n, stem in shape_files().items() if stem != "derived" and severity(URIRef(LPS + n)) != SH.Info}


@lru_cache(maxsize=1)
def fixed_vocabulary() -> str:
    from lodpub.vocabulary import data_structure_definitions, ontology_triples

    return "\n".join(sorted({*ontology_triples(), *data_structure_definitions()})) + "\n"


def code_concepts(example: Graph) -> str:
    """The concepts of the classification codes the example uses, with their broader codes, as the
    vocabulary graph of a publication holds them (lodpub.vocabulary.code_usage, code_concepts)."""
    from lodpub.vocabulary import _parent, code_concepts

    used: dict[str, dict[str, str]] = {}
    for match in filter(None, (CODE.match(str(o)) for o in set(example.objects()))):
        scheme, code = match.groups()
        while code:
            used.setdefault(scheme, {}).setdefault(code, "")
            code = _parent(code)
    return "\n".join(code_concepts(used)) + "\n"


def results(path: Path) -> list[tuple]:
    """(source shape, severity, message) of every result pyshacl reports on the example."""
    return validated(data_part(path.read_text(encoding="utf-8")))


def data_part(text: str) -> str:
    """The example without its opening comment (several valid examples are one graph, told apart by their comment)."""
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)


@lru_cache(maxsize=None)
def validated(text: str) -> list[tuple]:
    data = Graph(store="Oxigraph")
    data.parse(data=text, format="turtle")
    data.parse(data=fixed_vocabulary() + code_concepts(data), format="nt")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes(), advanced=True, allow_warnings=True, inplace=True)
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        out.append((report.value(r, SH.sourceShape), report.value(r, SH.resultSeverity), str(report.value(r, SH.resultMessage))))
    return out


def named(shape) -> str:
    """lps:X of a result's source shape (a property shape counts as its node shape's)."""
    if isinstance(shape, URIRef) and str(shape).startswith(LPS):
        return str(shape)[len(LPS) :]
    for parent in shapes().subjects(SH.property, shape):
        return named(parent)
    return str(shape)


def also_reported(path: Path) -> set[str]:
    """The other shapes a valid example's opening comment says still report (`# also reported: lps:Y`)."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if "also reported:" in line:
            out |= set(re.findall(r"lps:([A-Za-z]+)", line.split("also reported:", 1)[1]))
    return out


def test_every_example_names_a_shape_of_its_file_and_says_what_it_shows():
    assert FILES, "no example under shapes/examples/"
    for path in FILES:
        match = NAME.match(path.name)
        assert match, f"{path.name}: not <ShapeLocalName>.valid.ttl or .invalid.ttl"
        assert shape_files().get(match["shape"]) == path.parent.name, f"{path}: no lps:{match['shape']} in shapes/{path.parent.name}.ttl"
        head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))
        assert re.search(r"[\u4e00-\u9fff]", head) and re.search(r"\b[a-z]+ [a-z]+ [a-z]+\b", head), f"{path.name}: no opening comment in zh and en"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example(path):
    match = NAME.match(path.name)
    assert match, f"{path.name}: not <ShapeLocalName>.valid.ttl or .invalid.ttl"
    name, kind = match["shape"], match["kind"]
    found = results(path)
    mine = [(s, sev, m) for s, sev, m in found if named(s) == name]
    if kind == "invalid":
        assert mine, f"{path.name}: lps:{name} reports nothing; results: {[(named(s), m) for s, _, m in found]}"
        assert all(sev == severity(s) for s, sev, _ in mine), f"{path.name}: results of lps:{name} with another severity"
    else:
        assert not mine, f"{path.name}: lps:{name} reports {[m for _, _, m in mine]}"
        others = {named(s) for s, _, _ in found}
        assert others <= also_reported(path), f"{path.name}: other shapes report {[(named(s), m) for s, _, m in found]}"


def covered() -> set[str]:
    """The shapes that have both an invalid and a valid example (Rounding twins: their invalid example)."""
    names = {(m["shape"], m["kind"]) for m in (NAME.match(p.name) for p in FILES) if m}
    return {n for n, k in names if k == "invalid" and ((n, "valid") in names or n.endswith("Rounding"))}


def test_covered_shapes_do_not_shrink():
    """The Violation/Warning shapes with examples are at least as many as when last counted; the ones
    without are printed (`pytest tests/test_shape_examples.py -s -k shrink`)."""
    done = covered() & serious()
    missing = sorted(serious() - done)
    print(f"\n{len(done)} of {len(serious())} violation/warning shapes have examples; without: {', '.join(missing)}")
    assert len(done) >= COVERED_AT_LEAST


def _quads(ntriples: str) -> list[str]:
    """N-Triples lines as N-Quads lines of one graph (how lodpub.validate takes a document)."""
    return [f"{line[: line.rfind(' .')]} <urn:lodpub:example> ." for line in ntriples.splitlines() if line.strip()]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lodpub_finds_what_stock_pyshacl_finds(path):
    """lodpub's own validation of the example (helpers computed in Python, the SHACL-SPARQL node shapes run
    straight on Oxigraph by lodpub/validate/direct.py, the rest by pyshacl) gives the results stock pyshacl
    gives with the SHACL-AF rules: the same shapes, severities and messages."""
    from lodpub.validate import validate_document

    text = data_part(path.read_text(encoding="utf-8"))
    example = Graph()
    example.parse(data=text, format="turtle")
    quads = _quads(example.serialize(format="nt"))
    vocabulary = _quads(fixed_vocabulary() + code_concepts(example))
    stock = sorted((str(s), str(sev).rsplit("#", 1)[-1], m) for s, sev, m in validated(text) if str(s).startswith(LPS))
    # (named node shapes: a property shape written as a blank node has no name to compare)
    ours = sorted(
        (f.shape, f.severity, f.message) for f in validate_document("example", quads, vocabulary) if f.shape.startswith(LPS) and "-" not in f.shape[len(LPS) :]
    )
    assert ours == stock

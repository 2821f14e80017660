"""Stage 6: validate. Run the SHACL shapes in shapes/ with pyshacl, one document at a time.

Each document's graph is validated together with the shared vocabulary graph (code lists,
data structure definitions), so per-document rules cost the same whatever the size of a batch.
Findings get stable URIs so that the report is byte-identical for the same input.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "shapes"
LP = Namespace("https://w3id.org/lodpub/ontology#")


@dataclass
class Finding:
    document: str  # docid
    severity: str  # Violation | Warning | Info
    rule: str  # the shape's label (or IRI)
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str = ""

    @property
    def key(self) -> str:
        text = "\n".join([self.document, self.shape, self.focus, self.path or "", self.value or "", self.message])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "Warning")

    def conforms(self, strict: bool = False) -> bool:
        return self.violations == 0 and (not strict or self.warnings == 0)


@lru_cache(maxsize=None)
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def _vocabulary_graph(vocabulary_nt: str) -> Graph:
    g = Graph()
    g.parse(data=vocabulary_nt, format="nt")
    return g


def _triples_text(quads: list[str]) -> str:
    """N-Quads lines → N-Triples text (drop the graph name)."""
    out = []
    for q in quads:
        body = q[: q.rstrip(" .").rfind(" <")]
        out.append(body + " .")
    return "\n".join(out) + "\n"


def validate_document(docid: str, quads: list[str], vocabulary_quads: list[str]) -> list[Finding]:
    data = Graph()
    data.parse(data=_triples_text(quads), format="nt")
    vocab = _vocabulary_graph(_triples_text(vocabulary_quads))
    for t in vocab:
        data.add(t)
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), advanced=True, allow_warnings=True, inference="none"
    )
    findings = []
    shapes = shapes_graph()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        shape = report.value(result, SH.sourceShape)
        rule = shapes.value(shape, RDFS.label) or shapes.value(shape, SH.name) or shape
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        findings.append(Finding(
            document=docid, severity=severity, rule=str(rule), focus=str(report.value(result, SH.focusNode)),
            message=str(message) if message else "", path=str(path) if path else None,
            value=str(value) if value is not None else None, shape=str(shape),
        ))
    return sorted(findings, key=lambda f: (f.severity, f.rule, f.focus, f.message))


def report_graph(result: ValidationResult, base: str) -> Graph:
    """A standard sh:ValidationReport with stable IRIs for the report and every result."""
    g = Graph()
    g.bind("sh", SH)
    g.bind("lp", LP)
    report = URIRef(f"{base}validation/report")
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(result.violations == 0)))
    for f in result.findings:
        node = URIRef(f"{base}validation/{f.document}/{f.key}")
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.resultSeverity, SH[f.severity]))
        g.add((node, SH.focusNode, URIRef(f.focus) if f.focus.startswith("http") else Literal(f.focus)))
        g.add((node, SH.resultMessage, Literal(f.message, lang="zh") if f.message else Literal("")))
        g.add((node, SH.sourceShape, URIRef(f.shape) if f.shape.startswith("http") else Literal(f.shape)))
        if f.path:
            g.add((node, SH.resultPath, URIRef(f.path)))
        if f.value is not None:
            g.add((node, SH.value, Literal(f.value)))
        g.add((node, LP.document, URIRef(f"{base}doc/{f.document}")))
    return g


def summary_lines(result: ValidationResult, titles: dict[str, str]) -> list[str]:
    """A readable summary: findings grouped by document and rule."""
    lines = []
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_doc[f.document].append(f)
    for docid in sorted(by_doc):
        findings = by_doc[docid]
        lines.append(f"{titles.get(docid, docid)} [{docid}]")
        by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in findings:
            by_rule[(f.severity, f.rule)].append(f)
        for (severity, rule), group in sorted(by_rule.items()):
            lines.append(f"  {severity}: {rule} ({len(group)})")
            for f in group[:10]:
                lines.append(f"    - {f.message or f.focus}")
            if len(group) > 10:
                lines.append(f"    … {len(group) - 10} more in validation-report.ttl")
    counts = Counter(f.severity for f in result.findings)
    lines.append(f"validation: {counts.get('Violation', 0)} violations, {counts.get('Warning', 0)} warnings, {counts.get('Info', 0)} notes")
    return lines

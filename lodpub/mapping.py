"""Stage 5: RDF. Apply the declarative mappings (mappings/rdf.yaml) to the records of a document.

The engine knows nothing of budgets: it fills the templates of the mapping file with record
fields and writes N-Quads lines, one named graph per document. Lines are written as text (the
fastest way to make RDF in Python) and parsed once by pyoxigraph when loaded or serialised.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote

from .namespaces import MAPPINGS
from .specs import load_yaml
from .records import TOTAL, DocumentRecords, load_labels_project_types
from . import uris
from .uris import DEFAULT_BASE

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


def literal_text(value: str) -> str:
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], value)
    return '"' + value + '"'


def decimal_text(value: Decimal) -> str:
    """The canonical xsd:decimal form of XSD 1.1 (as Oxigraph stores it): 4212.99, 42129900, 0.5."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@lru_cache(maxsize=1 << 16)
def iri_term(text: str) -> str:
    """An N-Triples IRI term; characters not allowed in an IRI are percent-encoded."""
    return "<" + quote(text, safe=":/#?&=%~-._!$'()*+,;@") + ">"


def _value_text(value: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Template:
    """A mapping template such as ``{doc}/table/{table}~iri`` compiled once: `fill(values)` gives
    its N-Triples term, or None when a field it names is empty."""

    def __init__(self, text: str, prefixes: dict[str, str], datatype: str | None = None, language: str | None = None):
        is_iri = text.endswith("~iri")
        text = text[:-4] if is_iri else text
        head, sep, tail = text.partition(":")
        if is_iri and sep and head in prefixes and not tail.startswith("//"):
            text = prefixes[head] + tail  # a CURIE
        parsed = list(Formatter().parse(text))
        self.fields = [name for _, name, _, _ in parsed if name]
        if is_iri:
            self._term = iri_term
        elif language:
            self._term = lambda text: literal_text(text) + language
        elif datatype:
            suffix = "^^<" + datatype + ">"
            self._term = lambda text: literal_text(text) + suffix
        else:
            self._term = literal_text
        if not self.fields:  # a constant
            term = self._term(text)
            self.fill = lambda values: term
        elif len(parsed) == 1 and not parsed[0][0]:  # the whole template is one field: "{amount}"
            self.fill = self._fill_one
        else:  # literal text and fields alternating: ("…/table/", "table"), ("/r", "row") …
            self._pieces = [(literal, name) for literal, name, _, _ in parsed]
            self.fill = self._fill_pieces

    def _fill_one(self, values: dict[str, Any]) -> str | None:
        value = values.get(self.fields[0])
        if value is None or value == "":
            return None
        return self._term(value if type(value) is str else _value_text(value))

    def _fill_pieces(self, values: dict[str, Any]) -> str | None:
        parts = []
        for literal, name in self._pieces:
            if literal:
                parts.append(literal)
            if name is not None:
                value = values.get(name)
                if value is None or value == "":
                    return None
                parts.append(value if type(value) is str else _value_text(value))
        return self._term("".join(parts))


def _expand(curie: str, prefixes: dict[str, str]) -> str:
    if curie == "a":
        return RDF_TYPE
    head, _, tail = curie.partition(":")
    return prefixes[head] + tail if head in prefixes else curie


class Mapping:
    """All the mappings of one mapping file, compiled."""

    def __init__(self, path: Path = MAPPINGS / "rdf.yaml"):
        data = load_yaml(path)
        self.prefixes: dict[str, str] = data["prefixes"]
        p = self.prefixes
        self.dimension_values = {_expand(dim, p): Template(t, p) for dim, t in data.get("dimension_values", {}).items()}
        self.total_values = {_expand(dim, p): Template(t, p) for dim, t in data.get("total_values", {}).items()}
        self.rules: list[tuple[str, Template, list, str | None]] = []
        for name, rule in data["mappings"].items():
            pos = []
            for po in rule["po"]:
                if po == "dimensions":
                    pos.append("dimensions")
                    continue
                predicate = "<" + _expand(po[0], p) + ">"
                extra = po[2] if len(po) > 2 else None
                language = extra if extra and extra.startswith("@") else None
                datatype = _expand(extra, p) if extra and not language else None
                pos.append((predicate, Template(po[1], p, datatype, language)))  # Template expands CURIEs
            self.rules.append((rule["source"], Template(rule["s"] + "~iri", p), pos, rule.get("graph")))

    def quads(self, records: DocumentRecords, base: str = DEFAULT_BASE) -> Iterator[str]:
        """N-Quads lines (without newline) for one document: its own named graph, and the shared
        graphs (organisations) for what several documents state alike."""
        context = document_context(records, base)
        graph = f"<{uris.graph(base, records.docid)}>"
        sources: dict[str, Callable[[], Iterable[dict]]] = {
            "document": lambda: [record_values(records, context)],
            "organisations": lambda: (organisation_values(o, context) for o in records.organisations),
            "tables": lambda: (record_values(t, context) for t in records.tables),
            "observations": lambda: (record_values(o, context) for o in records.observations),
            "projects": lambda: (project_values(pr, context) for pr in records.projects),
            "indicators": lambda: (indicator_values(i, context) for i in records.indicators),
            "statements": lambda: (record_values(s, context) for s in records.statements),
            "definitions": lambda: (record_values(d, context) for d in records.definitions),
            "passages": lambda: (record_values(p, context) for p in records.passages),
            "listed_tables": lambda: ({**context, "title": t[0]} for t in records.listed_tables),
            "image_pages": lambda: _pages(records, "image_pages", context),
            "unreadable_pages": lambda: _pages(records, "unreadable_pages", context),
            "parts": lambda: (record_values(part, context) for part in records.parts),
        }
        document_graph = graph
        for source, subject_template, pos, shared in self.rules:
            if source not in sources:
                continue  # a publication-wide source (publication_quads)
            graph = f"<{uris.graph(base, shared)}>" if shared else document_graph
            yield from self._apply(subject_template, pos, sources[source](), graph)

    def publication_quads(self, sources: dict[str, Iterable[dict]], base: str = DEFAULT_BASE) -> Iterator[str]:
        """N-Quads lines of the mappings whose records belong to the whole publication (such as the
        aggregates), given by source name; each mapping names its shared graph."""
        for source, subject_template, pos, shared in self.rules:
            if source in sources:
                records = ({"base": base, **values} for values in sources[source])
                yield from self._apply(subject_template, pos, records, f"<{uris.graph(base, shared)}>")

    def triples(self, sources: dict[str, Iterable[dict]]) -> Iterator[str]:
        """N-Triples lines of the mappings whose sources are given (for a file of its own, such as
        the catalogue, or a graph the caller names)."""
        for source, subject_template, pos, _ in self.rules:
            if source in sources:
                yield from self._apply(subject_template, pos, sources[source], None)

    def _apply(self, subject_template: Template, pos: list, records: Iterable[dict], graph: str | None) -> Iterator[str]:
        marker = pos.index("dimensions") if "dimensions" in pos else len(pos)
        before, after, dimensions = pos[:marker], pos[marker + 1 :], marker < len(pos)
        fill_subject, tail = subject_template.fill, (f" {graph} ." if graph else " .")
        for values in records:
            subject = fill_subject(values)
            if subject is None:
                continue
            for predicate, template in before:
                obj = template.fill(values)
                if obj is not None:
                    yield f"{subject} {predicate} {obj}{tail}"
            if dimensions:
                yield from self._dimensions(subject, values, graph)
                for predicate, template in after:
                    obj = template.fill(values)
                    if obj is not None:
                        yield f"{subject} {predicate} {obj}{tail}"

    def _dimensions(self, subject: str, values: dict, graph: str) -> Iterator[str]:
        for dim, value in values["dims"].items():
            iri = self.prefixes["lp"] + dim[3:] if dim.startswith("lp:") else dim
            template = self.total_values.get(iri) if value == TOTAL and iri in self.total_values else self.dimension_values[iri]
            if value == "":
                obj = self.total_values[iri].fill(values)
            else:  # the fields the template names, the dimension's value as {value} (no copy of every field)
                obj = template.fill({f: value if f == "value" else values.get(f) for f in template.fields})
            if obj is not None:
                yield f"{subject} <{iri}> {obj} {graph} ."


def _pages(records: DocumentRecords, name: str, context: dict) -> Iterator[dict]:
    """The pages `name` lists (image_pages, unreadable_pages): the document's, and each of its files'
    when it was read from several (`{of}`: the document's URI, or its file's)."""
    for page in getattr(records, name):
        yield {**context, "page": str(page), "of": context["doc"]}
    for part in records.parts:
        for page in getattr(part, name):
            yield {**context, "page": str(page), "of": f"{context['doc']}/file/{part.n}"}


def document_context(records: DocumentRecords, base: str) -> dict[str, Any]:
    return {
        "base": base,
        "doc": uris.document(base, records.docid),
        "org": uris.organisation(base, records.department),
        "fiscal_year": records.fiscal_year,
        "phase": records.phase,
    }


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def record_values(record: Any, context: dict[str, Any]) -> dict[str, Any]:
    values = dict(context)
    if is_dataclass(record):
        for name in _field_names(type(record)):
            value = getattr(record, name)
            if value is None and name in context:
                continue  # a record's own value (a column's phase) overrides the document's, None does not
            values[name] = value
    if values.get("page") == 0:
        values["page"] = None  # text documents have no pages
    return values


def organisation_values(o, context):
    values = record_values(o, context)
    values["iri"] = context["org"] + o.key
    values["class"] = uris.ONTOLOGY + ("BudgetUnit" if o.key else "Department")
    values["parent"] = context["org"] if o.key else None
    return values


def project_values(p, context):
    values = record_values(p, context)
    values["type_code"] = load_labels_project_types().get(p.type or "")
    values["unit_iri"] = context["org"] + (p.unit_key or "")
    return values


def indicator_values(i, context):
    values = record_values(i, context)
    values["owner_iri"] = context["doc"] + ("" if i.owner == "document" else f"/project/{i.owner}")
    return values


@lru_cache(maxsize=None)
def default_mapping() -> Mapping:
    return Mapping()

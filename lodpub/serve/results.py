"""Result serialisation: SELECT and ASK answers as SPARQL JSON, XML, CSV or TSV, graphs as Turtle,
N-Triples, JSON-LD or RDF/XML. Done in the query worker, so that the row cap can stop iteration
early."""

from __future__ import annotations

import html
import json
import re
from typing import Iterable, Sequence

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..publish.jsonld import jsonld_document

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(t.subject), "predicate": _term_json(t.predicate), "object": _term_json(t.object)}}
    return {"type": "literal", "value": str(t)}


def _xml_escape(s: str) -> str:
    # control characters are not allowed in XML 1.0, not even as references
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", html.escape(s, quote=True))


def _term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f'<literal xml:lang="{_xml_escape(t.language)}">{_xml_escape(t.value)}</literal>'
        if t.datatype.value != XSD_STRING:
            return f'<literal datatype="{_xml_escape(t.datatype.value)}">{_xml_escape(t.value)}</literal>'
        return f"<literal>{_xml_escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (
            f"<triple><subject>{_term_xml(t.subject)}</subject><predicate>{_term_xml(t.predicate)}</predicate><object>{_term_xml(t.object)}</object></triple>"
        )
    return f"<literal>{_xml_escape(str(t))}</literal>"


def _term_csv(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def _term_tsv(t) -> str:
    if t is None:
        return ""
    return str(t).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _csv_field(s: str) -> str:
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def serialize_solutions(variables: list[str], rows: Iterable[Sequence], fmt: str) -> bytes:
    """Serialise SELECT solutions (rows of pyoxigraph terms or None) as SPARQL JSON/XML/CSV/TSV."""
    if fmt == "json":
        bindings = []
        for row in rows:
            bindings.append({v: _term_json(t) for v, t in zip(variables, row) if t is not None})
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f'<variable name="{_xml_escape(v)}"/>' for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            out += [f'<binding name="{_xml_escape(v)}">{_term_xml(t)}</binding>' for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(_csv_field(v) for v in variables)]
        lines += [",".join(_csv_field(_term_csv(t)) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_term_tsv(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """Serialise an ASK answer."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
            f'sparql-results#">\n<head/>\n<boolean>{str(value).lower()}</boolean>\n'
            "</sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + ("true" if value else "false") + ("\r\n" if fmt == "csv" else "\n")).encode()
    raise ValueError(f"unknown results format {fmt}")


def serialize_triples(triples: list, fmt: str) -> bytes:
    """Serialise pyoxigraph triples as Turtle, N-Triples, JSON-LD or RDF/XML. JSON-LD is what the
    dump is: lodpub's writer, compacted with the publication's context (given inline)."""
    if fmt == "jsonld" and not any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in triples):
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        return jsonld_document(sorted(set(text.splitlines())))
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    if fmt == "nt":
        triples = sorted(triples, key=str)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)

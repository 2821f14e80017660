"""Content negotiation: which result format a request asks for, by `Accept` header (q-values
honoured) or by a `format=` parameter."""

from __future__ import annotations

from typing import Sequence

# media type -> internal format key; the order is the server's preference on ties
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "jsonld",
}
FORMAT_PARAM = {  # ?format= / ?output= shortcuts -> (results format, rdf format)
    "json": ("json", "jsonld"),
    "srj": ("json", None),
    "xml": ("xml", "rdfxml"),
    "srx": ("xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
    "html": (None, None),
}
RESULT_CTYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv", "tsv": "text/tab-separated-values"}
RDF_CTYPE = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an HTTP Accept header into ``[(media range, q)]`` (lower-cased, parameters dropped)."""
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if not mt:
            continue
        if mt == "*":
            mt = "*/*"
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((mt, q))
    return ranges


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or ``None`` when none is acceptable.

    Each offer takes the q of the most specific range that matches it (``type/sub`` over
    ``type/*`` over ``*/*``); ties go to the earlier offer. No Accept header accepts the first.
    """
    if not header or not header.strip():
        return offers[0] if offers else None
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for offer in offers:
        otype = offer.split("/", 1)[0]
        q, spec = None, -1
        for mt, mq in ranges:
            if mt == offer:
                s = 2
            elif mt == f"{otype}/*":
                s = 1
            elif mt == "*/*":
                s = 0
            else:
                continue
            if s > spec:
                spec, q = s, mq
        if q is not None and q > best_q:
            best, best_q = offer, q
    return best

"""The namespaces lodpub writes, read once from mappings/rdf.yaml (the single place they are declared)."""

from __future__ import annotations

from .resources import MAPPINGS
from .specs import load_yaml

PREFIXES: dict[str, str] = load_yaml(MAPPINGS / "rdf.yaml")["prefixes"]


def sparql_prefixes(*names: str) -> str:
    """A SPARQL prologue declaring the named prefixes (all of them when none is named)."""
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in (names or PREFIXES))

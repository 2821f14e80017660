"""The namespaces lodpub writes, read once from mappings/rdf.yaml (the single place they are declared)."""

from __future__ import annotations

import yaml

from .resources import MAPPINGS

PREFIXES: dict[str, str] = yaml.safe_load((MAPPINGS / "rdf.yaml").read_text(encoding="utf-8"))["prefixes"]


def sparql_prefixes(*names: str) -> str:
    """A SPARQL prologue declaring the named prefixes (all of them when none is named)."""
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in (names or PREFIXES))

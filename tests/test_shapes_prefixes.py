"""Each shapes file stands on its own: every prefix the SPARQL queries of a file use is declared by
that file (sh:declare), not by another file that happens to be loaded beside it, nor left to the
prefixes a SPARQL engine may know by default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.plugins.sparql import prepareQuery

from lodpub.resources import SHAPES

SH = Namespace("http://www.w3.org/ns/shacl#")


def used_prefixes(query: str) -> set[str]:
    """The prefixes of the prefixed names in a SPARQL text (IRIs, strings and comments aside)."""
    text = re.sub(r"<[^>\s]*>", " ", query)
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"[^"\n]*"|\'[^\'\n]*\'', " ", text)
    text = re.sub(r"#[^\n]*", " ", text)
    return set(re.findall(r"(?<![\w$?:/-])([A-Za-z][\w-]*):(?=[A-Za-z_\d\\(])", text))


def test_used_prefixes_are_found():
    assert used_prefixes('SELECT $this WHERE { $this a lp:Budget ; qb:x "a:b" . <http://x/y> skos:p ?v } # c:d') == {"lp", "qb", "skos"}


@pytest.mark.parametrize("path", sorted(SHAPES.glob("*.ttl")), ids=lambda p: p.name)
def test_every_query_uses_only_the_files_own_prefixes(path: Path):
    g = Graph().parse(path, format="turtle")
    declared = {str(p): str(n) for d in g.objects(None, SH.declare) for p in g.objects(d, SH.prefix) for n in g.objects(d, SH.namespace)}
    problems = []
    for kind in (SH.select, SH.ask, SH.construct):
        for shape, query in g.subject_objects(kind):
            missing = used_prefixes(str(query)) - set(declared)
            if missing:
                problems.append(f"{shape}: {sorted(missing)} not declared in {path.name}")
            else:
                prepareQuery(str(query), initNs=declared)  # and it parses
    assert problems == []

"""The catalogue conforms to DCAT-AP 3.0.1, checked with the official SHACL shapes from ../shared/dcat-ap."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from conftest import ROOT

DCAT_AP = ROOT.parent / "shared" / "dcat-ap"


def dcat_ap_shapes() -> Graph:
    """The release's shapes and range shapes together.

    Release 3.0.1 publishes them in two files that refer to each other's property shapes; five
    references point to shapes defined in neither file, and pyshacl refuses to run with them, so
    those five dangling references are dropped (every defined shape is kept).
    """
    g = Graph().parse(DCAT_AP / "3.0.1-dcat-ap-SHACL.ttl")
    g.parse(DCAT_AP / "3.0.1-ranges.ttl")
    for shape, ref in list(g.subject_objects(SH.property)):
        if g.value(ref, SH.path) is None:
            g.remove((shape, SH.property, ref))
    return g


@pytest.mark.skipif(not (DCAT_AP / "3.0.1-dcat-ap-SHACL.ttl").exists(), reason=f"DCAT-AP shapes not found at {DCAT_AP}")
def test_catalogue_conforms_to_dcat_ap(example_build):
    _, out = example_build
    conforms, _, text = pyshacl.validate(Graph().parse(out / "catalog.ttl"), shacl_graph=dcat_ap_shapes(), inference="none")
    assert conforms, text

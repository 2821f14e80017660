"""Each golden case (tests/golden/cases/*/: an input and its expected quads) still gives its quads.
See tests/golden_cases.py for how to add a case."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from golden_cases import case_quads, cases


def _parse(text: str) -> set:
    return set(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_the_case_gives_its_expected_quads(case):
    expected_text = (case / "expected.nq").read_text(encoding="utf-8")
    got_text = "\n".join(case_quads(case)) + "\n"
    expected, got = _parse(expected_text), _parse(got_text)
    if any(isinstance(t, ox.BlankNode) for q in expected | got for t in (q.subject, q.object)):
        a, b = Dataset(), Dataset()
        a.parse(data=expected_text, format="nquads")
        b.parse(data=got_text, format="nquads")
        assert isomorphic(a, b)
        return
    missing = sorted(str(q) for q in expected - got)[:10]
    extra = sorted(str(q) for q in got - expected)[:10]
    assert not missing and not extra, f"{case.name}: missing {missing}\nextra {extra}\n(python tests/golden_cases.py {case.name} rewrites the expectation)"


def test_there_are_cases():
    assert len(cases()) >= 4


def test_the_example_publication_is_byte_for_byte_the_recorded_one(example_build):
    """Every file of the example's publication has the digest recorded in
    tests/golden/example-publication.sha256: a refactoring changes none of them. After a change meant
    to change the output: `python tests/golden_cases.py --publication`, and say what changed."""
    from golden_cases import DIGESTS, ISSUED, publication_digests

    _, out = example_build
    assert ISSUED == "2024-03-01"  # the date the session's example build is issued with (conftest.py)
    recorded = DIGESTS.read_text(encoding="utf-8").splitlines()
    now = publication_digests(out).splitlines()
    changed = [line.split()[-1] for line, was in zip(now, recorded) if line != was]
    assert len(now) == len(recorded) and not changed, f"changed: {changed} (python tests/golden_cases.py --publication after a change meant to change them)"

"""The YAML specs are read by one loader that refuses what YAML would silently accept."""

from __future__ import annotations

import pytest

from lodpub.resources import MAPPINGS
from lodpub.specs import SpecError, load_yaml


@pytest.mark.parametrize("path", sorted(MAPPINGS.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_spec_loads_without_a_duplicate_key(path):
    assert load_yaml(path)


def test_a_key_given_twice_is_refused_with_its_lines(tmp_path):
    """narrative.yaml once held a comment that had lost its `#` (`figures: each pattern …`), which
    YAML read as a key `figures` the real list then replaced without a word."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("figures: each pattern is\n# a comment\nfigures:\n  - {figure: x}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"spec\.yaml: key 'figures' given twice \(lines 1 and 3\)"):
        load_yaml(spec)


def test_nested_duplicates_are_refused_too(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("kinds:\n  a: {title: x, title: y}\n", encoding="utf-8")
    with pytest.raises(SpecError, match="title"):
        load_yaml(spec)


def test_a_merged_key_may_be_overridden(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("base: &b {a: 1, c: 3}\nmine:\n  <<: *b\n  a: 2\n", encoding="utf-8")
    assert load_yaml(spec)["mine"] == {"a": 2, "c": 3}

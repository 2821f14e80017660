"""The YAML specs are read by one loader that refuses what YAML would silently accept, and each is
checked against its JSON Schema (mappings/schemas/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from lodpub.resources import MAPPINGS, SCHEMAS, spec_schema
from lodpub.specs import SpecError, load_yaml, schema_problem


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


# --- the schemas (mappings/schemas/<name>.schema.json) -------------------------------------------

SPECS = sorted(MAPPINGS.rglob("*.yaml"))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_spec_has_a_schema_and_passes_it(path):
    schema = spec_schema(path)
    assert schema is not None, f"{path.name} has no schema: write mappings/schemas/{path.stem}.schema.json"
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert schema_problem(load_yaml(path), node, schema) is None


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_every_schema_is_a_valid_draft_2020_12_schema_of_a_spec(schema):
    contents = json.loads(schema.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(contents)
    assert contents["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert contents["$id"].endswith("/" + schema.name)
    assert schema.name.endswith(".schema.json")
    stem = schema.name.removesuffix(".schema.json")
    assert stem == "common" or [p for p in SPECS if p.stem == stem], f"{schema.name} is the schema of no spec"


def test_spec_names_are_unique_since_a_schema_is_found_by_file_name():
    assert len({p.name for p in SPECS}) == len(SPECS)


def _spec(tmp_path, name: str, change) -> Path:
    """A copy of the spec `name` (kept under its file name, so its schema applies) with one change."""
    original = next(p for p in SPECS if p.name == name).read_text(encoding="utf-8")
    changed = change(original)
    assert changed != original
    path = tmp_path / name
    path.write_text(changed, encoding="utf-8")
    return path


def _refused(path: Path) -> str:
    with pytest.raises(SpecError) as caught:
        load_yaml(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:") and "\n" not in message
    return message


def _line_of(path: Path, message: str) -> str:
    return path.read_text(encoding="utf-8").splitlines()[int(message.split(":")[1]) - 1]


def test_an_unknown_key_is_refused_at_its_line(tmp_path):
    path = _spec(tmp_path, "kinds.yaml", lambda t: t.replace("    axis: project\n", "    axes: project\n", 1))
    message = _refused(path)
    assert "$.kinds[0].axes: unknown key 'axes'" in message
    assert _line_of(path, message).strip() == "axes: project"


def test_a_misspelt_key_in_a_merged_block_is_refused_where_it_is_written(tmp_path):
    path = _spec(tmp_path, "kinds.yaml", lambda t: t.replace("  indicator_header: [", "  indicator_headers: [", 1))
    message = _refused(path)
    assert "unknown key 'indicator_headers'" in message
    assert _line_of(path, message).startswith("  indicator_headers:")


def test_a_wrong_type_is_refused(tmp_path):
    path = _spec(tmp_path, "labels.yaml", lambda t: t.replace('行政运行: "01"', "行政运行: 01", 1))  # YAML reads 01 as the number 1
    message = _refused(path)
    assert "$.function_generic_items.行政运行: 1 is not of type 'string'" in message
    assert _line_of(path, message).startswith("  行政运行: 01")


def test_a_value_outside_its_enumeration_is_refused(tmp_path):
    path = _spec(tmp_path, "rdf.yaml", lambda t: t.replace("    graph: organisations\n", "    graph: organisation\n", 1))
    assert "$.mappings.organisation.graph: 'organisation' is not one of" in _refused(path)


def test_a_missing_required_key_is_refused(tmp_path):
    path = _spec(tmp_path, "narrative.yaml", lambda t: t.replace("  longest: 400\n", "", 1))
    assert "$.function_items: the required key 'longest' is missing" in _refused(path)


def test_an_unread_top_level_anchor_block_is_refused(tmp_path):
    """A `defaults: &d` block at the top, merged into a kind: its keys reach the kind, but the block
    itself is a key nothing reads."""
    path = _spec(tmp_path, "kinds.yaml", lambda t: "defaults: &d {axis: unit}\n" + t.replace("<<: *project-form-data", "<<: [*project-form-data, *d]", 1))
    message = _refused(path)
    assert "kinds.yaml:1: $.defaults: unknown key 'defaults'" in message


def test_an_anchor_no_alias_uses_is_refused(tmp_path):
    path = _spec(
        tmp_path, "kinds.yaml", lambda t: t.replace("  economic-grid: &economic-grid", "  spare-grid: &spare [lp:project]\n  economic-grid: &economic-grid", 1)
    )
    message = _refused(path)
    assert "anchor &spare is never used" in message
    assert _line_of(path, message).startswith("  spare-grid:")


def test_a_header_entry_that_says_nothing_is_refused(tmp_path):
    path = _spec(tmp_path, "headers.yaml", lambda t: t.replace("{headers: [其中], group: true}", "{headers: [其中]}", 1))
    assert "needs one of the keys key, axis" in _refused(path)


def test_a_key_the_catalogue_does_not_read_is_refused(tmp_path):
    path = _spec(tmp_path, "catalogue.yaml", lambda t: t.replace("    source: catalogue\n", "    source: catalogue\n    graph: aggregates\n", 1))
    assert "$.mappings.catalog.graph: this key is not allowed here" in _refused(path)


def _undescribed(node, where: str):
    """The properties of a schema that say neither what they mean (description) nor where that is said ($ref)."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                yield f"{where}/properties/{name}"
        for key, value in node.items():
            yield from _undescribed(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _undescribed(value, f"{where}/{n}")


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_every_key_of_a_schema_is_described(schema):
    """The schemas are the specs' documentation: each key says what it means."""
    contents = json.loads(schema.read_text(encoding="utf-8"))
    assert contents.get("description")
    assert not list(_undescribed(contents, "#"))
    for name, definition in contents.get("$defs", {}).items():
        assert definition.get("description"), f"$defs/{name}"


def test_the_title_rules_of_kinds_name_word_groups_that_exist():
    """What a schema cannot say: a title rule naming a word group kinds.yaml does not define (a
    misspelling) would never be met, silently."""
    data = load_yaml(next(p for p in SPECS if p.name == "kinds.yaml"))
    for kind in data["kinds"]:
        for rule in kind["title"] if isinstance(kind["title"], list) else [kind["title"]]:
            named = {g for key in ("all", "any", "none") for g in rule.get(key, [])}
            assert named <= set(data["words"]), f"{kind['kind']}: {sorted(named - set(data['words']))}"

"""Reading the YAML specs of mappings/ (rdf.yaml, narrative.yaml, tables/*.yaml): the one loader.

YAML lets a key appear twice in a mapping and keeps the last value silently, so a block pasted
twice, or a comment that lost its `#`, would change a spec without anyone seeing it. This loader
refuses a duplicate key, naming the file and both lines, and an anchor (`&name`) that no alias uses.

Each spec has a JSON Schema (draft 2020-12), mappings/schemas/<name>.schema.json, found by the spec's
file name (lodpub.resources.spec_schema): the keys it may have, which are required, their types and
values. The loader checks the spec against it, so that a misspelt key, a key nothing reads (a
`defaults: &d` block at the top) or a value of the wrong type is refused when the spec is loaded, in
one line naming the file, the line and the path of the offending key.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import LodpubError
from .resources import SCHEMAS, spec_schema

_MERGE = "tag:yaml.org,2002:merge"


class SpecError(LodpubError):
    """A spec file that cannot be read as lodpub's YAML."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one mapping and an anchor no alias uses."""

    def __init__(self, stream):
        super().__init__(stream)
        self.defined: dict[str, yaml.Mark] = {}
        self.used: set[str] = set()

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.used.add(event.anchor)
        elif event.anchor is not None:
            self.defined.setdefault(event.anchor, event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue  # `<<: *anchor`: keys merged in may be overridden, that is what merging is for
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice (lines {seen[key]} and {line})", key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path) -> Any:
    """The data of a YAML spec, checked against its schema when it has one; SpecError, naming the
    file and the line, on a syntax error, a duplicate key, an unused anchor or data the schema refuses."""
    path = Path(path)
    try:
        loader = _UniqueKeyLoader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: {exc}") from None
    unused = sorted(set(loader.defined) - loader.used, key=lambda a: loader.defined[a].line)
    if unused:
        anchor = unused[0]
        raise SpecError(f"{path}:{loader.defined[anchor].line + 1}: anchor &{anchor} is never used (no alias *{anchor}): a block nothing reads")
    schema = spec_schema(path)
    if schema is not None:
        problem = schema_problem(data, node, schema)
        if problem:
            raise SpecError(f"{path}:{problem}")  # file:line: $.json.path: what
    return data


# --- the schemas --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _registry():
    """Every schema of mappings/schemas by its $id, so that one may refer to another (common.schema.json)."""
    from referencing import Registry, Resource

    resources = []
    for file in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(file.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def schema_validator(schema: Path):
    """The compiled validator of a schema file (tests/test_specs.py checks the schemas themselves
    against the draft 2020-12 metaschema, so that loading a spec does not)."""
    from jsonschema import Draft202012Validator

    contents = json.loads(Path(schema).read_text(encoding="utf-8"))
    return Draft202012Validator(contents, registry=_registry())


def schema_problem(data: Any, node: yaml.Node | None, schema: Path) -> str | None:
    """What the schema finds wrong with the data, as `line: json.path: what` (the line from the YAML
    nodes), or None when the data is valid."""
    from jsonschema.exceptions import best_match

    errors = list(schema_validator(schema).iter_errors(data))
    if not errors:
        return None
    # an unknown key is the likeliest mistake (a misspelling): named before what its absence breaks
    unknown = [e for e in _all_errors(errors) if e.validator == "additionalProperties" and isinstance(e.instance, dict)]
    error = min(unknown, key=lambda e: _line(node, list(e.absolute_path)) if node is not None else 0) if unknown else best_match(errors)
    path, what = list(error.absolute_path), error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in known]
        if extra:
            path.append(extra[0])
            what = f"unknown key {extra[0]!r} (the keys are: {', '.join(known)})"
    elif error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        what = f"the required key {missing[0]!r} is missing" if missing else what
    elif error.validator == "anyOf" and all(set(s) == {"required"} for s in error.validator_value):
        what = f"needs one of the keys {', '.join(k for s in error.validator_value for k in s['required'])}"
    elif error.validator in ("anyOf", "oneOf"):
        what = f"{error.instance!r} is none of: {error.schema['description']}" if "description" in error.schema else what
    elif error.validator == "not" and error.validator_value == {}:
        what = "this key is not allowed here"
    if len(what) > 300:
        what = what[:300] + "…"
    line = _line(node, path) if node is not None else 1
    return f"{line}: {_json_path(path)}: {what}"


def _all_errors(errors):
    for error in errors:
        yield error
        yield from _all_errors(error.context)


def _json_path(path: list) -> str:
    text = "$"
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


def _line(node: yaml.Node, path: list) -> int:
    """The line (1-based) of the key or item at `path`, or of the deepest node on the way that exists."""
    mark = node.start_mark
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = _key_and_value(node, step)
            if found is None:
                break
            key_node, node = found
            mark = key_node.start_mark
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return mark.line + 1


def _key_and_value(node: yaml.MappingNode, key: Any) -> tuple[yaml.Node, yaml.Node] | None:
    """The key node and value node of `key` in a mapping node: its own, else one merged in (<<)."""
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE and isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
            return key_node, value_node
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            for merged in value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                if isinstance(merged, yaml.MappingNode):
                    found = _key_and_value(merged, key)
                    if found:
                        return found
    return None

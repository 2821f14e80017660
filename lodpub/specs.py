"""Reading the YAML specs of mappings/ (rdf.yaml, narrative.yaml, tables/*.yaml): the one loader.

YAML lets a key appear twice in a mapping and keeps the last value silently, so a block pasted
twice, or a comment that lost its `#`, would change a spec without anyone seeing it. This loader
refuses a duplicate key, naming the file and both lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import LodpubError


class SpecError(LodpubError):
    """A spec file that cannot be read as lodpub's YAML."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor`: keys merged in may be overridden, that is what merging is for
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice (lines {seen[key]} and {line})", key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path) -> Any:
    """The data of a YAML spec; SpecError on a duplicate key or a syntax error, naming the file."""
    path = Path(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: {exc}") from None

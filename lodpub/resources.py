"""Where lodpub's own files are: the one module that knows.

The ontology, the mappings and the shapes are top-level folders of the repository (`ontology/`,
`mappings/`, `shapes/`), so that they read as the project's data rather than as code; a wheel
carries them inside the package as `lodpub/_data/{ontology,mappings,shapes}` (pyproject.toml maps
them there). The bundled queries and the static files of the query page and the landing page are
package data (`lodpub/queries/`, `lodpub/static/`). Everything is found through
`importlib.resources`, so that lodpub runs the same from the repository (an editable install)
and from an installed wheel.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import LodpubError, printable

_PACKAGE = Path(str(resources.files("lodpub")))


def _data_folder(name: str) -> Path:
    """A data folder inside the installed package, else the repository's top-level one."""
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


ONTOLOGY = _data_folder("ontology")
MAPPINGS = _data_folder("mappings")
SHAPES = _data_folder("shapes")
SCHEMAS = MAPPINGS / "schemas"  # a JSON Schema per YAML spec of mappings/ (lodpub.specs checks the specs with them)
QUERIES = _PACKAGE / "queries"
CODE = _PACKAGE  # lodpub's own modules (what a cached result depends on, with the data folders)


# YASGUI, the SPARQL editor of the query page of `lodpub serve`: installed by scripts/setup with npm
# into the repository's node_modules (not committed, not in a wheel); LODPUB_YASGUI names another
# folder holding its build (yasgui.min.js, yasgui.min.css), or "none" for the plain page
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
YASGUI_BUILD = _PACKAGE.parent / "node_modules" / "@zazuko" / "yasgui" / "build"


def yasgui_folder() -> Path | None:
    """The folder of YASGUI's build when it is installed, else None (looked up when asked)."""
    given = os.environ.get("LODPUB_YASGUI")
    folder = Path(given) if given else YASGUI_BUILD
    return folder if all((folder / name).is_file() for name in YASGUI_FILES) else None


def spec_schema(spec: str | Path) -> Path | None:
    """The JSON Schema of a YAML spec, by its file name (`kinds.yaml` → schemas/kinds.schema.json);
    None when there is none."""
    path = SCHEMAS / (Path(spec).stem + ".schema.json")
    return path if path.is_file() else None


def static_bytes(name: str) -> bytes:
    """A file of lodpub/static (FileNotFoundError when there is none)."""
    return (resources.files("lodpub") / "static" / name).read_bytes()


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    """A file of lodpub/static as text."""
    return static_bytes(name).decode("utf-8")


def bundled_query(name: str) -> Path | None:
    """The bundled query (lodpub/queries/*.rq) named by `name`: its file name, its stem, or the
    number it starts with (`01`); None when there is none or several."""
    candidates = [p for p in sorted(QUERIES.glob("*.rq")) if name in (p.name, p.stem) or p.stem.split("-", 1)[0] == name]
    return candidates[0] if len(candidates) == 1 else None


def query_text(name: str) -> str:
    """The text of a query file, or of the bundled query (lodpub/queries/) that name or number names."""
    path = Path(name)
    if not path.is_file():
        path = bundled_query(name)
        if path is None:
            raise LodpubError(
                f"{printable(name)}: no such query file, and no bundled query of that name or number "
                "(lodpub/queries/: " + ", ".join(p.stem for p in sorted(QUERIES.glob("*.rq"))) + ")"
            )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LodpubError(f"{printable(str(path))}: not a UTF-8 text file") from None
    except OSError as error:
        raise LodpubError(f"{printable(str(path))}: {error.strerror or error}") from None


def example_queries() -> list[tuple[str, str]]:
    """(title, text) of every bundled query, the title taken from its first comment line."""
    out = []
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = next((l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("#")), path.stem)
        out.append((title, text))
    return out

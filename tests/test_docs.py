"""The documentation says what the code does: generated parts are current, every command documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from click.testing import CliRunner

from lodpub.cli import main

ROOT = Path(__file__).resolve().parents[1]


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == load("cli_docs").render(), "docs/cli.md is stale: run scripts/cli_docs.py"


def test_readme_queries_are_the_shipped_queries():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert load("readme_queries").updated(readme) == readme, "README queries are stale: run scripts/readme_queries.py"


def test_every_command_has_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    for name in main.commands:
        help_text = runner.invoke(main, [name, "--help"]).output
        assert "Example:" in help_text, name
        assert f"lodpub {name} " in readme, name


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/run-example" in readme and "scripts/test" in readme
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_cli_docs_do_not_depend_on_the_machine():
    """docs/cli.md is generated from --help: a default that is this machine's core count would make it
    differ between machines (and the drift test fail on any other)."""
    import re

    text = load("cli_docs").render()
    jobs = [line for line in text.splitlines() if "--jobs" in line]
    assert jobs and not any(re.search(r"\[default: \d", line) for line in jobs), jobs

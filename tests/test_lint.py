"""The linter passes on lodpub, its tests and scripts, and the formatter has nothing to change
(configuration: [tool.ruff] in pyproject.toml; ruff is pinned there, as its format changes between versions)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff() -> list[str] | None:
    try:
        import ruff  # noqa: F401 - installed with the test extras
    except ImportError:
        found = shutil.which("ruff")
        return [found] if found else None
    return [sys.executable, "-m", "ruff"]


def test_ruff_finds_nothing():
    command = ruff()
    if command is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    done = subprocess.run(command + ["check", "--no-cache", "lodpub", "tests", "scripts"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_formatter_has_nothing_to_change():
    """`ruff format` is the house style: run it before committing (CI runs this check)."""
    command = ruff()
    if command is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    done = subprocess.run(
        command + ["format", "--check", "--no-cache", "lodpub", "tests", "scripts", "benchmarks"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, "run `ruff format lodpub tests scripts benchmarks`:\n" + done.stdout + done.stderr

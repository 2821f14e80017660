"""lodpub runs from a built wheel, not only from the repository: the ontology, mappings and shapes
(top-level folders of the repository) travel inside the wheel and lodpub.resources finds them.

The wheel is built from a copy of the sources and installed (--no-deps) into a fresh virtual
environment that sees the dependencies already installed here but not this lodpub (each entry of
this environment's site-packages is linked in, except lodpub's own); then, from a folder outside
the repository, `lodpub --help`, `lodpub build` on the example and `lodpub query @01` run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import EXAMPLE, free_port
from test_push import fake_store  # noqa: F401  (the fixture: a Graph Store on loopback)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "lodpub", "ontology", "mappings", "shapes"]


def run(args: list, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh environment with lodpub installed from its wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    for junk in src.rglob("__pycache__"):
        shutil.rmtree(junk, ignore_errors=True)
    built = run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", tmp / "dist"], src, timeout=120)
    wheels = sorted((tmp / "dist").glob("lodpub-*.whl"))
    if built.returncode != 0 or not wheels:
        pytest.skip(f"cannot build a wheel here (offline without setuptools>=77?): {built.stderr.strip()[-300:]}")
    venv = tmp / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", venv], tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).stdout.strip())
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():  # the dependencies, not this lodpub
        if "lodpub" not in entry.name.lower():
            (site / entry.name).symlink_to(entry)
    done = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheels[0]], tmp, timeout=120)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def test_the_installed_wheel_builds_and_queries_outside_the_repository(installed, tmp_path):
    where = run(
        [installed / "python", "-c", "import lodpub, lodpub.resources as r; print(lodpub.__file__); print(r.SHAPES); print(r.spec_schema('kinds.yaml'))"],
        tmp_path,
    )
    assert where.returncode == 0, where.stderr
    module, shapes, schema = where.stdout.split()
    assert not module.startswith(str(ROOT)) and str(installed.parent) in module
    assert shapes.endswith("lodpub/_data/shapes") and any(Path(shapes).glob("*.ttl"))
    assert schema.endswith("lodpub/_data/mappings/schemas/kinds.schema.json")  # the specs are checked in a wheel too

    shown = run([installed / "lodpub", "--help"], tmp_path)
    assert shown.returncode == 0 and "build" in shown.stdout, shown.stderr

    example = tmp_path / "input.txt"
    shutil.copy(EXAMPLE, example)
    built = run([installed / "lodpub", "build", example, "--out", tmp_path / "out", "--issued", "2024-03-01"], tmp_path, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "0 violations" in built.stdout and (tmp_path / "out" / "index.html").is_file()

    answer = run([installed / "lodpub", "query", "@01", "--store", tmp_path / "out", "--format", "csv"], tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith("year,class,name,wanyuan") and "一般公共服务支出" in answer.stdout


def test_every_command_of_the_installed_wheel_runs_outside_the_repository(installed, tmp_path, fake_store):  # noqa: F811
    """validate, serve and push from the installed wheel too (build and query: the test above), each from
    a folder outside the repository, on loopback."""
    import time
    import urllib.request

    example = tmp_path / "input.txt"
    shutil.copy(EXAMPLE, example)
    checked = run([installed / "lodpub", "validate", example], tmp_path, timeout=120)
    assert checked.returncode == 0 and "0 violations" in checked.stdout + checked.stderr, checked.stdout + checked.stderr

    out = tmp_path / "out"
    built = run([installed / "lodpub", "build", example, "--out", out, "--issued", "2024-03-01"], tmp_path, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr

    endpoint, store = fake_store
    pushed = run([installed / "lodpub", "push", out, "--endpoint", endpoint], tmp_path, timeout=120)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert len(store.graphs) >= 2  # a graph per document, and the shared ones

    port = free_port()
    server = subprocess.Popen([str(installed / "lodpub"), "serve", str(out), "--port", str(port)], cwd=tmp_path, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"}), timeout=10) as answer:
                    assert b'"boolean":true' in answer.read().replace(b" ", b"")
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "lodpub serve did not answer"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
    finally:
        server.terminate()
        server.wait(timeout=30)

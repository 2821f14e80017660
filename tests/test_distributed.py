"""`lodpub build --scheduler`: the per-document stage on a Dask cluster (here a LocalCluster of two
worker processes on loopback) gives the same publication, byte for byte, as a local build of the
same inputs, and a document that fails is reported as a local build reports it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BASE, EXAMPLE, ROOT, in_repository


def _inputs(folder: Path) -> list[str]:
    """The example, a copy with other figures (another department and year), and a garbage file."""
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    other = text.replace("漯河市人民政府办公室", "漯河市分布式测试局").replace("2024", "2023").replace("364.10", "365.20").replace("296.36", "297.46")
    (folder / "luohe-2023-other.txt").write_text(other, encoding="utf-8")
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    return [str(EXAMPLE.relative_to(ROOT)), str(folder / "luohe-2023-other.txt"), str(folder / "garbage.pdf")]


LIMIT = 180  # seconds a build on the cluster may take here (two documents take ~10 s)


def within(fn, *args, **kwargs):
    """fn(*args, **kwargs), failing the test when it has not returned within LIMIT seconds (a hung cluster)."""
    import threading

    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - raised again below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT)
    assert not thread.is_alive(), f"{getattr(fn, '__name__', fn)} took more than {LIMIT} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'lodpub[distributed]')")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster


def test_cluster_build_is_the_local_build(cluster, tmp_path):
    from lodpub.build import build, document_lines

    inputs = _inputs(tmp_path / "inputs")
    with in_repository():
        local = build(inputs, tmp_path / "local", base=BASE, jobs=1, issued="2024-03-01")
        seen = []
        remote = within(build, inputs, tmp_path / "remote", base=BASE, issued="2024-03-01", scheduler=cluster.scheduler_address, progress=seen.append)
    assert [d.location for d in seen] == inputs  # in input order, as the local pool gives them
    assert document_lines(remote) == document_lines(local)
    assert len(remote.failed) == 1 and "garbage.pdf" in remote.failed[0].error
    assert len(remote.succeeded) == 2
    here, there = _files(tmp_path / "local"), _files(tmp_path / "remote")
    assert sorted(here) == sorted(there)
    assert [name for name in here if here[name] != there[name]] == []
    assert remote.publication.quads == local.publication.quads


def test_cluster_build_keeps_the_cache(cluster, tmp_path):
    """With --cache, a document is looked up and kept in the build's process: the second build sends nothing."""
    from lodpub.build import build

    inputs = _inputs(tmp_path / "inputs")[1:2]
    first = within(build, inputs, tmp_path / "one", base=BASE, issued="2024-03-01", cache_dir=tmp_path / "cache", scheduler=cluster.scheduler_address)
    again = build(inputs, tmp_path / "two", base=BASE, issued="2024-03-01", cache_dir=tmp_path / "cache", scheduler="tcp://127.0.0.1:9")  # no scheduler there
    assert _files(tmp_path / "one") == _files(tmp_path / "two") and first.succeeded and again.succeeded


def test_cli_without_dask_names_the_extra(tmp_path, monkeypatch):
    from lodpub.cli import main

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert run.exit_code != 0
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "lodpub[distributed]" in lines[0], run.output
    assert not (tmp_path / "out").exists()


def test_a_bad_address_is_one_line(tmp_path):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install 'lodpub[distributed]')")
    from lodpub.cli import main

    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(tmp_path / "out"), "--scheduler", "localhost"])
    assert run.exit_code != 0 and "tcp://HOST:8786" in run.output and len(run.output.strip().splitlines()) == 1, run.output


def test_a_lost_worker_s_task_runs_again(cluster, tmp_path):
    """A worker killed while it reads a document: Dask runs the task again on another, the build goes on
    and gives the files a build without the loss gives."""
    import os
    import signal
    import threading
    import time

    from lodpub.build import build

    inputs = _inputs(tmp_path / "inputs")[:2]
    killed: list[int] = []

    def kill_a_busy_worker():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [ts.processing_on.address for ts in list(cluster.scheduler.tasks.values()) if ts.state == "processing" and ts.processing_on]
            for nanny in list(cluster.workers.values()):
                process = getattr(nanny.process, "process", None)  # the worker's process (distributed.process.AsyncProcess)
                if busy and nanny.worker_address == busy[0] and process is not None and process.pid:
                    os.kill(process.pid, signal.SIGKILL)
                    killed.append(process.pid)
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    with in_repository():
        remote = within(build, inputs, tmp_path / "remote", base=BASE, issued="2024-03-01", scheduler=cluster.scheduler_address)
        killer.join(5)
        build(inputs, tmp_path / "local", base=BASE, jobs=1, issued="2024-03-01")
    assert killed, "no worker was seen reading a document"
    assert not remote.failed, [d.error for d in remote.failed]
    assert _files(tmp_path / "remote") == _files(tmp_path / "local")


def test_a_task_that_could_not_run_or_ran_another_lodpub_is_its_document_s_failure():
    """What comes back from the cluster is checked: an exception (a worker lost too often, lodpub missing
    there) or a result of another lodpub (another fingerprint) is a failed document, never the build's end."""
    from lodpub.distributed import _received
    from lodpub.pipeline import DocumentResult

    class Returned:
        def __init__(self, value=None, error=None):
            self.value, self.error = value, error

        def result(self):
            if self.error:
                raise self.error
            return self.value

    lost = _received(Returned(error=RuntimeError("KilledWorker: lost 3 times")), "a.txt", "mine", None, None, None)
    assert lost.error.startswith("a.txt: failed on the cluster: RuntimeError")
    other = _received(Returned(("theirs", DocumentResult("a.txt", docid="d"), {})), ["a.txt", "b.txt"], "mine", None, None, None)
    assert "a.txt + b.txt" in other.error and "another lodpub" in other.error


def test_the_files_of_one_disclosure_are_paired_on_the_cluster(cluster, tmp_path):
    """A 情况说明 paired with its 报表 (and two files given --together) are read on the cluster as one
    document, as a local build reads them."""
    from lodpub.build import build, document_lines
    from test_identity import NARRATIVE, TABLES, write

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "2026年北京市某某局部门预算.txt", NARRATIVE)
    write(folder / "附件2：北京市某某局2026年度部门预算报表.txt", TABLES)
    write(folder / "2026年北京市另一局部门预算.txt", [line.replace("某某局", "另一局") for line in NARRATIVE])
    for together, inputs in ((False, [str(folder)]), (True, [str(p) for p in sorted(folder.iterdir())[1:]])):
        local = build(inputs, tmp_path / f"local-{together}", issued="2026-01-01", jobs=1, together=together)
        remote = within(build, inputs, tmp_path / f"remote-{together}", issued="2026-01-01", together=together, scheduler=cluster.scheduler_address)
        assert document_lines(remote) == document_lines(local)
        assert any(" + " in d.location for d in remote.succeeded)
        assert _files(tmp_path / f"remote-{together}") == _files(tmp_path / f"local-{together}")


def test_cli_build_on_the_cluster(cluster, tmp_path):
    """`lodpub build … --scheduler ADDRESS`: the lines of a local build, the failed document's among them (exit 1)."""
    from lodpub.cli import main

    inputs = [str(EXAMPLE), _inputs(tmp_path / "inputs")[2]]
    local = CliRunner().invoke(main, ["build", *inputs, "--out", str(tmp_path / "local"), "-j", "1", "--issued", "2024-03-01"])
    remote = within(
        CliRunner().invoke, main, ["build", *inputs, "--out", str(tmp_path / "remote"), "--scheduler", cluster.scheduler_address, "--issued", "2024-03-01"]
    )
    assert remote.exit_code == local.exit_code == 1, remote.output
    assert remote.output.replace("remote", "local") == local.output
    assert any(line.startswith("FAILED") and "garbage.pdf" in line for line in remote.output.splitlines())


def test_cli_validate_on_the_cluster(cluster, tmp_path):
    """`lodpub validate … --scheduler ADDRESS` prints what a local validation prints (exit 1 for the garbage)."""
    from lodpub.cli import main

    inputs = [str(EXAMPLE), _inputs(tmp_path / "inputs")[2]]
    local = CliRunner().invoke(main, ["validate", *inputs, "-j", "1"])
    remote = within(CliRunner().invoke, main, ["validate", *inputs, "--scheduler", cluster.scheduler_address])
    assert remote.exit_code == local.exit_code == 1, remote.output
    assert remote.output == local.output and "0 violations" in remote.output


def test_a_url_is_fetched_by_the_worker(cluster, tmp_path):
    """A URL travels as it is: the worker that reads the document fetches it."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from lodpub.build import build

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(EXAMPLE.parent)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/{EXAMPLE.name}"
        remote = within(build, [url], tmp_path / "remote", base=BASE, issued="2024-03-01", scheduler=cluster.scheduler_address)
        local = build([url], tmp_path / "local", base=BASE, jobs=1, issued="2024-03-01")
    finally:
        httpd.shutdown()
    assert not remote.failed, [d.error for d in remote.failed]
    (doc,) = remote.succeeded
    assert doc.url == url and doc.docid == local.succeeded[0].docid and remote.publication.quads == local.publication.quads


def test_a_document_inside_a_zip_archive_is_read_by_a_worker(cluster, tmp_path, monkeypatch):
    """The build's process takes the document out of its archive and sends its bytes: the worker reads
    it under the archive's name for it, as a local build does."""
    import zipfile

    from lodpub import distributed
    from lodpub.build import build

    archive = tmp_path / "budgets.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(EXAMPLE, "2024/部门预算.txt")
    location = f"{archive}/2024/部门预算.txt"
    local = build([str(archive)], tmp_path / "local", base=BASE, jobs=1, issued="2024-03-01")
    monkeypatch.setattr(distributed, "process", lambda *args, **kwargs: pytest.fail(f"read in the build's process: {args}"))
    remote = within(build, [str(archive)], tmp_path / "remote", base=BASE, issued="2024-03-01", scheduler=cluster.scheduler_address)
    assert [d.location for d in remote.succeeded] == [d.location for d in local.succeeded] == [location]
    assert _files(tmp_path / "remote") == _files(tmp_path / "local")


def test_a_cluster_without_workers_is_one_line(tmp_path):
    """Tasks sent to a scheduler no worker has joined would wait for ever: the build stops with a line instead."""
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'lodpub[distributed]')")
    from lodpub.distributed import process_on_cluster
    from lodpub.errors import LodpubError

    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None) as empty:
        with pytest.raises(LodpubError, match="no worker joined"):
            within(process_on_cluster, [str(EXAMPLE)], empty.scheduler_address, workdir=tmp_path, timeout=2)

"""A throw-away Virtuoso instance for tests: its own virtuoso.ini, database folder and free
loopback ports, a folder it may read files from (``load_dir``, for the bulk loader); dba password set and SPARQL_UPDATE granted through isql; stopped at the end.

Use it from a test module with ``from virtuoso_fixture import virtuoso  # noqa: F401``.
Needs the Debian package ``virtuoso-opensource`` (binaries ``virtuoso-t`` and ``isql-vt``); the
tests that use it are skipped, saying so, when the binary is absent.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql-v")
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"
SKIP_REASON = "Virtuoso is not installed (virtuoso-t / isql-vt not on PATH): apt-get install -y virtuoso-opensource"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
CheckpointInterval = 60
DirsAllowed = ., {vad}, {root}/load
VADInstallDir = {vad}/
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 256M
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}/www
ServerThreads = 6
MaxClientConnections = 6
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    """One Virtuoso server process rooted in ``root``."""

    user = "dba"

    def __init__(self, root: Path, password: str = "lodpub-test-pw", buffers: int = 10000):
        self.root = Path(root)
        self.buffers = buffers  # NumberOfBuffers: 8 KB pages of memory (benchmarks/push.py gives it more)
        self.password = password
        self.sql_port = free_port()
        self.http_port = free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def load_dir(self) -> Path:
        """A folder the server may read (in its DirsAllowed): for the bulk loader's files."""
        return self.root / "load"

    @property
    def crud_auth_url(self) -> str:
        return f"{self.url}/sparql-graph-crud-auth"

    def start(self, wait: float = 180.0) -> None:
        db = self.root / "db"
        db.mkdir(parents=True, exist_ok=True)
        (self.root / "www").mkdir(exist_ok=True)
        self.load_dir.mkdir(exist_ok=True)
        ini = self.root / "virtuoso.ini"
        ini.write_text(
            INI.format(db=db, root=self.root, vad=VAD_DIR, sql_port=self.sql_port, http_port=self.http_port, buffers=self.buffers, dirty=self.buffers * 3 // 5)
        )
        self.log = open(self.root / "virtuoso.out", "wb")
        self.proc = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=db, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + wait
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso exited with {self.proc.returncode}: " + self.tail())
            try:
                r = requests.get(self.sparql_url, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}, timeout=5)
                if r.status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"virtuoso did not answer within {wait:g} s: " + self.tail())
            time.sleep(0.3)
        self.isql('GRANT SPARQL_UPDATE TO "dba";', password="dba")
        self.isql(f"USER_SET_PASSWORD('dba', '{self.password}');", password="dba")

    def isql(self, sql: str, password: str | None = None) -> str:
        out = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", password or self.password, f"exec={sql}"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
            raise RuntimeError(f"isql {sql!r} failed: {out.stdout} {out.stderr}")
        return out.stdout

    def select(self, query: str) -> list[dict]:
        """Run a SELECT on /sparql; the bindings as ``{var: value}`` dicts."""
        r = requests.post(self.sparql_url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=120)
        r.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]

    def tail(self, n: int = 2000) -> str:
        path = self.root / "db" / "virtuoso.log"
        return path.read_text(errors="replace")[-n:] if path.exists() else ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            subprocess.run(
                [ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.password, "exec=shutdown;"], stdin=subprocess.DEVNULL, capture_output=True, timeout=30
            )
            self.proc.wait(30)
        except (subprocess.TimeoutExpired, OSError):
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)
        self.log.close()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A running Virtuoso (session-wide); skipped when Virtuoso is not installed."""
    if not VIRTUOSO or not ISQL:
        pytest.skip(SKIP_REASON)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    try:
        yield server
    finally:
        server.stop()

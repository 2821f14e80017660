"""The query pool: a fixed number of worker processes (`worker`), each with the store open
read-only. pyoxigraph cannot cancel a running query, so a query that exceeds its time has its
worker killed and replaced."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import LodpubError

STARTUP_TIMEOUT = 60.0  # seconds a fresh query worker may take to open the store


class QueryTimeout(LodpubError):
    """A query ran longer than the server allows (its worker was killed)."""


class ServerBusy(LodpubError):
    """Every worker stayed busy for longer than the timeout."""


def memory_error(limit: int) -> dict:
    """The answer to a query that needed more than ``limit`` bytes (its worker died or raised)."""
    return {
        "status": "error",
        "kind": "memory",
        "message": f"query stopped: it needed more than the memory limit of {limit >> 20} MiB a query may use; ask for less (LIMIT, shorter values)",
    }


class QueryPool:
    """A fixed number of worker processes, each with the store open read-only.

    ``run(job, timeout)`` hands the job to an idle worker and waits at most ``timeout`` seconds;
    on timeout the worker is killed and a fresh one started in its place.
    """

    def __init__(self, store_dir: str, size: int = 2, memory: int = 0):
        self._store_dir = str(store_dir)
        self.memory = int(memory or 0)  # bytes a query may allocate in its worker (0: no limit)
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._ready: set = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self):
        # A plain subprocess, not multiprocessing: no fork of a threaded server, and no
        # re-import of the caller's __main__ (which would need an `if __name__` guard).
        parent, child = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the lodpub package
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["RUST_BACKTRACE"] = "0"  # a query over the memory limit aborts its worker: one line, not 40
        try:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "  # Ctrl-C is the server's
                    "import sys; from lodpub.serve.worker import worker_fd_main; "
                    "worker_fd_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))",
                    self._store_dir,
                    str(child.fileno()),
                    str(self.memory),
                ],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            child.close()
        worker = (proc, Connection(parent.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _discard(self, worker) -> None:
        proc, conn = worker
        with self._lock:
            self._all.discard(worker)
            self._ready.discard(worker)
        try:
            proc.kill()
            proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        conn.close()

    def run(self, job: dict, timeout: float) -> dict:
        """Run one job; raise QueryTimeout / ServerBusy."""
        if self._closed:
            raise LodpubError("query pool is closed")
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy(f"every query worker stayed busy for {timeout:g} s") from None
        proc, conn = worker
        healthy = False
        try:
            if worker not in self._ready:  # a fresh worker: its start-up is not the query's time
                if not conn.poll(STARTUP_TIMEOUT):
                    return {"status": "error", "kind": "internal", "message": f"query worker did not start in {STARTUP_TIMEOUT} s"}
                hello = conn.recv()
                if hello.get("status") != "ready":
                    return hello
                self._ready.add(worker)
            conn.send(job)
            if not conn.poll(timeout):
                raise QueryTimeout(f"query stopped after the time limit of {timeout:g} s")
            result = conn.recv()
            if result.get("kind") == "memory":  # a MemoryError: replace the worker all the same
                return memory_error(self.memory)
            healthy = True
            return result
        except (EOFError, OSError, BrokenPipeError) as e:
            try:
                code = proc.wait(5)
            except subprocess.TimeoutExpired:
                code = None
            # Past the memory limit, Rust aborts (SIGABRT); the kernel's OOM killer sends SIGKILL
            if self.memory and code in (-signal.SIGABRT, -signal.SIGKILL):
                return memory_error(self.memory)
            return {"status": "error", "kind": "internal", "message": f"query worker died: {e or code}"}
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._discard(worker)
                if not self._closed:
                    self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            self._discard(w)

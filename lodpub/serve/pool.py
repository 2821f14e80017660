"""The query pool: worker processes (`worker`), each with the store open read-only, and the order in
which waiting queries get them.

pyoxigraph cannot cancel a running query, so a query that exceeds its time has its worker killed and
replaced; one that needs more than its memory stops its worker (`worker.limit_memory`).

Fairness, so that a few clients sending heavy queries cannot starve the others:

* a free worker goes to the waiting query whose client has the fewest queries running, then to
  the one that came first (clients take turns instead of queueing behind one another);
* a query that has run longer than ``slow_after`` seconds marks its client and its text as *slow*
  for ``SLOW_MEMORY`` seconds (one that ran quicker marks its text *quick*). Slow queries (a marked
  text, or a marked client's text not known quick) may hold at most ``size - 1`` workers (1 with a
  single worker): at least one worker stays for the others;
* when every worker is busy, one of them with a slow query, and a quick query waits, the pool
  starts an extra worker (up to ``2 * size`` in all); the extra workers stop when no slow query runs.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import LodpubError

STARTUP_TIMEOUT = 60.0  # seconds a fresh query worker may take to open the store
SLOW_AFTER = 1.0  # seconds after which a running query counts as heavy
SLOW_MEMORY = 60.0  # seconds a client or a query text stays marked slow
MAX_MARKS = 10_000  # marks kept at most (the oldest are dropped)


class QueryTimeout(LodpubError):
    """A query ran longer than the server allows (its worker was killed)."""


class ServerBusy(LodpubError):
    """No worker became free for a query within the timeout."""


class PoolClosed(LodpubError):
    """The pool was closed or retired (the publication was replaced): ask the current one."""


def memory_error(limit: int) -> dict:
    """The answer to a query that needed more than ``limit`` bytes (its worker died or raised)."""
    return {
        "status": "error",
        "kind": "memory",
        "message": f"query stopped: it needed more than the memory limit of {limit >> 20} MiB a query may use; ask for less (LIMIT, shorter values)",
    }


class _Worker:
    def __init__(self, proc, conn):
        self.proc, self.conn = proc, conn
        self.ready = False  # said hello (the store is open)
        self.started = 0.0  # when its current job started
        self.slow = False  # its current job is slow (marked, or has run long)
        self.ticket = None


class _Ticket:
    def __init__(self, seq: int, client: str, key: str, slow: bool):
        self.seq, self.client, self.key, self.slow = seq, client, key, slow
        self.worker: _Worker | None = None


class QueryPool:
    """Worker processes, each with the store open read-only.

    ``run(job, timeout, client)`` waits at most ``timeout`` seconds for a worker (else
    :class:`ServerBusy`), then at most ``timeout`` seconds for the answer (else the worker is killed
    and replaced: :class:`QueryTimeout`). ``client`` names who asks (an address), for fairness.
    """

    def __init__(self, store_dir: str, size: int = 2, memory: int = 0, slow_after: float = SLOW_AFTER):
        self._store_dir = str(store_dir)
        self.size = max(1, size)
        self.max_workers = 2 * self.size
        self.memory = int(memory or 0)  # bytes a query may allocate in its worker (0: no limit)
        self.slow_after = float(slow_after)
        self._cond = threading.Condition()
        self._all: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._waiting: list[_Ticket] = []
        self._running: dict[str, int] = {}  # client → queries running
        self._marks: dict[str, float] = {}  # client or query key → slow until
        self._seq = itertools.count()
        self._closed = False
        self.extra_started = 0  # extra workers started so far (for tests and benchmarks)
        with self._cond:
            for _ in range(self.size):
                self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
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
        worker = _Worker(proc, Connection(parent.detach()))
        self._all.add(worker)
        return worker

    @staticmethod
    def _stop(worker: _Worker) -> None:
        try:
            worker.proc.kill()
            worker.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        worker.conn.close()

    # ---- who gets a worker ----------------------------------------------------------------------

    def _is_marked(self, name: str, now: float) -> bool:
        until = self._marks.get(name)
        return until is not None and until > now

    def _mark(self, ticket: _Ticket, now: float) -> None:
        if len(self._marks) >= MAX_MARKS:
            for name in sorted(self._marks, key=self._marks.get)[: MAX_MARKS // 2]:
                del self._marks[name]
        self._marks["client " + ticket.client] = self._marks["query " + ticket.key] = now + SLOW_MEMORY
        self._marks.pop("fast " + ticket.key, None)

    def _busy(self, now: float) -> list[_Worker]:
        """The busy workers, those whose query has now run long marked slow (lock held)."""
        busy = [w for w in self._all if w.ticket is not None]
        for w in busy:
            if not w.slow and w.ready and now - w.started > self.slow_after:
                w.slow = True
                self._mark(w.ticket, now)
        return busy

    def _assign(self) -> None:
        """Give idle workers to waiting tickets (called with the lock held)."""
        now = time.monotonic()
        slow_busy = sum(w.slow for w in self._busy(now))
        slow_cap = max(1, self.size - 1)
        while self._waiting:
            eligible = [t for t in self._waiting if not t.slow or slow_busy < slow_cap]
            if not eligible:
                return
            if not self._idle:
                quick_waits = any(not t.slow for t in eligible)
                if quick_waits and slow_busy and len(self._all) < self.max_workers and not self._closed:
                    self._idle.append(self._spawn())
                    self.extra_started += 1
                else:
                    return
            ticket = min(eligible, key=lambda t: (self._running.get(t.client, 0), t.seq))
            self._waiting.remove(ticket)
            worker = self._idle.pop()
            worker.ticket, worker.started, worker.slow = ticket, now, ticket.slow
            ticket.worker = worker
            self._running[ticket.client] = self._running.get(ticket.client, 0) + 1
            slow_busy += ticket.slow

    def _acquire(self, job: dict, timeout: float, client: str) -> _Worker:
        key = hashlib.sha1(repr((job.get("op"), job.get("query"), job.get("default_graph"), job.get("named_graphs"))).encode()).hexdigest()
        deadline = time.monotonic() + timeout
        with self._cond:
            now = time.monotonic()
            self._busy(now)  # a query running long right now marks its text and client first
            # a text that ran quickly lately stays quick, whoever sends it (clients behind one address)
            slow = self._is_marked("query " + key, now) or (self._is_marked("client " + client, now) and not self._is_marked("fast " + key, now))
            ticket = _Ticket(next(self._seq), client, key, slow)
            self._waiting.append(ticket)
            while True:
                self._assign()
                if ticket.worker is not None:
                    return ticket.worker
                if self._closed:
                    self._waiting.remove(ticket)
                    raise PoolClosed("query pool is closed")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._waiting.remove(ticket)
                    raise ServerBusy(f"no query worker became free in {timeout:g} s" + (" (this client's queries have been slow)" if slow else ""))
                self._cond.wait(min(remaining, 0.1))

    def _release(self, worker: _Worker, healthy: bool) -> None:
        ticket = worker.ticket
        stop = []
        with self._cond:
            now = time.monotonic()
            if now - worker.started > self.slow_after:
                self._mark(ticket, now)
            elif healthy and not self._is_marked("query " + ticket.key, now):
                self._marks["fast " + ticket.key] = now + SLOW_MEMORY
            worker.ticket = None
            left = self._running.get(ticket.client, 1) - 1
            if left:
                self._running[ticket.client] = left
            else:
                self._running.pop(ticket.client, None)
            if healthy and not self._closed:
                self._idle.append(worker)
            else:
                self._all.discard(worker)
                stop.append(worker)
                if len(self._all) < self.size and not self._closed:
                    self._idle.append(self._spawn())
            # the extra workers stay while a slow query runs, and stop once none does
            if not any(w.slow for w in self._all if w.ticket is not None):
                while len(self._all) > self.size and self._idle:
                    extra = self._idle.pop(0)
                    self._all.discard(extra)
                    stop.append(extra)
            self._cond.notify_all()
        for w in stop:
            self._stop(w)

    # ---- running a job --------------------------------------------------------------------------

    def run(self, job: dict, timeout: float, client: str = "") -> dict:
        """Run one job; raise QueryTimeout / ServerBusy."""
        if self._closed:
            raise PoolClosed("query pool is closed")
        worker = self._acquire(job, timeout, client)
        conn = worker.conn
        healthy = False
        try:
            if not worker.ready:  # a fresh worker: its start-up is not the query's time
                if not conn.poll(STARTUP_TIMEOUT):
                    return {"status": "error", "kind": "internal", "message": f"query worker did not start in {STARTUP_TIMEOUT} s"}
                hello = conn.recv()
                if hello.get("status") != "ready":
                    return hello
                worker.ready = True
                worker.started = time.monotonic()
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
                code = worker.proc.wait(5)
            except subprocess.TimeoutExpired:
                code = None
            # Past the memory limit, Rust aborts (SIGABRT); the kernel's OOM killer sends SIGKILL
            if self.memory and code in (-signal.SIGABRT, -signal.SIGKILL):
                return memory_error(self.memory)
            return {"status": "error", "kind": "internal", "message": f"query worker died: {e or code}"}
        finally:
            self._release(worker, healthy)

    def workers(self) -> list[int]:
        """The process ids of the workers now running."""
        with self._cond:
            return [w.proc.pid for w in self._all]

    def retire(self) -> None:
        """Take no more jobs (:class:`PoolClosed`); stop the idle workers now, the busy ones when
        their job ends. :meth:`close` later stops any still running."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            for w in idle:
                self._all.discard(w)
            self._cond.notify_all()
        for w in idle:
            self._stop(w)

    def close(self) -> None:
        """Stop every worker."""
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._cond.notify_all()
        for w in workers:
            self._stop(w)

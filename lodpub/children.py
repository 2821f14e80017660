"""The build's child processes (the workers that read the documents, the workbook's writer): each ends
when the build's process does, even when that process is killed, and leaves Ctrl-C to it."""

from __future__ import annotations

import os
import signal
import threading
import time


def end_with_parent(parent: int) -> None:
    """In a child: Ctrl-C is the parent's to handle (the child prints nothing), and the child ends
    when the parent `parent` does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # Linux: the kernel kills the child when its parent dies
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - elsewhere the watch below does it
        pass
    if os.getppid() != parent:  # the parent died before the child started
        os._exit(1)

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="lodpub-parent-watch").start()


def stop_workers(pool) -> None:
    """End a process pool's workers at once (their current tasks are abandoned)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()

"""One build at a time into a publication folder, and what dead builds left behind cleared away.

A build holds an exclusive lock on ``.OUT.lock`` beside its ``--out`` folder for as long as it runs
(``flock``: the kernel releases it when the process ends, however it ends; the file is removed when
the build ends, and a killed build's is reused). A second build into the
same folder fails at once with a message rather than racing the first (the last one would win).

While it holds the lock a build is the only one writing OUT, so any ``.OUT.work-*`` (its documents'
graphs), ``.OUT.tmp-*`` (the publication being written) or ``.OUT.old-*`` (the publication being
replaced) folder beside it was left by a build that died: they are removed. One case is restored
rather than removed: a build that died between moving the previous publication aside and moving the
new one in leaves no OUT and an ``.OUT.old-*``, which is the previous publication.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from .errors import LodpubError, printable

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, leftovers are still cleared
    fcntl = None

LEFTOVER_KINDS = ("work", "tmp", "old")


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def leftovers(out: Path) -> list[Path]:
    """Folders beside OUT that builds of OUT make while they run."""
    found = []
    for kind in LEFTOVER_KINDS:
        found += sorted(p for p in out.parent.glob(f".{out.name}.{kind}-*") if p.is_dir())
    return found


@contextmanager
def publication_lock(out: Path):
    """Hold OUT for one build: fail at once if another build holds it; clear what dead builds left."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(out)
    fd = _acquire(path, out)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        clear_leftovers(out)
        yield
    finally:
        try:
            path.unlink()  # while still holding it: a build waiting on this file opens a new one
        except OSError:
            pass
        os.close(fd)  # releases the lock


def _acquire(path: Path, out: Path) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise LodpubError(
                f"--out {printable(str(out))}: another lodpub build is writing it"
                f"{f' (process {holder})' if holder.isdigit() else ''}; wait for it to end "
                "or choose another --out"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the build that held it removed the file as it ended: lock the new one


def clear_leftovers(out: Path) -> list[Path]:
    """Remove the folders dead builds of OUT left (call with OUT's lock held); returns what was removed.
    A previous publication moved aside by a build that died before moving the new one in is restored."""
    found = leftovers(out)
    olds = [p for p in found if p.name.startswith(f".{out.name}.old-")]
    if olds and not out.exists():
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        newest.rename(out)
        found.remove(newest)
    for p in found:
        shutil.rmtree(p, ignore_errors=True)
    return found

"""A consistent view of a publication while it is served, and the next one when it is rebuilt.

`lodpub build` writes a new publication beside the old one and renames it in (`publish.publication`),
then deletes the old one. A server reading the folder itself would then mix the two: workers started
before the rebuild on the old store, those started after on the new, files from the new. So the
server serves a *snapshot*: hard links to every file of the publication (store included) in a hidden
folder beside it, ``.NAME.serve-PID-N``. Links cost no space and keep the old files whole after the
build deletes its names. Every few seconds the server looks whether the folder was replaced (another
inode); if so, it takes a snapshot of the new one and switches to it whole: new queries go to new
workers over it, queries running finish on the old ones, and the old snapshot is removed after.

Where no link can be made (a read-only file system, no right to write beside the folder), the folder
is served as it is: such a folder cannot be rebuilt under the server either.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from ..publish.manifest import STORE

log = logging.getLogger("lodpub.serve")

_counter = itertools.count(1)
PREFIX = ".{name}.serve-"


def identity(folder: Path) -> tuple[int, int] | None:
    """What changes when a build renames a new publication in: the folder's device and inode."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _link_tree(src: Path, dst: Path) -> None:
    dst.mkdir()
    for entry in os.scandir(src):
        target = dst / entry.name
        if entry.is_dir(follow_symlinks=False):
            _link_tree(Path(entry.path), target)
        elif entry.is_file(follow_symlinks=False):
            os.link(entry.path, target)


def clear_dead(folder: Path) -> None:
    """Remove the snapshots of servers of ``folder`` that have ended (killed: they could not clean up)."""
    for path in folder.parent.glob(PREFIX.format(name=folder.name) + "*"):
        try:
            pid = int(path.name.rsplit("-", 2)[-2])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (ValueError, IndexError, PermissionError, OSError):
            continue


def take(folder: Path) -> Path | None:
    """A snapshot of the publication ``folder`` (None when links cannot be made, or when the folder
    is being replaced while linked: try again later)."""
    folder = Path(folder)
    before = identity(folder)
    if before is None or not (folder / STORE).is_dir():
        return None
    path = folder.parent / f"{PREFIX.format(name=folder.name)}{os.getpid()}-{next(_counter)}"
    try:
        _link_tree(folder, path)
    except OSError as e:
        shutil.rmtree(path, ignore_errors=True)
        log.info("no snapshot of %s (%s): serving the folder itself", folder, e.strerror or e)
        return None
    if identity(folder) != before:  # replaced while being linked: a mix of the two
        shutil.rmtree(path, ignore_errors=True)
        return None
    return path


def remove(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


class Publication:
    """What the server serves now: ``folder`` (a snapshot of ``source``, or ``source`` itself) and
    ``pool``, the workers over its store (``store`` without a snapshot); both replaced together
    when the publication is rebuilt.

    ``make_pool(store)`` makes a pool over a store folder. With ``snapshot`` false, or where no
    snapshot can be taken, the folder is served as it is and never switched. ``check_every``
    seconds the folder is looked at; a replaced pool finishes its running queries, and is stopped
    (its snapshot removed) ``grace`` seconds after the switch.
    """

    def __init__(self, source: Path, store: Path, make_pool, *, snapshot: bool = True, check_every: float = 2.0, grace: float = 60.0):
        self.source = Path(source)
        self._make_pool = make_pool
        self._grace = grace
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._retired: list[tuple[float, object, Path | None]] = []
        self.switches = 0
        snap = None
        if snapshot and (self.source / STORE).is_dir():
            clear_dead(self.source)
            snap = take(self.source)
        self._snap = snap
        self._identity = identity(self.source)
        self.folder = snap or self.source
        self.pool = make_pool(self.folder / STORE if snap else Path(store))
        self._thread = None
        if snap is not None and check_every > 0:
            self._thread = threading.Thread(target=self._watch, args=(check_every,), name="lodpub-snapshot", daemon=True)
            self._thread.start()

    def _watch(self, every: float) -> None:
        while not self._stopped.wait(every):
            self._finish_retired(time.monotonic())
            now = identity(self.source)
            if now is None or now == self._identity:
                continue
            snap = take(self.source)
            if snap is None:
                continue  # being replaced right now, or no store yet: look again later
            try:
                ox.Store.read_only(str(snap / STORE))
            except OSError as e:
                log.warning("%s was replaced by a folder whose store does not open (%s): still serving the previous one", self.source, e)
                remove(snap)
                self._identity = now
                continue
            pool = self._make_pool(snap / STORE)
            with self._lock:
                old_pool, old_snap = self.pool, self._snap
                self.pool, self.folder, self._snap, self._identity = pool, snap, snap, now
                self.switches += 1
            log.warning("%s was rebuilt: serving the new publication", self.source)
            old_pool.retire()
            self._retired.append((time.monotonic() + self._grace, old_pool, old_snap))

    def _finish_retired(self, now: float, everything: bool = False) -> None:
        keep = []
        for until, pool, snap in self._retired:
            if everything or now >= until:
                pool.close()
                remove(snap)
            else:
                keep.append((until, pool, snap))
        self._retired = keep

    def close(self) -> None:
        """Stop the watcher and every pool, and remove the snapshots."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(10)
        self._finish_retired(0, everything=True)
        self.pool.close()
        remove(self._snap)

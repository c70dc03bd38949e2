"""What a crash leaves behind: visit folders of a kiosk killed in the middle of a visit.

A visit's photos and scans live in ``<data>/visits/visit-*`` until the wipe deletes them; a
``kill -9`` or a power cut skips the wipe. So the first user of the folder in a start clears it.
Who counts as "first": every process using the folder holds a shared ``flock`` on
``<visits>/.in-use`` for as long as it does; a process that gets the lock exclusively knows no
other kiosk process is alive (the kernel drops a dead holder's lock), clears everything, and
then shares the lock like the others. A ``kiosk`` command started next to the running app
therefore never deletes the app's current visit.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
from pathlib import Path

from kiosk.base.filelock import LockTimeout, acquire, try_lock

log = logging.getLogger(__name__)

LOCK_NAME = ".in-use"
_lock = threading.Lock()
_claims: dict[str, list[int]] = {}  # folder → [lock fd, users in this process]


class VisitsClaim:
    """This process uses a visits folder until :meth:`release` (idempotent)."""

    def __init__(self, key: str) -> None:
        self._key: str | None = key

    def release(self) -> None:
        with _lock:
            key, self._key = self._key, None
            if key is None or key not in _claims:
                return
            _claims[key][1] -= 1
            if _claims[key][1] <= 0:
                os.close(_claims.pop(key)[0])


def _remove_all(folder: Path) -> int:
    removed = 0
    for entry in folder.iterdir():
        if entry.name == LOCK_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


def clear_stale_visits(folder: str | Path) -> VisitsClaim | None:
    """Delete leftover visit folders if no other kiosk process uses ``folder``; claim it for this process.

    Returns the claim (release it when the visit object goes away), or None when the folder could not
    be claimed (a process clearing it for longer than 5 s); the kiosk then works on without clearing.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = str(folder.resolve())
    with _lock:
        if key in _claims:  # another visit of this process uses it: nothing is stale
            _claims[key][1] += 1
            return VisitsClaim(key)
        fd = try_lock(folder / LOCK_NAME)
        if fd is not None:
            removed = _remove_all(folder)
            if removed:
                log.warning("removed %d visit folder(s) left by a kiosk that stopped mid-visit", removed)
            fcntl.flock(fd, fcntl.LOCK_SH)  # from now on others may use it too
        else:
            try:
                fd = acquire(folder / LOCK_NAME, shared=True, timeout_s=5.0)
            except LockTimeout:
                log.warning("visits folder %s busy; leftover visits not checked", folder)
                return None
        _claims[key] = [fd, 1]
        return VisitsClaim(key)

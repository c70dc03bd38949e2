"""Advisory file locks (``flock``) with a timeout: between processes and between threads alike.

Why flock: a lock belongs to an open file, so two opens in one process exclude each other like two
processes do, and the kernel drops it when its holder dies (even by ``kill -9``) — no stale lock
files to clean up. Every wait has a deadline: a stuck holder gives a :class:`LockTimeout`, never a hang.
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(TimeoutError):
    """The lock was not free within the timeout."""


def _open(path: str | Path) -> int:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


def try_lock(path: str | Path, *, shared: bool = False) -> int | None:
    """Take the lock without waiting; the open file descriptor (close it to release) or None if it is held."""
    fd = _open(path)
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError as e:
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return None
        raise
    return fd


def acquire(path: str | Path, *, shared: bool = False, timeout_s: float = 30.0) -> int:
    """Wait (polling with a growing pause) until the lock is ours; :class:`LockTimeout` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    pause = 0.002
    while True:
        fd = try_lock(path, shared=shared)
        if fd is not None:
            return fd
        if time.monotonic() >= deadline:
            raise LockTimeout(f"{path}: still locked after {timeout_s:.0f} s")
        time.sleep(pause * random.uniform(0.5, 1.0))
        pause = min(pause * 2, 0.1)


@contextmanager
def file_lock(path: str | Path, *, shared: bool = False, timeout_s: float = 30.0) -> Iterator[None]:
    """``with file_lock(p):`` — hold the lock on ``p`` (created 0600 if missing) for the block."""
    fd = acquire(path, shared=shared, timeout_s=timeout_s)
    try:
        yield
    finally:
        os.close(fd)

"""Opening the kiosk's SQLite stores safely, however many threads and processes open them at once.

The trap (STACK-NOTES): switching a file to WAL needs an exclusive lock, and SQLite answers
"database is locked" at once — whatever the busy timeout — when another connection is opening
the same fresh file. So :func:`prepare` does the one-time set-up (private file, WAL, schema)
while holding a file lock next to the database, checks the journal mode before switching, and
retries a refused switch with backoff until a deadline. Everyday connections come from
:func:`connect`: autocommit (callers use ``BEGIN IMMEDIATE``), ``synchronous=FULL``, a busy timeout.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path

from kiosk.base.filelock import file_lock

TIMEOUT_S = 30.0


def _create_private(path: Path) -> None:
    """Create the database file 0600 (its -wal and -shm files take the same mode from it)."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
    except FileExistsError:
        pass


def connect(path: str | Path, *, timeout_s: float = TIMEOUT_S, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to a :func:`prepare`-d store: autocommit, ``synchronous=FULL``, waits up to ``timeout_s``."""
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None, check_same_thread=check_same_thread)
    db.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
    db.execute("PRAGMA synchronous=FULL")
    return db


def _busy(e: sqlite3.OperationalError) -> bool:
    text = str(e).lower()
    return "locked" in text or "busy" in text


def ensure_wal(db: sqlite3.Connection, timeout_s: float = TIMEOUT_S) -> None:
    """Put the database in WAL mode: read the mode first, switch only if needed, retry a refusal with backoff."""
    deadline = time.monotonic() + timeout_s
    pause = 0.005
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                return
            mode = str(db.execute("PRAGMA journal_mode=WAL").fetchone()[0]).lower()
            if mode == "wal":
                return
            raise sqlite3.OperationalError(f"the database stays in {mode} mode (no WAL on this filesystem?)")
        except sqlite3.OperationalError as e:
            if not _busy(e) or time.monotonic() >= deadline:
                raise
        time.sleep(pause * random.uniform(0.5, 1.0))
        pause = min(pause * 2, 0.25)


def prepare(path: str | Path, schema: str = "", *, timeout_s: float = TIMEOUT_S) -> None:
    """Create ``path`` privately if new, switch it to WAL and apply ``schema`` (idempotent DDL) under a file lock."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _create_private(path)
    with file_lock(path.with_name(path.name + ".lock"), timeout_s=timeout_s):
        db = connect(path, timeout_s=timeout_s)
        try:
            ensure_wal(db, timeout_s)
            if schema:
                db.executescript(schema)
        finally:
            db.close()

"""Database engine, sessions and the schema migration run at start.

SQLite (one file, the default for a single department) and PostgreSQL (one
backend shared by many kiosks) behind the same SQLAlchemy 2 code. On SQLite a write
transaction starts with ``BEGIN IMMEDIATE``: writers queue for the lock up front instead
of failing half-way when two of them read and then write (ticket numbers); readers
start a plain snapshot and never wait for writers (WAL).
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC out — on SQLite too, which keeps no time zone."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _ensure_wal(cur: Any, timeout_s: float) -> None:
    """Switch the file to WAL once, racing other connections that open the same fresh file.

    The switch needs an exclusive lock and fails at once ("database is locked", no busy
    handler) while another connection is opening the file; the mode is stored in the file,
    so read it first (every later open stops there) and retry the switch with backoff.
    """
    deadline = time.monotonic() + timeout_s
    delay = 0.002
    while True:
        try:
            mode = str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if mode in ("wal", "memory"):
                return
            mode = str(cur.execute("PRAGMA journal_mode=WAL").fetchone()[0]).lower()
            if mode in ("wal", "memory"):
                return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        if time.monotonic() + delay > deadline:
            raise DatabaseBusy(f"could not switch the database to WAL within {timeout_s:g} s")
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.1)


class DatabaseBusy(Exception):
    """The write lock was not free within its timeout: answered ``503`` with ``Retry-After``."""


WRITE = "kiosk_write"  # execution option of the engine that write sessions are bound to


def make_engine(url: str, *, lock_timeout_s: float = 10.0) -> Engine:
    """An engine for ``url``; SQLite files get WAL, a busy timeout and a write lock for writers only.

    Bound values never reach a log or an exception's text (``hide_parameters``): they hold
    citizens' names and numbers.
    """
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True, pool_timeout=lock_timeout_s,
                             hide_parameters=True)
    if u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    busy_ms = int(lock_timeout_s * 1000)
    engine = create_engine(url, connect_args={"timeout": lock_timeout_s, "check_same_thread": False},
                           pool_size=20, max_overflow=20, pool_timeout=lock_timeout_s, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own is broken)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        _ensure_wal(cur, lock_timeout_s)
        cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    # SQLite has one writer at a time; WAL lets any number of readers run beside it. Writers of
    # this process queue on a Python lock (a fair hand-over, better tail latency than SQLite's
    # sleeping busy handler) taken with a timeout; readers take no lock at all.
    write_lock = threading.Lock()

    def _release(info: dict[str, Any]) -> None:
        if info.pop("kiosk_write_lock", False):
            write_lock.release()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        if not conn.get_execution_options().get(WRITE):
            conn.exec_driver_sql("BEGIN")  # a reader: a consistent snapshot, no lock
            return
        if not write_lock.acquire(timeout=lock_timeout_s):
            raise DatabaseBusy(f"database write lock not free within {lock_timeout_s:g} s")
        conn.info["kiosk_write_lock"] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _sqlite_end(conn: Any) -> None:
        _release(conn.info)

    @event.listens_for(engine.pool, "checkin")
    def _sqlite_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            _release(record.info)

    return engine


class Database:
    """Sessions of one engine, opened and closed inside the code that uses them.

    ``read()`` is a snapshot for queries (never the writers' lock); ``write()`` is one
    transaction (on SQLite ``BEGIN IMMEDIATE`` behind the write lock), committed when the
    block ends without error, rolled back otherwise. Build every answer before the block
    ends: nothing touches the database after the commit.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.readers = sessionmaker(engine, expire_on_commit=False)
        self.writers = sessionmaker(engine.execution_options(**{WRITE: True}), expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self.readers()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def write(self) -> AbstractContextManager[Session]:
        return session_scope(self.writers)


_MIGRATE_LOCK = threading.Lock()  # alembic's context is module-global: one migration per process at a time
_PG_MIGRATE_LOCK_KEY = 0x6B696F736B  # pg_advisory_xact_lock key of our migrations ("kiosk")


def migrate(engine: Engine, timeout_s: float = 120.0) -> None:
    """Create or upgrade the schema to the newest Alembic revision (safe to run at every start).

    Several processes may start on one fresh database at once: the migration runs in a write
    transaction (SQLite ``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), so the second one
    waits, then finds the schema at head and does nothing.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if not _MIGRATE_LOCK.acquire(timeout=timeout_s):
        raise DatabaseBusy("another migration of this process did not finish")
    try:
        with engine.execution_options(**{WRITE: True}).connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATE_LOCK_KEY})
            else:
                conn.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE now: the schema is ours until commit
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    finally:
        _MIGRATE_LOCK.release()


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

"""The kiosk's own record of number blocks and issued tickets (SQLite), so offline numbers are never reused."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.base.sqlite import connect, prepare
from kiosk.queue.tickets import Ticket, ticket_number

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blocks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day TEXT NOT NULL, service TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, next INTEGER NOT NULL,
    source TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS blocks_day_service ON blocks(day, service);
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL, service TEXT NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL,
    priority TEXT, issued_at TEXT NOT NULL, offline INTEGER NOT NULL,
    printed INTEGER, print_error TEXT, synced INTEGER NOT NULL DEFAULT 1,
    UNIQUE(day, service, seq)
);
CREATE INDEX IF NOT EXISTS tickets_day_service ON tickets(day, service);
"""


KEEP_TICKET_DAYS = 1  # tickets of today and yesterday (wait estimates, print records)
KEEP_UNSYNCED_DAYS = 7  # an offline ticket the backend has not registered yet waits this long
KEEP_BLOCK_DAYS = 30  # blocks are a few rows a day; kept so a clock set back never reuses a number


class TicketStore:
    """SQLite (WAL, synchronous=FULL) record of number blocks and issued tickets.

    One connection per thread; every allocation is one ``BEGIN IMMEDIATE``
    transaction, so threads and processes sharing the file never get the same
    number, and a number once handed out is never handed out again.

    Retention: old tickets are deleted at open and at the first ticket of a new day, counted on
    the kiosk's own timeline (the newest ticket day), not the wall clock of the moment.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        prepare(self.path, _SCHEMA)  # WAL switch and schema under a file lock (many openers at once)
        self._pruned_for: date | None = None
        newest = self._db().execute("SELECT MAX(day) FROM tickets").fetchone()[0]
        if newest:
            self.prune(date.fromisoformat(newest))

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, check_same_thread=False)
            self._local.db = db
        return db

    class _Tx:
        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, exc_type: Any, *_: Any) -> None:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")

    def _tx(self) -> "TicketStore._Tx":
        return TicketStore._Tx(self._db())

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def prune(self, today: date) -> None:
        """Delete tickets older than :data:`KEEP_TICKET_DAYS` (unregistered offline ones after a week), old blocks."""
        cut = (today - timedelta(days=KEEP_TICKET_DAYS)).isoformat()
        cut_unsynced = (today - timedelta(days=KEEP_UNSYNCED_DAYS)).isoformat()
        cut_blocks = (today - timedelta(days=KEEP_BLOCK_DAYS)).isoformat()
        with self._tx() as db:
            db.execute("DELETE FROM tickets WHERE day < ? AND (synced = 1 OR day < ?)", (cut, cut_unsynced))
            db.execute("DELETE FROM blocks WHERE day < ?", (cut_blocks,))
        self._pruned_for = today

    def _prune_for(self, day: date) -> None:
        if self._pruned_for is None or day > self._pruned_for:
            self.prune(day)

    # -- blocks --------------------------------------------------------------

    def add_block(self, day: date, service: str, start: int, end: int, source: str = "backend") -> None:
        """Keep a block of numbers granted to this kiosk (``start..end`` inclusive)."""
        if end < start:
            raise ValueError("empty block")
        with self._tx() as db:
            db.execute(
                'INSERT INTO blocks(day, service, start, "end", next, source, created_at) VALUES (?,?,?,?,?,?,?)',
                (day.isoformat(), service, start, end, start, source, datetime.now().isoformat()),
            )

    def spare(self, day: date, service: str) -> int:
        """How many numbers are left in this kiosk's blocks for ``service`` on ``day``."""
        row = self._db().execute(
            'SELECT COALESCE(SUM("end" - next + 1), 0) FROM blocks WHERE day=? AND service=? AND next <= "end"',
            (day.isoformat(), service),
        ).fetchone()
        return int(row[0])

    def blocks(self, day: date, service: str) -> list[tuple[int, int, int, str]]:
        """(start, end, next, source) of every block, oldest first."""
        return [tuple(r) for r in self._db().execute(  # type: ignore[misc]
            'SELECT start, "end", next, source FROM blocks WHERE day=? AND service=? ORDER BY id',
            (day.isoformat(), service),
        )]

    # -- tickets -------------------------------------------------------------

    def issue_local(self, ticket: Ticket, block_size: int, base: int) -> Ticket:
        """Take the next free number from this kiosk's blocks (making one from ``base`` if none) and record it."""
        self._prune_for(ticket.day)
        day, service = ticket.day.isoformat(), ticket.service
        with self._tx() as db:
            row = db.execute(
                'SELECT id, next FROM blocks WHERE day=? AND service=? AND next <= "end" ORDER BY id LIMIT 1',
                (day, service),
            ).fetchone()
            if row is None:
                top = db.execute(
                    'SELECT MAX("end") FROM blocks WHERE day=? AND service=?', (day, service)
                ).fetchone()[0]
                start = max(base, (top or 0) + 1)
                cur = db.execute(
                    'INSERT INTO blocks(day, service, start, "end", next, source, created_at) VALUES (?,?,?,?,?,?,?)',
                    (day, service, start, start + block_size - 1, start, "local", datetime.now().isoformat()),
                )
                row = (cur.lastrowid, start)
            block_id, seq = row
            db.execute("UPDATE blocks SET next = next + 1 WHERE id=?", (block_id,))
            ticket.seq = seq
            ticket.number = ticket_number(service, seq)
            self._insert(db, ticket, synced=False)
        return ticket

    def record_online(self, ticket: Ticket) -> None:
        """Remember a ticket the backend numbered (for the wait estimate and the print record)."""
        self._prune_for(ticket.day)
        with self._tx() as db:
            self._insert(db, ticket, synced=True, replace=True)

    @staticmethod
    def _insert(db: sqlite3.Connection, t: Ticket, synced: bool, replace: bool = False) -> None:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        db.execute(
            f"{verb} INTO tickets(id, day, service, seq, number, priority, issued_at, offline, printed, print_error, synced)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (t.ticket_id, t.day.isoformat(), t.service, t.seq, t.number, t.priority, t.issued_at.isoformat(),
             int(t.offline), None if t.printed is None else int(t.printed), t.print_error, int(synced)),
        )

    def record_print(self, ticket_id: str, printed: bool, error: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE tickets SET printed=?, print_error=? WHERE id=?", (int(printed), error, ticket_id))

    def ticket(self, ticket_id: str) -> dict[str, Any] | None:
        cur = self._db().execute("SELECT * FROM tickets WHERE id=?", (ticket_id,))
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row)) if row else None

    def issued(self, day: date, service: str | None = None) -> list[dict[str, Any]]:
        """Tickets of ``day`` (one service or all), in issue order."""
        sql = "SELECT * FROM tickets WHERE day=?" + (" AND service=?" if service else "") + " ORDER BY issued_at, seq"
        cur = self._db().execute(sql, (day.isoformat(), service) if service else (day.isoformat(),))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def unsynced(self, limit: int = 50) -> list[dict[str, Any]]:
        cur = self._db().execute("SELECT * FROM tickets WHERE synced=0 ORDER BY issued_at LIMIT ?", (limit,))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def mark_synced(self, ticket_id: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE tickets SET synced=1 WHERE id=?", (ticket_id,))

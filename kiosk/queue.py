"""Queue tickets: service areas, priority, fair numbering, estimated wait — online or not.

The backend numbers tickets for every kiosk of the department (``POST /tickets``).
When it cannot be reached, the kiosk numbers from a block of numbers reserved
for it earlier (``POST /tickets/blocks``), kept in SQLite so that a restart or a
power cut never hands out a number twice; the ticket then says it was issued
offline and is registered with the backend once it is back. A kiosk with no
block yet numbers from its own emergency range (``OFFLINE_BASE`` up). A kiosk
without a backend at all (``services.backend is None``) numbers alone from 1.

Numbers restart each day at local midnight (``[kiosk] timezone``, Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

OFFLINE_BASE = 901  # first number of a kiosk's own block when the backend never granted one today
BACKEND_COOLDOWN_S = 30.0  # after the backend failed, number locally for this long without asking it


class QueueError(Exception):
    """A ticket could not be issued; ``key`` is the locale key of the citizen's message."""

    def __init__(self, code: str, message: str, key: str = "ticket.issued.issue_failed") -> None:
        super().__init__(message)
        self.code = code
        self.key = key


def ticket_number(service: str, seq: int) -> str:
    """``A`` + 7 → ``A007`` (more digits past 999), as the backend prints it."""
    return f"{service}{seq:03d}"


@dataclass
class Ticket:
    """One issued ticket. No personal data: a ticket is not a dossier."""

    number: str
    service: str
    seq: int
    day: date
    issued_at: datetime
    priority: str | None = None
    people_ahead: int = 0
    wait_minutes: int = 0
    offline: bool = False
    kiosk_id: str = ""
    ticket_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    printed: bool | None = None  # None: not tried yet; False: the citizen has no paper
    print_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        d["issued_at"] = self.issued_at.isoformat()
        return d


# ------------------------------------------------------------------ persistence

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


class TicketStore:
    """SQLite (WAL, synchronous=FULL) record of number blocks and issued tickets.

    One connection per thread; every allocation is one ``BEGIN IMMEDIATE``
    transaction, so threads and processes sharing the file never get the same
    number, and a number once handed out is never handed out again.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(_SCHEMA)  # executescript manages its own transaction

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
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


# ------------------------------------------------------------------ wait estimate


def estimate_ahead(issued_at: list[datetime], now: datetime, counters: int, minutes: float) -> int:
    """People still waiting, from the issue times of today's tickets (fluid model, first come first served).

    Each ticket starts when a counter frees up (``minutes / counters`` apart) but
    not before it was issued; tickets whose start lies after ``now`` still wait.
    """
    step = timedelta(minutes=minutes / max(1, counters))
    free_at: datetime | None = None
    waiting = 0
    for t in sorted(issued_at):
        start = t if free_at is None or free_at < t else free_at
        free_at = start + step
        if start > now:
            waiting += 1
    return waiting


def wait_minutes(ahead: int, counters: int, minutes: float) -> int:
    return int(math.ceil(ahead * minutes / max(1, counters)))


# ------------------------------------------------------------------ the service


class QueueService:
    """Issue tickets: backend first, this kiosk's block when the backend is unreachable."""

    def __init__(
        self,
        config: Any,
        store: TicketStore,
        backend: Any = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.backend = backend
        self.tz = ZoneInfo(config.kiosk.timezone)
        self._now = now or (lambda: datetime.now(self.tz))
        self._offline_until = 0.0
        self._lock = threading.Lock()

    # -- facts from the config -------------------------------------------

    def now(self) -> datetime:
        n = self._now()
        return n.astimezone(self.tz) if n.tzinfo else n.replace(tzinfo=self.tz)

    def today(self) -> date:
        return self.now().date()

    def services(self) -> list[Any]:
        return list(self.config.services)

    def priority_codes(self) -> list[str]:
        return [c.code for c in self.config.queue.priority_categories]

    def suggested_priority(self, identity: Any) -> str | None:
        """"elderly" when the citizen's ID card says they are at least ``[queue] priority_age``."""
        if identity is None or "elderly" not in self.priority_codes():
            return None
        try:
            age = identity.age_on(self.today())
        except Exception:
            return None
        return "elderly" if age >= self.config.queue.priority_age else None

    def is_open(self, service: str, at: datetime | None = None) -> bool:
        svc = self.config.service(service)
        hhmm = (at or self.now()).strftime("%H:%M")
        return svc.opens <= hhmm < svc.closes

    # -- issuing -------------------------------------------------------------

    def issue(self, service: str, priority: str | None = None) -> Ticket:
        """A numbered ticket for ``service`` (and priority category); raises QueueError if impossible."""
        try:
            svc = self.config.service(service)
        except KeyError:
            raise QueueError("unknown_service", f"unknown service {service!r}") from None
        if priority is not None and priority not in self.priority_codes():
            raise QueueError("unknown_priority", f"unknown priority category {priority!r}")
        ticket = self._online(service, priority) if self._backend_usable() else None
        if ticket is None:
            ticket = self._local(service, priority)
        if ticket.wait_minutes == 0 and ticket.people_ahead:
            ticket.wait_minutes = wait_minutes(ticket.people_ahead, len(svc.counters), self.config.queue.default_service_minutes)
        log.info("ticket %s issued (%s%s)", ticket.number, "offline" if ticket.offline else "online",
                 f", priority {priority}" if priority else "")
        return ticket

    def _backend_usable(self) -> bool:
        return self.backend is not None and time.monotonic() >= self._offline_until

    def _online(self, service: str, priority: str | None) -> Ticket | None:
        from kiosk.backend import BackendError

        try:
            out = self.backend.issue_ticket(service, priority)
        except BackendError as e:
            log.warning("backend could not number a ticket, using this kiosk's block: %s", e)
            self._offline_until = time.monotonic() + BACKEND_COOLDOWN_S
            return None
        issued = out.issued_at.astimezone(self.tz) if out.issued_at.tzinfo else out.issued_at.replace(tzinfo=self.tz)
        ticket = Ticket(
            number=out.number, service=out.service, seq=out.seq, day=out.day, issued_at=issued,
            priority=out.priority, people_ahead=out.people_ahead, kiosk_id=out.kiosk_id or self.config.kiosk.id,
        )
        svc = self.config.service(service)
        ticket.wait_minutes = wait_minutes(ticket.people_ahead, len(svc.counters), self.config.queue.default_service_minutes)
        try:
            self.store.record_online(ticket)
        except sqlite3.Error:
            log.exception("could not record ticket %s locally", ticket.number)
        self._top_up_block(service, ticket.day)
        self.sync_offline()
        return ticket

    def _local(self, service: str, priority: str | None) -> Ticket:
        now = self.now()
        ticket = Ticket(number="", service=service, seq=0, day=now.date(), issued_at=now, priority=priority,
                        offline=self.backend is not None, kiosk_id=self.config.kiosk.id)
        base = OFFLINE_BASE if self.backend is not None else 1
        with self._lock:
            try:
                self.store.issue_local(ticket, self.config.queue.local_block_size, base)
            except sqlite3.Error as e:
                raise QueueError("storage", f"ticket store unavailable: {e}") from None
        ticket.people_ahead = self._estimate(service, ticket)
        return ticket

    def _estimate(self, service: str, ticket: Ticket) -> int:
        svc = self.config.service(service)
        rows = [r for r in self.store.issued(ticket.day, service) if r["id"] != ticket.ticket_id]
        if ticket.priority:
            rows = [r for r in rows if r["priority"]]
        times = [datetime.fromisoformat(r["issued_at"]) for r in rows]
        times = [t if t.tzinfo else t.replace(tzinfo=self.tz) for t in times]
        return estimate_ahead(times, ticket.issued_at, len(svc.counters), self.config.queue.default_service_minutes)

    def _top_up_block(self, service: str, day: date) -> None:
        """While online, keep a block of numbers in reserve for when the backend goes away."""
        from kiosk.backend import BackendError

        size = self.config.queue.local_block_size
        if self.store.spare(day, service) >= size // 4:
            return
        try:
            block = self.backend.reserve_ticket_block(service, size)
            self.store.add_block(block.day, block.service, block.start, block.end, source="backend")
        except BackendError as e:
            log.info("could not reserve a block of ticket numbers: %s", e)

    def sync_offline(self) -> int:
        """Register tickets numbered offline with the backend (best-effort); returns how many went."""
        from kiosk.backend import BackendError, BackendRejected

        if self.backend is None:
            return 0
        sent = 0
        for row in self.store.unsynced():
            try:
                self.backend.issue_ticket(row["service"], row["priority"], seq=row["seq"],
                                          issued_at=datetime.fromisoformat(row["issued_at"]))
            except BackendRejected as e:  # e.g. already registered: never retry forever
                log.warning("backend refused offline ticket %s: %s", row["number"], e)
            except BackendError:
                break
            self.store.mark_synced(row["id"])
            sent += 1
        return sent

    def record_print(self, ticket: Ticket, printed: bool, error: str | None) -> None:
        """Whether the ticket reached the citizen on paper (never assumed)."""
        self.store.record_print(ticket.ticket_id, printed, error)

    def close(self) -> None:
        self.store.close()


def build(services: Any) -> None:
    """SERVICE_BUILDERS entry: ``services.queue`` over ``<data dir>/queue.sqlite`` and ``services.backend``."""
    store = TicketStore(services.config.data_path("queue.sqlite"))
    services.queue = QueueService(services.config, store, backend=services.backend)
    services.on_close(services.queue.close)

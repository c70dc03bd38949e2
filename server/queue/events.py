"""Live updates of the queue: one hub per server process, fed by the process itself (SQLite) or by
PostgreSQL ``LISTEN/NOTIFY`` (several workers: whichever worker changed the queue, every worker hears it).

A change marks its department dirty; the hub recomputes the department's hall snapshot once (changes
that come while it runs are folded into one more run) and hands it, with the calls to announce, to
every connected stream of that department. Snapshots are computed only for departments someone watches.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
CHANNEL = "motcua_queue"


class Hub:
    """Streams per department; ``changed(dept, announce)`` from any thread."""

    def __init__(self, snapshot: Callable[[int], dict | None]) -> None:
        self.snapshot = snapshot  # dept id → hall state (blocking: runs in a thread)
        self.loop: asyncio.AbstractEventLoop | None = None
        self._streams: dict[int, set[asyncio.Queue]] = {}
        self._pending: dict[int, list[dict]] = {}
        self._running: set[int] = set()
        self._dirty: set[int] = set()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def subscribe(self, dept: int) -> asyncio.Queue:
        q: asyncio.Queue = asyncio.Queue(maxsize=100)
        self._streams.setdefault(dept, set()).add(q)
        return q

    def unsubscribe(self, dept: int, q: asyncio.Queue) -> None:
        self._streams.get(dept, set()).discard(q)

    def clients(self) -> int:
        return sum(len(v) for v in self._streams.values())

    def changed(self, dept: int, announce: dict | None = None) -> None:
        """Thread-safe: the queue of ``dept`` changed (and ``announce`` is to be called aloud)."""
        if self.loop is None or self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self._mark, dept, announce)

    def _mark(self, dept: int, announce: dict | None) -> None:
        if not self._streams.get(dept):
            return
        if announce:
            self._pending.setdefault(dept, []).append(announce)
        if dept in self._running:
            self._dirty.add(dept)
            return
        self._running.add(dept)
        asyncio.ensure_future(self._refresh(dept))

    async def _refresh(self, dept: int) -> None:
        try:
            while True:
                self._dirty.discard(dept)
                announce = self._pending.pop(dept, [])
                try:
                    state = await asyncio.to_thread(self.snapshot, dept)
                except Exception:  # noqa: BLE001 — a failed snapshot must not end the hub
                    log.exception("queue snapshot failed")
                    state = None
                if state is not None:
                    message = {"type": "state", "state": state, "announce": announce}
                    for q in list(self._streams.get(dept, ())):
                        if q.full():  # a stream that stopped reading: drop its oldest, keep the newest
                            q.get_nowait()
                        q.put_nowait(message)
                if dept not in self._dirty:
                    return
        finally:
            self._running.discard(dept)


def stage(s: Session, dept: int, announce: dict | None) -> None:
    """Inside the write transaction: on PostgreSQL a NOTIFY, delivered to every worker at commit."""
    if s.get_bind().dialect.name == "postgresql":
        payload = json.dumps({"dept": dept, "announce": announce}, separators=(",", ":"))
        s.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": payload})


def published_locally(dialect: str) -> bool:
    """SQLite: one process, so the route hands the change to its own hub after the commit."""
    return dialect != "postgresql"


class PgListener:
    """A thread LISTENing on the queue channel; each notification goes to the hub (every worker has one)."""

    def __init__(self, url: str, hub: Hub) -> None:
        from sqlalchemy.engine import make_url

        self.url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.hub = hub
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="queue-listen", daemon=True)
        self.ready = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    while not self._stop.is_set():
                        for n in conn.notifies(timeout=0.5):
                            self._deliver(n.payload)
            except Exception:  # noqa: BLE001 — the database went away: listen again shortly
                log.warning("queue listener lost its connection; reconnecting")
                self._stop.wait(1.0)

    def _deliver(self, payload: str) -> None:
        try:
            data: dict[str, Any] = json.loads(payload)
            self.hub.changed(int(data["dept"]), data.get("announce"))
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable queue notification ignored")

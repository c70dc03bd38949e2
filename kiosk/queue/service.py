"""Queue tickets: service areas, priority, fair numbering, estimated wait — online or not.

The backend numbers tickets for every kiosk of the department (``POST /tickets``).
When it cannot be reached, the kiosk numbers from a block of numbers reserved
for it earlier (``POST /tickets/blocks``), kept in SQLite so that a restart or a
power cut never hands out a number twice; the ticket then says it was issued
offline and is registered with the backend once it is back. A kiosk with no
block yet numbers from its own emergency range (:func:`offline_base`: 901 up for KIOSK-01, 1901 for KIOSK-02). A kiosk
without a backend at all (``services.backend is None``) numbers alone from 1.

Numbers restart each day at local midnight (``[kiosk] timezone``, Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.base.blocking import blocking
from kiosk.queue.store import TicketStore
from kiosk.queue.tickets import QueueError, Ticket
from kiosk.queue.wait import estimate_ahead, wait_minutes

log = logging.getLogger(__name__)

OFFLINE_BASE = 901  # first number of a kiosk's own block when the backend never granted one today
OFFLINE_SPAN = 1000  # each kiosk's emergency range: KIOSK-01 from 901, KIOSK-02 from 1901, KIOSK-03 from 2901 …


def offline_base(kiosk_id: str) -> int:
    """The first emergency number of this kiosk: its index is the number that ends its ``[kiosk] id``
    (``KIOSK-02`` → 2), so two kiosks that never reached the backend today never print the same number."""
    digits = re.search(r"([0-9]+)$", kiosk_id)
    index = int(digits.group(1)) if digits else zlib.crc32(kiosk_id.encode("utf-8")) % 90 + 1
    return OFFLINE_BASE + (max(1, index) - 1) % 90 * OFFLINE_SPAN  # seq stays ≤ 99 999 (the backend's cap)
BACKEND_COOLDOWN_S = 30.0  # after the backend failed, number locally for this long without asking it




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

    @classmethod
    def for_kiosk(cls, config: Any, backend: Any = None) -> QueueService:
        """The kiosk's queue over ``<data dir>/queue.sqlite``, numbering through ``backend`` when it answers."""
        return cls(config, TicketStore(config.data_path("queue.sqlite")), backend=backend)

    def use_backend(self, backend: Any) -> None:
        """Number through ``backend`` from now on (a technician changed the backend)."""
        self.backend = backend
        self._offline_until = 0.0

    def use_config(self, config: Any) -> None:
        """Read services, priority categories and ages from ``config`` from now on."""
        self.config = config

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

    @blocking
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
        from kiosk.backend.client import BackendError

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
        base = offline_base(self.config.kiosk.id) if self.backend is not None else 1
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
        from kiosk.backend.client import BackendError

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
        from kiosk.backend.client import BackendError, BackendRejected

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

"""The queue's rules that a kiosk cannot bend: the server's clock and day, configured priorities.

A ticket numbered by the server gets the server's time (a kiosk sending ``issued_at`` is refused: the
queue is ordered by it). A ticket a kiosk numbered offline from its reserved block keeps the kiosk's
time only as far as it is plausible: not before the block was reserved, not after now, and never out of
the order of the numbers inside its block (a lower number cannot claim a later time than a higher one
already registered, nor the other way round). Every ticket is for today in the department's time zone.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import kiosk.api as api
from server.errors import unprocessable
from server.models import Ticket
from server.settings import ServerSettings


def check(body: api.TicketIn, cfg: ServerSettings) -> None:
    """422 for a priority that is not configured, or a time sent with a ticket the server numbers."""
    errors = []
    if body.priority is not None and body.priority not in cfg.priority_categories:
        errors.append({"field": "priority", "message": f"one of {', '.join(cfg.priority_categories)} or null"})
    if body.issued_at is not None:
        if body.seq is None:
            errors.append({"field": "issued_at", "message": "the server sets the time of the tickets it numbers"})
        elif _local(body.issued_at, cfg).date() != cfg.local_now().date():
            errors.append({"field": "issued_at", "message": "tickets are for today only"})
    if errors:
        raise unprocessable(errors)


def _local(at: datetime, cfg: ServerSettings) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=cfg.tz)).astimezone(cfg.tz)


def offline_issued_at(s: Session, department_id: int, service: str, day, seq: int, block_start: int,
                      block_end: int, block_created: datetime, claimed: datetime | None,
                      cfg: ServerSettings) -> datetime:
    """The queue time of an offline ticket: the kiosk's claim clamped as the module says."""
    now = cfg.now()
    same_block = (Ticket.department_id == department_id, Ticket.service == service, Ticket.day == day)
    before = s.execute(select(func.max(Ticket.issued_at)).where(
        *same_block, Ticket.seq >= block_start, Ticket.seq < seq)).scalar_one_or_none()
    after = s.execute(select(func.min(Ticket.issued_at)).where(
        *same_block, Ticket.seq > seq, Ticket.seq <= block_end)).scalar_one_or_none()
    lo = max(t for t in (block_created, _aware(before)) if t is not None)
    hi = min(t for t in (now, _aware(after)) if t is not None)
    at = _local(claimed, cfg) if claimed is not None else now
    return max(lo, min(at, hi)).astimezone(cfg.tz)


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite: make them aware UTC like every other time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

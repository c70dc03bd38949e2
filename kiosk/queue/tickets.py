"""A queue ticket: its number and what the citizen is told. No personal data: a ticket is not a dossier."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


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

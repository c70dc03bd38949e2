"""Kiosk token management behind ``kiosk-server token add|rotate|revoke|list``.

Each change raises the credential revision in the same transaction (:func:`server.auth.bump_revision`),
so running servers drop the old token at their next request — the CLI is another process and cannot
reach their memory. A token is shown once, when it is made; the database keeps only its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth import bump_revision, hash_token, seed_kiosk
from server.credentials import EXAMPLE_TOKEN, check_token, new_token
from server.models import Department, Kiosk


class UnknownKiosk(LookupError):
    pass


@dataclass(frozen=True)
class KioskRow:
    id: str
    unit_id: str
    department: str
    revoked: bool
    last_heartbeat_at: datetime | None


def add(s: Session, kiosk_id: str, unit_id: str, department: str = "", token: str | None = None) -> str:
    """Create (or re-key) a kiosk; returns its token (``token`` if given and strong, else a new one)."""
    token = token if token is not None else new_token()
    seed_kiosk(s, kiosk_id, token, unit_id, department)
    return token


def rotate(s: Session, kiosk_id: str, now: datetime, token: str | None = None) -> str:
    """A new token for ``kiosk_id``; the old one stops at once (a revoked kiosk is re-enabled)."""
    kiosk = s.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise UnknownKiosk(kiosk_id)
    token = token if token is not None else new_token()
    check_token(token)
    kiosk.token_hash = hash_token(token)
    kiosk.revoked_at = None
    bump_revision(s)
    return token


def revoke(s: Session, kiosk_id: str, now: datetime) -> None:
    """The kiosk's token opens nothing from the next request on, until :func:`rotate`."""
    kiosk = s.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise UnknownKiosk(kiosk_id)
    kiosk.revoked_at = now
    bump_revision(s)


def listing(s: Session) -> list[KioskRow]:
    rows = s.execute(select(Kiosk, Department).join(Department, Department.id == Kiosk.department_id)
                     .order_by(Department.unit_id, Kiosk.id)).all()
    return [KioskRow(k.id, d.unit_id, d.name, k.revoked_at is not None, k.last_heartbeat_at) for k, d in rows]


def example_token_in_use(s: Session) -> list[str]:
    """Kiosks that still accept the packaged example token (the server refuses to serve them outside embedded mode)."""
    return list(s.execute(select(Kiosk.id).where(Kiosk.token_hash == hash_token(EXAMPLE_TOKEN),
                                                 Kiosk.revoked_at.is_(None))).scalars())

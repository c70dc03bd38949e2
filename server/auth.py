"""Bearer tokens per kiosk. Only SHA-256 hashes are stored; a token names one kiosk of one department.

Tokens are long random strings (``secrets.token_urlsafe``), so a fast hash is enough
and lets the lookup be an indexed equality instead of scanning bcrypt hashes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Department, Kiosk

_bearer = HTTPBearer(auto_error=False)
_CACHE_TTL_S = 30.0


@dataclass(frozen=True)
class KioskIdentity:
    """Who is calling: the kiosk and the department it may act for."""

    kiosk_id: str
    department_id: int
    unit_id: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenCache:
    """token hash → identity for a few seconds (a revoked token stops working within the TTL)."""

    def __init__(self, ttl_s: float = _CACHE_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, KioskIdentity]] = {}

    def get(self, h: str) -> KioskIdentity | None:
        with self._lock:
            hit = self._items.get(h)
            if hit and hit[0] > time.monotonic():
                return hit[1]
            return None

    def put(self, h: str, ident: KioskIdentity) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[h] = (time.monotonic() + self.ttl_s, ident)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _unauthorized() -> HTTPException:
    return HTTPException(401, "invalid or missing token", headers={"WWW-Authenticate": "Bearer"})


async def current_kiosk(
    request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> KioskIdentity:
    """FastAPI dependency: the calling kiosk, or 401.

    Async so the usual case (a cached token) costs no worker-thread hop; a cache miss runs one
    indexed query on the event loop, once per token per TTL.
    """
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise _unauthorized()
    h = hash_token(creds.credentials)
    cache: TokenCache = request.app.state.token_cache
    ident = cache.get(h)
    if ident is None:
        with request.app.state.sessions() as s:
            row = s.execute(
                select(Kiosk.id, Kiosk.department_id, Department.unit_id)
                .join(Department, Department.id == Kiosk.department_id)
                .where(Kiosk.token_hash == h)
            ).first()
        if row is None:
            raise _unauthorized()
        ident = KioskIdentity(row[0], row[1], row[2])
        cache.put(h, ident)
    return ident


def seed_kiosk(session: Session, kiosk_id: str, token: str, unit_id: str, department: str = "") -> None:
    """Create or update a kiosk (and its department) with ``token``; used by ``kiosk-server --kiosk``."""
    dept = session.execute(select(Department).where(Department.unit_id == unit_id)).scalar_one_or_none()
    if dept is None:
        dept = Department(unit_id=unit_id, name=department or unit_id)
        session.add(dept)
        session.flush()
    elif department:
        dept.name = department
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        other = session.execute(select(Kiosk).where(Kiosk.token_hash == hash_token(token))).scalar_one_or_none()
        if other is not None:
            raise ValueError(f"token already used by kiosk {other.id}")
        session.add(Kiosk(id=kiosk_id, department_id=dept.id, token_hash=hash_token(token), name=kiosk_id))
    else:
        kiosk.department_id = dept.id
        kiosk.token_hash = hash_token(token)

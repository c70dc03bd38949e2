"""Bearer tokens per kiosk. Only SHA-256 hashes are stored; a token names one kiosk of one department.

Tokens are long random strings (``secrets.token_urlsafe``), so a fast hash is enough
and lets the lookup be an indexed equality instead of scanning bcrypt hashes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import Database
from server.models import Department, Kiosk

_bearer = HTTPBearer(auto_error=False)
_CACHE_TTL_S = 30.0
_NEGATIVE_TTL_S = 5.0
MAX_TOKEN_CHARS = 512


@dataclass(frozen=True)
class KioskIdentity:
    """Who is calling: the kiosk and the department it may act for."""

    kiosk_id: str
    department_id: int
    unit_id: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenCache:
    """token hash → identity for ``ttl_s`` (a revoked token stops working within it); unknown
    hashes are remembered for ``negative_ttl_s``, so a client hammering with a bad token costs
    no query per request.

    Read and written on the event loop and in worker threads without a lock: single dict
    operations are atomic in CPython, and a lost update only costs one more lookup.
    """

    def __init__(self, ttl_s: float = _CACHE_TTL_S, negative_ttl_s: float = _NEGATIVE_TTL_S,
                 max_items: int = 10_000) -> None:
        self.ttl_s, self.negative_ttl_s, self.max_items = ttl_s, negative_ttl_s, max_items
        self._items: dict[str, tuple[float, KioskIdentity | None]] = {}

    def get(self, h: str) -> tuple[bool, KioskIdentity | None]:
        """(known, identity): known=False means "ask the database"; identity None means a bad token."""
        hit = self._items.get(h)
        if hit is None or hit[0] <= time.monotonic():
            return False, None
        return True, hit[1]

    def put(self, h: str, ident: KioskIdentity | None) -> None:
        if len(self._items) >= self.max_items:
            self._items = {}
        self._items[h] = (time.monotonic() + (self.ttl_s if ident is not None else self.negative_ttl_s), ident)

    def clear(self) -> None:
        self._items = {}


def _unauthorized() -> HTTPException:
    return HTTPException(401, "invalid or missing token", headers={"WWW-Authenticate": "Bearer"})


def lookup_kiosk(db: Database, h: str) -> KioskIdentity | None:
    """The kiosk whose token hashes to ``h`` (one indexed read, no lock); blocking — call it off the loop."""
    with db.read() as s:
        row = s.execute(
            select(Kiosk.id, Kiosk.department_id, Department.unit_id)
            .join(Department, Department.id == Kiosk.department_id)
            .where(Kiosk.token_hash == h)
        ).first()
    return None if row is None else KioskIdentity(row[0], row[1], row[2])


async def identify(app: Any, token: str) -> KioskIdentity | None:
    """The kiosk of ``token`` or None: from the cache on the event loop, else a read in the threadpool."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    h = hash_token(token)
    cache: TokenCache = app.state.token_cache
    known, ident = cache.get(h)
    if not known:
        ident = await run_in_threadpool(lookup_kiosk, app.state.db, h)
        cache.put(h, ident)
    return ident


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header, or ""."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def current_kiosk(
    request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> KioskIdentity:
    """FastAPI dependency: the calling kiosk, or 401.

    Async so a cached token costs no worker-thread hop; a cache miss reads the database in the
    threadpool, never on the event loop.
    """
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise _unauthorized()
    ident = await identify(request.app, creds.credentials)
    if ident is None:
        raise _unauthorized()
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

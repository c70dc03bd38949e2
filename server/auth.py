"""Bearer tokens per kiosk. Only SHA-256 hashes are stored; a token names one kiosk of one department.

Tokens are long random strings (≥ 32 bytes, :func:`server.credentials.check_token`), so a fast hash
is enough and lets the lookup be an indexed equality instead of scanning bcrypt hashes. Every change of
a token (add, rotate, revoke: :mod:`server.tokens`) raises the one-row credential revision; each request
reads it and a new value empties this process's cache, so a rotated or revoked token stops at the next
request in every worker and every server on the same database.

Nothing here blocks the event loop: the revision read and a cache miss run in the threadpool, on a
reader's snapshot (never the writers' lock); unknown tokens are remembered briefly, so a client
hammering with a bad token costs one cheap read per request, not a lookup.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server.credentials import WeakCredential, check_token
from server.db import Database
from server.models import AuthRevision, Department, Kiosk

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
    """token hash → identity for ``ttl_s``; unknown hashes are remembered for ``negative_ttl_s``.

    Everything is forgotten when the credential revision moves (:meth:`sync`). Read and written
    from worker threads without a lock: single dict operations are atomic in CPython, and a lost
    update only costs one more lookup.
    """

    def __init__(self, ttl_s: float = _CACHE_TTL_S, negative_ttl_s: float = _NEGATIVE_TTL_S,
                 max_items: int = 10_000) -> None:
        self.ttl_s, self.negative_ttl_s, self.max_items = ttl_s, negative_ttl_s, max_items
        self._items: dict[str, tuple[float, KioskIdentity | None]] = {}
        self._revision: int | None = None

    def sync(self, revision: int) -> None:
        """Forget everything when the credential revision moved (a token was added, rotated or revoked)."""
        if revision != self._revision:
            self._items = {}
            self._revision = revision

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


_REVISION = select(AuthRevision.value).where(AuthRevision.id == 1)
_REVISION_SQL = "SELECT value FROM auth_revision WHERE id = 1"


def current_revision(s: Session) -> int:
    return s.execute(_REVISION).scalar_one_or_none() or 0


def read_revision(engine: Any) -> int:
    """The credential revision by a bare read on a pooled DBAPI connection: no ORM session, and on SQLite
    no ``BEGIN IMMEDIATE`` (so none of the writers' lock) — it runs at every request."""
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        try:
            cur.execute(_REVISION_SQL)
            row = cur.fetchone()
        finally:
            cur.close()
    finally:
        conn.close()  # back to the pool, which rolls back whatever the driver opened
    return int(row[0]) if row else 0


def bump_revision(s: Session) -> None:
    """Inside the caller's transaction: every server's token cache is emptied by its next request."""
    row = s.get(AuthRevision, 1)
    if row is None:
        s.add(AuthRevision(id=1, value=1))
    else:
        row.value += 1


def lookup_kiosk(db: Database, h: str) -> KioskIdentity | None:
    """The kiosk whose token hashes to ``h`` and is not revoked (one indexed read, no lock); blocking."""
    with db.read() as s:
        row = s.execute(
            select(Kiosk.id, Kiosk.department_id, Department.unit_id)
            .join(Department, Department.id == Kiosk.department_id)
            .where(Kiosk.token_hash == h, Kiosk.revoked_at.is_(None))
        ).first()
    return None if row is None else KioskIdentity(row[0], row[1], row[2])


def _identify_blocking(app: Any, h: str) -> KioskIdentity | None:
    cache: TokenCache = app.state.token_cache
    cache.sync(read_revision(app.state.db.engine))
    known, ident = cache.get(h)
    if not known:
        ident = lookup_kiosk(app.state.db, h)
        cache.put(h, ident)
    return ident


async def identify(app: Any, token: str) -> KioskIdentity | None:
    """The kiosk of ``token`` or None; the revision read and any lookup run in the threadpool."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    return await run_in_threadpool(_identify_blocking, app, hash_token(token))


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header, or ""."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def current_kiosk(
    request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> KioskIdentity:
    """FastAPI dependency: the calling kiosk, or 401 (no database work on the event loop)."""
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise _unauthorized()
    ident = await identify(request.app, creds.credentials)
    if ident is None:
        raise _unauthorized()
    return ident
def seed_kiosk(session: Session, kiosk_id: str, token: str, unit_id: str, department: str = "", *,
               weak_ok: bool = False) -> None:
    """Create or update a kiosk (and its department) with ``token``; used by ``kiosk-server --kiosk``.

    ``token`` must pass :func:`~server.credentials.check_token` (WeakCredential otherwise) unless
    ``weak_ok`` — the in-process test harness and the embedded mode's example token only.
    """
    if not weak_ok:
        check_token(token)
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
        kiosk.revoked_at = None
    bump_revision(session)


__all__ = ["KioskIdentity", "TokenCache", "WeakCredential", "bump_revision", "current_kiosk", "hash_token",
           "seed_kiosk"]

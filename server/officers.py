"""Officer accounts: roles, sessions, and the ``current_officer(role)`` dependency of every office endpoint.

Two ways in, one session table: a browser gets an HttpOnly, Secure, SameSite=Strict cookie and must send
the session's CSRF token (header ``X-CSRF-Token`` or form field ``csrf_token``) with every request that
changes state; an API client gets a bearer token (``mco_…``) and needs no CSRF token, since a browser
never adds it by itself. Kiosk tokens never open these endpoints (they are not officer sessions), and
officer credentials never open kiosk endpoints (:func:`server.auth.current_kiosk` knows only kiosk tokens).
Sessions are looked up in the database at every request (no cache), so disabling an account or changing
its password ends its sessions at once, in every worker.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.credentials import OFFICER_TOKEN_PREFIX, sha256_hex, verify_password  # noqa: F401 (verify: login)
from server.models import Department, OfficerSession, User

ROLES = ("officer", "supervisor", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}
SESSION_COOKIE = "motcua_session"
CSRF_COOKIE = "motcua_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, scheme_name="officer bearer")


@dataclass(frozen=True)
class Officer:
    """Who is acting: the account, its role and the department it belongs to (None: an admin of all)."""

    user_id: int
    username: str
    full_name: str
    role: str
    department_id: int | None
    unit_id: str | None
    via: str  # cookie | bearer

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def unauthorized(detail: str = "officer login required") -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def new_session(s: Session, user_id: int, kind: str, now: datetime, hours: float) -> tuple[str, str, datetime]:
    """(token, csrf token, expiry) of a new session; expired sessions of that user are swept."""
    s.execute(delete(OfficerSession).where(OfficerSession.user_id == user_id, OfficerSession.expires_at <= now))
    token = OFFICER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours)
    s.add(OfficerSession(id=sha256_hex(token), user_id=user_id, kind=kind, csrf_hash=sha256_hex(csrf),
                         created_at=now, expires_at=expires))
    return token, csrf, expires


def end_session(s: Session, token: str) -> None:
    s.execute(delete(OfficerSession).where(OfficerSession.id == sha256_hex(token)))


def end_all_sessions(s: Session, user_id: int) -> None:
    """Password changed or account disabled: every login of that user ends now."""
    s.execute(delete(OfficerSession).where(OfficerSession.user_id == user_id))


_LOOKUP = (
    select(OfficerSession.kind, OfficerSession.csrf_hash, OfficerSession.expires_at, User.id, User.username,
           User.full_name, User.role, User.department_id, User.disabled, Department.unit_id)
    .join(User, User.id == OfficerSession.user_id)
    .outerjoin(Department, Department.id == User.department_id)
)


def _lookup(request: Request, token: str, kind: str) -> tuple[Officer, str]:
    if not token.startswith(OFFICER_TOKEN_PREFIX) or len(token) > 200:
        raise unauthorized()  # a kiosk token or garbage: not even worth a query
    with request.app.state.db.read() as s:
        row = s.execute(_LOOKUP.where(OfficerSession.id == sha256_hex(token))).first()
    now = request.app.state.settings.now()
    if row is None or row.kind != kind or row.disabled or row.expires_at <= now or row.role not in RANK:
        raise unauthorized()
    officer = Officer(row.id, row.username, row.full_name, row.role, row.department_id, row.unit_id, kind)
    return officer, row.csrf_hash


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # SameSite=Strict already keeps other sites' requests from carrying the cookie
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


async def _csrf_value(request: Request) -> str | None:
    """The CSRF token sent with a request: the header, or a form field (HTML forms cannot set headers)."""
    value = request.headers.get(CSRF_HEADER)
    if value is None and request.method not in SAFE_METHODS:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            field = (await request.form()).get(CSRF_FIELD)
            value = field if isinstance(field, str) else None
    return value


def authenticate(request: Request, creds: HTTPAuthorizationCredentials | None, csrf: str | None) -> Officer:
    """The officer behind a bearer or a session cookie (401), CSRF-checked for cookie writes (403)."""
    if creds is not None and creds.scheme.lower() == "bearer" and creds.credentials:
        officer, _ = _lookup(request, creds.credentials, "bearer")
        return officer
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise unauthorized()
    officer, csrf_hash = _lookup(request, cookie, "cookie")
    if request.method not in SAFE_METHODS:
        if not _same_origin(request):
            raise HTTPException(403, "cross-site request refused")
        if not csrf or not hmac.compare_digest(sha256_hex(csrf), csrf_hash):
            raise HTTPException(403, f"missing or wrong CSRF token ({CSRF_HEADER} header or {CSRF_FIELD} field)")
    return officer


def current_officer(role: str = "officer") -> Callable[..., Officer]:
    """Dependency factory: ``Depends(current_officer("supervisor"))`` → the officer, or 401/403.

    A plain ``def`` underneath (threadpool): the session lookup reads the database.
    """
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}")

    def dependency(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer),
                   csrf: str | None = Depends(_csrf_value)) -> Officer:
        officer = authenticate(request, creds, csrf)
        if not officer.at_least(role):
            raise HTTPException(403, f"this needs the {role} role")
        return officer

    dependency.__name__ = f"current_officer_{role}"
    return dependency


def department_scope(officer: Officer, unit: str | None) -> str | None:
    """The unit an officer may look at: their own (403 for another); an admin any, or all (None)."""
    if officer.role == "admin":
        return unit
    if unit and unit != officer.unit_id:
        raise HTTPException(403, "another department")
    return officer.unit_id


def require_department(officer: Officer) -> int:
    """The officer's department id for department work (counters); 403 for an admin of no department."""
    if officer.department_id is None:
        raise HTTPException(403, "this account belongs to no department")
    return officer.department_id


def satisfaction_viewer(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer),
                        csrf: str | None = Depends(_csrf_value)) -> Officer | None:
    """Supervisors see the satisfaction figures; with ``public_satisfaction`` anyone does (None: public)."""
    if request.app.state.settings.public_satisfaction:
        return None
    officer = authenticate(request, creds, csrf)
    if not officer.at_least("supervisor"):
        raise HTTPException(403, "this needs the supervisor role")
    return officer

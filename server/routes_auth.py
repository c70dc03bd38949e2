"""Officer login and logout: ``POST /auth/login`` (cookie, or bearer for API clients), ``/auth/logout``, ``/auth/me``.

Guessing is limited before any password work (per account and per client, 429 with Retry-After), and an
unknown user costs the same scrypt run as a wrong password (a dummy hash with the same parameters), so
neither the answer nor its timing tells which usernames exist.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from server import errors, ratelimit
from server.credentials import SCRYPT_N, SCRYPT_P, SCRYPT_R
from server.models import Department, User
from server.officers import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Officer,
    current_officer,
    end_session,
    new_session,
    unauthorized,
)
from server.settings import ServerSettings

router = APIRouter(tags=["officers"])
# Same parameters as a real hash, so checking against it costs the same; it matches no password.
_DUMMY_SALT = "bW90Y3VhLWtpb3NrLWR1bW15"
_DUMMY_HASH = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    bearer: bool = False  # True: an API client's token in the answer instead of a cookie


class OfficerOut(BaseModel):
    username: str
    full_name: str
    role: str
    unit_id: str | None


class LoginOut(BaseModel):
    user: OfficerOut
    expires_at: datetime
    csrf_token: str | None = None  # cookie logins: send it as X-CSRF-Token with every change
    access_token: str | None = None  # bearer logins
    token_type: str | None = None


def dummy_hash(n: int) -> str:
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${_DUMMY_SALT}${_DUMMY_HASH}"


def _limits(request: Request) -> tuple[ratelimit.FailureLimiter, ...]:
    cfg: ServerSettings = request.app.state.settings
    return ratelimit.on_app(request.app.state, "login_limits", (cfg.login_failures_per_user, cfg.login_window_s),
                            (cfg.login_failures_per_client, cfg.login_window_s))


def _officer_out(o: Officer) -> OfficerOut:
    return OfficerOut(username=o.username, full_name=o.full_name, role=o.role, unit_id=o.unit_id)


@router.post("/auth/login", response_model=LoginOut, responses=errors.problems(401, 429))
def login(body: LoginIn, request: Request, response: Response) -> LoginOut:
    from server import officers  # looked up late so tests can watch verify_password

    cfg: ServerSettings = request.app.state.settings
    per_user, per_client = _limits(request)
    user_key, client_key = body.username.lower(), request.client.host if request.client else "?"
    ratelimit.check((per_user, user_key), (per_client, client_key))
    db = request.app.state.db
    with db.read() as s:  # the password check (scrypt, ~0.1 s) runs outside any write transaction
        row = s.execute(select(User.id, User.password_hash, User.disabled, User.username, User.full_name, User.role,
                               Department.unit_id)
                        .outerjoin(Department, Department.id == User.department_id)
                        .where(User.username == user_key)).first()
    stored = row.password_hash if row is not None else dummy_hash(cfg.scrypt_n or SCRYPT_N)
    ok = officers.verify_password(body.password, stored)
    if not ok or row is None or row.disabled:
        per_user.fail(user_key)
        per_client.fail(client_key)
        raise unauthorized("wrong username or password")
    kind = "bearer" if body.bearer else "cookie"
    with db.write() as s:
        token, csrf, expires = new_session(s, row.id, kind, cfg.now(), cfg.session_hours)
    out_user = OfficerOut(username=row.username, full_name=row.full_name, role=row.role, unit_id=row.unit_id)
    per_user.reset(user_key)
    if body.bearer:
        return LoginOut(user=out_user, expires_at=expires, access_token=token, token_type="bearer")
    max_age = int(cfg.session_hours * 3600)
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, path="/", secure=True, httponly=True,
                        samesite="strict")
    response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, path="/", secure=True, httponly=False,
                        samesite="strict")
    return LoginOut(user=out_user, expires_at=expires, csrf_token=csrf)


@router.post("/auth/logout", status_code=204, responses=errors.problems(401, 403))
def logout(request: Request, officer: Officer = Depends(current_officer())) -> Response:
    token = request.cookies.get(SESSION_COOKIE) if officer.via == "cookie" else \
        request.headers.get("authorization", "").partition(" ")[2].strip()
    with request.app.state.db.write() as s:
        end_session(s, token)
    response = Response(status_code=204)
    if officer.via == "cookie":
        response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
        response.delete_cookie(CSRF_COOKIE, path="/", secure=True, samesite="strict")
    return response


@router.get("/auth/me", response_model=OfficerOut, responses=errors.problems(401))
def me(officer: Officer = Depends(current_officer())) -> OfficerOut:
    return _officer_out(officer)

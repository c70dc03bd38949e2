"""Officer account management behind ``kiosk-server user add|passwd|disable|enable|list`` (and tests).

Passwords are checked (:func:`server.credentials.check_password`) and stored as scrypt hashes; a new
password or a disabled account ends that user's sessions in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.credentials import check_password, hash_password
from server.models import Department, User
from server.officers import ROLES, end_all_sessions

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class UserError(ValueError):
    """A user that cannot be made or changed as asked (exists, unknown, bad name or unit)."""


@dataclass(frozen=True)
class UserRow:
    username: str
    full_name: str
    role: str
    unit_id: str | None
    disabled: bool


def _department(s: Session, unit_id: str | None, role: str) -> int | None:
    if not unit_id:
        if role != "admin":
            raise UserError("officers and supervisors belong to a department: give --unit")
        return None
    dept = s.execute(select(Department.id).where(Department.unit_id == unit_id)).scalar_one_or_none()
    if dept is None:
        raise UserError(f"no department with unit id {unit_id} (add a kiosk of it first)")
    return dept


def _user(s: Session, username: str) -> User:
    user = s.execute(select(User).where(User.username == username.lower())).scalar_one_or_none()
    if user is None:
        raise UserError(f"no user {username}")
    return user


def add_user(s: Session, username: str, password: str, role: str, unit_id: str | None, now: datetime,
             full_name: str = "", *, scrypt_n: int | None = None) -> User:
    """A new account. ``scrypt_n`` lowers the KDF cost for tests only; the CLI never passes it."""
    username = username.lower()
    if not USERNAME_RE.match(username):
        raise UserError("a username is 2–64 of a-z, 0-9, '.', '_', '-'")
    if role not in ROLES:
        raise UserError(f"role is one of {', '.join(ROLES)}")
    check_password(password)
    if s.execute(select(User.id).where(User.username == username)).first() is not None:
        raise UserError(f"user {username} exists")
    hashed = hash_password(password) if scrypt_n is None else hash_password(password, n=scrypt_n)
    user = User(username=username, full_name=full_name[:200], role=role, department_id=_department(s, unit_id, role),
                password_hash=hashed, disabled=False, created_at=now, password_changed_at=now)
    s.add(user)
    s.flush()
    return user


def set_password(s: Session, username: str, password: str, now: datetime) -> None:
    check_password(password)
    user = _user(s, username)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    end_all_sessions(s, user.id)


def set_disabled(s: Session, username: str, disabled: bool) -> None:
    user = _user(s, username)
    user.disabled = disabled
    if disabled:
        end_all_sessions(s, user.id)


def listing(s: Session) -> list[UserRow]:
    rows = s.execute(select(User, Department.unit_id).outerjoin(Department, Department.id == User.department_id)
                     .order_by(User.username)).all()
    return [UserRow(u.username, u.full_name, u.role, unit, u.disabled) for u, unit in rows]

"""Numbers the server hands out: daily sequences, ticket numbers, dossier codes and lookup secrets.

A sequence is one row per (name, local day) incremented by ``UPDATE … RETURNING``
inside the caller's transaction, so two kiosks — or two server workers, or two
servers on one PostgreSQL — can never get the same number, and a new day starts at 1.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

from kiosk.api import SECRET_ALPHABET, SECRET_LENGTH

MAX_DOSSIERS_PER_DAY = 9999  # XXXX in the code (Circular 01/2018/TT-VPCP Art. 19)


# One atomic upsert (SQLite ≥ 3.35 and PostgreSQL): the first call of the day inserts ``count``,
# later ones add to it under the row's lock; the new value comes back in the same round trip.
_SEQ_TAKE = text(
    "INSERT INTO sequences (name, day, value) VALUES (:name, :day, :n) "
    "ON CONFLICT (name, day) DO UPDATE SET value = sequences.value + excluded.value RETURNING value"
).bindparams(bindparam("day", type_=Date))


def next_value(session: Session, name: str, day: date, count: int = 1) -> int:
    """Advance sequence ``name`` of ``day`` by ``count``; return the last value taken (first is 1)."""
    return session.execute(_SEQ_TAKE, {"name": name, "day": day, "n": count}).scalar_one()


def ticket_sequence_name(department_id: int, service: str) -> str:
    return f"ticket:{department_id}:{service}"


def dossier_sequence_name(unit_id: str) -> str:
    return f"dossier:{unit_id}"


def dossier_code(unit_id: str, day: date, seq: int) -> str:
    """``000.00.01.H22`` + 2025-07-15 + 7 → ``000.00.01.H22-250715-0007``."""
    return f"{unit_id}-{day:%y%m%d}-{seq:04d}"


def new_secret() -> str:
    """A short lookup secret printed on the receipt, so codes cannot be enumerated."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))

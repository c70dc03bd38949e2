"""Numbers the server hands out: daily sequences, ticket numbers, dossier codes and lookup secrets.

A sequence is one row per (name, local day) incremented by ``UPDATE … RETURNING``
inside the caller's transaction, so two kiosks — or two server workers, or two
servers on one PostgreSQL — can never get the same number, and a new day starts at 1.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.api import SECRET_ALPHABET, SECRET_LENGTH
from server.models import Sequence

MAX_DOSSIERS_PER_DAY = 9999  # XXXX in the code (Circular 01/2018/TT-VPCP Art. 19)


def next_value(session: Session, name: str, day: date, count: int = 1) -> int:
    """Advance sequence ``name`` of ``day`` by ``count``; return the last value taken (first is 1)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(Sequence).values(name=name, day=day, value=0).on_conflict_do_nothing(index_elements=["name", "day"])
    )
    return session.execute(
        update(Sequence)
        .where(Sequence.name == name, Sequence.day == day)
        .values(value=Sequence.value + count)
        .returning(Sequence.value)
    ).scalar_one()


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

"""What the outbox keeps: its SQLite schema, the items and results it reports, durable file copies.

Apart from :mod:`kiosk.backend.outbox` (the sender) so the CLI and the technician screens can read
items without the sending machinery, and so the durability helpers are in one place.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kiosk import api

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('dossier', 'rating')),
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    files TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    receipt TEXT,
    acked_at REAL
);
CREATE INDEX IF NOT EXISTS items_due ON items (state, next_attempt_at);
"""


@dataclass
class SubmitResult:
    """``acknowledged`` with the server's receipt, or ``queued`` (the citizen gets a provisional receipt)."""

    status: Literal["acknowledged", "queued"]
    receipt: api.DossierReceipt | api.RatingAck | None
    item_id: str


@dataclass
class OutboxItem:
    id: str
    kind: str
    state: str
    attempts: int
    created_at: float
    next_attempt_at: float
    last_error: str
    idempotency_key: str
    files: list[dict[str, Any]] = field(default_factory=list)
    receipt: dict[str, Any] | None = None
    summary: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class FlushReport:
    sent: int = 0
    failed: int = 0
    rejected: int = 0
    remaining: int = 0


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_durably(src: Path, dest: Path) -> int:
    with src.open("rb") as fi, dest.open("wb") as fo:
        shutil.copyfileobj(fi, fo, 1024 * 1024)
        fo.flush()
        os.fsync(fo.fileno())
        return fo.tell()

def summary(kind: str, payload: str) -> str:
    """What is kept of an acknowledged item: its procedure or rating level, no personal data."""
    data = json.loads(payload)
    keep = ("procedure_code",) if kind == "dossier" else ("level", "procedure_code", "service")
    return json.dumps({k: data.get(k) for k in keep})


class Closing:
    """sqlite3.Connection as a context manager that also closes (the stdlib one only commits)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()

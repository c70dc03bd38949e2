"""FastAPI dependencies shared by the routers: settings, the database, fingerprints."""

from __future__ import annotations

import hashlib

from fastapi import Request

from server.db import Database
from server.settings import ServerSettings

IDEMPOTENCY_KEY = r"^[!-~]+$"  # visible ASCII only (8–100 characters)


async def settings(request: Request) -> ServerSettings:
    """Async on purpose: FastAPI runs sync dependencies in a worker thread, a hop this one does not need."""
    return request.app.state.settings


async def database(request: Request) -> Database:
    """The app's :class:`~server.db.Database`; a route opens and closes its sessions itself, inside
    its own body (``with db.write() as s``), never in a dependency's clean-up: the clean-up runs
    on the event loop's schedule, and a session held until then held the SQLite write lock too."""
    return request.app.state.db


def fingerprint(*parts: str | bytes) -> str:
    """SHA-256 over the parts of a request, to tell a replay from a different body with the same key."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()

"""FastAPI dependencies shared by the routers: settings, a transaction per request, fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from server.settings import ServerSettings


async def settings(request: Request) -> ServerSettings:
    """Async on purpose: FastAPI runs sync dependencies in a worker thread, a hop this one does not need."""
    return request.app.state.settings


def session(request: Request) -> Iterator[Session]:
    """One transaction per request; the route commits, anything else rolls back."""
    s: Session = request.app.state.sessions()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


def fingerprint(*parts: str | bytes) -> str:
    """SHA-256 over the parts of a request, to tell a replay from a different body with the same key."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()

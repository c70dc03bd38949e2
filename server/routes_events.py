"""Live feed of a department's queue as server-sent events (public: numbers and counters only).

``GET /events?unit=…`` sends the whole hall state at once (so a reconnect always resyncs), then a
``state`` event after every change, with the calls to announce. A comment line every
``sse_heartbeat_s`` keeps proxies from cutting an idle stream, and a fresh state is sent when the
local day changes (the display empties at midnight without waiting for the first call). ``retry:``
tells the browser's EventSource to reconnect after one second when the server restarts.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from server import errors
from server.queue import snapshot

router = APIRouter(tags=["display"])
UnitQuery = Query(None, max_length=40, pattern=r"^[A-Za-z0-9._-]+$", description="the department (default: the first)")


def department_id(request: Request, unit: str | None) -> int:
    with request.app.state.db.read() as s:
        dept = snapshot.department(s, unit)
        if dept is None:
            raise HTTPException(404, "unknown department")
        return dept.id


def hall_state(app, dept: int) -> dict | None:
    from server.models import Department

    with app.state.db.read() as s:
        d = s.get(Department, dept)
        return None if d is None else snapshot.hall(s, d, app.state.settings)


def _sse(data: dict, event: str = "state") -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


@router.get("/queue/state", responses=errors.problems(404))
def state(request: Request, unit: str | None = UnitQuery) -> dict:
    """The hall state once (what the stream sends first)."""
    return hall_state(request.app, department_id(request, unit)) or {}


@router.get("/events", responses={200: {"content": {"text/event-stream": {}}}, **errors.problems(404)})
async def stream(request: Request, unit: str | None = UnitQuery) -> StreamingResponse:
    dept = await run_in_threadpool(department_id, request, unit)
    hub = request.app.state.hub
    beat = request.app.state.settings.sse_heartbeat_s
    cfg = request.app.state.settings

    async def body():
        q = hub.subscribe(dept)
        try:
            yield b"retry: 1000\n\n"
            first = await run_in_threadpool(hall_state, request.app, dept)
            day = first["day"] if first else None
            yield _sse({"type": "state", "state": first, "announce": [], "resync": True})
            while True:
                try:
                    message = await asyncio.wait_for(q.get(), timeout=beat)
                except asyncio.TimeoutError:
                    if cfg.local_now().date().isoformat() != day:  # midnight passed: a new, empty day
                        message = {"type": "state", "state": await run_in_threadpool(hall_state, request.app, dept),
                                   "announce": []}
                    else:
                        yield b": keep-alive\n\n"
                        continue
                if message.get("state"):
                    day = message["state"]["day"]
                yield _sse(message)
        finally:
            hub.unsubscribe(dept, q)

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

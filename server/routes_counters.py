"""The counter desk's API (officers only; never a kiosk token): call, recall, no-show, transfer, serve, pause,
and which services each counter serves (supervisors).

Every change is committed, then handed to the live feed (:mod:`server.queue.events`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

import kiosk.api as api
from server import errors
from server.models import Ticket
from server.officers import Officer, current_officer, require_department
from server.queue import counters, engine, events, snapshot
from server.queue.engine import Outcome
from server.settings import ServerSettings

router = APIRouter(tags=["counters"])
CounterNo = Path(ge=1, le=api.MAX_COUNTER, description="the counter's number (1–999)")


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: api.ServiceLetter | None = None
    counter: int | None = Field(None, ge=1, le=api.MAX_COUNTER)


class ServicesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    services: list[api.ServiceLetter] = Field(min_length=1, max_length=26)
    name: str = Field("", max_length=100)


class TicketAtCounter(BaseModel):
    number: str
    service: str
    status: str
    counter: int | None
    recalls: int
    priority: str | None


def ticket_out(t: Ticket | None) -> dict | None:
    if t is None:
        return None
    return TicketAtCounter(number=t.number, service=engine.line_of(t), status=t.status, counter=t.counter,
                           recalls=t.recalls, priority=t.priority).model_dump()


def services_for(s: Any, dept: int, counter: int, asked: list[str] | None) -> list[str]:
    """A counter's configured services win; an unconfigured counter serves what the caller names."""
    configured = counters.services_of(s, dept, counter)
    if configured:
        return configured
    if not asked:
        raise HTTPException(409, "this counter serves no service yet: a supervisor sets them (PUT /counters/N/services)")
    return list(asked)


def act(request: Request, dept: int, work: Callable[[Any], Outcome]) -> Outcome:
    """Run ``work`` in one write transaction, then tell the live feed."""
    db = request.app.state.db
    with db.write() as s:
        out = work(s)
        if out.kind != "none":
            events.stage(s, dept, out.announce)
        result = ticket_out(out.ticket)
    out.extra["ticket"] = result
    if out.kind != "none" and events.published_locally(db.engine.dialect.name):
        request.app.state.hub.changed(dept, out.announce)
    return out


def _answer(out: Outcome) -> dict:
    return {"action": out.kind, "ticket": out.extra.pop("ticket", None), **out.extra}


def _settings(request: Request) -> ServerSettings:
    return request.app.state.settings


@router.get("/counters", responses=errors.problems(401, 403))
def list_counters(request: Request, officer: Officer = Depends(current_officer("officer"))) -> dict:
    dept = require_department(officer)
    with request.app.state.db.read() as s:
        rows = counters.all_counters(s, dept)
        return {"counters": [{"counter": r.counter, "services": r.services, "name": r.name} for r in rows]}


@router.put("/counters/{counter}/services", responses=errors.problems(401, 403))
def set_services(request: Request, body: ServicesIn, counter: int = CounterNo,
                 officer: Officer = Depends(current_officer("supervisor"))) -> dict:
    dept = require_department(officer)
    with request.app.state.db.write() as s:
        row = counters.configure(s, dept, counter, body.services, body.name)
        out = {"counter": counter, "services": list(row.services), "name": row.name}
        events.stage(s, dept, None)
    if events.published_locally(request.app.state.db.engine.dialect.name):
        request.app.state.hub.changed(dept)
    return out


@router.get("/counters/{counter}", responses=errors.problems(401, 403, 409))
def desk_state(request: Request, counter: int = CounterNo, officer: Officer = Depends(current_officer("officer"))) -> dict:
    """What the desk shows: the current ticket and the waiting lines of this counter's services."""
    dept = require_department(officer)
    with request.app.state.db.read() as s:
        services = counters.services_of(s, dept, counter) or []
        return snapshot.desk(s, dept, counter, services, _settings(request))


@router.post("/counters/{counter}/call", responses={204: {"description": "nobody is waiting"},
                                                    **errors.problems(401, 403, 409)})
def call(request: Request, counter: int = CounterNo, officer: Officer = Depends(current_officer("officer"))):
    """Gọi số tiếp theo: the counter's current ticket is finished and the next one called (its configured services)."""
    dept = require_department(officer)
    cfg = _settings(request)
    out = act(request, dept, lambda s: engine.call_next(s, dept, counter, services_for(s, dept, counter, None), cfg))
    return Response(status_code=204) if out.ticket is None else _answer(out)


def _action(name: str, fn: Callable[..., Outcome], doc: str) -> None:
    def route(request: Request, counter: int = CounterNo, officer: Officer = Depends(current_officer("officer"))):
        dept = require_department(officer)
        return _answer(act(request, dept, lambda s: fn(s, dept, counter, _settings(request))))

    route.__name__ = name.replace("-", "_")
    route.__doc__ = doc
    router.add_api_route(f"/counters/{{counter}}/{name}", route, methods=["POST"], responses=errors.problems(401, 403, 409))


_action("recall", engine.recall, "Gọi lại: announce the current ticket again (counted).")
_action("no-show", engine.no_show, "Vắng mặt: after the configured recalls, to the end of the line once, or dropped.")
_action("start", engine.start, "Bắt đầu phục vụ: service starts (its time is measured).")
_action("finish", engine.finish, "Hoàn thành phục vụ: service ends.")


@router.post("/counters/{counter}/transfer", responses=errors.problems(401, 403, 409))
def transfer(request: Request, body: TransferIn = Body(...), counter: int = CounterNo,
             officer: Officer = Depends(current_officer("officer"))) -> dict:
    """Chuyển: to another service's line or to one counter, keeping the ticket's place by issue time."""
    dept = require_department(officer)
    cfg = _settings(request)
    return _answer(act(request, dept, lambda s: engine.transfer(s, dept, counter, cfg, body.service, body.counter)))


@router.post("/counters/{counter}/pause", responses=errors.problems(401, 403))
def pause(request: Request, counter: int = CounterNo, officer: Officer = Depends(current_officer("officer"))) -> dict:
    """Tạm nghỉ: the counter calls nobody until resumed."""
    dept = require_department(officer)
    return _answer(act(request, dept, lambda s: engine.set_paused(s, dept, counter, True)))


@router.post("/counters/{counter}/resume", responses=errors.problems(401, 403))
def resume(request: Request, counter: int = CounterNo, officer: Officer = Depends(current_officer("officer"))) -> dict:
    dept = require_department(officer)
    return _answer(act(request, dept, lambda s: engine.set_paused(s, dept, counter, False)))

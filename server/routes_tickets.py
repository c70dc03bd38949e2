"""Queue tickets for all kiosks of a department, blocks of numbers for offline kiosks, counters calling next.

Numbers are unique per (department, service, local day): the server takes them from
the daily sequence; a kiosk that reserved a block may register tickets it numbered
itself from that block. A counter calls priority tickets first, but never more than
``max_priority_in_a_row`` in a row while ordinary tickets wait.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request, Response
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import kiosk.api as api
from server import codes, deps, errors, routes_counters, ticket_rules
from server.auth import KioskIdentity, current_kiosk
from server.db import Database
from server.models import Ticket, TicketBlock
from server.officers import Officer, current_officer, require_department
from server.queue import engine, events
from server.settings import ServerSettings

router = APIRouter(tags=["tickets"])


# Prebuilt statements: issuing a ticket is the hot path (hundreds a second from many kiosks).
_AHEAD = select(func.count()).select_from(Ticket).where(
    Ticket.department_id == bindparam("dept"), Ticket.day == bindparam("day"), Ticket.service == bindparam("service"),
    Ticket.status == "waiting", Ticket.id < bindparam("id"),
)
_BY_KEY = select(Ticket).where(Ticket.kiosk_id == bindparam("kiosk"), Ticket.idempotency_key == bindparam("key"))
_INSERT = Ticket.__table__.insert().returning(Ticket.__table__.c.id)


def _out(s: Session, t: Any, tz) -> api.TicketOut:
    """Wire form of a ticket (an ORM row or the values just inserted), with the people waiting ahead."""
    ahead = 0
    if t.status == "waiting":
        ahead = s.execute(_AHEAD, {"dept": t.department_id, "day": t.day, "service": t.service, "id": t.id}).scalar_one()
    return api.TicketOut(
        number=t.number, service=t.service, seq=t.seq, day=t.day, priority=t.priority,
        issued_at=t.issued_at.astimezone(tz), kiosk_id=t.kiosk_id, people_ahead=ahead,
        status="called" if t.status == "serving" else t.status, counter=t.counter,
    )


def _by_key(s: Session, model, kiosk_id: str, key: str | None):
    if not key:
        return None
    if model is Ticket:
        return s.execute(_BY_KEY, {"kiosk": kiosk_id, "key": key}).scalar_one_or_none()
    return s.execute(select(model).where(model.kiosk_id == kiosk_id, model.idempotency_key == key)).scalar_one_or_none()


@router.post("/tickets", response_model=api.TicketOut, status_code=201,
             responses={200: {"model": api.TicketOut, "description": "a replay or a resent offline ticket"},
                        **errors.problems(401, 409)})
def issue_ticket(
    body: api.TicketIn,
    request: Request,
    kiosk: KioskIdentity = Depends(current_kiosk),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", min_length=8, max_length=100, pattern=deps.IDEMPOTENCY_KEY),
) -> Response:
    """Number a ticket (or register one from the kiosk's block when ``seq`` is given).

    The hot path of the server: one session opened here (no generator dependency, so no extra
    thread hops) and the answer serialised once, straight from the model.
    """
    response = Response(media_type="application/json", status_code=201)
    db = request.app.state.db
    with db.write() as s:
        out = _issue(s, body, kiosk, request.app.state.settings, idempotency_key, response)
    if response.status_code == 201 and events.published_locally(db.engine.dialect.name):
        request.app.state.hub.changed(kiosk.department_id)
    response.body = response.render(out.model_dump_json())
    response.init_headers()
    return response


def _issue(
    s: Session, body: api.TicketIn, kiosk: KioskIdentity, cfg: ServerSettings, idempotency_key: str | None,
    response: Response,
) -> api.TicketOut:
    tz = cfg.tz  # a replayed Idempotency-Key is caught by its unique constraint below (one query less)
    ticket_rules.check(body, cfg)  # configured priority; the server's time and day (issue 13)
    issued = cfg.local_now()
    day = issued.date()
    if body.seq is None:
        seq = codes.next_value(s, codes.ticket_sequence_name(kiosk.department_id, body.service), day)
    else:
        seq = body.seq
        block = s.execute(select(TicketBlock.start, TicketBlock.end, TicketBlock.created_at).where(
            TicketBlock.department_id == kiosk.department_id, TicketBlock.kiosk_id == kiosk.kiosk_id,
            TicketBlock.service == body.service, TicketBlock.day == day,
            TicketBlock.start <= seq, TicketBlock.end >= seq,
        )).first()
        if block is None:
            raise HTTPException(409, "seq is not in a block reserved by this kiosk for that day")
        existing = s.execute(select(Ticket).where(
            Ticket.department_id == kiosk.department_id, Ticket.service == body.service,
            Ticket.day == day, Ticket.seq == seq,
        )).scalar_one_or_none()
        if existing is not None:  # the kiosk resent an offline ticket it already registered
            response.status_code = 200
            return _out(s, existing, tz)
        issued = ticket_rules.offline_issued_at(s, kiosk.department_id, body.service, day, seq, block.start,
                                                block.end, block.created_at, body.issued_at, cfg)
    values = {
        "department_id": kiosk.department_id, "service": body.service, "day": day, "seq": seq,
        "number": api.ticket_number(body.service, seq), "priority": body.priority, "kiosk_id": kiosk.kiosk_id,
        "issued_at": issued, "queue_at": issued, "status": "waiting", "called_at": None, "counter": None,
        "idempotency_key": idempotency_key,
    }
    try:
        values["id"] = s.execute(_INSERT, values).scalar_one()
        out = _out(s, SimpleNamespace(**values), tz)
        events.stage(s, kiosk.department_id, None)  # PostgreSQL: every worker's displays hear of it at commit
        s.commit()
    except IntegrityError:
        s.rollback()
        again = _by_key(s, Ticket, kiosk.kiosk_id, idempotency_key)
        if again is None:
            raise HTTPException(409, "ticket number already taken") from None
        response.status_code = 200
        return _out(s, again, tz)
    return out


@router.post("/tickets/blocks", response_model=api.TicketBlock, status_code=201,
             responses={200: {"model": api.TicketBlock, "description": "a replay"}, **errors.problems(401)})
def reserve_block(
    body: api.TicketBlockIn,
    response: Response,
    kiosk: KioskIdentity = Depends(current_kiosk),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", min_length=8, max_length=100, pattern=deps.IDEMPOTENCY_KEY),
) -> api.TicketBlock:
    """Reserve ``size`` numbers of today's sequence for this kiosk's offline tickets."""
    with db.write() as s:
        old = _by_key(s, TicketBlock, kiosk.kiosk_id, idempotency_key)
        if old is None:
            day = cfg.local_now().date()
            end = codes.next_value(s, codes.ticket_sequence_name(kiosk.department_id, body.service), day, body.size)
            old = TicketBlock(
                department_id=kiosk.department_id, service=body.service, day=day, start=end - body.size + 1,
                end=end, kiosk_id=kiosk.kiosk_id, created_at=cfg.now(), idempotency_key=idempotency_key,
            )
            s.add(old)
        else:
            response.status_code = 200
        return api.TicketBlock(service=old.service, day=old.day, start=old.start, end=old.end, kiosk_id=old.kiosk_id)


@router.post("/counters/{counter}/next", response_model=api.TicketOut,
             responses={204: {"description": "nobody is waiting"}, **errors.problems(401, 403, 409)})
def call_next(
    request: Request,
    body: api.CounterNextIn | None = None,
    counter: int = Path(ge=1, le=api.MAX_COUNTER, description="the counter's number (1–999)"),
    officer: Officer = Depends(current_officer("officer")),
    cfg: ServerSettings = Depends(deps.settings),
):
    """The next ticket for ``counter`` by the calling policy (:mod:`server.queue.policy`).

    A counter with configured services (``PUT /counters/{n}/services``) calls among those; otherwise
    among ``services`` of the body. An officer's call (cookie + CSRF, or officer bearer), never a kiosk's.
    """
    dept = require_department(officer)
    asked = body.services if body is not None else None
    outcome = routes_counters.act(request, dept, lambda s: engine.call_next(
        s, dept, counter, routes_counters.services_for(s, dept, counter, asked), cfg))
    if outcome.ticket is None:
        return Response(status_code=204)
    t = outcome.ticket
    return api.TicketOut(number=t.number, service=t.service, seq=t.seq, day=t.day, priority=t.priority,
                         issued_at=t.issued_at.astimezone(cfg.tz), kiosk_id=t.kiosk_id, people_ahead=0,
                         status="called", counter=counter)

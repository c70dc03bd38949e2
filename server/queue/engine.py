"""The officer's actions at counter N, on the database, inside the caller's write transaction.

Every action returns an :class:`Outcome`: the ticket it touched and the event for the live feed
(``announce`` set when the hall must call the number aloud). Two counters never take the same ticket:
the take is ``UPDATE … WHERE status = 'waiting'`` and only the counter whose update hit the row has it;
the other picks again (SQLite serialises writers anyway; on PostgreSQL this is the guard).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fastapi import HTTPException
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from server.models import Ticket
from server.queue import counters, states
from server.queue.policy import Candidate, Policy
from server.settings import ServerSettings


@dataclass
class Outcome:
    ticket: Ticket | None
    dept: int
    kind: str  # call | recall | no_show | start | finish | transfer | pause | none
    announce: dict | None = None
    extra: dict = field(default_factory=dict)


def policy_of(cfg: ServerSettings) -> Policy:
    return Policy(cfg.max_priority_in_a_row, timedelta(minutes=cfg.max_regular_wait_min))


def eligible(dept: int, day, counter: int, services: list[str]):
    """WHERE clause of the tickets counter N may call: its services (not sent to another counter),
    or sent to it by a transfer."""
    return and_(
        Ticket.department_id == dept, Ticket.day == day, Ticket.status == states.WAITING,
        or_(and_(func.coalesce(Ticket.queue_service, Ticket.service).in_(services), Ticket.target_counter.is_(None)), Ticket.target_counter == counter),
    )


def _head(s: Session, where, priority: bool) -> Candidate[Ticket] | None:
    q = select(Ticket).where(where, Ticket.priority.is_not(None) if priority else Ticket.priority.is_(None))
    t = s.execute(q.order_by(Ticket.queue_at, Ticket.seq, Ticket.id).limit(1)).scalar_one_or_none()
    return None if t is None else Candidate(t, t.queue_at or t.issued_at)


def current(s: Session, dept: int, day, counter: int) -> Ticket | None:
    """The ticket counter N is busy with (called or being served), if any."""
    return s.execute(select(Ticket).where(
        Ticket.department_id == dept, Ticket.day == day, Ticket.counter == counter,
        Ticket.status.in_(states.AT_COUNTER),
    ).order_by(Ticket.last_called_at.desc(), Ticket.id.desc()).limit(1)).scalar_one_or_none()


def _announce(t: Ticket, counter: int, now: datetime, recall: int) -> dict:
    return {"number": t.number, "counter": counter, "at": now.isoformat(), "recall": recall, "id": f"{t.id}.{recall}"}


def call_next(s: Session, dept: int, counter: int, services: list[str], cfg: ServerSettings) -> Outcome:
    """Finish what the counter had, then take the next ticket by the policy (None: nobody waits)."""
    day, now = cfg.local_now().date(), cfg.now()
    st = counters.state(s, dept, counter)
    if st.paused:
        raise HTTPException(409, "counter is paused (Quầy đang tạm nghỉ)")
    busy = current(s, dept, day, counter)
    if busy is not None:
        _finish(busy, now)
    where = eligible(dept, day, counter, services)
    policy = policy_of(cfg)
    for _ in range(20):  # another counter may take the same ticket first; then pick again
        pick, streak = policy.pick(_head(s, where, True), _head(s, where, False), st.priority_streak, now)
        if pick is None:
            return Outcome(None, dept, "none")
        taken = s.execute(
            update(Ticket).where(Ticket.id == pick.item.id, Ticket.status == states.WAITING)
            .values(status=states.CALLED, called_at=now, last_called_at=now, counter=counter, recalls=0)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            st.priority_streak = streak
            t = pick.item
            s.refresh(t)
            return Outcome(t, dept, "call", _announce(t, counter, now, 0))
        s.expire_all()
        st = counters.state(s, dept, counter)
    raise HTTPException(503, "too much contention, try again")


def _at_counter(s: Session, dept: int, counter: int, cfg: ServerSettings, action: str) -> Ticket:
    t = current(s, dept, cfg.local_now().date(), counter)
    if t is None:
        raise HTTPException(409, "no ticket at this counter (Quầy chưa gọi số nào)")
    if not states.may(action, t.status):
        raise HTTPException(409, f"ticket is {t.status}: cannot {action}")
    return t


def recall(s: Session, dept: int, counter: int, cfg: ServerSettings) -> Outcome:
    t = _at_counter(s, dept, counter, cfg, "recall")
    now = cfg.now()
    t.recalls += 1
    t.last_called_at = now
    return Outcome(t, dept, "recall", _announce(t, counter, now, t.recalls))


def no_show(s: Session, dept: int, counter: int, cfg: ServerSettings) -> Outcome:
    """After ``no_show_after_recalls`` recalls: to the end of the line once (``requeue``), or dropped."""
    t = _at_counter(s, dept, counter, cfg, "no_show")
    if t.recalls < cfg.no_show_after_recalls:
        raise HTTPException(409, f"recall the ticket {cfg.no_show_after_recalls} time(s) first "
                                 f"(Hãy gọi lại {cfg.no_show_after_recalls} lần trước khi báo vắng mặt)")
    now = cfg.now()
    if cfg.no_show_action == "requeue" and t.requeues < 1:
        t.status, t.counter, t.queue_at, t.requeues, t.recalls = states.WAITING, None, now, t.requeues + 1, 0
        t.target_counter = None
        return Outcome(t, dept, "no_show", extra={"requeued": True})
    t.status, t.done_at = states.NO_SHOW, now
    return Outcome(t, dept, "no_show", extra={"requeued": False})


def start(s: Session, dept: int, counter: int, cfg: ServerSettings) -> Outcome:
    t = _at_counter(s, dept, counter, cfg, "start")
    t.status, t.serving_at = states.SERVING, cfg.now()
    return Outcome(t, dept, "start")


def _finish(t: Ticket, now: datetime) -> None:
    t.status, t.done_at = states.DONE, now
    if t.serving_at is None:
        t.serving_at = t.called_at or now


def finish(s: Session, dept: int, counter: int, cfg: ServerSettings) -> Outcome:
    t = _at_counter(s, dept, counter, cfg, "finish")
    _finish(t, cfg.now())
    return Outcome(t, dept, "finish")


def transfer(s: Session, dept: int, counter: int, cfg: ServerSettings, service: str | None,
             to_counter: int | None) -> Outcome:
    """Back to the line of ``service`` (or to ``to_counter`` alone), keeping its place by issue time."""
    if service is None and to_counter is None:
        raise HTTPException(422, "give a service or a counter to transfer to")
    if to_counter == counter:
        raise HTTPException(409, "cannot transfer a ticket to its own counter")
    t = _at_counter(s, dept, counter, cfg, "transfer")
    t.status, t.counter, t.recalls, t.serving_at = states.WAITING, None, 0, None
    if service is not None:
        t.queue_service = None if service == t.service else service  # the number stays the same
    t.target_counter = to_counter
    return Outcome(t, dept, "transfer", extra={"service": line_of(t), "counter": to_counter})


def line_of(t: Ticket) -> str:
    """The service whose line the ticket waits in (its own, or the one it was transferred to)."""
    return t.queue_service or t.service


def set_paused(s: Session, dept: int, counter: int, paused: bool) -> Outcome:
    counters.state(s, dept, counter).paused = paused
    return Outcome(None, dept, "pause", extra={"counter": counter, "paused": paused})

"""What the hall display and a ticket's follow page show: numbers, counters, counts — nothing personal."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import CounterServices, CounterState, Department, Ticket
from server.queue import counters, states
from server.settings import ServerSettings

LAST_CALLS = 6
_LINE = func.coalesce(Ticket.queue_service, Ticket.service)


def department(s: Session, unit: str | None) -> Department | None:
    """The department of ``unit``, or the first one when none is named (a server of one department)."""
    q = select(Department)
    q = q.where(Department.unit_id == unit) if unit else q.order_by(Department.id)
    return s.execute(q.limit(1)).scalar_one_or_none()


def mean_service_minutes(s: Session, dept: int, day: date, cfg: ServerSettings) -> float:
    rows = s.execute(select(Ticket.serving_at, Ticket.done_at).where(
        Ticket.department_id == dept, Ticket.day == day, Ticket.status == states.DONE,
        Ticket.serving_at.is_not(None), Ticket.done_at.is_not(None)).order_by(Ticket.done_at.desc()).limit(30)).all()
    if not rows:
        return cfg.service_minutes
    return max(0.5, sum((d - a).total_seconds() for a, d in rows) / len(rows) / 60)


def hall(s: Session, dept: Department, cfg: ServerSettings) -> dict:
    """The display's whole state (sent on every (re)connect and after every change)."""
    now = cfg.local_now()
    day = now.date()
    base = (Ticket.department_id == dept.id, Ticket.day == day)
    waiting = dict(s.execute(select(_LINE, func.count()).where(*base, Ticket.status == states.WAITING)
                             .group_by(_LINE)).all())
    calls = s.execute(select(Ticket.number, Ticket.counter, Ticket.last_called_at, Ticket.status, Ticket.recalls)
                      .where(*base, Ticket.last_called_at.is_not(None), Ticket.counter.is_not(None))
                      .order_by(Ticket.last_called_at.desc(), Ticket.id.desc()).limit(LAST_CALLS)).all()
    today = set(s.execute(select(_LINE).where(*base).distinct()).scalars())
    services = sorted(today | {sv for c in counters.all_counters(s, dept.id) for sv in c.services})
    return {
        "department": dept.name, "unit": dept.unit_id, "day": day.isoformat(), "now": now.isoformat(), "timezone": cfg.timezone,
        "waiting": {sv: int(waiting.get(sv, 0)) for sv in services},
        "calls": [{"number": c.number, "counter": c.counter, "at": c.last_called_at.astimezone(cfg.tz).isoformat(),
                   "status": c.status} for c in calls],
        "paused": sorted(counters.paused_counters(s, dept.id)),
    }


def find_ticket(s: Session, day: date, number: str) -> Ticket | None:
    return s.execute(select(Ticket).where(Ticket.day == day, Ticket.number == number)
                     .order_by(Ticket.id.desc()).limit(1)).scalar_one_or_none()


def follow(s: Session, t: Ticket, cfg: ServerSettings) -> dict:
    """One ticket's status for its follow page: state, counter, people ahead, estimated wait (minutes)."""
    ahead, wait = 0, 0
    if t.status == states.WAITING:
        line = t.queue_service or t.service
        ahead = s.execute(select(func.count()).select_from(Ticket).where(
            Ticket.department_id == t.department_id, Ticket.day == t.day, Ticket.status == states.WAITING,
            _LINE == line, Ticket.queue_at < (t.queue_at or t.issued_at))).scalar_one()
        open_counters = max(1, sum(1 for c in counters.all_counters(s, t.department_id) if line in c.services))
        wait = round((ahead + 1) * mean_service_minutes(s, t.department_id, t.day, cfg) / open_counters)
    return {
        "number": t.number, "day": t.day.isoformat(), "status": t.status, "counter": t.counter,
        "people_ahead": int(ahead), "wait_minutes": int(wait), "unit": None,
        "issued_at": t.issued_at.astimezone(cfg.tz).strftime("%H:%M"),
        "updated_at": cfg.local_now().strftime("%H:%M:%S"),
    }


def desk(s: Session, dept: int, counter: int, services: list[str], cfg: ServerSettings) -> dict:
    """The counter desk: its current ticket and the waiting lines of its services (numbers, priority, wait)."""
    from server.queue import engine

    now = cfg.now()
    day = cfg.local_now().date()
    cur = engine.current(s, dept, day, counter)
    rows = s.execute(select(Ticket).where(engine.eligible(dept, day, counter, services))
                     .order_by(Ticket.queue_at, Ticket.seq, Ticket.id).limit(200)).scalars()
    lines: dict[str, list[dict]] = {sv: [] for sv in services}
    for t in rows:
        lines.setdefault(engine.line_of(t), []).append({
            "number": t.number, "priority": t.priority, "minutes": int((now - (t.issued_at)).total_seconds() // 60),
            "transferred": bool(t.queue_service or t.target_counter), "requeued": t.requeues > 0,
        })
    st = s.get(CounterState, (dept, counter))
    cfgd = s.get(CounterServices, (dept, counter))
    return {
        "counter": counter, "name": cfgd.name if cfgd else "", "services": services, "paused": bool(st is not None and st.paused),
        "current": None if cur is None else {"number": cur.number, "status": cur.status, "recalls": cur.recalls,
                                             "service": engine.line_of(cur), "priority": cur.priority},
        "lines": lines, "no_show_after_recalls": cfg.no_show_after_recalls,
    }

"""Counters: which services each one serves (a supervisor sets it) and whether it is paused."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.models import CounterServices, CounterState


def services_of(s: Session, dept: int, counter: int) -> list[str] | None:
    """The configured services of a counter, or None when it has none configured."""
    row = s.get(CounterServices, (dept, counter))
    return list(row.services) if row is not None else None


def all_counters(s: Session, dept: int) -> list[CounterServices]:
    return list(s.execute(select(CounterServices).where(CounterServices.department_id == dept)
                          .order_by(CounterServices.counter)).scalars())


def configure(s: Session, dept: int, counter: int, services: list[str], name: str = "") -> CounterServices:
    row = s.get(CounterServices, (dept, counter))
    if row is None:
        row = CounterServices(department_id=dept, counter=counter, services=sorted(set(services)), name=name)
        s.add(row)
    else:
        row.services, row.name = sorted(set(services)), name
    return row


def state(s: Session, dept: int, counter: int) -> CounterState:
    """The counter's row (priority streak, paused), created on first use."""
    row = s.get(CounterState, (dept, counter))
    if row is None:
        row = CounterState(department_id=dept, counter=counter, priority_streak=0, paused=False)
        s.add(row)
        try:
            with s.begin_nested():
                s.flush()
        except IntegrityError:  # another worker created it first (PostgreSQL)
            row = s.get(CounterState, (dept, counter), populate_existing=True)
    return row


def paused_counters(s: Session, dept: int) -> set[int]:
    return set(s.execute(select(CounterState.counter).where(CounterState.department_id == dept,
                                                            CounterState.paused.is_(True))).scalars())

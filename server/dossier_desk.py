"""Data access of the officer's dossier desk: the list with its filters, one dossier, status changes, apologies.

Every change is one transaction that writes the dossier and its history row together (who, when, from,
to, note); the rules themselves are :mod:`server.dossier_flow`'s. Routers call these functions inside
``db.write()`` / ``db.read()`` and turn :class:`~server.dossier_flow.TransitionRefused` into a 409/422.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import kiosk.api as api
from server import appointments
from server import dossier_flow as flow
from server.models import Dossier, DossierEvent, User
from server.officers import Officer

MAX_SCAN = 5000  # dossiers read per list request, newest first (names live in the metadata JSON)
MAX_LIST = 200


@dataclass(frozen=True)
class DeskFilter:
    status: str | None = None
    since: date | None = None  # received on or after (local day)
    until: date | None = None  # received on or before
    procedure: str | None = None
    overdue: bool = False
    q: str = ""  # a dossier code (or its end) or part of the applicant's name, accents optional


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    kind: str
    from_status: str | None
    status: str
    note: str
    officer: str  # the officer's name or username; "" for the kiosk's own first event


def fold(text: str) -> str:
    """Lower case without Vietnamese accents ("Nguyễn" → "nguyen"), for searching names as typed."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").casefold()


def applicant_name(d: Dossier) -> str:
    return str((d.meta.get("applicant") or {}).get("full_name", ""))


def due_at(d: Dossier) -> datetime:
    return flow.due(d.appointment_at, d.new_appointment_at)


def overdue(d: Dossier, now: datetime) -> bool:
    return flow.is_overdue(d.status, due_at(d), now)


def _day_start(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tz)


def check_days(*days: date | None) -> None:
    """Filter days inside this system's life (a year-9999 day would overflow the time-zone shift: 422, not 500)."""
    for d in days:
        if d is not None and not api.MIN_YEAR <= d.year <= api.MAX_YEAR:
            raise flow.TransitionRefused(f"Ngày phải trong khoảng năm {api.MIN_YEAR}–{api.MAX_YEAR}.", 422)


def list_dossiers(s: Session, department_id: int | None, f: DeskFilter, now: datetime, tz) -> list[Dossier]:
    """The desk's list, newest first: SQL narrows by department, status, days and procedure; the name and
    the overdue filters are applied to those rows (at most :data:`MAX_SCAN` read, :data:`MAX_LIST` shown)."""
    check_days(f.since, f.until)
    q = select(Dossier).order_by(Dossier.received_at.desc(), Dossier.id.desc()).limit(MAX_SCAN)
    if department_id is not None:
        q = q.where(Dossier.department_id == department_id)
    if f.status:
        q = q.where(Dossier.status == f.status)
    if f.procedure:
        q = q.where(Dossier.procedure_code == f.procedure)
    if f.since:
        q = q.where(Dossier.received_at >= _day_start(f.since, tz))
    if f.until:
        q = q.where(Dossier.received_at < _day_start(date.fromordinal(f.until.toordinal() + 1), tz))
    needle = fold(f.q.strip())
    out = []
    for d in s.execute(q).scalars():
        if f.overdue and not overdue(d, now):
            continue
        if needle and needle.upper() not in d.code and needle not in fold(applicant_name(d)):
            continue
        out.append(d)
        if len(out) >= MAX_LIST:
            break
    return out


def procedures(s: Session, department_id: int | None) -> list[tuple[str, str]]:
    """(code, name) of the procedures this department has dossiers of, for the filter's choices."""
    q = select(Dossier.procedure_code, Dossier.procedure_name).distinct().order_by(Dossier.procedure_code)
    if department_id is not None:
        q = q.where(Dossier.department_id == department_id)
    seen: dict[str, str] = {}
    for code, name in s.execute(q).all():
        seen.setdefault(code, name)
    return list(seen.items())


def find(s: Session, department_id: int | None, code: str, *, lock: bool = False) -> Dossier | None:
    """One dossier of the officer's department (None: unknown or another department's — the same answer)."""
    q = select(Dossier).options(selectinload(Dossier.files), selectinload(Dossier.events)).where(
        Dossier.code == code.strip().upper())
    if department_id is not None:
        q = q.where(Dossier.department_id == department_id)
    if lock:
        q = q.with_for_update()
    return s.execute(q).scalar_one_or_none()


def history(s: Session, d: Dossier) -> list[HistoryRow]:
    rows = s.execute(select(DossierEvent, User.full_name, User.username)
                     .outerjoin(User, User.id == DossierEvent.officer_id)
                     .where(DossierEvent.dossier_id == d.id).order_by(DossierEvent.id)).all()
    return [HistoryRow(e.at, e.kind, e.from_status, e.status, e.note, full or user or "") for e, full, user in rows]


def change_status(s: Session, d: Dossier, to: str, note: str, officer: Officer, now: datetime,
                  calendar_file: Path | None = None) -> DossierEvent:
    """Move ``d`` to ``to`` (TransitionRefused if the table forbids it) and record who did it.

    Papers supplied after ``waiting`` restart the clock: the appointment is computed again, in full,
    from the moment they arrive (the time runs from a complete dossier, Decree 61 art. 19)."""
    frm = d.status
    note = note.strip()
    flow.check(frm, to, note)
    d.status = to
    if to == flow.RELEASING:
        d.result_at = now
    if frm == flow.WAITING and to == flow.RECEIVED:
        d.appointment_at = appointments.restart(now, d.meta, calendar_file)
        d.new_appointment_at = None
    event = DossierEvent(dossier_id=d.id, at=now, status=to, from_status=frm, note=note, officer_id=officer.user_id,
                         kind="status")
    s.add(event)
    s.flush()
    return event


def apologize(s: Session, d: Dossier, reason: str, new_day: date, officer: Officer, now: datetime, tz,
              calendar_file: Path | None = None) -> DossierEvent:
    """Record the apology for a late dossier and its new appointment (end of the office's day ``new_day``)."""
    reason = reason.strip()
    cal = appointments.calendar(calendar_file)
    if not overdue(d, now):
        raise flow.TransitionRefused("Hồ sơ chưa quá hạn (hoặc đã có kết quả): chưa cần phiếu xin lỗi.")
    if not reason:
        raise flow.TransitionRefused("Ghi rõ lý do chậm trả kết quả.", 422)
    check_days(new_day)
    if new_day <= now.astimezone(tz).date() or not cal.is_working_day(new_day):
        raise flow.TransitionRefused("Ngày hẹn mới phải là một ngày làm việc sau hôm nay.", 422)
    d.new_appointment_at = datetime.combine(new_day, cal.closes, tz)
    d.apology_reason = reason
    d.apology_at = now
    event = DossierEvent(dossier_id=d.id, at=now, status=d.status, from_status=d.status, officer_id=officer.user_id,
                         kind="apology", note=f"Xin lỗi vì trễ hạn: {reason}. Hẹn lại ngày {new_day:%d/%m/%Y}.")
    s.add(event)
    s.flush()
    return event


def supplement_note(d: Dossier) -> str:
    """What is missing, while the dossier waits for papers (the note of the change to ``waiting``)."""
    if d.status != flow.WAITING:
        return ""
    for e in reversed(d.events):
        if e.status == flow.WAITING and e.kind == "status":
            return e.note
    return ""


def refusal_note(d: Dossier) -> str:
    if d.status != flow.DENIED:
        return ""
    return next((e.note for e in reversed(d.events) if e.status == flow.DENIED), "")

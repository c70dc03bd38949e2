"""Appointment time (ngày hẹn trả) = time received + legal processing time in working days.

Working days skip Saturdays, Sundays and Vietnam's public holidays, Tết included
(the ``holidays`` package, which also knows the Saturdays the government turns into
make-up working days), plus a province's own extra days off and make-up working days
from ``config/procedures/_calendar.toml``. A "same day" procedure received after the
15:00 cut-off is due the next working day (DOMAIN.md §3).

Pure: no Kivy, no I/O besides :func:`load_calendar`; the reference server imports it.
Conventions, kept configurable in :class:`WorkCalendar`:

- a dossier received outside office hours or on a day off counts as received when the
  office next opens;
- "N working days" ends on the N-th working day after the day received, at the
  time of day it was received;
- "same day" ends at the office's closing time, the same day or the next working day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import holidays


def _hhmm(value: str | time) -> time:
    if isinstance(value, time):
        return value
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class LegalTime:
    """A procedure's legal processing time: ``working_days`` = 0 means "same day"."""

    working_days: int = 0
    cutoff: time = time(15, 0)

    @classmethod
    def of(cls, rule: "LegalTime | int | str | dict[str, Any]") -> "LegalTime":
        """Accept a LegalTime, a number of working days, ``"same_day"`` or a mapping."""
        if isinstance(rule, LegalTime):
            return rule
        if isinstance(rule, bool):
            raise TypeError("legal time must be a number of working days or 'same_day'")
        if isinstance(rule, int):
            return cls(working_days=rule)
        if isinstance(rule, str):
            if rule.strip().lower() in ("same_day", "same day", "trong ngày", "0"):
                return cls(0)
            return cls(int(rule))
        if isinstance(rule, dict):
            days = rule.get("working_days", 0)
            cutoff = rule.get("cutoff", "15:00")
            return cls(working_days=int(days), cutoff=_hhmm(cutoff))
        if hasattr(rule, "working_days"):  # a pydantic model of the catalog
            return cls(working_days=int(rule.working_days), cutoff=_hhmm(getattr(rule, "cutoff", "15:00")))
        raise TypeError(f"unknown legal time rule: {rule!r}")

    @property
    def same_day(self) -> bool:
        return self.working_days == 0


@dataclass(frozen=True)
class WorkCalendar:
    """Which days an office works, and its hours."""

    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    make_up_days: frozenset[date] = field(default_factory=frozenset)
    opens: time = time(7, 30)
    closes: time = time(17, 0)
    use_national_holidays: bool = True

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_days_off:
            return False
        if day in self.make_up_days:
            return True
        if self.use_national_holidays:
            return _vn(day.year).is_working_day(day)
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within a year: check the calendar's extra days off")

    def holiday_name(self, day: date) -> str | None:
        """Why ``day`` is off (for messages), or None."""
        if day in self.extra_days_off:
            return "configured day off"
        return _vn(day.year).get(day) if self.use_national_holidays else None


@lru_cache(maxsize=32)
def _vn(year: int) -> holidays.HolidayBase:
    """Vietnam's holidays around ``year``; ``holidays`` is imported here, on the first date asked
    (it costs ~9 MB and a second of import on a small box, and the home screen never needs it)."""
    import holidays

    return holidays.country_holidays("VN", years=range(year - 1, year + 2))


DEFAULT_CALENDAR = WorkCalendar()


def effective_received(received: datetime, calendar: WorkCalendar = DEFAULT_CALENDAR) -> datetime:
    """When the office counts the dossier as received (next opening when it was closed)."""
    day = received.date()
    if calendar.is_working_day(day) and received.time() < calendar.closes:
        if received.time() < calendar.opens:
            return datetime.combine(day, calendar.opens, received.tzinfo)
        return received
    return datetime.combine(calendar.next_working_day(day), calendar.opens, received.tzinfo)


def appointment(
    received: datetime,
    rule: LegalTime | int | str | dict[str, Any],
    calendar: WorkCalendar = DEFAULT_CALENDAR,
) -> datetime:
    """The appointment time for a dossier received at ``received`` under ``rule``."""
    legal = LegalTime.of(rule)
    start = effective_received(received, calendar)
    if legal.same_day:
        day = start.date()
        if start.time() >= legal.cutoff:
            day = calendar.next_working_day(day)
        return datetime.combine(day, calendar.closes, received.tzinfo)
    day = start.date()
    for _ in range(legal.working_days):
        day = calendar.next_working_day(day)
    return datetime.combine(day, start.time(), received.tzinfo)


def load_calendar(path: str | Path) -> WorkCalendar:
    """Read a calendar TOML (``extra_days_off``, ``make_up_days``, ``opens``, ``closes``).

    A missing file gives the default calendar; a bad one raises ValueError naming it.
    """
    path = Path(path)
    if not path.exists():
        return DEFAULT_CALENDAR
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return calendar_from_dict(data)
    except (tomllib.TOMLDecodeError, ValueError, TypeError) as e:
        raise ValueError(f"{path}: {e}") from None


def calendar_from_dict(data: dict[str, Any]) -> WorkCalendar:
    def days(key: str) -> frozenset[date]:
        out = set()
        for item in data.get(key, []):
            value = item["date"] if isinstance(item, dict) else item
            out.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        return frozenset(out)

    return WorkCalendar(
        extra_days_off=days("extra_days_off"),
        make_up_days=days("make_up_days"),
        opens=_hhmm(data.get("opens", "07:30")),
        closes=_hhmm(data.get("closes", "17:00")),
        use_national_holidays=bool(data.get("use_national_holidays", True)),
    )

"""Appointment dates: weekends, Tết, the 15:00 cut-off, extra days off and make-up days."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.declarations.workdays import (
    DEFAULT_CALENDAR,
    LegalTime,
    WorkCalendar,
    appointment,
    calendar_from_dict,
    load_calendar,
)


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm)


def test_same_day_before_the_cutoff_is_due_today_at_closing():
    assert appointment(at(2026, 11, 23, 10), "same_day") == at(2026, 11, 23, 17)


def test_same_day_after_the_cutoff_is_due_the_next_working_day():
    assert appointment(at(2026, 11, 23, 15, 0), "same_day") == at(2026, 11, 25, 17)  # 24/11 Vietnam Cultural Day
    assert appointment(at(2026, 11, 25, 15, 30), 0) == at(2026, 11, 26, 17)


def test_same_day_on_friday_after_the_cutoff_skips_the_weekend():
    assert appointment(at(2026, 11, 27, 16), "same_day") == at(2026, 11, 30, 17)


def test_received_on_a_weekend_counts_from_monday():
    assert appointment(at(2026, 11, 28, 10), "same_day") == at(2026, 11, 30, 17)
    assert appointment(at(2026, 11, 29, 10), 3) == datetime(2026, 12, 3, 7, 30)


def test_working_days_skip_the_weekend():
    # Thursday + 3 working days → Tuesday, same time of day.
    assert appointment(at(2026, 12, 3, 10, 15), 3) == at(2026, 12, 8, 10, 15)


def test_seven_working_days_across_tet_2026():
    # Tết Bính Ngọ: 16–20 Feb 2026 are off, plus the weekends around it.
    got = appointment(at(2026, 2, 12, 9), LegalTime(7))
    # 13 Feb (Fri), then 23, 24, 25, 26, 27 Feb, 2 Mar.
    assert got == at(2026, 3, 2, 9)


def test_same_day_on_the_eve_of_tet_after_cutoff():
    assert appointment(at(2026, 2, 13, 16), "same_day") == at(2026, 2, 23, 17)


def test_tet_2027_has_five_days_of_new_year():
    got = appointment(at(2027, 2, 3, 9), 1)  # Wed; 4–10 Feb 2027 are off
    assert got == at(2027, 2, 11, 9)


def test_government_make_up_saturday_is_a_working_day():
    # The holidays package knows 22 Aug 2026 is worked to make up for 31 Aug.
    assert DEFAULT_CALENDAR.is_working_day(date(2026, 8, 22))
    assert not DEFAULT_CALENDAR.is_working_day(date(2026, 8, 31))
    assert appointment(at(2026, 8, 21, 16), "same_day") == at(2026, 8, 22, 17)


def test_configured_extra_days_off_and_make_up_days():
    cal = calendar_from_dict({"extra_days_off": ["2026-12-07"], "make_up_days": ["2026-12-12"]})
    # Fri 4 Dec + 2 working days: Mon 7 is off → Tue 8, Wed 9.
    assert appointment(at(2026, 12, 4, 9), 2, cal) == at(2026, 12, 9, 9)
    # Fri 11 Dec after cut-off → the make-up Saturday 12 Dec.
    assert appointment(at(2026, 12, 11, 15, 30), "same_day", cal) == at(2026, 12, 12, 17)


def test_received_after_closing_counts_from_the_next_opening():
    assert appointment(at(2026, 12, 3, 18), 1) == datetime(2026, 12, 7, 7, 30)
    assert appointment(at(2026, 12, 3, 6), "same_day") == at(2026, 12, 3, 17)


def test_shipped_calendar_file_loads(tmp_path):
    from kiosk.base import paths
    cal = load_calendar(paths.resolve("config/procedures/_calendar.toml"))
    assert cal.opens == time(7, 30) and cal.closes == time(17, 0)
    assert load_calendar(tmp_path / "missing.toml") == DEFAULT_CALENDAR
    bad = tmp_path / "bad.toml"
    bad.write_text('extra_days_off = ["31/12/2026"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml"):
        load_calendar(bad)


def test_rule_forms():
    assert LegalTime.of("same_day").same_day
    assert LegalTime.of({"working_days": 7}).working_days == 7
    assert LegalTime.of({"working_days": 0, "cutoff": "14:00"}).cutoff == time(14, 0)
    with pytest.raises(TypeError):
        LegalTime.of(3.5)  # type: ignore[arg-type]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)),
    st.integers(min_value=0, max_value=15),
)
def test_appointment_is_a_working_day_and_never_before_receipt(received, days):
    cal = WorkCalendar()
    got = appointment(received, days, cal)
    assert got >= received
    assert cal.is_working_day(got.date())
    if days:
        # Exactly `days` working days after the (effective) day received.
        from kiosk.declarations.workdays import effective_received

        start = effective_received(received, cal).date()
        n = sum(1 for k in range(1, (got.date() - start).days + 1) if cal.is_working_day(date.fromordinal(start.toordinal() + k)))
        assert n == days

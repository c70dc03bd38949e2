"""The dossier workflow's table, pair by pair (pure: server.dossier_flow), and the working-day count."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import product

import pytest

from kiosk.declarations.workdays import WorkCalendar
from server import dossier_flow as flow

ALLOWED = {("received", "accepted"), ("received", "waiting"), ("received", "denied"), ("waiting", "received"),
           ("accepted", "processing"), ("processing", "releasing"), ("releasing", "done")}


@pytest.mark.parametrize(("frm", "to"), list(product(flow.STATUSES, flow.STATUSES)))
def test_every_pair_is_allowed_or_refused_with_a_message(frm, to):
    if (frm, to) in ALLOWED:
        flow.check(frm, to, "ghi chú")
        return
    with pytest.raises(flow.TransitionRefused) as e:
        flow.check(frm, to, "ghi chú")
    assert e.value.status == 409
    assert flow.LABEL_VI[to] in str(e.value)


def test_supplement_and_refusal_need_their_note():
    for to in ("waiting", "denied"):
        with pytest.raises(flow.TransitionRefused) as e:
            flow.check("received", to, "  ")
        assert e.value.status == 422 and str(e.value).startswith("Ghi rõ")
    flow.check("received", "accepted", "")  # the others may go without


def test_unknown_status_is_a_422():
    with pytest.raises(flow.TransitionRefused) as e:
        flow.check("received", "archived")
    assert e.value.status == 422


def test_finished_statuses_say_so():
    with pytest.raises(flow.TransitionRefused) as e:
        flow.check("done", "processing")
    assert "đã kết thúc" in str(e.value)


def test_overdue_only_while_a_result_is_pending_and_not_waiting_for_papers():
    due = datetime(2026, 3, 2, 17, tzinfo=timezone.utc)
    late = due + timedelta(minutes=1)
    assert flow.is_overdue("processing", due, late) and flow.is_overdue("received", due, late)
    assert not flow.is_overdue("processing", due, due - timedelta(minutes=1))
    for s in ("waiting", "releasing", "done", "denied"):
        assert not flow.is_overdue(s, due, late)


def test_working_days_skip_weekends_and_the_configured_days():
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 4)}), make_up_days=frozenset({date(2026, 3, 7)}))
    # Mon 2 → Mon 9: Tue 3, (Wed 4 off), Thu 5, Fri 6, Sat 7 (make-up), Mon 9
    assert flow.working_days_between(date(2026, 3, 2), date(2026, 3, 9), cal) == 5
    assert flow.working_days_between(date(2026, 3, 9), date(2026, 3, 2), cal) == 0

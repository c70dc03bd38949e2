"""Finding 2 (issue 13): the queue's rules are the server's — time, day, priority categories, counters,
and who may call a counter (an officer, never a kiosk token). Real HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest

from kiosk.backend.client import BackendClient

from .conftest import TOKEN

VN = ZoneInfo("Asia/Ho_Chi_Minh")
KIOSK = {"Authorization": f"Bearer {TOKEN}"}


def _ticket(server, **body) -> httpx.Response:
    return httpx.post(f"{server.url}/tickets", json={"service": "A", **body}, headers=KIOSK, timeout=10)


def _about(at: datetime, when: datetime) -> bool:
    """The test clock runs on from where it was set: a few seconds of slack."""
    return abs(at - when) < timedelta(seconds=20)


def _call_all(server, officer: str, counter: int = 1, services=("A",)) -> list[str]:
    out = []
    while True:
        r = httpx.post(f"{server.url}/counters/{counter}/next", json={"services": list(services)},
                       headers={"Authorization": f"Bearer {officer}"}, timeout=10)
        if r.status_code == 204:
            return out
        assert r.status_code == 200, r.text
        out.append(r.json()["number"])


def test_a_kiosk_cannot_send_its_own_time_to_jump_the_queue(server):
    assert _ticket(server).status_code == 201  # A001, issued now
    early = datetime.now(VN).replace(hour=0, minute=1).isoformat()
    r = _ticket(server, issued_at=early)  # "I was here at 00:01": A002 would be called first
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "issued_at"
    officer = server.add_officer("can-bo-1", "officer")
    assert _call_all(server, officer) == ["A001"]


@pytest.mark.parametrize("when", ["2020-01-01T08:00:00+07:00", "2027-06-01T08:00:00+07:00"])
def test_tickets_are_numbered_for_today_only(server, when):
    r = _ticket(server, issued_at=when)
    assert r.status_code == 422
    r = _ticket(server, seq=5, issued_at=when)  # no block of that day can exist either
    assert r.status_code in (409, 422)
    ok = _ticket(server)
    assert ok.status_code == 201 and ok.json()["day"] == datetime.now(VN).date().isoformat()


def test_offline_tickets_keep_their_order_only_inside_their_block_and_never_after_now(server, clock):
    clock.set(datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc))  # 09:00 in Hà Nội
    with BackendClient(server.url, TOKEN, "KIOSK-01", timeout_s=5, retries=0) as kiosk:
        assert kiosk.issue_ticket("A").number == "A001"
        clock.shift(minutes=10)
        block = kiosk.reserve_ticket_block("A", 10)  # A002..A011, reserved at 09:10
        clock.shift(minutes=10)
        assert kiosk.issue_ticket("A").number == "A012"  # 09:20, online
        clock.shift(minutes=30)  # 09:50: the kiosk comes back and registers what it numbered offline
        # A003 claims 09:30 (fine); A002 claims 07:00 — before its block existed — and is clamped to 09:10,
        # so it goes after A001 (09:00) but may not jump ahead of anyone who came before the block.
        a3 = kiosk.issue_ticket("A", seq=block.start + 1, issued_at=datetime(2026, 3, 2, 9, 30, tzinfo=VN))
        a2 = kiosk.issue_ticket("A", seq=block.start, issued_at=datetime(2026, 3, 2, 7, 0, tzinfo=VN))
        # A004 claims 11:00 (in the future): clamped to now.
        a4 = kiosk.issue_ticket("A", seq=block.start + 2, issued_at=datetime(2026, 3, 2, 11, 0, tzinfo=VN))
        # A005 claims 09:20, earlier than A003 and A004, which the kiosk numbered before it: within the
        # block the kiosk's own order (the numbers) holds, so A005 goes after A004.
        a5 = kiosk.issue_ticket("A", seq=block.start + 3, issued_at=datetime(2026, 3, 2, 9, 20, tzinfo=VN))
    assert _about(a2.issued_at, datetime(2026, 3, 2, 9, 10, tzinfo=VN))  # the block's reservation
    assert a3.issued_at == datetime(2026, 3, 2, 9, 30, tzinfo=VN)
    assert _about(a4.issued_at, datetime(2026, 3, 2, 9, 50, tzinfo=VN))  # now
    assert a4.issued_at <= a5.issued_at
    officer = server.add_officer("can-bo-1", "officer")
    assert _call_all(server, officer) == ["A001", "A002", "A012", "A003", "A004", "A005"]


def test_priority_must_be_a_configured_category(server):
    r = _ticket(server, priority="zz")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "priority"
    assert _ticket(server, priority="elderly").status_code == 201


@pytest.mark.parametrize("counter", ["-5", "0", "1000", str(2**63)])
def test_counter_numbers_are_1_to_999(server, counter):
    officer = server.add_officer("can-bo-1", "officer")
    r = httpx.post(f"{server.url}/counters/{counter}/next", json={"services": ["A"]},
                   headers={"Authorization": f"Bearer {officer}"})
    assert r.status_code == 422


def test_a_kiosk_token_cannot_call_a_counter(server):
    assert _ticket(server).status_code == 201
    r = httpx.post(f"{server.url}/counters/1/next", json={"services": ["A"]}, headers=KIOSK)
    assert r.status_code in (401, 403)
    r = httpx.post(f"{server.url}/counters/1/next", json={"services": ["A"]})
    assert r.status_code == 401
    officer = server.add_officer("can-bo-1", "officer")
    assert _call_all(server, officer) == ["A001"]


def test_an_officer_acts_only_for_their_department(server):
    from .conftest import FOREIGN_TOKEN, OTHER_UNIT

    httpx.post(f"{server.url}/tickets", json={"service": "A"}, headers={"Authorization": f"Bearer {FOREIGN_TOKEN}"})
    assert _ticket(server).status_code == 201
    ours = server.add_officer("can-bo-1", "officer")
    theirs = server.add_officer("can-bo-99", "officer", unit=OTHER_UNIT)
    assert _call_all(server, ours) == ["A001"]
    assert _call_all(server, theirs) == ["A001"]  # their own A001, not ours (already called)


def test_an_officer_credential_is_not_a_kiosk_token(server):
    officer = server.add_officer("can-bo-1", "officer")
    for method, path, body in [("POST", "/tickets", {"service": "A"}), ("GET", "/procedures", None),
                               ("POST", "/tickets/blocks", {"service": "A", "size": 10}),
                               ("POST", "/kiosks/KIOSK-01/heartbeat", {"status": {}})]:
        r = httpx.request(method, f"{server.url}{path}", json=body, headers={"Authorization": f"Bearer {officer}"})
        assert r.status_code in (401, 403), path
    cookie = server.officer_cookie("can-bo-1")
    r = httpx.post(f"{server.url}/tickets", json={"service": "A"},
                   headers={"Cookie": cookie.header, "X-CSRF-Token": cookie.csrf})
    assert r.status_code == 401

"""The live feed: full state on connect, a state with the call to announce after every change, heartbeats,
a new day at midnight, and on PostgreSQL changes made by another server process (LISTEN/NOTIFY)."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from server.testing import ServerThread

from .conftest import KIOSKS, TOKEN
from .sse import EventStream
from .workers import ServerProcess

KIOSK = {"Authorization": f"Bearer {TOKEN}"}


def _issue(url: str, service: str = "A") -> str:
    return httpx.post(f"{url}/tickets", json={"service": service}, headers=KIOSK, timeout=10).json()["number"]


def _call(url: str, officer: str, counter: int = 2) -> httpx.Response:
    return httpx.post(f"{url}/counters/{counter}/next", json={"services": ["A"]},
                      headers={"Authorization": f"Bearer {officer}"}, timeout=10)


def _called(number: str, recall: int = 0):
    return lambda m: any(a["number"] == number and a["recall"] == recall for a in m["announce"])


def test_state_on_connect_then_each_call_with_its_announcement(server):
    officer = server.add_officer("can-bo-1")
    a1 = _issue(server.url)
    s = EventStream(f"{server.url}/events")
    try:
        first = s.next_state()
        assert first["resync"] and first["state"]["waiting"] == {"A": 1} and first["announce"] == []
        assert first["state"]["department"].startswith("Bộ phận Một cửa")
        assert _call(server.url, officer).status_code == 200
        m = s.next_state(_called(a1))
        assert m["state"]["calls"][0] == {**m["state"]["calls"][0], "number": a1, "counter": 2}
        assert m["state"]["waiting"] == {"A": 0}
        r = httpx.post(f"{server.url}/counters/2/recall", headers={"Authorization": f"Bearer {officer}"}, timeout=10)
        assert r.status_code == 200
        s.next_state(_called(a1, 1))  # the recall is announced again
    finally:
        s.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_heartbeats_and_a_fresh_day_at_midnight(tmp_path, db_url):
    clock_start = datetime(2026, 3, 2, 16, 59, 50, tzinfo=timezone.utc)  # 23:59:50 in Hà Nội
    from server.testing import MovableClock

    clock = MovableClock(clock_start)
    with ServerThread(tmp_path, db_url=db_url, kiosks=KIOSKS, clock=clock, sse_heartbeat_s=0.2) as srv:
        officer = srv.add_officer("can-bo-1")
        a1 = _issue(srv.url)
        _call(srv.url, officer)
        s = EventStream(f"{srv.url}/events")
        try:
            first = s.next_state()
            assert first["state"]["day"] == "2026-03-02" and first["state"]["calls"][0]["number"] == a1
            s.wait_for(lambda: s.comments >= 1)  # heartbeats on the idle stream
            clock.shift(seconds=20)  # past midnight, nothing happens in the hall
            m = s.next_state(lambda m: m["state"]["day"] == "2026-03-03")
            assert m["state"]["calls"] == [] and m["state"]["waiting"] == {}
        finally:
            s.close()


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_call_on_one_postgres_worker_reaches_streams_on_the_other(server, db_url, tmp_path):
    officer = server.add_officer("can-bo-1")
    with ServerProcess(db_url, tmp_path) as second:
        s_here, s_there = EventStream(f"{server.url}/events"), EventStream(f"{second.url}/events")
        try:
            s_here.next_state(), s_there.next_state()
            a1 = _issue(server.url)
            s_there.next_state(lambda m: m["state"]["waiting"].get("A") == 1)  # issued here, seen there
            assert _call(second.url, officer).status_code == 200  # called there, seen here
            s_here.next_state(_called(a1))
            s_there.next_state(_called(a1))
        finally:
            s_here.close()
            s_there.close()


def test_the_stream_resyncs_after_a_server_restart(tmp_path, db_url):
    srv = ServerThread(tmp_path, db_url=db_url, kiosks=KIOSKS)
    with srv:
        officer = srv.add_officer("can-bo-1")
        a1 = _issue(srv.url)
        assert _call(srv.url, officer).status_code == 200
        port = srv.port
    with ServerThread(tmp_path, db_url=db_url, kiosks=KIOSKS, port=port) as again:
        s = EventStream(f"{again.url}/events")
        try:
            assert s.next_state()["state"]["calls"][0]["number"] == a1
        finally:
            s.close()

"""The server answers every request under ordinary load, across many expiries of its token cache.

16 kiosks issue tickets and send heartbeats, 8 counters call next, 4 clients read ``GET /kiosks``
(2 as a supervisor, 2 with bad tokens) and 2 more send tickets with bad tokens, while ``/health`` is polled — against
the real server on loopback, with the token cache shortened so the run spans a dozen of its
periods. A request that gets no answer within the client's timeout, or a 5xx, fails the test
(the audit saw the server hang for good at the third expiry of the cache).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event, text

from kiosk import api
from server.testing import DEFAULT_UNIT, ServerThread, counter_call

TTL_S = 0.5  # token cache period for this test (30 s in production)
RUN_S = 12 * TTL_S
REQUEST_TIMEOUT_S = 15.0  # far above any answer of a live server; a hung one never answers
KIOSKS = [(f"LOAD-{i:02d}", f"load-token-{i:02d}-abcdefghijklmnop", DEFAULT_UNIT) for i in range(16)]
EXPECTED = {"ticket": {201}, "heartbeat": {200}, "counter": {200, 204}, "kiosks": {200}, "bad_kiosks": {401},
            "bad_ticket": {401}, "health": {200}}


class Tally:
    """Answers by kind and status, and every failure (no answer, unexpected status)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.failures: list[str] = []
        self.numbers: list[str] = []

    def record(self, kind: str, call) -> httpx.Response | None:
        try:
            r = call()
        except httpx.HTTPError as e:
            with self.lock:
                self.failures.append(f"{kind}: {type(e).__name__}")
            return None
        with self.lock:
            self.statuses[(kind, r.status_code)] += 1
            if r.status_code not in EXPECTED[kind]:
                self.failures.append(f"{kind}: HTTP {r.status_code} {r.text[:200]}")
        return r


def _drive(url: str, tally: Tally, stop: threading.Event, officers: list[str], supervisor: str) -> list[threading.Thread]:
    """Start every client; ``officers`` holds one officer bearer per counter; two dashboards read as ``supervisor``."""
    def kiosk(i: int) -> None:
        kiosk_id, token, _ = KIOSKS[i]
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            n = 0
            while not stop.is_set():
                n += 1
                r = tally.record("ticket", lambda: http.post(f"{url}/tickets", json={"service": "AB"[i % 2]},
                                                                headers=auth))
                if r is not None and r.status_code == 201:
                    with tally.lock:
                        tally.numbers.append(r.json()["number"])
                if n % 5 == 0:
                    tally.record("heartbeat", lambda: http.post(f"{url}/kiosks/{kiosk_id}/heartbeat",
                                                                json={"status": {"overall": "green"}}, headers=auth))

    def counter(i: int) -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            while not stop.is_set():
                tally.record("counter", lambda: counter_call(http, url, i + 1, ["A", "B"], officers[i]))

    def dashboard(i: int) -> None:
        kind, bearer = ("kiosks", supervisor) if i < 2 else ("bad_kiosks", f"bad-dashboard-{i}")
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            while not stop.is_set():
                tally.record(kind, lambda: http.get(f"{url}/kiosks", headers={"Authorization": f"Bearer {bearer}"}))

    def intruder(i: int) -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            while not stop.is_set():
                tally.record("bad_ticket", lambda: http.post(f"{url}/tickets", json={"service": "A"},
                                                             headers={"Authorization": f"Bearer wrong-token-{i}-x"}))

    def health() -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            while not stop.is_set():
                tally.record("health", lambda: http.get(f"{url}/health"))
                stop.wait(0.05)

    targets = ([(kiosk, (i,)) for i in range(16)] + [(counter, (i,)) for i in range(8)]
               + [(dashboard, (i,)) for i in range(4)] + [(intruder, (i,)) for i in range(2)] + [(health, ())])
    threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in targets]
    for t in threads:
        t.start()
    return threads


@pytest.mark.slow
def test_16_kiosks_8_counters_and_bad_tokens_get_every_answer_across_cache_expiries(tmp_path: Path, db_url: str):
    with ServerThread(tmp_path, db_url=db_url, kiosks=KIOSKS, token_cache_ttl_s=TTL_S) as srv:
        tally, stop = Tally(), threading.Event()
        officers = [srv.add_officer(f"quay{i + 1}") for i in range(8)]
        threads = _drive(srv.url, tally, stop, officers, srv.add_officer("truong-bo-phan", "supervisor"))
        time.sleep(RUN_S)
        stop.set()
        for t in threads:
            t.join(REQUEST_TIMEOUT_S + 5)
        assert not [t for t in threads if t.is_alive()], "a client is still waiting for an answer"
        assert httpx.get(f"{srv.url}/health", timeout=REQUEST_TIMEOUT_S).status_code == 200
    assert not tally.failures, f"{len(tally.failures)} failures, first: {tally.failures[:5]}; {dict(tally.statuses)}"
    for kind in EXPECTED:
        assert sum(n for (k, _), n in tally.statuses.items() if k == kind), f"no {kind} answered"
    by_service: dict[str, list[int]] = {"A": [], "B": []}
    for number in tally.numbers:
        by_service[number[0]].append(int(number[1:]))
    for service, seqs in by_service.items():  # every number once, none skipped
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), service
    assert api.ticket_number("A", 1) in tally.numbers


def test_a_held_write_lock_gives_writers_503_and_never_stops_readers(tmp_path: Path):
    """Every lock has a timeout: a writer that cannot get it in time is told to retry; readers never wait."""
    kiosk_id, token, _ = KIOSKS[0]
    auth = {"Authorization": f"Bearer {token}"}
    with ServerThread(tmp_path, kiosks=KIOSKS[:1], db_lock_timeout_s=0.5) as srv:
        assert httpx.post(f"{srv.url}/tickets", json={"service": "A"}, headers=auth).status_code == 201
        with srv.app.state.db.write() as s:  # someone holds the write lock (BEGIN IMMEDIATE) …
            s.execute(text("UPDATE kiosks SET name = name"))
            r = httpx.post(f"{srv.url}/tickets", json={"service": "A"}, headers=auth, timeout=REQUEST_TIMEOUT_S)
            assert r.status_code == 503 and r.headers["retry-after"] and r.json()["detail"]
            assert httpx.get(f"{srv.url}/kiosks", timeout=REQUEST_TIMEOUT_S).status_code in (200, 401)
            assert httpx.get(f"{srv.url}/health", timeout=REQUEST_TIMEOUT_S).status_code == 200
            r = httpx.get(f"{srv.url}/dossiers/000.00.01.H22-260101-0001",
                          headers={**auth, "Dossier-Secret": "ABCDEFGHJ"}, timeout=REQUEST_TIMEOUT_S)
            assert r.status_code == 404  # a read with a valid token, answered while the writer waits
        r = httpx.post(f"{srv.url}/tickets", json={"service": "A"}, headers=auth)
        assert r.status_code == 201 and r.json()["number"] == "A002"  # the 503 took no number


def test_bad_tokens_are_looked_up_once_then_remembered(tmp_path: Path):
    with ServerThread(tmp_path, kiosks=KIOSKS[:1], token_negative_ttl_s=600) as srv:
        lookups: list[str] = []

        @event.listens_for(srv.app.state.engine, "before_cursor_execute")
        def _count(_conn, _cur, statement, *_args) -> None:
            if "token_hash" in statement:
                lookups.append(statement)

        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            for _ in range(20):
                r = http.post(f"{srv.url}/tickets", json={"service": "A"},
                              headers={"Authorization": "Bearer not-a-token-of-ours"})
                assert r.status_code == 401
        assert len(lookups) == 1

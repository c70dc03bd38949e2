"""The counter desk's actions over real HTTP, on SQLite and PostgreSQL: call, recall, no-show, transfer,
start/finish, pause; counters' services; the calling policy on the server; the follow data."""

from __future__ import annotations

import httpx
import pytest

from .conftest import TOKEN

KIOSK = {"Authorization": f"Bearer {TOKEN}"}


class Desk:
    def __init__(self, server, officer: str, counter: int) -> None:
        self.url, self.h, self.n = server.url, {"Authorization": f"Bearer {officer}"}, counter

    def post(self, action: str, **body) -> httpx.Response:
        return httpx.post(f"{self.url}/counters/{self.n}/{action}", json=body or None, headers=self.h, timeout=10)

    def ok(self, action: str, **body) -> dict:
        r = self.post(action, **body)
        assert r.status_code == 200, r.text
        return r.json()

    def state(self) -> dict:
        r = httpx.get(f"{self.url}/counters/{self.n}", headers=self.h, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()


def issue(server, service="A", priority=None) -> str:
    r = httpx.post(f"{server.url}/tickets", json={"service": service, "priority": priority}, headers=KIOSK, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["number"]


@pytest.fixture
def desks(server):
    sup = server.add_officer("truong-bo-phan", "supervisor")
    officer = server.add_officer("can-bo-1", "officer")
    for n, services in ((1, ["A"]), (2, ["A", "B"]), (3, ["B"])):
        r = httpx.put(f"{server.url}/counters/{n}/services", json={"services": services, "name": f"Quầy {n}"},
                      headers={"Authorization": f"Bearer {sup}"}, timeout=10)
        assert r.status_code == 200, r.text
    return {n: Desk(server, officer, n) for n in (1, 2, 3)}


def follow(server, number: str) -> dict:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    day = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y%m%d")
    r = httpx.get(f"{server.url}/follow/{day}/{number}", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_only_a_supervisor_configures_counters_and_the_officer_sees_them(server, desks):
    r = httpx.put(f"{server.url}/counters/4/services", json={"services": ["A"]}, headers=desks[1].h, timeout=10)
    assert r.status_code == 403
    listed = httpx.get(f"{server.url}/counters", headers=desks[1].h, timeout=10).json()["counters"]
    assert [(c["counter"], c["services"]) for c in listed] == [(1, ["A"]), (2, ["A", "B"]), (3, ["B"])]
    bad = httpx.put(f"{server.url}/counters/4/services", json={"services": ["a1"]}, headers=desks[1].h, timeout=10)
    assert bad.status_code in (403, 422)


def test_call_start_finish_measures_service_and_the_next_call_finishes_the_last(server, desks):
    a1, a2 = issue(server), issue(server)
    assert desks[1].ok("call")["ticket"]["number"] == a1
    assert follow(server, a1)["status"] == "called" and follow(server, a1)["counter"] == 1
    assert follow(server, a2)["people_ahead"] == 0
    assert desks[1].ok("start")["ticket"]["status"] == "serving"
    assert follow(server, a1)["status"] == "serving"
    assert desks[1].ok("finish")["ticket"]["status"] == "done"
    assert desks[1].post("finish").status_code == 409  # nothing at the counter any more
    assert desks[1].ok("call")["ticket"]["number"] == a2
    assert desks[1].post("call").status_code == 204  # a2 finished by this call; nobody waits
    assert follow(server, a2)["status"] == "done"


def test_recall_counts_and_no_show_needs_a_recall_then_goes_to_the_end_once_then_drops(server, desks):
    a1, a2, a3 = issue(server), issue(server), issue(server)
    assert desks[1].ok("call")["ticket"]["number"] == a1
    r = desks[1].post("no-show")
    assert r.status_code == 409 and "Hãy gọi lại" in r.json()["detail"]
    assert desks[1].ok("recall")["ticket"]["recalls"] == 1
    out = desks[1].ok("no-show")
    assert out["requeued"] is True and out["ticket"]["status"] == "waiting"
    assert follow(server, a1)["people_ahead"] == 2  # now behind a2 and a3
    assert [desks[1].ok("call")["ticket"]["number"] for _ in range(3)] == [a2, a3, a1]
    desks[1].ok("recall")
    out = desks[1].ok("no-show")  # the second time it is dropped
    assert out["requeued"] is False and follow(server, a1)["status"] == "no_show"


def test_transfer_to_another_service_keeps_the_place_by_issue_time(server, desks):
    a1 = issue(server, "A")
    b1, b2 = issue(server, "B"), issue(server, "B")
    assert desks[1].ok("call")["ticket"]["number"] == a1
    out = desks[1].ok("transfer", service="B")
    assert out["service"] == "B" and out["ticket"]["status"] == "waiting"
    assert desks[3].ok("call")["ticket"]["number"] == a1  # issued before b1, b2: first in line B
    assert desks[3].ok("call")["ticket"]["number"] == b1
    out = desks[3].ok("transfer", counter=2)  # b1 to counter 2 alone
    assert out["counter"] == 2
    assert desks[3].ok("call")["ticket"]["number"] == b2  # counter 3 no longer sees b1
    assert desks[2].ok("call")["ticket"]["number"] == b1
    assert desks[2].post("transfer", counter=2).status_code == 409
    assert desks[2].post("transfer").status_code == 422


def test_pause_stops_calls_until_resumed_and_the_desk_shows_the_lines(server, desks):
    a1 = issue(server, "A", "elderly")
    issue(server, "A")
    st = desks[2].state()
    assert [t["number"] for t in st["lines"]["A"]][0] == a1 and st["lines"]["A"][0]["priority"] == "elderly"
    assert desks[2].ok("pause")["paused"] is True
    r = desks[2].post("call")
    assert r.status_code == 409 and "tạm nghỉ" in r.json()["detail"]
    assert desks[2].state()["paused"] is True
    desks[2].ok("resume")
    assert desks[2].ok("call")["ticket"]["number"] == a1


def test_priority_first_at_most_k_in_a_row(server, desks):
    regular = [issue(server) for _ in range(2)]
    prio = [issue(server, priority="elderly") for _ in range(4)]
    order = [desks[1].ok("call")["ticket"]["number"] for _ in range(6)]
    assert order == [prio[0], prio[1], regular[0], prio[2], prio[3], regular[1]]


def test_a_counter_with_nothing_configured_says_so(server, desks):
    officer = desks[1]
    r = httpx.post(f"{server.url}/counters/9/call", headers=officer.h, timeout=10)
    assert r.status_code == 409 and "supervisor" in r.json()["detail"]


def test_follow_of_an_unknown_ticket_is_404_and_bad_input_422(server):
    r = httpx.get(f"{server.url}/follow/20260302/A999", timeout=10)
    assert r.status_code == 404
    assert httpx.get(f"{server.url}/follow/2026-03-02/A001", timeout=10).status_code == 422
    assert httpx.get(f"{server.url}/follow/20261399/A001", timeout=10).status_code == 422

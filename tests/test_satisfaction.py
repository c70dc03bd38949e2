"""Satisfaction aggregation on the real reference server over HTTP, JSON and the HTML page."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import httpx
import pytest

from kiosk import api
from kiosk.backend.client import BackendClient
from server.routes_satisfaction import RatingRow, aggregate
from server.testing import ServerThread

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_aggregate_counts_satisfied_over_all_answers():
    d1, d2 = date(2026, 11, 2), date(2026, 11, 3)
    rows = [
        RatingRow(d1, "very_satisfied", "A", 1),
        RatingRow(d1, "satisfied", "A", 2),
        RatingRow(d1, "unsatisfied", "B", 3, ("wait",)),
        RatingRow(d2, "neutral", "B", 3),
        RatingRow(d2, "satisfied", None, None),
    ]
    rep = aggregate(rows, d1, d2 + timedelta(days=1))
    assert rep.overall.total == 5 and rep.overall.satisfied == 3 and rep.overall.percent == 60.0
    assert [g.key for g in rep.by_day] == ["2026-11-02", "2026-11-03", "2026-11-04"]
    assert rep.by_day[0].percent == 66.7 and rep.by_day[2].total == 0 and rep.by_day[2].percent is None
    assert {g.key: g.total for g in rep.by_service} == {"A": 2, "B": 2, "-": 1}
    assert {g.key: g.percent for g in rep.by_counter}["3"] == 0.0
    assert rep.unsatisfied_reasons == {"wait": 1}
    assert rep.overall.meets_target is False


class _Page(HTMLParser):
    """Collects element ids, attributes and text of the page (enough to check what a browser shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.bars: list[dict[str, str]] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if "id" in a:
            self.by_id[a["id"]] = {"tag": tag, **a}
        if tag == "rect" and a.get("class") == "bar":
            self.bars.append(a)

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())


@pytest.fixture
def server(tmp_path):
    with ServerThread(tmp_path) as srv:
        yield srv


def _supervisor(server: ServerThread, role: str = "supervisor") -> dict[str, str]:
    """The satisfaction figures are for a department's supervisors (issue 13)."""
    return {"Authorization": f"Bearer {server.add_officer(f'user-{role}', role)}"}


def _rate(client: BackendClient, level: str, at: datetime, **kw) -> None:
    client.post_rating(api.RatingIn(level=level, at=at, **kw), uuid.uuid4().hex)


def test_server_aggregates_per_day_service_and_counter(server):
    today = datetime.now(TZ).replace(hour=10, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        # A ticket called at counter 2: a rating with only its number is credited to counter 2.
        ticket = client.issue_ticket("A")
        with BackendClient(server.url, server.add_officer("can-bo-2"), "counter-2") as desk:
            assert desk.call_next(2, ["A"]).number == ticket.number
        _rate(client, "very_satisfied", today, ticket_number=ticket.number)
        _rate(client, "satisfied", today, service="A", counter=1)
        _rate(client, "unsatisfied", today, service="B", counter=3, reasons=["wait", "unclear"])
        for _ in range(19):
            _rate(client, "satisfied", yesterday, service="B", counter=3)
        _rate(client, "very_satisfied", yesterday, service="B", counter=3)

        r = httpx.get(f"{server.url}/satisfaction", params={"days": 7}, headers=_supervisor(server))
        assert r.status_code == 200
        rep = r.json()
    assert rep["target_percent"] == 95.0
    assert rep["overall"]["total"] == 23 and rep["overall"]["satisfied"] == 22
    days = {g["key"]: g for g in rep["by_day"]}
    assert len(days) == 7
    assert days[yesterday.date().isoformat()]["percent"] == 100.0
    assert days[yesterday.date().isoformat()]["meets_target"] is True
    assert days[today.date().isoformat()]["percent"] == 66.7
    assert days[today.date().isoformat()]["meets_target"] is False
    services = {g["key"]: g for g in rep["by_service"]}
    assert services["A"]["total"] == 2 and services["A"]["percent"] == 100.0
    assert services["B"]["total"] == 21
    counters = {g["key"]: g["total"] for g in rep["by_counter"]}
    assert counters == {"1": 1, "2": 1, "3": 21}
    assert rep["unsatisfied_reasons"] == {"wait": 1, "unclear": 1}


def test_html_page_shows_the_chart_and_the_95_percent_line(server):
    today = datetime.now(TZ).replace(hour=9, minute=0, second=0, microsecond=0)
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        _rate(client, "satisfied", today, service="A", counter=1)
        _rate(client, "unsatisfied", today - timedelta(days=2), service="C", counter=4, reasons=["late"])
    r = httpx.get(f"{server.url}/satisfaction.html", params={"days": 5}, headers=_supervisor(server))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(r.text)
    assert page.by_id["chart"]["tag"] == "svg"
    line = page.by_id["target-line"]
    assert line["tag"] == "line" and line["data-target"] == "95"
    assert "Mục tiêu 95 %" in page.text
    bars = {b["data-day"]: float(b["data-percent"]) for b in page.bars}
    # The line is drawn at 95 % of the full bar's height (the 100 % bar spans the plot).
    full = next(b for b in page.bars if b["data-percent"] == "100.0")
    top, height = float(full["y"]), float(full["height"])
    assert float(line["y1"]) == float(line["y2"]) == pytest.approx(top + 0.05 * height, abs=0.2)
    assert bars == {today.date().isoformat(): 100.0, (today - timedelta(days=2)).date().isoformat(): 0.0}
    assert "by-service" in page.by_id and "by-counter" in page.by_id
    assert "Chưa đạt mục tiêu" in page.text  # 1 of 2 satisfied = 50 %
    assert any("late: 1" in t for t in page.text)


def test_range_errors_and_unknown_unit(server):
    auth = _supervisor(server, "admin")  # an admin may ask for any unit
    assert httpx.get(f"{server.url}/satisfaction", params={"from": "2026-05-02", "to": "2026-05-01"},
                     headers=auth).status_code == 422
    assert httpx.get(f"{server.url}/satisfaction", params={"unit": "999.99.99.X"}, headers=auth).status_code == 404
    ok = httpx.get(f"{server.url}/satisfaction", params={"unit": "000.00.01.H22", "days": 1}, headers=auth)
    assert ok.status_code == 200 and ok.json()["overall"]["percent"] is None

"""Waiting and service statistics per day, service and counter: JSON, CSV and the supervisors' page."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import httpx
import pytest

from server.queue.stats import p90

from .conftest import TOKEN

KIOSK = {"Authorization": f"Bearer {TOKEN}"}


def test_p90_is_the_nearest_rank():
    assert p90([]) is None
    assert p90([5.0]) == 5.0
    assert p90([float(i) for i in range(1, 11)]) == 9.0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_issued_served_no_show_waits_and_service_times(server, clock):
    clock.set(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc))  # 08:00 in Hà Nội
    sup = server.add_officer("truong", "supervisor")
    officer = server.add_officer("can-bo", "officer")
    h = {"Authorization": f"Bearer {officer}"}
    for _ in range(3):
        assert httpx.post(f"{server.url}/tickets", json={"service": "A"}, headers=KIOSK, timeout=10).status_code == 201

    def post(action: str) -> httpx.Response:
        r = httpx.post(f"{server.url}/counters/1/{action}", json={"services": ["A"]} if action == "next" else None,
                       headers=h, timeout=10)
        assert r.status_code == 200, r.text
        return r

    clock.shift(minutes=10)
    post("next"), post("start")
    clock.shift(minutes=4)
    post("finish")
    clock.shift(minutes=16)  # the second waited 30 min
    post("next"), post("start")
    clock.shift(minutes=6)
    post("finish")
    post("next"), post("recall")
    server.settings.no_show_action = "drop"
    post("no-show")

    sh = {"Authorization": f"Bearer {sup}"}
    r = httpx.get(f"{server.url}/stats", params={"from": "2026-03-02", "to": "2026-03-02"}, headers=sh, timeout=10)
    assert r.status_code == 200, r.text
    day = r.json()["days"][0]
    assert (day["issued"], day["served"], day["no_show"]) == (3, 2, 1)
    assert day["wait_mean_min"] == pytest.approx((10 + 30 + 36) / 3, abs=0.2)
    assert day["service_mean_min"] == pytest.approx(5.0, abs=0.2)
    assert day["waited_15_min_or_less_pct"] == pytest.approx(33.3, abs=0.1)
    row = r.json()["rows"][0]
    assert (row["service"], row["counter"]) == ("A", 1)

    c = httpx.get(f"{server.url}/stats.csv", params={"from": "2026-03-02", "to": "2026-03-02"}, headers=sh, timeout=10)
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(c.text)))
    assert rows[0]["issued"] == "3" and rows[0]["served"] == "2" and rows[0]["no_show"] == "1"

    cookie = server.officer_cookie("truong")
    page = httpx.get(server.url.removesuffix("/api/v1") + "/stats?from=2026-03-02&to=2026-03-02",
                     headers={"Cookie": cookie.header}, timeout=10)
    assert page.status_code == 200 and "<svg" in page.text and "Thời gian chờ" in page.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_stats_are_for_supervisors_and_bad_ranges_are_422(server):
    officer = server.add_officer("can-bo", "officer")
    sup = server.add_officer("truong", "supervisor")
    assert httpx.get(f"{server.url}/stats", headers={"Authorization": f"Bearer {officer}"}, timeout=10).status_code == 403
    assert httpx.get(f"{server.url}/stats", headers=KIOSK, timeout=10).status_code == 401
    sh = {"Authorization": f"Bearer {sup}"}
    assert httpx.get(f"{server.url}/stats", params={"from": "2026-03-05", "to": "2026-03-01"}, headers=sh,
                     timeout=10).status_code == 422
    assert httpx.get(f"{server.url}/stats", params={"from": "2020-01-01", "to": "2026-03-01"}, headers=sh,
                     timeout=10).status_code == 422
    assert httpx.get(f"{server.url}/stats", params={"from": "hôm qua"}, headers=sh, timeout=10).status_code == 422
    assert httpx.get(server.url.removesuffix("/api/v1") + "/stats", timeout=10).status_code == 401

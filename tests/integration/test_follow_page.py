"""The ticket's follow page at the URL its QR prints, readable without JavaScript (server-rendered, a refresh every
15 s), in Vietnamese and English, with nothing personal; bad input is a clear 4xx, never a 5xx."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from .conftest import TOKEN

KIOSK = {"Authorization": f"Bearer {TOKEN}"}


def _page(server, path: str, **params) -> httpx.Response:
    return httpx.get(server.url.removesuffix("/api/v1") + path, params=params, timeout=10)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_page_without_javascript_says_waiting_then_called_at_counter_2(server):
    officer = server.add_officer("can-bo-1")
    numbers = [httpx.post(f"{server.url}/tickets", json={"service": "A"}, headers=KIOSK, timeout=10).json()["number"]
               for _ in range(2)]
    day = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y%m%d")
    r = _page(server, f"/q/{day}/{numbers[1]}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in r.text
    assert "Đang chờ" in r.text and "Bạn là người tiếp theo" not in r.text and "Còn 1 người trước bạn" in r.text
    assert "KIOSK-01" not in r.text  # nothing but the number, its state and the department
    httpx.post(f"{server.url}/counters/2/next", json={"services": ["A"]},
               headers={"Authorization": f"Bearer {officer}"}, timeout=10)
    assert "Bạn là người tiếp theo" in _page(server, f"/q/{day}/{numbers[1]}").text
    called = _page(server, f"/q/{day}/{numbers[0]}")
    assert "Đã gọi, quầy 2" in called.text
    en = _page(server, f"/q/{day}/{numbers[0]}", lang="en")
    assert "Called, counter 2" in en.text and 'lang="en"' in en.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_unknown_tickets_and_bad_input_are_clear_4xx(server):
    r = _page(server, "/q/20260302/A999")
    assert r.status_code == 404 and "Không tìm thấy số này" in r.text
    for path in ("/q/20261399/A001", "/q/2026-03-02/A001", "/q/20260302/a1", "/q/20260302/A001%00"):
        assert 400 <= _page(server, path).status_code < 500, path
    assert _page(server, "/q/20260302/A001", lang="fr").status_code == 422
    assert _page(server, "/display", unit="999.99.99.X").status_code == 404
    assert _page(server, "/desk", counter="0").status_code == 422
    assert _page(server, "/audio/call/A001/0.wav").status_code == 422
    assert _page(server, "/static/../server.db").status_code == 404
    assert _page(server, "/static/fonts/secret.ttf").status_code == 404
    assert _page(server, "/static/office.css").status_code == 200
    assert _page(server, "/static/fonts/NotoSans-Regular.ttf").headers["content-type"] == "font/ttf"

"""The department's report over HTTP: the seeded Tết 2026 set sent by the kiosk's client at its real times
(the server computes each appointment under the province's calendar file), moved on by an officer at the
result's time; the supervisor's figures, CSV and page; officers without the role get 403."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import httpx
import pytest

from kiosk import api
from kiosk.backend.client import BackendClient
from report_seed import BY_MONTH, BY_PROCEDURE, CALENDAR_TOML, CASES, NOW, TOTAL
from server.testing import DEFAULT_UNIT, MovableClock, ServerThread

TOKEN = "token-kiosk-01-report"


@pytest.fixture
def seeded(tmp_path):
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "_calendar.toml").write_text(CALENDAR_TOML, encoding="utf-8")
    clock = MovableClock()
    with ServerThread(tmp_path / "srv", kiosks=[("KIOSK-01", TOKEN, DEFAULT_UNIT)], clock=clock,
                      catalog_dir=catalog) as srv, \
            BackendClient(srv.url, TOKEN, "KIOSK-01", timeout_s=5, retries=0) as client:
        events = []
        for name, ((code, proc), received, days, steps, _o, _d) in CASES.items():
            events.append((received, 0, name, ("submit", code, proc, days)))
            events += [(when, i + 1, name, ("status", s, note)) for i, (when, s, note) in enumerate(steps)]
        codes: dict[str, str] = {}
        dues: dict[str, object] = {}
        srv.add_officer("can-bo-1")
        for when, _, name, action in sorted(events, key=lambda e: (e[0], e[1])):
            clock.set(when)
            if action[0] == "submit":
                _, code, proc, days = action
                meta = api.DossierIn(receiving_unit_id=DEFAULT_UNIT, kiosk_id="KIOSK-01", procedure_code=code,
                                     procedure_name=proc, applicant=api.Applicant(full_name="Người nộp " + name),
                                     rule=api.ProcessingRule(working_days=days))
                receipt = client.submit_dossier(meta, [], uuid.uuid4().hex)
                codes[name], dues[name] = receipt.code, receipt.appointment_at
            else:
                bearer = srv.officer_bearer("can-bo-1")
                r = httpx.post(f"{srv.url}/desk/dossiers/{codes[name]}/status",
                               json={"status": action[1], "note": action[2]},
                               headers={"Authorization": f"Bearer {bearer}"}, timeout=10)
                assert r.status_code == 200, (name, action, r.text)
        clock.set(NOW)
        srv.add_officer("truong-bo-phan", "supervisor")
        yield srv, dues


def test_the_report_counts_the_seeded_outcomes(seeded):
    srv, dues = seeded
    for name, case in CASES.items():
        # the server's appointments follow the province's calendar (the test clock adds a few milliseconds)
        assert abs(dues[name] - case[5]) < timedelta(seconds=30), name
    h = {"Authorization": f"Bearer {srv.officer_bearer('truong-bo-phan')}"}
    window = {"from": "2026-02-01", "to": "2026-03-31"}
    out = httpx.get(f"{srv.url}/desk/report", params=window, headers=h, timeout=10).json()
    for k, v in TOTAL.items():
        assert out["total"][k] == v, k
    assert out["total"]["kiosk_share_pct"] == 100.0
    for p in out["by_procedure"]:
        assert {k: p[k] for k in BY_PROCEDURE[p["code"]]} == BY_PROCEDURE[p["code"]]
    assert {m["month"]: {k: m[k] for k in BY_MONTH[m["month"]]} for m in out["by_month"]} == BY_MONTH
    narrow = httpx.get(f"{srv.url}/desk/report", params={"from": "2026-03-01", "to": "2026-03-31"}, headers=h).json()
    assert narrow["total"]["received"] == 6
    text = httpx.get(f"{srv.url}/desk/report.csv", params=window, headers=h).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:4] == ["tổng", "", "Tất cả thủ tục", "9"]
    assert rows[1][rows[0].index("tỉ lệ đúng hạn (%)")] == "60.0"


def test_the_report_is_for_supervisors(seeded):
    srv, _ = seeded
    officer = {"Authorization": f"Bearer {srv.officer_bearer('can-bo-1')}"}
    assert httpx.get(f"{srv.url}/desk/report", headers=officer).status_code == 403
    sup = {"Authorization": f"Bearer {srv.officer_bearer('truong-bo-phan')}"}
    assert httpx.get(f"{srv.url}/desk/report", params={"to": "9999-12-31"}, headers=sup).status_code == 422
    assert httpx.get(f"{srv.url}/desk/report", params={"from": "2026-03-02", "to": "2026-03-01"},
                     headers=sup).json()["detail"] == "Ngày bắt đầu không được sau ngày kết thúc."
    assert httpx.get(f"{srv.url}/desk/report.csv", headers=officer).status_code == 403
    cookie = srv.officer_cookie("truong-bo-phan")
    page = httpx.get(srv.url.removesuffix("/api/v1") + "/desk/report?from=2026-02-01&to=2026-03-31",
                     headers={"Cookie": cookie.header})
    assert page.status_code == 200 and "60.0 %" in page.text and 'href="/api/v1/satisfaction.html"' in page.text

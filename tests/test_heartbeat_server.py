"""Heartbeats through the real reference server; the department's kiosk list (JSON + HTML)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from kiosk.backend.client import BackendClient
from kiosk.ops.heartbeat import Heartbeat
from server.testing import DEFAULT_UNIT, ServerThread


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def test_last_heartbeat_per_kiosk_listed_as_json_and_html(tmp_path, kiosk_config):
    clock = Clock()
    kiosks = [("KIOSK-01", "tok-kiosk-01-abcdef", DEFAULT_UNIT), ("KIOSK-02", "tok-kiosk-02-abcdef", DEFAULT_UNIT),
              ("OTHER-01", "tok-other-01-abcdef", "000.00.02.H22")]
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    with ServerThread(tmp_path, kiosks=kiosks, clock=clock) as srv:
        kiosk_config.backend.url = srv.url
        with BackendClient(srv.url, "tok-kiosk-01-abcdef", "KIOSK-01") as client:
            hb = Heartbeat(kiosk_config, send=client.heartbeat)
            assert hb.beat_once(), hb.last_error
        admin = {"Authorization": f"Bearer {srv.add_officer('quan-tri', 'admin')}"}  # sees every department
        r = httpx.get(f"{srv.url}/kiosks", params={"unit": DEFAULT_UNIT}, headers=admin)
        assert r.status_code == 200
        by_id = {k["id"]: k for k in r.json()["kiosks"]}
        assert set(by_id) == {"KIOSK-01", "KIOSK-02"}  # the other department's kiosk is not listed
        k1 = by_id["KIOSK-01"]
        assert k1["state"] == hb.last_summary["overall"] and k1["checks"]["camera"]["state"] == "amber"
        assert k1["seconds_since"] == 0 and k1["version"]
        assert by_id["KIOSK-02"]["state"] == "never"
        page = httpx.get(f"{srv.url}/kiosks.html", headers=admin)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "KIOSK-01" in page.text and "OTHER-01" in page.text and "Chưa kết nối" in page.text
        assert "camera: no camera configured" in page.text
        # Four minutes without a beat → offline, whatever the kiosk last said.
        clock.now += timedelta(minutes=4)
        k1 = next(k for k in httpx.get(f"{srv.url}/kiosks", headers=admin).json()["kiosks"] if k["id"] == "KIOSK-01")
        assert k1["state"] == "offline"

"""The heartbeat thread posts the health summary to a real HTTP backend and survives it being down."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.backend.client import BackendClient
from kiosk.ops.heartbeat import Heartbeat


class _Recorder(BaseHTTPRequestHandler):
    received: list[tuple[str, dict, str]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.path, body, self.headers.get("Authorization", "")))
        kiosk_id = self.path.split("/")[-2]
        out = json.dumps({"kiosk_id": kiosk_id, "received_at": "2026-01-01T00:00:00Z"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_GET(self) -> None:  # noqa: N802
        out = json.dumps({"status": "ok", "time": "2026-01-01T00:00:00Z"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    _Recorder.received = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


class _Svc:
    def __init__(self, config, backend):
        self.config, self.backend = config, backend


def test_heartbeats_carry_the_status_summary(kiosk_config, server):
    kiosk_config.backend.url = f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    client = BackendClient(kiosk_config.backend.url, "tok-1", kiosk_config.kiosk.id)
    hb = Heartbeat(kiosk_config, _Svc(kiosk_config, client), interval_s=0.2, first_delay_s=0)
    hb.start()
    try:
        deadline = threading.Event()
        for _ in range(200):
            if len(_Recorder.received) >= 2:
                break
            deadline.wait(0.05)
    finally:
        hb.stop()
        client.close()
    assert len(_Recorder.received) >= 2
    path, body, auth = _Recorder.received[0]
    assert path == f"/api/v1/kiosks/{kiosk_config.kiosk.id}/heartbeat" and auth == "Bearer tok-1"
    status = body["status"]
    assert status["checks"]["backend"]["state"] == "green"
    assert status["checks"]["camera"]["state"] == "amber"
    assert {"overall", "version", "uptime_s"} <= set(status)
    assert hb.last_error is None and hb.beats >= 2


def test_backend_down_is_recorded_and_the_thread_keeps_going(kiosk_config):
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    calls = []

    def send(kiosk_id, status):
        calls.append(kiosk_id)
        raise ConnectionError("backend down")

    hb = Heartbeat(kiosk_config, send=send, interval_s=0.05, first_delay_s=0).start()
    try:
        for _ in range(400):
            if len(calls) >= 2:
                break
            threading.Event().wait(0.05)
    finally:
        hb.stop()
    assert len(calls) >= 2
    assert "backend down" in hb.last_error and hb.last_sent_at is None and hb.last_summary is not None

"""The heartbeat thread posts the health summary to the real reference server and survives it failing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx
import pytest

from kiosk.backend.client import BackendClient
from kiosk.ops.heartbeat import Heartbeat
from server.testing import ServerThread

KIOSK, TOKEN = "KIOSK-01", "dev-kiosk-token"  # the packaged kiosk, seeded in the reference server


class _Svc:
    def __init__(self, config, backend):
        self.config, self.backend = config, backend


def _until(condition: Callable[[], object], timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def _listed(server: ServerThread) -> dict:
    """This kiosk's row on the server's kiosk list, as a supervisor of its department sees it."""
    if not hasattr(server, "_supervisor_bearer"):
        server._supervisor_bearer = server.add_officer("giamsat", "supervisor")
    r = httpx.get(f"{server.url}/kiosks", headers={"Authorization": f"Bearer {server._supervisor_bearer}"})
    return next(k for k in r.json()["kiosks"] if k["id"] == KIOSK)


@pytest.fixture
def no_cameras(kiosk_config):
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    return kiosk_config


def test_heartbeats_carry_the_status_summary(no_cameras, server):
    config = no_cameras
    config.backend.url = server.url
    with BackendClient(server.url, TOKEN, KIOSK) as client:
        hb = Heartbeat(config, _Svc(config, client), interval_s=0.2, first_delay_s=0).start()
        try:
            _until(lambda: hb.beats >= 2, what="two heartbeats")
        finally:
            hb.stop()
    assert hb.last_error is None and hb.last_sent_at is not None
    listed = _listed(server)
    # The server holds what the kiosk last sent: the summary of its checks, under its own id.
    assert listed["state"] == hb.last_summary["overall"]
    assert listed["checks"]["backend"]["state"] == "green"  # the kiosk reached this very server
    assert listed["checks"]["camera"] == {"state": "amber", "reason": "no camera configured"}
    assert listed["version"] == hb.last_summary["version"]
    assert {"overall", "version", "uptime_s"} <= set(hb.last_summary)


def test_a_wrong_token_is_refused_and_recorded(no_cameras, server):
    with BackendClient(server.url, "not-this-kiosks-token", KIOSK) as client:
        hb = Heartbeat(no_cameras, _Svc(no_cameras, client))
        assert hb.beat_once() is False
    assert "401" in hb.last_error and hb.beats == 0
    assert _listed(server)["state"] == "never"


# The client's timeout must hold any healthy answer: a committed write fsyncs, and on a busy 2-core
# machine one took over 0.5 s during a full run (the third beat then failed too). A held answer
# must outlast it by far.
CLIENT_TIMEOUT_S, HELD_ANSWER_S = 3.0, 6.0


@pytest.mark.parametrize(("mode", "error"), [("error", "HTTP 500"), ("slow", "ReadTimeout")])
def test_failed_beats_are_recorded_and_the_next_one_gets_through(no_cameras, server, caplog, mode, error):
    """Two heartbeats answered by a 500 (or held past the client's timeout), then the backend is fine again."""
    config = no_cameras
    config.backend.url = server.url
    server.faults.set(mode, count=2, path="/heartbeat", delay_s=HELD_ANSWER_S)
    caplog.set_level(logging.INFO, logger="kiosk.ops.heartbeat")
    with BackendClient(server.url, TOKEN, KIOSK, timeout_s=CLIENT_TIMEOUT_S, retries=0) as client:
        hb = Heartbeat(config, _Svc(config, client), interval_s=0.05, first_delay_s=0).start()
        try:
            _until(lambda: hb.beats >= 1, what="a delivered heartbeat")
        finally:
            hb.stop()
    failed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("heartbeat not delivered")]
    assert len(failed) == 2 and all(error in m for m in failed), failed
    assert server.faults.hits == 2 and hb.last_error is None
    assert _listed(server)["state"] == hb.last_summary["overall"]


def test_backend_down_is_recorded_and_the_thread_delivers_once_it_is_back(no_cameras, closed_port, tmp_path):
    config = no_cameras
    with BackendClient(closed_port.url, TOKEN, KIOSK, timeout_s=2, retries=0) as client:
        hb = Heartbeat(config, _Svc(config, client), interval_s=0.05, first_delay_s=0).start()
        try:
            _until(lambda: hb.last_error is not None, what="a failed heartbeat")
            assert "ConnectError" in hb.last_error and hb.last_sent_at is None and hb.beats == 0
            assert hb.last_summary["checks"]["backend"]["state"] == "red"
            # The backend comes back on the same address: the same thread delivers.
            with ServerThread(tmp_path / "server", port=closed_port.release()) as srv:
                _until(lambda: hb.beats >= 1, what="a heartbeat once the backend is back")
                hb.stop()
                assert _listed(srv)["state"] != "never"
        finally:
            hb.stop()
    assert hb.last_error is None and hb.last_sent_at is not None

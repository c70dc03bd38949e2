"""BackendClient against the real server: headers, error classes, retries only where they help."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.backend.client import BackendClient, BackendRejected, BackendUnavailable
from server.testing import Faults, ServerThread

TOKEN = "token-for-client-tests"
KIOSKS = [("KIOSK-07", TOKEN, "000.00.01.H22")]


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def srv(tmp_path: Path, faults: Faults):
    with ServerThread(tmp_path, kiosks=KIOSKS, faults=faults) as s:
        yield s


def test_sends_the_token_and_a_user_agent_with_the_kiosk_id(srv, faults: Faults):
    with BackendClient(srv.url, TOKEN, "KIOSK-07") as c:
        c.issue_ticket("A")
    assert faults.last_headers["authorization"] == f"Bearer {TOKEN}"
    assert faults.last_headers["user-agent"] == f"motcua-kiosk/{__version__} (kiosk KIOSK-07)"
    assert len(faults.last_headers["idempotency-key"]) >= 16


def test_retries_5xx_then_succeeds(srv, faults: Faults):
    faults.set("error", count=2, path="/tickets")
    with BackendClient(srv.url, TOKEN, "KIOSK-07", retries=2, backoff_s=0.01) as c:
        assert c.issue_ticket("A").number == "A001"
    assert faults.hits == 2


def test_5xx_after_retries_is_unavailable(srv, faults: Faults):
    faults.set("error", path="/tickets")
    with BackendClient(srv.url, TOKEN, "KIOSK-07", retries=1, backoff_s=0.01) as c:
        with pytest.raises(BackendUnavailable, match="HTTP 500"):
            c.issue_ticket("A")
    assert faults.hits == 2


def test_4xx_is_rejected_at_once_without_retry(srv, faults: Faults):
    with BackendClient(srv.url, "wrong-token", "KIOSK-07", retries=3, backoff_s=0.5) as c:
        with pytest.raises(BackendRejected) as e:
            c.issue_ticket("A")
    assert e.value.status == 401 and "token" in e.value.detail
    with BackendClient(srv.url, TOKEN, "KIOSK-07") as c:
        with pytest.raises(BackendRejected) as e:
            c.dossier_status("000.00.01.H22-260101-0001", "ABCDEF")
    assert e.value.status == 404


def test_timeouts_and_refused_connections_are_unavailable(srv, faults: Faults, closed_port):
    faults.set("slow", path="/tickets", delay_s=2.0)
    with BackendClient(srv.url, TOKEN, "KIOSK-07", timeout_s=0.3, retries=0) as c:
        with pytest.raises(BackendUnavailable, match="Timeout"):
            c.issue_ticket("A")
    with BackendClient(closed_port.url, TOKEN, "KIOSK-07", retries=1, backoff_s=0.01) as c:
        with pytest.raises(BackendUnavailable, match="ConnectError"):
            c.ping()


def test_retried_ticket_request_keeps_its_idempotency_key(srv, faults: Faults):
    faults.set("error_after", count=1, path="/tickets")  # the first answer is lost after the number was taken
    with BackendClient(srv.url, TOKEN, "KIOSK-07", retries=2, backoff_s=0.01) as c:
        assert c.issue_ticket("A").number == "A001"
        assert c.issue_ticket("A").number == "A002"  # no number skipped by the retry


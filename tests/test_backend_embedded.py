"""`make run` needs no other step: the kiosk's services start the reference server and stop it again."""

from __future__ import annotations

import pytest
from helpers.ports import free_port

from kiosk.backend import embedded as embedded_server
from kiosk.services import build_services


@pytest.mark.slow
def test_embedded_server_starts_with_the_kiosk_and_stops_on_close(kiosk_config, tmp_path):
    port = free_port()
    kiosk_config.backend.embedded = True
    kiosk_config.backend.url = f"http://127.0.0.1:{port}/api/v1"
    kiosk_config.backend.embedded_db = f"sqlite:///{tmp_path / 'server.db'}"
    services = build_services(kiosk_config)
    outbox = services.outbox
    try:
        assert services.embedded.wait(60)
        assert services.backend.ping() > 0
        ticket = services.backend.issue_ticket("A")  # the kiosk's own id and token were seeded
        assert ticket.number == "A001" and ticket.kiosk_id == kiosk_config.kiosk.id
        assert services.outbox.running
    finally:
        services.close()
    assert not embedded_server._answers(kiosk_config.backend.url)
    assert not outbox.running


def test_no_embedded_server_for_a_remote_backend(kiosk_config):
    kiosk_config.backend.embedded = True
    kiosk_config.backend.url = "https://motcua.example.gov.vn/api/v1"
    assert not embedded_server.wanted(kiosk_config)
    kiosk_config.backend.url = "http://127.0.0.1:8765/api/v1"
    kiosk_config.backend.embedded = False
    assert not embedded_server.wanted(kiosk_config)


@pytest.mark.slow
def test_a_server_that_cannot_start_leaves_the_kiosk_running_offline(kiosk_config, tmp_path):
    kiosk_config.backend.embedded = True
    kiosk_config.backend.url = f"http://127.0.0.1:{free_port()}/api/v1"
    kiosk_config.backend.embedded_db = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # unreachable database
    services = build_services(kiosk_config)
    try:
        assert services.embedded.wait(60)
        assert services.embedded.error
        assert services.outbox.submit_rating(_rating()).status == "queued"
    finally:
        services.close()


def _rating():
    from datetime import datetime, timezone

    from kiosk import api
    return api.RatingIn(level="satisfied", at=datetime.now(timezone.utc))


def test_the_embedded_server_outlives_the_thread_that_started_it(kiosk_config, tmp_path):
    """PR_SET_PDEATHSIG fires when the *thread* that forked the child ends: the starter must live as long
    as the server, or the server gets SIGTERM right after it first answered."""
    import time

    port = free_port()
    kiosk_config.backend.embedded = True
    kiosk_config.backend.url = f"http://127.0.0.1:{port}/api/v1"
    kiosk_config.backend.embedded_db = f"sqlite:///{tmp_path / 'server.db'}"
    started = embedded_server.start_embedded(kiosk_config)
    try:
        assert started.wait(60) and started.error is None
        for _ in range(20):  # two seconds of a server that must stay up
            time.sleep(0.1)
            assert started.server.proc is not None and started.server.proc.poll() is None
        assert embedded_server._answers(kiosk_config.backend.url)
    finally:
        started.stop()
    assert not embedded_server._answers(kiosk_config.backend.url)

"""Queue numbering with the real reference server over HTTP on loopback: online numbers from the
server, a reserved block used while it is down (ticket marked offline), registered when it is back."""

from __future__ import annotations

import pytest

from kiosk.backend.client import BackendClient
from kiosk.queue.service import QueueService
from kiosk.queue.store import TicketStore

server_testing = pytest.importorskip("server.testing")


def _client(url: str) -> BackendClient:
    return BackendClient(url, "dev-kiosk-token", "KIOSK-01", timeout_s=3, retries=0)


def test_online_then_offline_from_the_reserved_block_then_synced(kiosk_config, tmp_path):
    workdir = tmp_path / "srv"
    workdir.mkdir()
    store = TicketStore(tmp_path / "q.sqlite")
    with server_testing.ServerThread(workdir) as srv:
        port = srv.port
        client = _client(srv.url)
        q = QueueService(kiosk_config, store, backend=client)
        first = q.issue("A")
        second = q.issue("A", "elderly")
        assert not first.offline and first.number == "A001"
        assert second.seq > first.seq  # the server numbers; a reserved block may sit between
        assert second.people_ahead >= 1
        day = first.day
        # While online, the kiosk reserved a block for bad days.
        blocks = store.blocks(day, "A")
        assert blocks and blocks[0][3] == "backend"
        block_start, block_end = blocks[0][0], blocks[0][1]
    # The server is gone: the kiosk numbers from its block and says so.
    q._offline_until = 0
    offline = q.issue("A")
    assert offline.offline and block_start <= offline.seq <= block_end
    assert offline.number not in (first.number, second.number)
    assert store.unsynced() and store.unsynced()[0]["number"] == offline.number
    # The server is back on the same port and database: the next ticket is online again and the
    # offline one is registered with it (so counters will call it).
    with server_testing.ServerThread(workdir, port=port):
        q._offline_until = 0
        back = q.issue("A")
        assert not back.offline
        assert back.number not in (first.number, second.number, offline.number)
        assert not store.unsynced()
    client.close()
    q.close()

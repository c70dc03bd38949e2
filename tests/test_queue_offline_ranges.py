"""Two kiosks that never reached the backend today each number from their own emergency range."""

from __future__ import annotations

import copy

from kiosk.backend.client import BackendClient
from kiosk.queue.service import OFFLINE_BASE, QueueService, offline_base
from kiosk.queue.store import TicketStore


def test_each_kiosk_index_has_its_own_range():
    assert offline_base("KIOSK-01") == OFFLINE_BASE == 901
    assert offline_base("KIOSK-02") == 1901
    assert offline_base("KIOSK-12") == 11901
    assert offline_base("kiosk-sanh") == offline_base("kiosk-sanh")  # no number: a stable one from the id
    assert offline_base("KIOSK-99") + 999 <= 99_999


def test_two_kiosks_offline_at_once_never_print_the_same_number(kiosk_config, tmp_path, closed_port):
    queues = []
    for kiosk_id in ("KIOSK-01", "KIOSK-02"):
        cfg = copy.deepcopy(kiosk_config)
        cfg.kiosk.id = kiosk_id
        backend = BackendClient(closed_port.url, "token-that-never-reaches", kiosk_id, timeout_s=1, retries=0)
        queues.append(QueueService(cfg, TicketStore(tmp_path / f"{kiosk_id}.sqlite"), backend=backend))
    try:
        numbers = [[q.issue("A").number for _ in range(5)] for q in queues]
        assert all(q.issue("A").offline for q in queues)
        assert numbers[0] == ["A901", "A902", "A903", "A904", "A905"]
        assert numbers[1] == ["A1901", "A1902", "A1903", "A1904", "A1905"]
        assert not set(numbers[0]) & set(numbers[1])
    finally:
        for q in queues:
            q.close()

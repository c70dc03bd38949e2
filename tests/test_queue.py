"""Ticket numbering: no duplicates across kiosks and threads, no gaps within a block,
daily reset at local midnight (Asia/Ho_Chi_Minh), safe across restarts; wait estimate; priority."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.queue.service import OFFLINE_BASE, QueueService
from kiosk.queue.store import TicketStore
from kiosk.queue.tickets import QueueError, ticket_number
from kiosk.queue.wait import estimate_ahead

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def service(config, store, at=datetime(2026, 11, 23, 9, 0, tzinfo=TZ), backend=None):
    return QueueService(config, store, backend=backend, now=Clock(at))


def test_standalone_kiosk_numbers_from_one_per_service(kiosk_config, tmp_path):
    q = service(kiosk_config, TicketStore(tmp_path / "q.sqlite"))
    assert [q.issue("A").number for _ in range(3)] == ["A001", "A002", "A003"]
    assert q.issue("B").number == "B001"
    t = q.issue("A", "elderly")
    assert t.number == "A004" and t.priority == "elderly" and not t.offline


def test_numbers_survive_a_restart_and_are_never_reused(kiosk_config, tmp_path):
    path = tmp_path / "q.sqlite"
    q = service(kiosk_config, TicketStore(path))
    first = [q.issue("A").number for _ in range(5)]
    q.close()
    q2 = service(kiosk_config, TicketStore(path))  # the kiosk restarted (same day)
    assert q2.issue("A").number == "A006"
    assert "A006" not in first


def test_daily_reset_at_local_midnight_not_utc(kiosk_config, tmp_path):
    clock = Clock(datetime(2026, 11, 23, 16, 59, 59, tzinfo=timezone.utc))  # 23:59:59 in Hà Nội
    q = QueueService(kiosk_config, TicketStore(tmp_path / "q.sqlite"), now=clock)
    assert q.issue("A").number == "A001"
    assert q.issue("A").number == "A002"
    clock.at = datetime(2026, 11, 23, 17, 0, 0, tzinfo=timezone.utc)  # 00:00:00 on the 24th, local
    t = q.issue("A")
    assert t.number == "A001" and t.day == date(2026, 11, 24)
    # At 07:00 UTC on the 23rd it was already afternoon locally: still the 23rd's series.
    clock.at = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
    assert q.issue("A").number == "A003"


def test_unknown_service_or_priority_is_refused(kiosk_config, tmp_path):
    q = service(kiosk_config, TicketStore(tmp_path / "q.sqlite"))
    with pytest.raises(QueueError):
        q.issue("Z")
    with pytest.raises(QueueError):
        q.issue("A", "vip")


def test_threads_sharing_one_store_never_get_the_same_number(kiosk_config, tmp_path):
    path = tmp_path / "q.sqlite"
    numbers: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        q = service(kiosk_config, TicketStore(path))  # own connection, like a second process
        for _ in range(15):
            n = q.issue("C").number
            with lock:
                numbers.append(n)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 90 and len(set(numbers)) == 90
    assert sorted(numbers) == [ticket_number("C", i) for i in range(1, 91)]  # no gaps either


@dataclass
class Authority:
    """The department's numbering authority (what the backend does): hands out disjoint blocks."""

    next_free: int = 1

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    def grant(self, size: int) -> tuple[int, int]:
        with self.lock:
            start = self.next_free
            self.next_free += size
            return start, start + size - 1


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kiosks=st.integers(2, 4),
    threads_per_kiosk=st.integers(1, 3),
    per_thread=st.integers(1, 25),
    block=st.integers(10, 30),
    restart_after=st.integers(0, 10),
)
def test_many_kiosks_and_threads_offline_from_blocks_no_duplicates_no_gaps(
    kiosk_config, tmp_path_factory, kiosks, threads_per_kiosk, per_thread, block, restart_after
):
    base = tmp_path_factory.mktemp("kiosks")
    day = date(2026, 11, 23)
    authority = Authority()
    kiosk_config.queue.local_block_size = max(10, block)
    stores = []
    for k in range(kiosks):
        store = TicketStore(base / f"k{k}.sqlite")
        for _ in range((threads_per_kiosk * per_thread) // block + 1):  # enough blocks reserved while online
            s, e = authority.grant(block)
            store.add_block(day, "A", s, e, source="backend")
        stores.append(store)
    issued: dict[int, list[int]] = {k: [] for k in range(kiosks)}
    lock = threading.Lock()

    def worker(k: int) -> None:
        path = base / f"k{k}.sqlite"
        q = QueueService(kiosk_config, TicketStore(path), backend=_Down(), now=Clock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ)))
        for i in range(per_thread):
            if i == restart_after:  # the kiosk restarts mid-way: a fresh service over the same file
                q.close()
                q = QueueService(kiosk_config, TicketStore(path), backend=_Down(),
                                 now=Clock(datetime(2026, 11, 23, 10, 0, tzinfo=TZ)))
            t = q.issue("A")
            assert t.offline
            with lock:
                issued[k].append(t.seq)
        q.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(kiosks) for _ in range(threads_per_kiosk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [n for seqs in issued.values() for n in seqs]
    assert len(everything) == len(set(everything)), "a number was issued twice"
    for k, store in enumerate(stores):
        seqs = sorted(issued[k])
        assert len(seqs) == threads_per_kiosk * per_thread
        # Used numbers fill each block from its start, in order: no gaps within a block.
        for start, end, nxt, _src in store.blocks(day, "A"):
            used = [n for n in seqs if start <= n <= end]
            assert used == list(range(start, nxt))
        store.close()


class _Down:
    """A backend that cannot be reached (the real client raises BackendUnavailable the same way)."""

    def issue_ticket(self, *a, **kw):
        from kiosk.backend.client import BackendUnavailable

        raise BackendUnavailable("POST /tickets: ConnectError")

    reserve_ticket_block = issue_ticket


def test_offline_without_a_reserved_block_uses_the_emergency_range(kiosk_config, tmp_path):
    q = service(kiosk_config, TicketStore(tmp_path / "q.sqlite"), backend=_Down())
    t = q.issue("D")
    assert t.offline and t.seq == OFFLINE_BASE and t.number == f"D{OFFLINE_BASE}"


@pytest.mark.slow
@given(
    gaps=st.lists(st.integers(0, 20), min_size=0, max_size=30),
    counters=st.integers(1, 4),
    minutes=st.floats(1, 15),
    probe=st.integers(0, 600),
)
def test_estimate_ahead_is_bounded_and_monotonic(gaps, counters, minutes, probe):
    start = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)
    times, at = [], start
    for g in gaps:
        at += timedelta(minutes=g)
        times.append(at)
    now = start + timedelta(minutes=probe)
    ahead = estimate_ahead(times, now, counters, minutes)
    assert 0 <= ahead <= len(times)
    later = estimate_ahead(times, now + timedelta(minutes=minutes), counters, minutes)
    assert later <= ahead  # time passing never makes the queue longer when nobody joins


def test_people_ahead_and_wait_for_a_busy_morning(kiosk_config, tmp_path):
    clock = Clock(datetime(2026, 11, 23, 8, 0, tzinfo=TZ))
    q = QueueService(kiosk_config, TicketStore(tmp_path / "q.sqlite"), now=clock)
    for _ in range(6):  # six people arrive at 08:00 for one counter (service B)
        q.issue("B")
    t = q.issue("B")
    assert t.people_ahead == 5  # the first is at the counter already
    assert t.wait_minutes == 5 * int(kiosk_config.queue.default_service_minutes)
    p = q.issue("B", "pregnant")
    assert p.people_ahead == 0  # a priority ticket is only behind other priority tickets


@dataclass
class _Identity:
    dob: date

    def age_on(self, day: date) -> int:
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))


def test_elderly_is_suggested_from_the_id_card(kiosk_config, tmp_path):
    q = service(kiosk_config, TicketStore(tmp_path / "q.sqlite"))  # today = 2026-11-23
    assert q.suggested_priority(_Identity(date(1966, 11, 23))) == "elderly"  # 60 today
    assert q.suggested_priority(_Identity(date(1966, 11, 24))) is None  # 60 tomorrow
    assert q.suggested_priority(None) is None
    kiosk_config.queue.priority_age = 70
    assert q.suggested_priority(_Identity(date(1960, 1, 1))) is None


def test_print_outcome_is_recorded(kiosk_config, tmp_path):
    q = service(kiosk_config, TicketStore(tmp_path / "q.sqlite"))
    t = q.issue("A")
    assert q.store.ticket(t.ticket_id)["printed"] is None
    q.record_print(t, False, "paper_out")
    row = q.store.ticket(t.ticket_id)
    assert row["printed"] == 0 and row["print_error"] == "paper_out"


def test_opening_hours(kiosk_config, tmp_path):
    q = service(kiosk_config, TicketStore(tmp_path / "q.sqlite"))
    assert q.is_open("A", datetime(2026, 11, 23, 9, 0, tzinfo=TZ))
    assert not q.is_open("A", datetime(2026, 11, 23, 7, 0, tzinfo=TZ))
    assert not q.is_open("A", datetime(2026, 11, 23, 17, 0, tzinfo=TZ))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.integers(0, 3 * 24 * 3600), min_size=1, max_size=40))
def test_each_local_day_numbers_from_one_without_gaps(kiosk_config, tmp_path_factory, offsets):
    """Random instants over three days (in UTC): per local Hà Nội day the numbers are 1..n in order."""
    start = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
    clock = Clock(start)
    q = QueueService(kiosk_config, TicketStore(tmp_path_factory.mktemp("days") / "q.sqlite"), now=clock)
    per_day: dict[date, list[int]] = {}
    for off in sorted(offsets):
        clock.at = start + timedelta(seconds=off)
        t = q.issue("A")
        assert t.day == clock.at.astimezone(TZ).date()
        per_day.setdefault(t.day, []).append(t.seq)
    for seqs in per_day.values():
        assert seqs == list(range(1, len(seqs) + 1))
    q.close()

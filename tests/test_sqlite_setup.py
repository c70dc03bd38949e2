"""Every SQLite store of the kiosk opens safely when many processes open a fresh file at once.

Switching a file to WAL needs an exclusive lock, and SQLite answers "database is locked" at once
(whatever the busy timeout) when another connection is opening the same fresh file. Each round
below starts processes that wait at a barrier and then open the same new file together.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import stat
import threading
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import api
from kiosk.backend.outbox import Outbox
from kiosk.base.sqlite import connect, prepare
from kiosk.queue.store import TicketStore
from kiosk.queue.tickets import Ticket

PROCESSES = 4
THREADS = 2
ROUNDS = 50  # before the fix, 13 to 24 rounds in 100 had a "database is locked"


def _ticket_store(path: str) -> tuple[Callable[[], None], Callable[[], None]]:
    store = TicketStore(path)

    def write() -> None:
        t = Ticket(number="", service="A", seq=0, day=date(2026, 11, 23), issued_at=datetime(2026, 11, 23, 9, 0),
                   offline=True)
        store.issue_local(t, block_size=100, base=1)

    return write, store.close


def _outbox(path: str) -> tuple[Callable[[], None], Callable[[], None]]:
    box = Outbox(path)

    def write() -> None:
        box.submit_rating(api.RatingIn(level="satisfied", at=datetime(2026, 11, 23, 9, 0)), wait_s=0)

    return write, lambda: None


OPENERS = {"ticket_store": _ticket_store, "outbox": _outbox}


def _child(opener: str, root: str, barrier, errors) -> None:  # type: ignore[no-untyped-def]
    """One process: in every round, wait for the others, open that round's fresh file from
    :data:`THREADS` threads (each its own connection, as a second process would), then write once each."""
    for r in range(ROUNDS):
        path = str(Path(root) / f"round-{r}" / "store.sqlite")
        stores: list[tuple[Callable[[], None], Callable[[], None]]] = []

        def open_one(path: str, stores: list, r: int) -> None:  # type: ignore[type-arg]
            try:
                stores.append(OPENERS[opener](path))
            except Exception:  # noqa: BLE001 — every failure is the finding
                errors.put(f"round {r}: " + traceback.format_exc(limit=4))

        barrier.wait(60)
        threads = [threading.Thread(target=open_one, args=(path, stores, r)) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        barrier.wait(60)  # everyone opened (or failed): now the writes, which must all succeed
        for write, close in stores:
            try:
                write()
                close()
            except Exception:  # noqa: BLE001
                errors.put(f"round {r} (write): " + traceback.format_exc(limit=4))


@pytest.mark.parametrize("opener", sorted(OPENERS))
def test_many_processes_open_a_fresh_file_at_once(opener: str, tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    errors = ctx.Queue()
    barrier = ctx.Barrier(PROCESSES)
    procs = [ctx.Process(target=_child, args=(opener, str(tmp_path), barrier, errors)) for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert not found, f"{len(found)} failed opens, first: {found[0]}"
    assert all(p.exitcode == 0 for p in procs)
    table = "tickets" if opener == "ticket_store" else "items"
    for r in range(ROUNDS):
        with sqlite3.connect(tmp_path / f"round-{r}" / "store.sqlite") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == PROCESSES * THREADS


def test_prepared_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "x.sqlite"
    prepare(path, "CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    db = connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        db.execute("INSERT INTO t VALUES (1)")
    finally:
        db.close()
    for side in ("-wal", "-shm"):
        f = path.with_name(path.name + side)
        if f.exists():
            assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0

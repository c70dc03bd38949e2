"""Several server processes starting at once on one fresh database migrate it once, without errors."""

from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import inspect, text

from server.db import make_engine, migrate


def _migrate(url: str, barrier, queue) -> None:
    try:
        barrier.wait(60)
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        queue.put("")
    except Exception as e:  # noqa: BLE001 — reported to the test
        queue.put(f"{type(e).__name__}: {e}"[:300])


def test_four_processes_migrate_one_fresh_database(db_url: str):
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_migrate, args=(db_url, barrier, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    errors = [e for e in (queue.get(timeout=180) for _ in procs) if e]
    for p in procs:
        p.join(30)
    assert not errors, errors
    engine = make_engine(db_url)
    assert {"tickets", "dossiers", "ratings"} <= set(inspect(engine).get_table_names())
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()

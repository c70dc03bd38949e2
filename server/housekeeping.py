"""Jobs on a timer, on one background thread of the server: temp sweep, unreferenced blobs, retention.

Each job runs at start and then every its own period; a failing job is logged (once per
kind) and tried again next time, never stopping the others or the server. The thread
starts and stops with the app's lifespan.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from server.models import Dossier, DossierEvent, DossierFile, Rating, Sequence, Ticket, TicketBlock

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class Job:
    name: str
    every_s: float
    run: Callable[[], Any]
    due: float = 0.0
    failures: int = field(default=0)


def sweep_tmp(state: Any) -> int:
    return state.files.sweep_tmp(state.settings.tmp_grace_s)


def sweep_blobs(state: Any) -> int:
    """Delete blobs that no dossier file names and nobody touched for ``blob_grace_s`` (crash leftovers)."""
    store, db = state.files, state.db
    limit = time.time() - state.settings.blob_grace_s
    candidates: list[str] = []
    for root, _dirs, names in os.walk(store.root / "blobs"):
        for name in names:
            try:
                if os.stat(os.path.join(root, name)).st_mtime < limit:
                    candidates.append(name)
            except OSError:
                continue

    removed = 0
    for i in range(0, len(candidates), BATCH):
        removed += len(store.drop_unreferenced(candidates[i:i + BATCH], lambda shas: _referenced(db, shas),
                                               timeout_s=5.0))
    return removed


def _referenced(db: Any, shas: set[str]) -> set[str]:
    with db.read() as s:
        return set(s.execute(select(DossierFile.sha256).where(DossierFile.sha256.in_(shas))).scalars())


def _delete_batches(db: Any, model: Any, where: Any, batch: int = 1000) -> int:
    """Delete the rows of ``model`` matching ``where``, ``batch`` per transaction (short write locks)."""
    total = 0
    while True:
        with db.write() as s:
            ids = list(s.execute(select(model.id).where(where).limit(batch)).scalars())
            if ids:
                s.execute(delete(model).where(model.id.in_(ids)))
        total += len(ids)
        if len(ids) < batch:
            return total


def retention(state: Any) -> dict[str, int]:
    """Delete server rows past their configured age (settings ``retention_*_days``); counts per table.

    Tickets, offline blocks and daily sequences go by their local day, ratings by when they
    were received, dossiers (with their files, history and then their blobs) by when they were
    received. 0 days keeps that kind for ever.
    """
    cfg, db, store = state.settings, state.db, state.files
    today = cfg.local_now().date()
    out: dict[str, int] = {}
    if cfg.retention_ticket_days:
        day = today - timedelta(days=cfg.retention_ticket_days)
        out["tickets"] = _delete_batches(db, Ticket, Ticket.day < day)
        out["ticket_blocks"] = _delete_batches(db, TicketBlock, TicketBlock.day < day)
        with db.write() as s:
            out["sequences"] = s.execute(delete(Sequence).where(Sequence.day < day)).rowcount or 0
    if cfg.retention_rating_days:
        since = cfg.now() - timedelta(days=cfg.retention_rating_days)
        out["ratings"] = _delete_batches(db, Rating, Rating.received_at < since)
    if cfg.retention_dossier_days:
        since = cfg.now() - timedelta(days=cfg.retention_dossier_days)
        out["dossiers"] = 0
        while True:
            with db.write() as s:
                ids = list(s.execute(select(Dossier.id).where(Dossier.received_at < since).limit(BATCH)).scalars())
                shas = set(s.execute(select(DossierFile.sha256).where(DossierFile.dossier_id.in_(ids))).scalars())
                for model in (DossierEvent, DossierFile):
                    s.execute(delete(model).where(model.dossier_id.in_(ids)))
                s.execute(delete(Dossier).where(Dossier.id.in_(ids)))
            out["dossiers"] += len(ids)
            if shas:  # the scans go with their dossier, not an hour later
                store.drop_unreferenced(shas, lambda wanted: _referenced(db, wanted), timeout_s=5.0)
            if len(ids) < BATCH:
                break
    return {k: v for k, v in out.items() if v}


class Housekeeping:
    """The timer thread; :meth:`run_due` is the loop's body (tests call it directly)."""

    def __init__(self, jobs: list[Job], tick_s: float) -> None:
        self.jobs, self.tick_s = jobs, tick_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self) -> None:
        now = time.monotonic()
        for job in self.jobs:
            if job.due > now:
                continue
            job.due = now + job.every_s
            try:
                done = job.run()
                if done:
                    log.info("housekeeping %s: %s", job.name, done)
                job.failures = 0
            except Exception as e:  # noqa: BLE001 — a job fails alone and is tried again next period
                job.failures += 1
                log.warning("housekeeping %s failed (%d in a row): %s", job.name, job.failures, type(e).__name__,
                            exc_info=job.failures == 1)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_due()
            self._stop.wait(self.tick_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="server-housekeeping", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)


def build(state: Any) -> Housekeeping:
    """The server's jobs from its settings."""
    cfg = state.settings
    jobs = [
        Job("tmp", cfg.sweep_every_s, lambda: sweep_tmp(state)),
        Job("blobs", cfg.blob_sweep_every_s, lambda: sweep_blobs(state)),
        Job("retention", cfg.retention_every_s, lambda: retention(state)),
    ]
    return Housekeeping(jobs, tick_s=min(j.every_s for j in jobs))

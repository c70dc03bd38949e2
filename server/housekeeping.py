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
from typing import Any

from sqlalchemy import select

from server.models import DossierFile

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

    def referenced(shas: set[str]) -> set[str]:
        with db.read() as s:
            return set(s.execute(select(DossierFile.sha256).where(DossierFile.sha256.in_(shas))).scalars())

    removed = 0
    for i in range(0, len(candidates), BATCH):
        removed += len(store.drop_unreferenced(candidates[i:i + BATCH], referenced, timeout_s=5.0))
    return removed


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
    ]
    return Housekeeping(jobs, tick_s=min(j.every_s for j in jobs))

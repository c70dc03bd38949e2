"""Durable outbox: every dossier and rating is written here before the citizen is told anything.

SQLite in WAL mode with ``synchronous=FULL``: once :meth:`Outbox.submit_dossier` returns,
the item and copies of its files survive ``kill -9`` and power loss. A background sender
delivers items; each item has one idempotency key for its whole life, so a resend after
a crash or a lost answer returns the first receipt instead of creating a second dossier.
An item is marked acknowledged only after the server answered; then its file copies are
deleted. Items the server refuses for good (4xx other than auth/conflict/rate) are kept as
``rejected`` for a technician (``kiosk outbox list`` / ``retry ID``).
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import sqlite3
import threading
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from kiosk.base.blocking import blocking
from kiosk import api
from kiosk.backend.client import BackendClient, BackendRejected, BackendUnavailable
from kiosk.backend.outbox_items import (
    SCHEMA,
    Closing,
    FlushReport,
    OutboxItem,
    SubmitResult,
    copy_durably,
    fsync_dir,
    summary,
)
from kiosk.base.config_schema import KioskConfig
from kiosk.base.sqlite import connect, prepare

log = logging.getLogger(__name__)

# 4xx answers that may well succeed later (token being fixed, rate limit, a concurrent resend).
RETRYABLE_REJECTIONS = frozenset({401, 403, 408, 409, 425, 429})
ORPHAN_AGE_S = 3600.0
KEEP_ACKED_S = 30 * 86400.0  # acknowledged items (receipts only) stay listable this long


class Outbox:
    """``Outbox(path, client)``; :meth:`start` the sender, :meth:`stop` it when the kiosk closes."""

    def __init__(
        self,
        path: str | Path,
        client: BackendClient | None = None,
        *,
        backoff_s: float = 2.0,
        max_backoff_s: float = 60.0,
        poll_s: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self.files_root = self.path.with_name(self.path.stem + "-files")
        self.client = client
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.poll_s = poll_s
        self.files_root.mkdir(parents=True, exist_ok=True)
        prepare(self.path, SCHEMA)  # WAL switch and schema under a file lock (many openers at once)
        self._send_lock = threading.Lock()  # one send at a time per process (flush vs sender thread)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._urgent: deque[str] = deque()
        self._waiters: dict[str, threading.Event] = {}
        self._thread: threading.Thread | None = None
        self._cleanup()

    # ------------------------------------------------------------ storage

    @classmethod
    def for_kiosk(cls, config: KioskConfig, client: BackendClient | None) -> Outbox:
        """The kiosk's outbox in ``<data>/outbox/`` (not started: the caller starts the sender)."""
        return cls(config.data_path("outbox", "outbox.db"), client=client)

    def use_backend(self, client: BackendClient | None) -> None:
        """Send through ``client`` from now on (a technician changed the backend)."""
        self.client = client

    def _db(self) -> Closing:
        """A fresh connection (cheap; safe across threads and processes). Use as a context manager."""
        db = connect(self.path)
        db.row_factory = sqlite3.Row
        return Closing(db)

    def _insert(self, kind: str, payload: str, files: list[dict[str, Any]], item_id: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO items (id, kind, idempotency_key, payload, files, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (item_id, kind, uuid.uuid4().hex, payload, json.dumps(files), time.time()),
            )

    def _row(self, item_id: str) -> sqlite3.Row | None:
        with self._db() as db:
            return db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()

    @staticmethod
    def _item(row: sqlite3.Row) -> OutboxItem:
        payload = json.loads(row["payload"])
        summary = payload.get("procedure_code", "") if row["kind"] == "dossier" else payload.get("level", "")
        return OutboxItem(
            id=row["id"], kind=row["kind"], state=row["state"], attempts=row["attempts"],
            created_at=row["created_at"], next_attempt_at=row["next_attempt_at"], last_error=row["last_error"],
            idempotency_key=row["idempotency_key"], files=json.loads(row["files"]),
            receipt=json.loads(row["receipt"]) if row["receipt"] else None, summary=summary,
        )

    def _cleanup(self) -> None:
        """Forget items acknowledged long ago; delete file copies of acknowledged items and old orphans."""
        with self._db() as db:
            db.execute("DELETE FROM items WHERE state = 'acked' AND acked_at < ?", (time.time() - KEEP_ACKED_S,))
            known = {r["id"]: r["state"] for r in db.execute("SELECT id, state FROM items")}
        now = time.time()
        for d in self.files_root.iterdir():
            state = known.get(d.name)
            if state == "acked" or (state is None and now - d.stat().st_mtime > ORPHAN_AGE_S):
                shutil.rmtree(d, ignore_errors=True)

    # ------------------------------------------------------------ submitting

    @blocking
    def submit_dossier(self, meta: api.DossierIn, files: list[Path], wait_s: float = 0.0) -> SubmitResult:
        """Store the dossier and copies of ``files`` durably, then try to send it for up to ``wait_s``."""
        item_id = uuid.uuid4().hex
        folder = self.files_root / item_id
        folder.mkdir()
        stored: list[dict[str, Any]] = []
        try:
            names: set[str] = set()
            for f in files:
                src = Path(f)
                if src.name in names:
                    raise ValueError(f"two files named {src.name!r} in one dossier")
                names.add(src.name)
                size = copy_durably(src, folder / src.name)
                stored.append({"name": src.name, "size": size})
            fsync_dir(folder)
            fsync_dir(self.files_root)
            self._insert("dossier", meta.model_dump_json(), stored, item_id)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        log.info("outbox: dossier %s stored (%d files)", item_id, len(stored))
        return self._after_insert(item_id, wait_s)

    @blocking
    def submit_rating(self, rating: api.RatingIn, wait_s: float = 0.0) -> SubmitResult:
        """Store a rating durably, then try to send it for up to ``wait_s``."""
        item_id = uuid.uuid4().hex
        self._insert("rating", rating.model_dump_json(), [], item_id)
        return self._after_insert(item_id, wait_s)

    def _after_insert(self, item_id: str, wait_s: float) -> SubmitResult:
        if self.client is None or wait_s <= 0:
            self._urgent.append(item_id)
            self._wake.set()
            return SubmitResult("queued", None, item_id)
        done = threading.Event()
        self._waiters[item_id] = done
        try:
            if self.running:
                self._urgent.append(item_id)
                self._wake.set()
            else:
                threading.Thread(target=self._send_by_id, args=(item_id,), daemon=True).start()
            done.wait(wait_s)
        finally:
            self._waiters.pop(item_id, None)
        row = self._row(item_id)
        if row is not None and row["state"] == "acked":
            return SubmitResult("acknowledged", self._parse_receipt(row), item_id)
        return SubmitResult("queued", None, item_id)

    @staticmethod
    def _parse_receipt(row: sqlite3.Row) -> api.DossierReceipt | api.RatingAck | None:
        if not row["receipt"]:
            return None
        model = api.DossierReceipt if row["kind"] == "dossier" else api.RatingAck
        return model.model_validate_json(row["receipt"])

    # ------------------------------------------------------------ sending

    def _send_by_id(self, item_id: str) -> str:
        row = self._row(item_id)
        if row is None or row["state"] != "pending":
            return row["state"] if row is not None else "missing"
        return self._send(row)

    def _send(self, row: sqlite3.Row) -> str:
        """Deliver one item; returns its new state ('acked', 'pending' after a failure, 'rejected')."""
        assert self.client is not None, "outbox has no backend client"
        with self._send_lock:
            fresh = self._row(row["id"])  # another sender (thread or process) may have finished it
            if fresh is None or fresh["state"] != "pending":
                return fresh["state"] if fresh is not None else "missing"
            row = fresh
            try:
                if row["kind"] == "dossier":  # the metadata goes as stored: serialised once, at submit_dossier
                    folder = self.files_root / row["id"]
                    paths = [folder / f["name"] for f in json.loads(row["files"])]
                    receipt: Any = self.client.submit_dossier(row["payload"], paths, row["idempotency_key"])
                else:
                    rating = api.RatingIn.model_validate_json(row["payload"])
                    receipt = self.client.post_rating(rating, row["idempotency_key"])
            except BackendUnavailable as e:
                self._failed(row, str(e))
                return "pending"
            except OSError as e:  # the local copies are gone: nothing a resend can fix
                self._mark(row["id"], "rejected", f"local files unreadable: {e}")
                return "rejected"
            except BackendRejected as e:
                if e.status in RETRYABLE_REJECTIONS:
                    self._failed(row, f"HTTP {e.status}: {e.detail}")
                    return "pending"
                self._mark(row["id"], "rejected", f"HTTP {e.status}: {e.detail}")
                log.warning("outbox: item %s rejected by the server: HTTP %d %s", row["id"], e.status, e.detail)
                return "rejected"
            self._acked(row, receipt.model_dump_json())
            return "acked"

    def _failed(self, row: sqlite3.Row, error: str) -> None:
        attempts = row["attempts"] + 1
        delay = min(self.max_backoff_s, self.backoff_s * (2 ** (attempts - 1))) * random.uniform(0.5, 1.0)
        with self._db() as db:
            db.execute(
                "UPDATE items SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'",
                (attempts, time.time() + delay, error[:500], row["id"]),
            )
        log.info("outbox: item %s not sent (attempt %d), next in %.0f s: %s", row["id"], attempts, delay, error)

    def _mark(self, item_id: str, state: str, error: str = "") -> None:
        with self._db() as db:
            db.execute("UPDATE items SET state = ?, last_error = ? WHERE id = ?", (state, error[:500], item_id))

    def _acked(self, row: sqlite3.Row, receipt: str) -> None:
        with self._db() as db:  # one transaction, one fsync
            db.execute("BEGIN IMMEDIATE")
            db.execute(  # the citizen's data is the backend's now: keep only what a technician needs
                "UPDATE items SET state = 'acked', receipt = ?, acked_at = ?, attempts = attempts + 1, last_error = '', "
                "payload = ? WHERE id = ?",
                (receipt, time.time(), summary(row["kind"], row["payload"]), row["id"]),
            )
            # The server answers again: whatever was waiting for a backoff may go now.
            db.execute("UPDATE items SET next_attempt_at = 0 WHERE state = 'pending' AND next_attempt_at > 0")
            db.execute("COMMIT")
        shutil.rmtree(self.files_root / row["id"], ignore_errors=True)
        log.info("outbox: item %s acknowledged", row["id"])
        waiter = self._waiters.get(row["id"])
        if waiter is not None:
            waiter.set()

    def _due(self, limit: int = 20) -> list[sqlite3.Row]:
        with self._db() as db:
            return db.execute(
                "SELECT * FROM items WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY created_at LIMIT ?",
                (time.time(), limit),
            ).fetchall()

    def work_once(self) -> int:
        """Send urgent items, then due ones; returns how many were attempted."""
        done = 0
        while self._urgent and not self._stop.is_set():
            state = self._send_by_id(self._urgent.popleft())
            done += 1
            if state == "pending":  # the backend is down: the rest waits for its backoff
                break
        for row in self._due():
            if self._stop.is_set():
                break
            state = self._send(row)
            done += 1
            if state == "pending":
                break
        return done

    def _next_due_in(self) -> float:
        with self._db() as db:
            r = db.execute("SELECT MIN(next_attempt_at) FROM items WHERE state = 'pending'").fetchone()[0]
        return self.poll_s if r is None else max(0.05, min(self.poll_s, r - time.time()))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.work_once()
            except Exception:  # keep the sender alive whatever happens; the item stays pending
                log.exception("outbox sender error")
                busy = 0
            if not busy or not self._urgent:
                self._wake.wait(self._next_due_in() if not busy else 0.0)
            self._wake.clear()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the background sender (needs a client)."""
        if self.client is None or self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def run_forever(self) -> None:
        """Send in the calling thread until stopped (a separate sender process)."""
        self._stop.clear()
        self._run()

    # ------------------------------------------------------------ for technicians

    def items(self, states: tuple[str, ...] = ("pending", "rejected", "acked")) -> list[OutboxItem]:
        marks = ",".join("?" * len(states))
        with self._db() as db:
            rows = db.execute(f"SELECT * FROM items WHERE state IN ({marks}) ORDER BY created_at", states).fetchall()
        return [self._item(r) for r in rows]

    def pending(self) -> list[OutboxItem]:
        """What is not yet acknowledged (waiting or rejected)."""
        return self.items(("pending", "rejected"))

    def stats(self) -> dict[str, Any]:
        """For the technicians' dashboard and the heartbeat: counts and the oldest waiting item's time."""
        with self._db() as db:
            r = db.execute(
                "SELECT SUM(state = 'pending'), SUM(state = 'rejected'), MIN(CASE WHEN state != 'acked' "
                "THEN created_at END) FROM items"
            ).fetchone()
        return {"pending": r[0] or 0, "rejected": r[1] or 0, "oldest_created_at": r[2]}

    def count_pending(self) -> int:
        with self._db() as db:
            return db.execute("SELECT COUNT(*) FROM items WHERE state != 'acked'").fetchone()[0]

    def flush(self) -> FlushReport:
        """Try every waiting item once now, ignoring backoff (``kiosk outbox flush``)."""
        report = FlushReport()
        with self._db() as db:
            rows = db.execute("SELECT * FROM items WHERE state = 'pending' ORDER BY created_at").fetchall()
        for row in rows:
            state = self._send(row)
            if state == "acked":
                report.sent += 1
            elif state == "rejected":
                report.rejected += 1
            elif state == "pending":
                report.failed += 1
        with self._db() as db:
            report.remaining = db.execute("SELECT COUNT(*) FROM items WHERE state = 'pending'").fetchone()[0]
        return report

    def retry(self, item_id: str) -> bool:
        """Put a rejected (or waiting) item back in line at once; False if unknown or already acknowledged."""
        with self._db() as db:
            n = db.execute(
                "UPDATE items SET state = 'pending', next_attempt_at = 0 WHERE id = ? AND state != 'acked'", (item_id,)
            ).rowcount
        if n:
            self._urgent.append(item_id)
            self._wake.set()
        return bool(n)

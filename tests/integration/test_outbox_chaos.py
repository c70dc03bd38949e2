"""Chaos: 200 dossiers while the kiosk's sender is SIGKILLed at random moments and the server restarts twice.

The server must end with exactly 200 dossiers, each once, each file byte-identical (same SHA-256),
the outbox empty and, once the kiosk starts again, no file copy left.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers.ports import free_port

from kiosk.backend.outbox import Outbox
from server.testing import DEFAULT_UNIT, sample_pdf

from .conftest import make_meta

# A real server process takes only strong kiosk tokens (32 random bytes; issue 13).
TOKEN = "Zq3vXo0dYk8G5bNfT2wHj7LmRcP1sUaE9yKiV4xQ6_-"
from .test_outbox_faults import wait_for

ROOT = Path(__file__).resolve().parents[2]
N = 200


class Proc:
    """A restartable child process."""

    def __init__(self, cmd: list[str], env: dict[str, str], log: Path) -> None:
        self.cmd, self.env, self.log = cmd, env, log
        self.p: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.p = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.p is not None and self.p.poll() is None:
            self.p.send_signal(sig)
            self.p.wait(10)


def _server_up(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url}/health", timeout=0.5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow
def test_200_dossiers_survive_sigkilled_senders_and_server_restarts(tmp_path: Path):
    rng = random.Random(4)
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/v1"
    env = dict(os.environ, KIOSK_SERVER_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
    server_db = tmp_path / "server.db"
    server = Proc([sys.executable, "-m", "server.main", "--db", f"sqlite:///{server_db}", "--port", str(port),
                   "--files", str(tmp_path / "server-files"), "--catalog", str(tmp_path / "no-catalog"),
                   "--kiosk", "KIOSK-01", "--unit", DEFAULT_UNIT], env, tmp_path / "server.log")
    box_path = tmp_path / "kiosk" / "outbox.db"
    box = Outbox(box_path)  # this process only writes; the sender is a separate process
    sender = Proc([sys.executable, str(ROOT / "tests" / "integration" / "chaos_sender.py"), str(box_path), url, TOKEN,
                   "KIOSK-01"], env, tmp_path / "sender.log")
    server.start()
    assert wait_for(lambda: _server_up(url), 60), (tmp_path / "server.log").read_text()
    sender.start()

    kills = 0
    stop = threading.Event()

    def chaos() -> None:
        nonlocal kills
        while not stop.wait(rng.uniform(0.2, 1.2)):
            sender.kill()
            kills += 1
            sender.start()

    killer = threading.Thread(target=chaos, daemon=True)
    killer.start()
    expected: dict[int, list[str]] = {}
    src = tmp_path / "src"
    src.mkdir()
    try:
        for i in range(N):
            names = []
            for j in range(rng.choice([1, 2])):
                name = f"d{i}-{j}.pdf"
                (src / name).write_bytes(sample_pdf(rng.randbytes(rng.randint(1_000, 40_000))))
                names.append(name)
            expected[i] = sorted(hashlib.sha256((src / n).read_bytes()).hexdigest() for n in names)
            meta = make_meta(files=names).model_copy(update={"form": {"n": i}})
            assert box.submit_dossier(meta, [src / n for n in names], wait_s=0).status == "queued"
            if i in (N // 3, 2 * N // 3):  # restart the server twice: once killed hard, once stopped cleanly
                server.kill(signal.SIGKILL if i == N // 3 else signal.SIGTERM)
                time.sleep(rng.uniform(0.2, 1.0))
                server.start()
                assert wait_for(lambda: _server_up(url), 60)
        time.sleep(1.0)
    finally:
        stop.set()
        killer.join(10)
    try:
        assert wait_for(lambda: box.count_pending() == 0, 150), f"{box.count_pending()} still pending"
    finally:
        sender.kill()
        server.kill(signal.SIGTERM)
    assert kills >= 5

    with sqlite3.connect(server_db) as db:
        rows = db.execute("SELECT id, code, idempotency_key, json_extract(meta, '$.form.n') FROM dossiers").fetchall()
        files = db.execute("SELECT dossier_id, sha256 FROM dossier_files").fetchall()
    assert len(rows) == N
    assert sorted(r[3] for r in rows) == list(range(N))  # each dossier exactly once
    assert len({r[1] for r in rows}) == N and len({r[2] for r in rows}) == N
    keys = {i.idempotency_key for i in box.items()}
    assert {r[2] for r in rows} == keys
    by_dossier: dict[int, list[str]] = {}
    for dossier_id, sha in files:
        by_dossier.setdefault(dossier_id, []).append(sha)
    for dossier_id, code, _, n in rows:
        assert sorted(by_dossier[dossier_id]) == expected[n], code
        for sha in by_dossier[dossier_id]:
            blob = tmp_path / "server-files" / "blobs" / sha[:2] / sha
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha
    # a sender killed between "acknowledged" and deleting the copies leaves them to the next start
    assert not list(Outbox(box_path).files_root.iterdir())

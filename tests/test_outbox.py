"""The outbox on its own: durable before anything is said, one key per item, rejected items kept, the CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from kiosk import api
from kiosk.backend.client import BackendClient
from kiosk.backend.outbox import Outbox
from kiosk.cli.main import main as kiosk_main
from server.testing import ServerThread, sample_pdf

TOKEN = "token-for-outbox-tests"
UNIT = "000.00.01.H22"
PDF = sample_pdf()  # a real PDF: the server parses what it receives


def _meta(files: list[str], kiosk_id: str = "KIOSK-01") -> api.DossierIn:
    return api.DossierIn(receiving_unit_id=UNIT, kiosk_id=kiosk_id, procedure_code="2.000815",
                         procedure_name="Chứng thực bản sao từ bản chính",
                         applicant=api.Applicant(full_name="Trần Thị Bình"), rule=api.ProcessingRule(),
                         documents=[api.DocumentIn(key="ban_chinh", name="Bản chính", files=files)])


def test_an_item_is_on_disk_with_its_files_before_submit_returns(tmp_path: Path):
    src = tmp_path / "ban-sao.pdf"
    src.write_bytes(PDF)
    box = Outbox(tmp_path / "ob" / "outbox.db")
    r = box.submit_dossier(_meta(["ban-sao.pdf"]), [src], wait_s=0)
    assert r.status == "queued" and r.receipt is None
    src.unlink()  # the visit is wiped: the outbox has its own copy
    # a new process opening the same file sees the item, its key and its file copy
    with sqlite3.connect(tmp_path / "ob" / "outbox.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        state, key = db.execute("SELECT state, idempotency_key FROM items WHERE id = ?", (r.item_id,)).fetchone()
    assert state == "pending" and len(key) == 32
    again = Outbox(tmp_path / "ob" / "outbox.db")
    assert [i.id for i in again.pending()] == [r.item_id]
    stats = again.stats()
    assert (stats["pending"], stats["rejected"]) == (1, 0) and stats["oldest_created_at"] <= time.time()
    assert (again.files_root / r.item_id / "ban-sao.pdf").read_bytes() == PDF


def test_key_is_kept_across_attempts_and_restarts(tmp_path: Path):
    path = tmp_path / "outbox.db"
    box = Outbox(path, BackendClient("http://127.0.0.1:9/api/v1", TOKEN, "KIOSK-01", timeout_s=0.5, retries=0),
                 backoff_s=0.01)
    r = box.submit_rating(api.RatingIn(level="satisfied", at=datetime.now(timezone.utc)), wait_s=0)
    key = box.pending()[0].idempotency_key
    for _ in range(3):
        box.flush()
    box.client.close()
    item = Outbox(path).pending()[0]
    assert item.id == r.item_id and item.attempts == 3 and item.idempotency_key == key


def test_refused_items_are_kept_for_a_technician_and_can_be_retried(tmp_path: Path):
    with ServerThread(tmp_path / "srv", kiosks=[("KIOSK-01", TOKEN, UNIT)]) as srv:
        client = BackendClient(srv.url, TOKEN, "KIOSK-01", retries=0)
        box = Outbox(tmp_path / "ob" / "outbox.db", client)
        bad = tmp_path / "scan.pdf"
        bad.write_bytes(b"GIF89a not a pdf")
        r = box.submit_dossier(_meta(["scan.pdf"]), [bad], wait_s=5)
        assert r.status == "queued"
        [item] = box.pending()
        assert item.state == "rejected" and "415" in item.last_error
        assert box.stats()["rejected"] == 1
        assert box.flush().sent == 0  # rejected items are not resent on their own
        # a technician replaces the file copy and retries it
        (box.files_root / r.item_id / "scan.pdf").write_bytes(PDF)
        assert box.retry(r.item_id)
        assert box._send_by_id(r.item_id) == "acked"
        assert box.pending() == [] and not (box.files_root / r.item_id).exists()
        with sqlite3.connect(box.path) as db:  # no personal data kept once the backend has it
            payload = db.execute("SELECT payload FROM items WHERE id = ?", (r.item_id,)).fetchone()[0]
        assert json.loads(payload) == {"procedure_code": "2.000815"} and "Bình" not in payload
        assert not box.retry(r.item_id)
        client.close()


def test_cli_lists_flushes_and_retries(tmp_path: Path, kiosk_config, capsys, monkeypatch):
    from kiosk.base.config import save_config

    with ServerThread(tmp_path / "srv", kiosks=[("KIOSK-01", TOKEN, UNIT)]) as srv:
        kiosk_config.backend.url = srv.url
        kiosk_config.backend.token = TOKEN
        cfg_file = tmp_path / "kiosk.toml"
        save_config(kiosk_config, cfg_file)
        box = Outbox(kiosk_config.data_path("outbox", "outbox.db"))
        src = tmp_path / "a.pdf"
        src.write_bytes(PDF)
        box.submit_dossier(_meta(["a.pdf"]), [src], wait_s=0)
        box.submit_rating(api.RatingIn(level="unsatisfied", reasons=["wait"], at=datetime.now(timezone.utc)))
        assert kiosk_main(["--config", str(cfg_file), "outbox", "list", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [i["kind"] for i in listed] == ["dossier", "rating"] and {i["state"] for i in listed} == {"pending"}
        assert kiosk_main(["--config", str(cfg_file), "outbox", "flush", "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"sent": 2, "failed": 0, "rejected": 0, "remaining": 0}
        assert kiosk_main(["--config", str(cfg_file), "outbox", "list"]) == 0
        assert capsys.readouterr().out == ""
        assert kiosk_main(["--config", str(cfg_file), "outbox", "retry", "no-such-id"]) == 1
        assert kiosk_main(["--config", str(cfg_file), "outbox", "retry"]) == 2
    shutil.rmtree(tmp_path / "srv", ignore_errors=True)

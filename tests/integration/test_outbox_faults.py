"""Server down, 500s, lost answers, a slow server, a TLS error: the kiosk keeps accepting, nothing is lost
or doubled, and the outbox drains when the server is back."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk import api
from kiosk.backend.client import BackendClient
from kiosk.backend.outbox import Outbox
from server.models import Dossier, Rating
from server.testing import Faults, ServerThread

from .conftest import KIOSKS, PDF, PNG, TOKEN, make_meta


def wait_for(pred: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def _box(path: Path, url: str, **client_kw) -> Outbox:
    kw = {"timeout_s": 2, "retries": 0} | client_kw
    return Outbox(path, BackendClient(url, TOKEN, "KIOSK-01", **kw), backoff_s=0.05, max_backoff_s=0.3, poll_s=0.2)


def _files(tmp_path: Path) -> list[Path]:
    (tmp_path / "to-khai.pdf").write_bytes(PDF)
    (tmp_path / "anh.png").write_bytes(PNG)
    return [tmp_path / "to-khai.pdf", tmp_path / "anh.png"]


def _count(server: ServerThread, model) -> int:
    with server.app.state.sessions() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_server_down_then_back_drains_everything_once(tmp_path: Path, closed_port):
    box = _box(tmp_path / "kiosk" / "outbox.db", closed_port.url)
    box.start()
    try:
        files = _files(tmp_path)
        results = [box.submit_dossier(make_meta(files=[f.name for f in files]), files, wait_s=0.3) for _ in range(3)]
        results.append(box.submit_rating(api.RatingIn(level="satisfied", at=datetime.now(timezone.utc)), wait_s=0.3))
        assert [r.status for r in results] == ["queued"] * 4 and all(r.receipt is None for r in results)
        assert box.count_pending() == 4
        assert all(i.last_error for i in box.pending() if i.attempts)
        with ServerThread(tmp_path / "srv", kiosks=KIOSKS, port=closed_port.release()) as srv:
            assert wait_for(lambda: box.count_pending() == 0)
            assert _count(srv, Dossier) == 3 and _count(srv, Rating) == 1
        codes = {i.receipt["code"] for i in box.items() if i.kind == "dossier"}
        assert len(codes) == 3
        assert not list(box.files_root.iterdir())  # local copies deleted once acknowledged
    finally:
        box.stop()


@pytest.mark.parametrize("mode", ["error", "error_after", "slow"])
def test_500s_lost_answers_and_a_slow_server_create_each_dossier_once(tmp_path: Path, mode: str):
    faults = Faults()
    with ServerThread(tmp_path / "srv", kiosks=KIOSKS, faults=faults) as srv:
        box = _box(tmp_path / "kiosk" / "outbox.db", srv.url, timeout_s=0.5)
        faults.set(mode, count=3, path="/dossiers", delay_s=1.5)
        box.start()
        try:
            files = _files(tmp_path)
            first = box.submit_dossier(make_meta(files=[f.name for f in files]), files, wait_s=0.2)
            assert first.status == "queued"
            second = box.submit_dossier(make_meta(files=[f.name for f in files]), files, wait_s=0)
            assert wait_for(lambda: box.count_pending() == 0)
            assert faults.hits == 3
            assert _count(srv, Dossier) == 2  # the answers were lost, never the dossiers doubled
            items = {i.id: i for i in box.items()}
            assert items[first.item_id].receipt["code"] != items[second.item_id].receipt["code"]
        finally:
            box.stop()


def test_acknowledged_at_once_when_the_server_answers(tmp_path: Path):
    with ServerThread(tmp_path / "srv", kiosks=KIOSKS) as srv:
        box = _box(tmp_path / "kiosk" / "outbox.db", srv.url)
        box.start()
        try:
            files = _files(tmp_path)
            r = box.submit_dossier(make_meta(files=[f.name for f in files]), files, wait_s=10)
            assert r.status == "acknowledged" and api.DOSSIER_CODE_RE.match(r.receipt.code)
            assert not (box.files_root / r.item_id).exists()
            assert files[0].exists()  # the caller's own files are the visit's to wipe
        finally:
            box.stop()


def _self_signed(tmp_path: Path) -> tuple[str, str]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return str(cert), str(key)


def test_tls_error_keeps_items_until_the_ca_is_configured(tmp_path: Path):
    cert, key = _self_signed(tmp_path)
    with ServerThread(tmp_path / "srv", kiosks=KIOSKS, ssl_certfile=cert, ssl_keyfile=key) as srv:
        assert srv.url.startswith("https://")
        path = tmp_path / "kiosk" / "outbox.db"
        box = _box(path, srv.url)  # verification on, the department's CA unknown → TLS error
        files = _files(tmp_path)
        r = box.submit_dossier(make_meta(files=[f.name for f in files]), files, wait_s=2)
        assert r.status == "queued"
        assert wait_for(lambda: box.pending()[0].attempts >= 1)
        assert "CERTIFICATE" in box.pending()[0].last_error.upper()
        box.client.close()
        fixed = _box(path, srv.url, ca_file=cert)  # the technician sets [backend] ca_file
        report = fixed.flush()
        assert (report.sent, report.remaining) == (1, 0) and _count(srv, Dossier) == 1

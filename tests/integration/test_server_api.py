"""The real client against the real server on loopback (SQLite and PostgreSQL): the happy paths."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from kiosk import api
from kiosk.backend.client import BackendClient, BackendRejected
from server.models import Dossier, Rating
from server.testing import DEFAULT_UNIT

from .conftest import OTHER_TOKEN, PDF, PNG, TOKEN, make_meta

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _count(server, model) -> int:
    with server.app.state.sessions() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_submit_look_up_and_rate_a_dossier(client: BackendClient, server, tmp_path: Path):
    (tmp_path / "to-khai.pdf").write_bytes(PDF)
    (tmp_path / "giay-chung-sinh.png").write_bytes(PNG)
    files = [tmp_path / "to-khai.pdf", tmp_path / "giay-chung-sinh.png"]
    meta = make_meta(files=["to-khai.pdf", "giay-chung-sinh.png"])
    receipt = client.submit_dossier(meta, files, "dossier-key-0001")

    m = api.DOSSIER_CODE_RE.match(receipt.code)
    assert m and m["unit"] == DEFAULT_UNIT and m["seq"] == "0001"
    assert m["day"] == receipt.received_at.astimezone(VN).strftime("%y%m%d")
    assert len(receipt.secret) == api.SECRET_LENGTH and set(receipt.secret) <= set(api.SECRET_ALPHABET)
    assert receipt.appointment_at > receipt.received_at
    assert [(f.name, f.sha256, f.content_type) for f in receipt.files] == [
        ("to-khai.pdf", hashlib.sha256(PDF).hexdigest(), "application/pdf"),
        ("giay-chung-sinh.png", hashlib.sha256(PNG).hexdigest(), "image/png"),
    ]
    blob = server.app.state.files.blob_path(receipt.files[0].sha256)
    assert blob.read_bytes() == PDF

    status = client.dossier_status(receipt.code, receipt.secret.lower())
    assert status.status == "received" and status.procedure_name == "Đăng ký khai sinh"
    assert status.status_vi and [e.status for e in status.history] == ["received"]
    with pytest.raises(BackendRejected) as e:
        client.dossier_status(receipt.code, "WRONG1")
    assert e.value.status == 404
    with pytest.raises(BackendRejected):
        client.dossier_status(receipt.code.replace("0001", "0002"), receipt.secret)

    ack = client.post_rating(api.RatingIn(level="unsatisfied", reasons=["wait"], text="Chờ lâu",
                                          dossier_code=receipt.code, procedure_code="1.001193", counter=1,
                                          at=datetime.now(timezone.utc)), "rating-key-0001")
    assert ack.id >= 1 and _count(server, Rating) == 1


def test_same_idempotency_key_returns_the_first_receipt(client: BackendClient, server, tmp_path: Path):
    (tmp_path / "a.pdf").write_bytes(PDF)
    meta = make_meta(files=["a.pdf"])
    first = client.submit_dossier(meta, [tmp_path / "a.pdf"], "same-key-000001")
    again = client.submit_dossier(meta, [tmp_path / "a.pdf"], "same-key-000001")
    assert again == first
    other = client.submit_dossier(meta, [tmp_path / "a.pdf"], "other-key-00001")
    assert other.code != first.code and other.code.endswith("-0002")
    assert _count(server, Dossier) == 2


def _issue_many(url: str, token: str, kiosk: str, n: int) -> list[str]:
    with BackendClient(url, token, kiosk, timeout_s=30, retries=3) as c:
        return [c.issue_ticket("A", "elderly" if i % 5 == 0 else None).number for i in range(n)]


def test_tickets_from_8_threads_have_no_duplicates_or_gaps(server):
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(_issue_many, server.url, TOKEN if i % 2 else OTHER_TOKEN,
                               "KIOSK-01" if i % 2 else "KIOSK-02", 15) for i in range(8)]
        numbers = [n for f in futures for n in f.result()]
    assert len(numbers) == len(set(numbers)) == 120
    assert sorted(numbers) == [api.ticket_number("A", i) for i in range(1, 121)]


def test_tickets_from_8_processes_have_no_duplicates(server):
    ctx = mp.get_context("spawn")
    with ctx.Pool(8) as pool:
        results = pool.starmap(_issue_many, [(server.url, TOKEN, "KIOSK-01", 10)] * 8)
    numbers = [n for r in results for n in r]
    assert len(set(numbers)) == 80 and sorted(numbers) == [api.ticket_number("A", i) for i in range(1, 81)]


def test_blocks_never_collide_with_server_numbers(client: BackendClient, server):
    first = client.issue_ticket("B")
    block = client.reserve_ticket_block("B", 10)
    after = client.issue_ticket("B")
    assert (first.seq, block.start, block.end, after.seq) == (1, 2, 11, 12)
    assert block.kiosk_id == "KIOSK-01"
    offline = client.issue_ticket("B", seq=5, issued_at=datetime.now(timezone.utc))
    assert offline.number == "B005"
    assert client.issue_ticket("B", seq=5).number == "B005"  # resent: the same ticket, not a second one
    with pytest.raises(BackendRejected) as e:
        client.issue_ticket("B", seq=12)  # not in this kiosk's block
    assert e.value.status == 409
    with BackendClient(server.url, OTHER_TOKEN, "KIOSK-02", retries=0) as other:
        with pytest.raises(BackendRejected):
            other.issue_ticket("B", seq=6)  # another kiosk's block


def test_sequences_restart_at_local_midnight(client: BackendClient, server, clock, tmp_path: Path):
    clock.set(datetime(2026, 3, 2, 16, 50, tzinfo=timezone.utc))  # 23:50 in Hà Nội
    (tmp_path / "a.pdf").write_bytes(PDF)
    assert client.issue_ticket("A").number == "A001"
    assert client.issue_ticket("A").number == "A002"
    d1 = client.submit_dossier(make_meta(files=["a.pdf"]), [tmp_path / "a.pdf"], "midnight-key-01")
    assert d1.code == f"{DEFAULT_UNIT}-260302-0001"
    clock.shift(minutes=15)  # 00:05 on 3 March local, still 2 March in UTC
    t = client.issue_ticket("A")
    assert (t.number, t.day.isoformat()) == ("A001", "2026-03-03")
    d2 = client.submit_dossier(make_meta(files=["a.pdf"]), [tmp_path / "a.pdf"], "midnight-key-02")
    assert d2.code == f"{DEFAULT_UNIT}-260303-0001"


def test_counter_calls_priority_first_but_at_most_n_in_a_row(client: BackendClient, server):
    for prio in ["elderly", "pregnant", "elderly", None, None, "disabled"]:
        client.issue_ticket("C", prio)
    order = []
    with BackendClient(server.url, server.add_officer("can-bo-4"), "counter-4", retries=0) as desk:  # an officer
        while (t := desk.call_next(4, ["C"])) is not None:
            order.append((t.number, t.priority is not None))
        # at most 2 priority calls in a row while ordinary tickets wait; then priority goes on
        assert [n for n, _ in order] == ["C001", "C002", "C004", "C003", "C006", "C005"]
        assert desk.call_next(4, ["C"]) is None


def test_heartbeat_and_procedures(client: BackendClient, server):
    ack = client.heartbeat("KIOSK-01", {"outbox_pending": 3, "printer": "ok"})
    assert ack.kiosk_id == "KIOSK-01"
    with pytest.raises(BackendRejected) as e:
        client.heartbeat("KIOSK-02", {})
    assert e.value.status == 403
    out = client.procedures()  # served from config/procedures through kiosk.declarations.catalog
    assert "1.001193" in {p["code"] for p in out.procedures} and out.version
    r = httpx.get(f"{server.url}/procedures", headers={"Authorization": f"Bearer {TOKEN}",
                                                       "If-None-Match": f'"{out.version}"'})
    assert r.status_code == 304
    assert client.ping() > 0

"""The officer's dossier desk over HTTP: every (from, to) pair against the real server, the history with
the officer, what the kiosk's lookup shows, the supplement clock, the apology slip, department scope."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta, timezone
from itertools import product

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kiosk.declarations.workdays import DEFAULT_CALENDAR
from server import dossier_flow as flow
from server.models import Dossier

from .conftest import OTHER_UNIT, PDF, make_meta

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _submit(client, tmp_path, working_days: int = 3):
    f = tmp_path / f"to-khai-{uuid.uuid4().hex[:6]}.pdf"
    f.write_bytes(PDF)
    return client.submit_dossier(make_meta(files=[f.name], working_days=working_days), [f], uuid.uuid4().hex)


def _desk(server, bearer: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {bearer}"}, timeout=10)


def _force(server, code: str, status: str) -> None:
    with server.app.state.sessions() as s:
        s.execute(select(Dossier).where(Dossier.code == code)).scalar_one().status = status
        s.commit()


@SQLITE
def test_every_transition_pair_is_enforced_by_the_server(server, client, tmp_path):
    receipt = _submit(client, tmp_path)
    with _desk(server, server.add_officer("can-bo-1")) as desk:
        for frm, to in product(flow.STATUSES, flow.STATUSES):
            _force(server, receipt.code, frm)
            r = desk.post(f"/desk/dossiers/{receipt.code}/status", json={"status": to, "note": "ghi chú"})
            if to in flow.TRANSITIONS[frm]:
                assert r.status_code == 200, (frm, to, r.text)
                assert r.json()["status"] == to
            else:
                assert r.status_code == 409, (frm, to, r.status_code)
                assert r.json()["detail"].startswith(("Không thể chuyển hồ sơ", "Hồ sơ đã ở trạng thái")), (frm, to)


def test_each_step_is_in_the_history_with_its_officer_and_the_kiosk_sees_it(server, client, tmp_path):
    receipt = _submit(client, tmp_path)
    steps = [("accepted", "Đủ giấy tờ"), ("processing", "Chuyển phòng Tư pháp"), ("releasing", ""), ("done", "")]
    with _desk(server, server.add_officer("can-bo-1", full_name="Trần Thị Bình")) as desk:
        for status, note in steps:
            r = desk.post(f"/desk/dossiers/{receipt.code}/status", json={"status": status, "note": note})
            assert r.status_code == 200, r.text
            seen = client.dossier_status(receipt.code, receipt.secret)
            assert seen.status == status and seen.status_vi
            assert seen.due_at == receipt.appointment_at and seen.history[-1].note == note
        out = desk.get(f"/desk/dossiers/{receipt.code}").json()
    got = [(h["from_status"], h["status"], h["note"], h["officer"]) for h in out["history"]]
    assert got[0][:2] == (None, "received") and got[0][3] == ""  # the kiosk's own first event
    assert got[1:] == [("received", "accepted", "Đủ giấy tờ", "Trần Thị Bình"),
                       ("accepted", "processing", "Chuyển phòng Tư pháp", "Trần Thị Bình"),
                       ("processing", "releasing", "", "Trần Thị Bình"), ("releasing", "done", "", "Trần Thị Bình")]
    assert out["result_at"] is not None and out["allowed"] == []
    assert out["meta"]["applicant"]["full_name"] == "Nguyễn Văn An" and out["files"][0]["no"] == 1


def test_a_supplement_request_reaches_the_kiosk_and_the_papers_restart_the_clock(server, client, clock, tmp_path):
    # A fixed working morning (Thu 03/12/2026 09:00 in Hanoi): what a wall-clock start gave depended on the hour
    # and the weekday the papers came back on (failed at 14:44, papers on a Sunday).
    clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc))
    receipt = _submit(client, tmp_path)
    with _desk(server, server.add_officer("can-bo-1")) as desk:
        r = desk.post(f"/desk/dossiers/{receipt.code}/status", json={"status": "waiting", "note": ""})
        assert r.status_code == 422 and r.json()["detail"] == "Ghi rõ giấy tờ cần bổ sung."
        desk.post(f"/desk/dossiers/{receipt.code}/status",
                  json={"status": "waiting", "note": "Thiếu giấy xác nhận cư trú"}).raise_for_status()
        seen = client.dossier_status(receipt.code, receipt.secret)
        assert seen.status == "waiting" and seen.supplement_note == "Thiếu giấy xác nhận cư trú"
        assert seen.status_vi == "Cần bổ sung giấy tờ"
        clock.shift(days=12)  # the papers come on Tue 15/12, twelve days later: the clock stopped meanwhile
        desk.headers["Authorization"] = f"Bearer {server.officer_bearer('can-bo-1')}"
        assert not client.dossier_status(receipt.code, receipt.secret).overdue
        desk.post(f"/desk/dossiers/{receipt.code}/status",
                  json={"status": "received", "note": "Đã bổ sung"}).raise_for_status()
    seen = client.dossier_status(receipt.code, receipt.secret)
    assert seen.status == "received" and seen.supplement_note == ""
    assert seen.appointment_at > receipt.appointment_at + timedelta(days=9)  # three working days from the papers
    assert not seen.overdue


def test_an_overdue_dossier_gets_an_apology_slip_and_the_kiosk_shows_the_new_date(server, client, clock, tmp_path):
    receipt = _submit(client, tmp_path, working_days=2)
    reason = "Phải xác minh thông tin với xã khác"
    with _desk(server, server.add_officer("can-bo-1", full_name="Lê Văn Cường")) as desk:
        url = f"/desk/dossiers/{receipt.code}"
        desk.post(f"{url}/status", json={"status": "accepted"}).raise_for_status()
        early = desk.post(f"{url}/apology", json={"reason": reason, "new_date": "2099-01-05"})
        assert early.status_code == 409 and "chưa quá hạn" in early.json()["detail"]
        clock.shift(days=20)
        desk.headers["Authorization"] = f"Bearer {server.officer_bearer('can-bo-1')}"
        assert [d["code"] for d in desk.get("/desk/dossiers", params={"overdue": True}).json()] == [receipt.code]
        today = clock().astimezone(server.settings.tz).date()
        assert desk.post(f"{url}/apology", json={"reason": reason, "new_date": today.isoformat()}).status_code == 422
        new_day = DEFAULT_CALENDAR.next_working_day(DEFAULT_CALENDAR.next_working_day(today))
        r = desk.post(f"{url}/apology", json={"reason": reason, "new_date": new_day.isoformat()})
        assert r.status_code == 200, r.text
        assert r.json()["history"][-1]["kind"] == "apology" and r.json()["history"][-1]["officer"] == "Lê Văn Cường"
        pdf = desk.get(f"{url}/apology.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert reason in text and f"{new_day:%d/%m/%Y}" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and receipt.code in text
    seen = client.dossier_status(receipt.code, receipt.secret)
    assert seen.new_appointment_at is not None and seen.new_appointment_at.date() == new_day
    assert seen.due_at == seen.new_appointment_at and seen.apology_reason == reason and not seen.overdue


@SQLITE
def test_the_desk_lists_filters_and_serves_the_files(server, client, tmp_path):
    first, second = _submit(client, tmp_path), _submit(client, tmp_path)
    with _desk(server, server.add_officer("can-bo-1")) as desk:
        desk.post(f"/desk/dossiers/{first.code}/status", json={"status": "accepted"}).raise_for_status()
        assert [d["code"] for d in desk.get("/desk/dossiers").json()] == [second.code, first.code]
        assert [d["code"] for d in desk.get("/desk/dossiers", params={"status": "accepted"}).json()] == [first.code]
        assert len(desk.get("/desk/dossiers", params={"q": "nguyen van"}).json()) == 2  # accents optional
        assert desk.get("/desk/dossiers", params={"q": "Trần"}).json() == []
        assert [d["code"] for d in desk.get("/desk/dossiers", params={"q": second.code[-11:]}).json()] == [second.code]
        assert desk.get("/desk/dossiers", params={"to": "9999-12-31"}).status_code == 422  # not a 500 from the shift
        inline = desk.get(f"/desk/dossiers/{first.code}/files/1")
        download = desk.get(f"/desk/dossiers/{first.code}/files/1", params={"download": True})
        assert desk.get(f"/desk/dossiers/{first.code}/files/2").status_code == 404
    assert inline.content == PDF and inline.headers["content-disposition"].startswith("inline")
    assert download.headers["content-disposition"].startswith("attachment")


@SQLITE
def test_another_departments_officer_sees_nothing(server, client, tmp_path):
    receipt = _submit(client, tmp_path)
    with _desk(server, server.add_officer("xa-khac", unit=OTHER_UNIT)) as other:
        assert other.get(f"/desk/dossiers/{receipt.code}").status_code == 404
        assert other.post(f"/desk/dossiers/{receipt.code}/status", json={"status": "accepted"}).status_code == 404
        assert other.get("/desk/dossiers").json() == []


@SQLITE
def test_the_receipt_printed_again_holds_the_code_the_date_and_the_tracking_qr(server, client, tmp_path):
    import zxingcpp

    from kiosk.aftercare.tracking import parse_payload

    receipt = _submit(client, tmp_path)
    with _desk(server, server.add_officer("can-bo-1", full_name="Lê Văn Cường")) as desk:
        r = desk.get(f"/desk/dossiers/{receipt.code}/receipt.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    page = PdfReader(io.BytesIO(r.content)).pages[0]
    text = " ".join(page.extract_text().split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and receipt.code in text and receipt.secret in text
    assert f"{receipt.appointment_at:%d/%m/%Y}" in text and "Tờ khai đăng ký khai sinh (bản sao, 1 bản)" in text
    [qr] = [c.text for img in page.images for c in zxingcpp.read_barcodes(img.image.convert("L"))]
    assert parse_payload(qr) == parse_payload(f"{receipt.code}|{receipt.secret}")

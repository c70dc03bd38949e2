"""Tracking against the real reference server over HTTP: found, wrong secret, other status, offline."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from kiosk import api
from kiosk.aftercare.tracking import TrackingError, TrackingService, format_payload
from kiosk.backend.client import BackendClient
from server.models import Dossier, DossierEvent
from server.testing import ServerThread

UNIT = "000.00.01.H22"


def submit_sample_dossier(client: BackendClient) -> api.DossierReceipt:
    """A dossier received by the server (invented applicant), as the submit journey would send it."""
    meta = api.DossierIn(
        receiving_unit_id=UNIT, kiosk_id="KIOSK-01", procedure_code="1.004222",
        procedure_name="Đăng ký thường trú", applicant=api.Applicant(full_name="Nguyễn Văn An"),
        rule=api.ProcessingRule(working_days=7),
    )
    return client.submit_dossier(meta, [], uuid.uuid4().hex)


def set_status(srv: ServerThread, code: str, status: str, note: str = "") -> None:
    """What an officer's system does when the dossier moves on (no API for it in the kiosk contract)."""
    with srv.app.state.sessions() as s:
        d = s.execute(select(Dossier).where(Dossier.code == code)).scalar_one()
        d.status = status
        s.add(DossierEvent(dossier_id=d.id, at=datetime.now(timezone.utc), status=status, note=note))
        s.commit()


def officer_moves(srv: ServerThread, code: str, *steps: tuple[str, str]) -> None:
    """An officer moves the dossier on through the desk's endpoint (``steps``: (status, note) pairs)."""
    import httpx

    try:
        bearer = srv.officer_bearer("can-bo-theo-doi")
    except KeyError:
        bearer = srv.add_officer("can-bo-theo-doi", full_name="Cán bộ Một cửa")
    with httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {bearer}"}, timeout=10) as http:
        for status, note in steps:
            http.post(f"/desk/dossiers/{code}/status", json={"status": status, "note": note}).raise_for_status()


def test_receipt_qr_payload_finds_the_dossier(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        receipt = submit_sample_dossier(client)
        tracking = TrackingService(client, UNIT)
        result = tracking.lookup(tracking.parse(format_payload(receipt.code, receipt.secret)))
    assert result.code == receipt.code
    assert result.status == "received" and result.title == "Đã nhận hồ sơ"
    assert result.appointment_at == receipt.appointment_at
    assert [h.title for h in result.history] == ["Đã nhận hồ sơ"]


def test_typed_short_code_and_lowercase_secret_work(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        receipt = submit_sample_dossier(client)
        short = receipt.code.split("-", 1)[1]  # "YYMMDD-XXXX": the kiosk adds its unit id
        tracking = TrackingService(client, UNIT)
        result = tracking.lookup(tracking.ref(short, receipt.secret.lower()), lang="en")
    assert result.code == receipt.code and result.title == "Dossier received"


def test_status_change_shows_in_plain_words_with_history(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        receipt = submit_sample_dossier(client)
        set_status(server, receipt.code, "waiting", "Thiếu giấy xác nhận chỗ ở")
        tracking = TrackingService(client, UNIT)
        result = tracking.lookup(tracking.ref(receipt.code, receipt.secret))
    assert result.title == "Cần bổ sung giấy tờ" and result.kind == "warn"
    assert "mang giấy hẹn đến quầy" in result.explanation
    assert result.history[-1].note == "Thiếu giấy xác nhận chỗ ở"


def test_the_officers_steps_show_in_plain_words(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        receipt = submit_sample_dossier(client)
        tracking = TrackingService(client, UNIT)
        ref = tracking.ref(receipt.code, receipt.secret)
        officer_moves(server, receipt.code, ("accepted", "Đủ giấy tờ"))
        assert tracking.lookup(ref).title == "Đã tiếp nhận hồ sơ"
        officer_moves(server, receipt.code, ("processing", ""), ("releasing", ""))
        result = tracking.lookup(ref)
    assert result.title == "Đã có kết quả" and result.kind == "ok" and not result.overdue
    assert [h.title for h in result.history] == ["Đã nhận hồ sơ", "Đã tiếp nhận hồ sơ", "Đang giải quyết",
                                                 "Đã có kết quả"]


def test_a_supplement_request_shows_what_is_missing(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        receipt = submit_sample_dossier(client)
        officer_moves(server, receipt.code, ("waiting", "Thiếu giấy xác nhận cư trú"))
        tracking = TrackingService(client, UNIT)
        result = tracking.lookup(tracking.ref(receipt.code, receipt.secret))
    assert result.title == "Cần bổ sung giấy tờ" and result.kind == "warn"
    assert "Giấy tờ cần bổ sung: Thiếu giấy xác nhận cư trú." in result.explanation


def test_wrong_secret_looks_like_not_found(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        receipt = submit_sample_dossier(client)
        wrong = "ABCDEF" if receipt.secret != "ABCDEF" else "ABCDEG"
        tracking = TrackingService(client, UNIT)
        with pytest.raises(TrackingError) as e:
            tracking.lookup(tracking.ref(receipt.code, wrong))
    assert e.value.key == "not_found"
    assert e.value.message("vi").startswith("Không tìm thấy hồ sơ")


def test_backend_down_gives_the_offline_message(closed_port):
    client = BackendClient(closed_port.url, "dev-kiosk-token", "KIOSK-01", timeout_s=1, retries=0)
    tracking = TrackingService(client, UNIT)
    with pytest.raises(TrackingError) as e:
        tracking.lookup(tracking.ref(f"{UNIT}-251120-0007", "K7P3QX"))
    client.close()
    assert e.value.key == "offline"
    assert "không kết nối được" in e.value.message("vi")

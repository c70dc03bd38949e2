"""The track journey without a window: a receipt photographed (real QR decoding) or typed → the result from
the reference server, not found, or offline; an ID card held up instead is refused with its own message."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import numpy as np
from journeys_support import ID_PAYLOAD, Deferred, closed_port, journeys_over, make_services, server  # noqa: F401

from kiosk import api
from kiosk.backend.client import BackendClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "assets" / "samples" / "receipts"))
from make_sample import render_receipt_frame


def _receipt(server) -> api.DossierReceipt:  # noqa: F811
    meta = api.DossierIn(
        receiving_unit_id="000.00.01.H22", kiosk_id="KIOSK-01", procedure_code="1.004222",
        procedure_name="Đăng ký thường trú", applicant=api.Applicant(full_name="Nguyễn Văn An"),
        rule=api.ProcessingRule(working_days=7),
    )
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        return client.submit_dossier(meta, [], uuid.uuid4().hex)


def _frame(image) -> np.ndarray:
    return np.ascontiguousarray(np.array(image.convert("RGB"))[:, :, ::-1])


def _qr_frame(text: str) -> np.ndarray:
    from kiosk.printing import qr_image

    return _frame(qr_image(text, box=8, border=4))


def test_receipt_photographed_then_typed_then_rated(make_services, server):  # noqa: F811
    receipt = _receipt(server)
    services = make_services(server.url)
    journeys, shown = journeys_over(services)
    track = journeys.track
    journeys.start("track")
    assert shown == ["track"]
    assert track.offer_frame(_qr_frame(ID_PAYLOAD))  # the citizen holds up their ID card first
    assert track.part.error == "id_card" and track.step == "scan"
    assert track.offer_frame(_frame(render_receipt_frame(receipt.code, receipt.secret)))
    assert shown[-1] == "track_result" and track.result.code == receipt.code
    assert track.result.appointment_at == receipt.appointment_at

    track.again()
    track.type_instead()
    assert shown[-2:] == ["track", "track_type"]
    assert track.typed("250715-07", "") == "bad_code"
    assert track.step == "type"
    assert track.typed(receipt.code, receipt.secret.lower()) == ""
    assert shown[-1] == "track_result"
    track.rate()
    assert shown[-1] == "rate" and services.visit.rate.ref.dossier_code == receipt.code


def test_wrong_secret_is_not_found_and_a_dead_backend_is_offline(make_services, server):  # noqa: F811
    receipt = _receipt(server)
    services = make_services(server.url)
    journeys, shown = journeys_over(services)
    journeys.start("track")
    journeys.track.type_instead()
    journeys.track.typed(receipt.code, "ZZZZZZ")
    assert journeys.track.part.error == "not_found" and shown[-1] == "track_type"

    offline = make_services(f"http://127.0.0.1:{closed_port()}/api/v1")
    journeys, shown = journeys_over(offline)
    journeys.start("track")
    journeys.track.offer_frame(_frame(render_receipt_frame(receipt.code, receipt.secret)))
    assert journeys.track.part.error == "offline" and shown == ["track"]


def test_one_frame_at_a_time(make_services, server):  # noqa: F811
    services = make_services(server.url)
    later = Deferred()
    journeys, _ = journeys_over(services, run=later)
    journeys.start("track")
    blank = np.full((480, 640, 3), 255, np.uint8)
    assert journeys.track.offer_frame(blank)
    assert not journeys.track.offer_frame(blank)  # the first is still being read
    later.run_all()
    assert journeys.track.offer_frame(blank) and journeys.track.part.error == ""

"""Declaration → outbox → real reference server on loopback → receipt printed on a loopback printer."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.cards import CHIP_CCCD as PAYLOAD

from kiosk.api import DOSSIER_CODE_RE
from kiosk.base import paths
from kiosk.declarations import workdays
from kiosk.declarations.forms import FormState
from kiosk.declarations.submission import DeclarationInvalid, submit
from kiosk.identity.payload import parse_payload
from kiosk.journeys.visit import Attachment

BIRTH = {"nyc_quan_he": "cha", "tre_ho_ten": "Nguyễn Minh Khôi", "tre_ngay_sinh": "20/11/2026", "tre_gioi_tinh": "nam",
         "tre_noi_sinh": "Bệnh viện Đa khoa tỉnh Nam Định", "me_ho_ten": "Trần Thị Bình", "nyc_dien_thoai": "0912345678"}


def _services(kiosk_config, url, printer):
    from kiosk.services import build_services

    kiosk_config.backend.url = url
    kiosk_config.printer.uri = printer.uri
    kiosk_config.printer.timeout_s = 3
    return build_services(kiosk_config)


def _qr_payloads(img) -> list[str]:
    import zxingcpp

    grey = np.array(img.convert("L"))
    return [b.text for b in zxingcpp.read_barcodes(grey)]


def _scan(tmp_path):
    from PIL import Image

    page = tmp_path / "scan.png"
    Image.new("RGB", (200, 280), "white").save(page)
    return {"giay_chung_sinh": Attachment("giay_chung_sinh", pages=[page])}


def test_birth_declaration_is_received_and_the_receipt_printed(kiosk_config, server, printer, tmp_path):
    services = _services(kiosk_config, server.url, printer)
    try:
        proc = services.catalog["1.001193"]
        identity = parse_payload(PAYLOAD)
        form = FormState.start(proc.form, identity)
        form.update(BIRTH)
        sub = submit(services, proc, form, attachments=_scan(tmp_path), workdir=tmp_path / "visit", wait_s=10)
        assert sub.status == "acknowledged"
        assert DOSSIER_CODE_RE.match(sub.code)
        assert sub.code.startswith(kiosk_config.kiosk.receiving_unit_id)
        expected = workdays.appointment(sub.receipt.received_at, proc.rule, services.catalog.calendar)
        assert sub.receipt.appointment_at == expected
        assert sub.printed, sub.print_error
        assert set(sub.files) == {"to_khai.pdf", "giay_chung_sinh.png"}
        assert sub.declaration_pdf.read_bytes().startswith(b"%PDF") and sub.receipt_pdf.exists()

        pages = printer.pages()
        assert len(pages) == 1 and pages[0].cut
        assert f"MCHS1|{sub.code}|{sub.receipt.secret}" in _qr_payloads(pages[0].image())

        # The server holds the dossier with the form and both files.
        status = services.backend.dossier_status(sub.code, sub.receipt.secret)
        assert status.procedure_code == "1.001193"
    finally:
        services.close()


def test_backend_down_gives_a_provisional_receipt_then_the_outbox_sends_it(kiosk_config, printer, tmp_path, closed_port):
    from server.testing import ServerThread

    services = _services(kiosk_config, closed_port.url, printer)
    try:
        proc = services.catalog["1.004194"]
        identity = parse_payload(PAYLOAD)
        form = FormState.start(proc.form, identity)
        form.update({"dien_thoai": "0912345678", "dia_chi_moi": "Số 5 ngõ 7 phường Hải Vân", "thoi_han": 12})
        sub = submit(services, proc, form, workdir=tmp_path / "visit", wait_s=1)
        assert sub.status == "queued"
        assert sub.code is None and len(sub.receipt.provisional_ref) == 8
        assert sub.receipt.appointment_at == workdays.appointment(sub.receipt.received_at, 3, services.catalog.calendar)
        assert sub.printed
        with ServerThread(tmp_path / "srv", port=closed_port.release(), catalog_dir=paths.resolve("config/procedures")):
            report = services.outbox.flush()
            assert report.sent == 1 and report.remaining == 0
    finally:
        services.close()


def test_an_incomplete_form_is_refused_before_anything_is_stored(kiosk_config, printer, tmp_path, closed_port):
    services = _services(kiosk_config, closed_port.url, printer)
    try:
        proc = services.catalog["1.001193"]
        form = FormState.start(proc.form, parse_payload(PAYLOAD))
        with pytest.raises(DeclarationInvalid) as e:
            submit(services, proc, form, workdir=tmp_path / "v")
        assert "tre_ho_ten" in e.value.errors
        assert e.value.message("vi").startswith("Tờ khai còn mục")
        assert services.outbox.count_pending() == 0
    finally:
        services.close()


def test_printer_failure_is_recorded_not_raised(kiosk_config, server, tmp_path, closed_port):
    from kiosk.services import build_services

    kiosk_config.backend.url = server.url
    kiosk_config.printer.uri = closed_port.tcp
    kiosk_config.printer.timeout_s = 1
    services = build_services(kiosk_config)
    try:
        proc = services.catalog["2.000884"]
        identity = parse_payload(PAYLOAD)
        form = FormState.start(proc.form, identity)
        form.update({"ten_van_ban": "Giấy ủy quyền"})
        sub = submit(services, proc, form, workdir=tmp_path / "v", wait_s=10)
        assert sub.status == "acknowledged"
        assert not sub.printed and sub.print_error
    finally:
        services.close()


def test_applicant_from_the_form_no_appointment_sent_and_metadata_serialised_once(
    kiosk_config, server, printer, tmp_path, monkeypatch
):
    """The kiosk serialises the dossier's metadata once (the outbox stores it, the sender posts that text);
    the server once more for its fingerprint and row — two in all, where there were four."""
    from kiosk import api
    from kiosk.declarations.submission import applicant_of

    dumps: list[str] = []
    original = api.DossierIn.model_dump_json

    def counting(self, *args, **kwargs):  # a spy: the real method runs
        dumps.append(self.procedure_code)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(api.DossierIn, "model_dump_json", counting)
    services = _services(kiosk_config, server.url, printer)
    try:
        proc = services.catalog["1.004222"]
        identity = parse_payload(PAYLOAD)
        form = FormState.start(proc.form, identity)
        form.update({"dien_thoai": "0912 345 678", "dia_chi_moi": "Số 5 ngõ 7, phường Hải Vân"})
        applicant = applicant_of(proc, form)
        assert (applicant.full_name, applicant.id_number) == (form.get("ho_ten"), "036089001234")
        assert applicant.phone == "0912345678" and applicant.date_of_birth.isoformat() == "1989-03-15"
        sub = submit(services, proc, form, workdir=tmp_path / "v", wait_s=10, print_slip=False)
        assert sub.status == "acknowledged"
        assert dumps == ["1.004222", "1.004222"]
        from server.models import Dossier

        with server.app.state.sessions() as s:
            stored = s.query(Dossier).one().meta
        assert stored["appointment_at"] is None  # the server made the appointment, the kiosk sent none
        assert stored["applicant"]["full_name"] == form.get("ho_ten") == sub.receipt.applicant_name
    finally:
        services.close()

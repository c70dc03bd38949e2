"""A giấy chứng sinh under the document camera fills the birth-registration form, in a real window: the form's
"Chụp … để ki-ốt điền giúp" → the scan screen (``files:`` document camera playing a generated photo; finder →
warp → OCR → gate on a worker, a progress bar meanwhile) → back on the child's page, the date of birth offered
as "Đọc từ giấy tờ: … — Dùng?" → "Dùng" → submitted to the reference server → the printed receipt (the loopback
printer's bytes decoded, then OCR) shows the date."""

from __future__ import annotations

import pytest
from helpers.cards import CHIP_CCCD as CARD_QR
from helpers.form_input import choose, fill
from helpers.papers import birth_certificate_photo

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def test_the_scanned_birth_certificate_offers_the_date_of_birth_and_the_receipt_prints_it(
        make_driver, kiosk_config, printer, server, tmp_path, artifacts):
    import pytesseract

    from kiosk.identity.payload import parse_payload

    photo, truth = birth_certificate_photo(tmp_path / "cam")
    kiosk_config.camera.document_uri = f"files:{photo}"
    kiosk_config.camera.width, kiosk_config.camera.height = 1080, 1920
    kiosk_config.printer.uri = printer.uri
    kiosk_config.printer.timeout_s = 3
    kiosk_config.backend.url = server.url
    driver = make_driver(config=kiosk_config)
    submit = driver.app.journeys.submit
    driver.app.journeys.start("submit")
    submit.identified(parse_payload(CARD_QR))  # as the identify screen's "Đúng" does
    submit.choose_procedure("1.001193")
    driver.wait_screen("procedure_detail")
    driver.pump(0.3)
    driver.tap("btn_start")
    driver.wait_screen("form")
    driver.pump(0.3)
    form = driver.app.screen("form")
    choose(driver, "nyc_quan_he", "cha")
    driver.tap("btn_next")
    driver.pump(0.3)
    assert submit.page == 1
    fill(driver, "tre_ho_ten", "Nguyeenx Minh Khooi")  # typed before the scan: the paper never overrides it
    assert form.scan_to_fill.startswith("Chụp giấy chứng sinh")

    # The paper under the document camera.
    driver.tap("btn_scan_to_fill")
    driver.wait_screen("scan")
    scan = driver.app.screen("scan")
    scan.auto_capture = False
    driver.wait_for(lambda: scan.ids.preview.has_frame, timeout=15, what="a document camera frame")
    driver.pump(0.3)
    driver.tap("btn_shutter")
    driver.wait_for(lambda: scan.page_busy, timeout=10, what="the page's progress bar")
    assert scan.ids.page_progress_box.opacity == 1 and scan.page_progress_text
    driver.screenshot(artifacts / "1-scan-progress.png")
    driver.wait_for(lambda: len(scan.thumbs()) == 1 and not scan.page_busy, timeout=60, what="the page read")
    assert not scan.thumbs()[0].doubtful, scan.status_text  # the gate passed it
    driver.tap("btn_continue")

    # Back on the child's page with the values read.
    driver.wait_screen("form", timeout=60)
    driver.pump(0.3)
    assert submit.page == 1
    row = driver.find("row_tre_ngay_sinh")
    assert row.suggestion == f"Đọc từ giấy tờ: {truth['tre_ngay_sinh']} — Dùng?"
    assert driver.find("row_tre_ho_ten").suggestion == ""  # the citizen's own answer
    assert driver.find("in_tre_ngay_sinh").text == ""  # offered, not applied
    assert form.scan_to_fill == ""
    driver.screenshot(artifacts / "2-form-offer.png")
    driver.tap("btn_use_tre_ngay_sinh")
    driver.pump(0.2)
    assert driver.find("in_tre_ngay_sinh").text == truth["tre_ngay_sinh"]
    assert row.suggestion == "" and row.from_paper
    choose(driver, "tre_gioi_tinh", "nam")
    fill(driver, "tre_noi_sinh", "Beenhj vieenj tinhr Nam DDinhj")
    driver.screenshot(artifacts / "3-form-accepted.png")
    driver.tap("btn_next")
    driver.pump(0.3)
    fill(driver, "me_ho_ten", "Traafn Thij Binhf")
    driver.tap("btn_next")

    # Review (no second scan step), consent, submit, the receipt.
    driver.wait_screen("review")
    driver.pump(0.3)
    driver.tap("chk_consent")
    driver.tap("btn_submit")
    driver.wait_screen("receipt", timeout=30)
    receipt = driver.app.screen("receipt")
    driver.wait_for(lambda: receipt.state in ("printed", "print_failed"), timeout=20, what="the receipt printed")
    assert receipt.state == "printed"
    sub = receipt.submission
    assert sub.status == "acknowledged"
    assert submit.field_sources()["tre_ngay_sinh"] == "document:giay_chung_sinh"

    pages = printer.pages()
    assert len(pages) == 1
    img = pages[0].image().convert("L")
    img.save(artifacts / "printed-receipt.png")
    text = pytesseract.image_to_string(img, lang="vie")
    assert "Thông tin đọc từ giấy tờ" in text, text
    assert truth["tre_ngay_sinh"] in text, text

"""End to end, as a citizen does it: home → Nộp hồ sơ → ID card read by the ``files:`` camera → search "khai sinh"
→ form prefilled from the card → the rest typed on the kiosk keyboard → the paper scanned by the ``files:`` document
camera → review → submit to the real reference server on loopback → receipt printed on a loopback printer."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from helpers.form_input import choose, fill

from kiosk.base import paths

pytestmark = [pytest.mark.ui, pytest.mark.slow]

SAMPLES = paths.ASSETS_DIR / "samples"


def test_citizen_declares_a_birth_from_home_to_printed_receipt(make_driver, kiosk_config, printer, server, tmp_path, artifacts):
    import pytesseract
    import zxingcpp

    from kiosk.declarations import workdays
    cam = tmp_path / "camera"
    cam.mkdir()
    shutil.copy(SAMPLES / "camera" / "01_cccd_chip_front.jpg", cam)
    kiosk_config.camera.uri = f"files:{cam}?hold=30"
    kiosk_config.camera.document_uri = f"files:{SAMPLES / 'documents' / 'page-1.jpg'}"
    kiosk_config.camera.width, kiosk_config.camera.height = 1920, 1440
    kiosk_config.printer.uri = printer.uri
    kiosk_config.printer.timeout_s = 3
    kiosk_config.backend.url = server.url
    driver = make_driver(config=kiosk_config)
    shot = iter(range(1, 100))

    def screenshot(name: str) -> None:
        driver.screenshot(artifacts / f"{next(shot):02d}-{name}.png")

    # 1. Home → Nộp hồ sơ → the ID card under the camera.
    driver.tap("btn_submit")
    driver.wait_screen("identify")
    identify = driver.app.screen("identify")
    driver.wait_for(lambda: identify.found is not None, timeout=30, what="the ID card to be read")
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=5, what="confirmation")
    screenshot("identify-confirm")
    driver.tap("btn_confirm")
    driver.wait_screen("procedure_search")
    driver.pump(0.3)

    # 2. Search "khai sinh" on the kiosk keyboard.
    driver.tap("txt_search")
    driver.type_keys("khai sinh")
    screenshot("search")
    assert driver.find("btn_result_0").procedure_code == "1.001193"
    driver.tap("btn_result_0")
    driver.wait_screen("procedure_detail")
    driver.pump(0.3)
    screenshot("detail")
    driver.tap("btn_start")
    driver.wait_screen("form")
    driver.pump(0.3)

    # 3. The form: the card's data is there; the rest is typed.
    assert driver.find("in_nyc_ho_ten").text == "Nguyễn Văn An"
    assert driver.find("in_nyc_noi_cu_tru").text.startswith("Xóm 2, Xã Hải Vân")
    choose(driver, "nyc_quan_he", "cha")
    fill(driver, "nyc_dien_thoai", "0912345678")
    screenshot("form-prefilled")
    driver.tap("btn_next")
    fill(driver, "tre_ho_ten", "Nguyeenx Minh Khooi")
    fill(driver, "tre_ngay_sinh", "20/11/2026")
    choose(driver, "tre_gioi_tinh", "nam")
    fill(driver, "tre_noi_sinh", "Beenhj vieenj tinhr Nam DDinhj")
    screenshot("form-typed")
    driver.tap("btn_next")
    fill(driver, "me_ho_ten", "Traafn Thij Binhf")
    driver.tap("btn_next")

    # 4. The birth certificate under the document camera.
    driver.wait_screen("scan")
    scan = driver.app.screen("scan")
    scan.auto_capture = False
    driver.wait_for(lambda: scan.ids.preview.has_frame, timeout=15, what="a document camera frame")
    driver.pump(0.3)
    driver.tap("btn_shutter")
    driver.wait_for(lambda: len(scan.thumbs()) == 1, timeout=30, what="the page taken")
    screenshot("scan")
    driver.tap("btn_continue")
    driver.wait_screen("review", timeout=120)
    driver.pump(0.3)

    # 5. Review, consent, submit.
    visit = driver.app.services.visit
    assert visit.submit.attachments["giay_chung_sinh"].pages
    driver.tap("chk_consent")
    screenshot("review")
    driver.tap("btn_submit")
    driver.wait_screen("receipt", timeout=30)
    receipt = driver.app.screen("receipt")
    driver.wait_for(lambda: receipt.state in ("printed", "print_failed"), timeout=20, what="the receipt printed")
    screenshot("receipt")
    assert receipt.state == "printed"
    sub = receipt.submission
    assert sub.status == "acknowledged"
    assert sub.code.startswith("000.00.01.H22-") and sub.code in driver.texts()
    due = workdays.appointment(sub.receipt.received_at, "same_day", driver.app.services.catalog.calendar)
    assert sub.receipt.appointment_at == due
    assert "giay_chung_sinh.pdf" in sub.files

    # 6. What came out of the printer: the right code, secret and appointment date.
    pages = printer.pages()
    assert len(pages) == 1 and pages[0].cut
    img = pages[0].image().convert("L")
    assert [b.text for b in zxingcpp.read_barcodes(np.array(img))] == [f"MCHS1|{sub.code}|{sub.receipt.secret}"]
    text = pytesseract.image_to_string(img, lang="vie")
    # The QR above proves the exact code; OCR proves it is printed legibly (one OCR confusion such as 0/O tolerated).
    from rapidfuzz import fuzz

    assert fuzz.partial_ratio(sub.code, text.replace(" ", "")) >= 92, text
    assert due.strftime("%H:%M ngày %d/%m/%Y") in text
    img.save(artifacts / "printed-receipt.png")

    # 7. The server has it, with the scanned paper.
    status = driver.app.services.backend.dossier_status(sub.code, sub.receipt.secret)
    assert status.procedure_code == "1.001193"

    driver.tap("btn_done")
    driver.wait_screen("home")
    assert visit.is_empty()

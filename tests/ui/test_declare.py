"""The declaration journey in a real window, typed on the kiosk's own keyboard, submitted to the
real reference server on loopback and printed on a loopback printer — and what the receipt prints
is what the citizen saw on the form."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.cards import CHIP_CCCD as CARD_QR
from helpers.form_input import choose, fill

pytestmark = pytest.mark.ui


@pytest.fixture
def declare_driver(make_driver, kiosk_config, printer, server):
    kiosk_config.printer.uri = printer.uri
    kiosk_config.printer.timeout_s = 3
    kiosk_config.backend.url = server.url
    driver = make_driver(config=kiosk_config)
    from kiosk.identity.payload import parse_payload

    driver.app.journeys.start("submit")
    driver.app.journeys.submit.identified(parse_payload(CARD_QR))  # as the identify screen's "Đúng" does
    driver.wait_screen("procedure_search")
    driver.pump(0.2)
    return driver


def test_search_typed_without_accents_finds_birth_registration(declare_driver, artifacts):
    driver = declare_driver
    driver.tap("txt_search")
    assert driver.app.screen("procedure_search").keyboard_open
    driver.type_keys("khai sinh")
    assert driver.find("txt_search").text == "khai sinh"
    first = driver.find("btn_result_0")
    assert first.procedure_code == "1.001193"
    driver.screenshot(artifacts / "procedure_search.png")
    driver.tap("key_done")
    assert not driver.app.screen("procedure_search").keyboard_open


def test_browse_by_field(declare_driver):
    driver = declare_driver
    screen = driver.app.screen("procedure_search")
    index = next(i for i, name in enumerate(driver.app.services.catalog.fields(), 1) if name == "Cư trú")
    driver.tap(f"btn_field_{index}")
    assert {driver.find(f"btn_result_{i}").procedure_code for i in range(screen.count)} == {"1.004222", "1.004194"}


def _to_form(driver, query: str = "khai sinh") -> None:
    driver.tap("txt_search")
    driver.type_keys(query)
    driver.tap("btn_result_0")
    driver.wait_screen("procedure_detail")
    driver.tap("btn_start")
    driver.wait_screen("form")


def _submit_and_print(driver):
    """"Nộp hồ sơ" on the review → the receipt screen, printed; (screen, submission)."""
    driver.tap("btn_submit")
    driver.wait_screen("receipt", timeout=30)
    screen = driver.app.screen("receipt")
    driver.wait_for(lambda: screen.state in ("printed", "print_failed"), timeout=20, what="receipt printed")
    assert screen.state == "printed"
    return screen, screen.submission


def test_errors_are_shown_in_vietnamese_next_to_the_fields(declare_driver, artifacts):
    driver = declare_driver
    _to_form(driver)
    driver.tap("btn_next")  # page 1: relationship missing
    assert driver.find("err_nyc_quan_he").text == "Xin chọn một trong các ô."
    choose(driver, "nyc_quan_he", "me")
    driver.tap("btn_next")
    assert driver.app.screen("form").page_index == 1
    fill(driver, "tre_ngay_sinh", "31/02/2026")
    driver.tap("btn_next")
    assert driver.find("err_tre_ngay_sinh").text.startswith("Ngày chưa đúng")
    assert driver.find("err_tre_ho_ten").text == "Xin điền mục này."
    driver.screenshot(artifacts / "form-errors.png")


def test_birth_declaration_typed_on_screen_submitted_and_printed(declare_driver, printer, artifacts):
    import zxingcpp

    from kiosk.declarations import workdays
    driver = declare_driver
    shots = artifacts
    _to_form(driver)
    form = driver.app.screen("form")
    # Page 1: prefilled from the ID card.
    assert driver.find("in_nyc_ho_ten").text == "Nguyễn Văn An"
    assert driver.find("in_nyc_so_dinh_danh").text == "036089001234"
    assert driver.find("row_nyc_ho_ten").from_card
    choose(driver, "nyc_quan_he", "cha")
    fill(driver, "nyc_dien_thoai", "0912345678")
    driver.screenshot(shots / "1-form-prefilled.png")
    driver.tap("btn_next")
    # Page 2: the child, typed in Telex on the kiosk keyboard.
    fill(driver, "tre_ho_ten", "Nguyeenx Minh Khooi")
    assert driver.find("in_tre_ho_ten").text == "Nguyễn Minh Khôi"
    fill(driver, "tre_ngay_sinh", "20/11/2026")
    assert form.ids.keyboard.layout == "numeric"
    choose(driver, "tre_gioi_tinh", "nam")
    fill(driver, "tre_noi_sinh", "Beenhj vieenj tinhr Nam DDinhj")
    assert driver.find("in_tre_noi_sinh").text == "Bệnh viện tỉnh Nam Định"
    driver.screenshot(shots / "2-form-typed.png")
    driver.tap("btn_next")
    # Page 3: the mother.
    fill(driver, "me_ho_ten", "Traafn Thij Binhf")
    assert driver.find("in_me_ho_ten").text == "Trần Thị Bình"
    driver.tap("btn_next")
    driver.wait_screen("scan")  # the birth certificate is a paper to scan: handed over as scanned pages
    from PIL import Image

    from kiosk.journeys import Attachment

    page = driver.app.services.visit.workdir() / "giay_chung_sinh.png"
    Image.new("RGB", (300, 420), "white").save(page)
    driver.app.journeys.submit.scanned({"giay_chung_sinh": Attachment("giay_chung_sinh", pages=[page])})
    driver.wait_screen("review")
    driver.pump(0.3)
    review = driver.app.screen("review")
    report = review.state.report()
    # name, number, birth date, residence — and, the card holder being the father, his name, year and residence
    assert report.from_identity == 7 and report.to_declare < report.total
    with pytest.raises(AssertionError):
        driver.tap("btn_submit")  # no consent yet: disabled
    driver.tap("chk_consent")
    driver.screenshot(shots / "3-review.png")
    _screen, sub = _submit_and_print(driver)
    assert sub.status == "acknowledged" and sub.code.startswith("000.00.01.H22-")
    assert sub.code in driver.texts()
    calendar = driver.app.services.catalog.calendar
    assert sub.receipt.appointment_at == workdays.appointment(sub.receipt.received_at, "same_day", calendar)
    driver.screenshot(shots / "4-receipt.png")

    pages = printer.pages()
    assert len(pages) == 1
    img = np.array(pages[0].image().convert("L"))
    assert [b.text for b in zxingcpp.read_barcodes(img)] == [f"MCHS1|{sub.code}|{sub.receipt.secret}"]
    import pytesseract

    text = pytesseract.image_to_string(pages[0].image().convert("L"), lang="vie")
    assert sub.receipt.appointment_at.strftime("%d/%m/%Y") in text

    driver.tap("btn_done")
    driver.wait_screen("home")
    assert driver.app.services.visit.is_empty()


def test_portrait_form_and_review(make_driver, kiosk_config, artifacts):
    from kiosk.identity.payload import parse_payload

    driver = make_driver(orientation="portrait", config=kiosk_config)  # the backend is down
    driver.app.journeys.start("submit")
    driver.app.journeys.submit.identified(parse_payload(CARD_QR))
    driver.app.journeys.submit.choose_procedure("1.004222")
    driver.wait_screen("procedure_detail")
    driver.pump(0.3)
    driver.tap("btn_start")
    driver.wait_screen("form")
    driver.pump(0.3)
    fill(driver, "dien_thoai", "0912345678")
    driver.screenshot(artifacts / "form-numeric-portrait.png")
    driver.tap("btn_next")
    assert driver.app.journeys.submit.page == 1
    fill(driver, "dia_chi_moi", "Soos 5 ngox 7")
    assert driver.find("in_dia_chi_moi").text == "Số 5 ngõ 7"
    driver.screenshot(artifacts / "form-portrait.png")


def test_consent_enables_submit_and_edit_returns_to_the_page(declare_driver):
    from kiosk.declarations.forms import FormState

    driver = declare_driver
    app = driver.app
    visit = app.services.visit
    proc = app.services.catalog["2.000884"]
    app.journeys.submit.choose_procedure(proc.code)
    driver.pump(0.3)
    driver.tap("btn_start")
    driver.wait_screen("form")
    state = app.screen("form").state
    state.update({"ten_van_ban": "Giấy ủy quyền"})
    assert isinstance(state, FormState) and visit.submit.form.get("ten_van_ban") == "Giấy ủy quyền"
    driver.tap("btn_next")
    driver.wait_screen("scan")  # the paper to sign could be scanned; this citizen brings it to the counter
    driver.app.journeys.submit.scanned({})
    driver.wait_screen("review")
    driver.pump(0.3)
    assert driver.find("btn_submit").disabled
    driver.tap("chk_consent")
    assert app.screen("review").consent
    assert not driver.find("btn_submit").disabled
    driver.tap("btn_edit_0")
    driver.wait_screen("form")
    assert app.screen("form").page_index == 0


def test_the_receipt_prints_what_the_citizen_saw_on_the_form(declare_driver, printer, artifacts):
    """The card's fields are shown on the form and locked; the printed receipt carries exactly those values."""
    import dataclasses

    import pytesseract
    from rapidfuzz import fuzz

    from devices.escpos_decode import decode_pages
    from kiosk.declarations import render_slip

    driver = declare_driver
    driver.tap("txt_search")
    driver.type_keys("chung thuc chu ky")
    driver.tap("btn_proc_2_000884")
    driver.wait_screen("procedure_detail")
    driver.tap("btn_start")
    driver.wait_screen("form")
    driver.pump(0.3)
    # What the citizen sees: the name and number from the card, marked "Lấy từ thẻ căn cước".
    seen_name, seen_id = driver.find("in_ho_ten").text, driver.find("in_so_dinh_danh").text
    assert (seen_name, seen_id) == ("Nguyễn Văn An", "036089001234")
    assert driver.find("row_ho_ten").from_card and driver.app.tr["declare.from_card"] in driver.texts()
    # Locked: touching the field opens no keyboard and typing changes nothing.
    driver.tap("in_ho_ten")
    assert not driver.app.screen("form").keyboard_open and driver.find("in_ho_ten").readonly
    driver.screenshot(artifacts / "form-locked.png")
    fill(driver, "ten_van_ban", "Giaays uyr quyeenf")
    assert driver.find("in_ho_ten").text == seen_name
    driver.tap("btn_next")
    driver.wait_screen("scan")  # the paper to sign could be scanned; this citizen brings it to the counter
    driver.app.journeys.submit.scanned({})
    driver.wait_screen("review")
    driver.pump(0.3)
    driver.tap("chk_consent")
    _screen, sub = _submit_and_print(driver)

    printer.wait_closed(1)
    [page] = decode_pages(printer.received())
    printed = page.image().convert("1")
    printed.save(artifacts / "printed-receipt.png")
    # Exactly: the slip drawn with the values the citizen saw is, pixel for pixel, what the printer got.
    seen = dataclasses.replace(sub.receipt, applicant_name=seen_name, applicant_id=seen_id)
    expected = render_slip(seen, width=driver.app.services.config.printer.paper_width_px)
    assert printed.size == expected.size and printed.tobytes() == expected.convert("1").tobytes()
    # Legibly: the name reads back from the printed raster.
    text = pytesseract.image_to_string(printed.convert("L"), lang="vie")
    line = next((ln for ln in text.splitlines() if "An" in ln and ":" in ln), "")
    assert fuzz.partial_ratio(seen_name, line) >= 90, text

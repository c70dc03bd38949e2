"""The declaration journey in a real window, typed on the kiosk's own keyboard, submitted to the
real reference server on loopback and printed on a loopback printer."""

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

    visit = driver.app.services.visit
    visit.journey = "submit"
    visit.identity = parse_payload(CARD_QR)
    driver.app.go("procedure_search")
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
    if driver.app.current == "scan":  # issue 7's scan screen: hand the paper over as scanned pages
        from PIL import Image

        from kiosk.journeys.visit import Attachment

        page = driver.app.services.visit.workdir() / "giay_chung_sinh.png"
        Image.new("RGB", (300, 420), "white").save(page)
        driver.app.services.visit.attachments["giay_chung_sinh"] = Attachment("giay_chung_sinh", pages=[page])
        driver.app.go("review")
    driver.wait_screen("review")
    driver.pump(0.3)
    review = driver.app.screen("review")
    report = review.state.report()
    assert report.from_identity == 4 and report.to_declare < report.total
    with pytest.raises(AssertionError):
        driver.tap("btn_submit")  # no consent yet: disabled
    driver.tap("chk_consent")
    driver.screenshot(shots / "3-review.png")
    driver.tap("btn_submit")
    driver.wait_screen("receipt", timeout=30)
    screen = driver.app.screen("receipt")
    driver.wait_for(lambda: screen.state in ("printed", "print_failed"), timeout=20, what="receipt printed")
    assert screen.state == "printed"
    sub = screen.submission
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
    driver.app.services.visit.identity = parse_payload(CARD_QR)
    driver.app.go("procedure_detail", code="1.004222")
    driver.pump(0.3)
    driver.tap("btn_start")
    driver.wait_screen("form")
    driver.pump(0.3)
    fill(driver, "dien_thoai", "0912345678")
    driver.screenshot(artifacts / "form-numeric-portrait.png")
    driver.tap("btn_next")
    fill(driver, "dia_chi_moi", "Soos 5 ngox 7")
    assert driver.find("in_dia_chi_moi").text == "Số 5 ngõ 7"
    driver.screenshot(artifacts / "form-portrait.png")


def test_consent_enables_submit_and_edit_returns_to_the_page(declare_driver):
    from kiosk.declarations.forms import FormState

    driver = declare_driver
    app = driver.app
    visit = app.services.visit
    proc = app.services.catalog["2.000884"]
    app.go("procedure_detail", code=proc.code)
    driver.pump(0.3)
    driver.tap("btn_start")
    driver.wait_screen("form")
    state = app.screen("form").state
    state.update({"ten_van_ban": "Giấy ủy quyền"})
    assert isinstance(state, FormState) and visit.form_values["ten_van_ban"] == "Giấy ủy quyền"
    app.go("review")
    driver.pump(0.3)
    assert driver.find("btn_submit").disabled
    driver.tap("chk_consent")
    assert app.screen("review").consent
    assert not driver.find("btn_submit").disabled
    driver.tap("btn_edit_0")
    driver.wait_screen("form")
    assert app.screen("form").page_index == 0

"""Screenshot scenes of the declaration journey (``python -m screens.showcase OUT --only …``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from screens.showcase.book import SceneBook

scenes = SceneBook()
scene = scenes.add

# Invented citizen (DOMAIN.md §1 examples).
CARD_QR = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"
BIRTH = {"nyc_quan_he": "cha", "nyc_dien_thoai": "0912345678", "tre_ho_ten": "Nguyễn Minh Khôi", "tre_ngay_sinh": "20/11/2026",
         "tre_gioi_tinh": "nam", "tre_noi_sinh": "Bệnh viện Đa khoa tỉnh Nam Định", "tre_que_quan": "Nam Định",
         "me_ho_ten": "Trần Thị Bình", "me_nam_sinh": "1992", "cha_ho_ten": "Nguyễn Văn An", "cha_nam_sinh": "1989"}


def _identify(driver: Any) -> None:
    from kiosk.identity import parse_payload

    driver.app.journeys.start("submit")
    driver.app.journeys.submit.identified(parse_payload(CARD_QR))


def _form(driver: Any, code: str = "1.001193", page: int = 0, answers: dict[str, str] | None = None) -> Any:
    _identify(driver)
    submit = driver.app.journeys.submit
    submit.choose_procedure(code)
    submit.start_form()
    if answers:
        submit.form.update(answers)
    submit.edit_page(page)
    return driver.app.screen("form")


@scene("procedure_search")
def search_typing(driver: Any) -> None:
    _identify(driver)
    screen = driver.app.screen("procedure_search")
    screen.open_keyboard()
    screen.ids.keyboard.type_text("khai sinh")


@scene("procedure_search-browse")
def search_browse(driver: Any) -> None:
    _identify(driver)


@scene("procedure_detail")
def detail_birth(driver: Any) -> None:
    _identify(driver)
    driver.app.journeys.submit.choose_procedure("1.001193")


@scene("form")
def form_prefilled(driver: Any) -> None:
    screen = _form(driver)
    driver.pump(0.2)
    screen.focus_field("nyc_dien_thoai")
    screen.ids.keyboard.type_text("0912345678")


@scene("form-keyboard")
def form_typing_name(driver: Any) -> None:
    screen = _form(driver, page=1)
    driver.pump(0.2)
    screen.focus_field("tre_ho_ten")
    screen.ids.keyboard.type_text("Nguyeenx Minh Khoi")


@scene("form-errors")
def form_with_errors(driver: Any) -> None:
    screen = _form(driver, page=1, answers={"tre_ngay_sinh": "31/02/2026"})
    driver.pump(0.2)
    screen.show_errors()


@scene("form-ct01")
def form_ct01(driver: Any) -> None:
    screen = _form(driver, code="1.004222", page=1)
    driver.pump(0.2)
    screen.select("quan_he_chu_ho", "con")


@scene("review")
def review_birth(driver: Any) -> None:
    _form(driver, answers=BIRTH)
    driver.app.journeys.submit.finish_form()
    driver.app.journeys.submit.scanned({})
    driver.app.journeys.submit.set_consent(True)


def _submission(driver: Any, queued: bool = False) -> Any:
    from zoneinfo import ZoneInfo

    from kiosk.declarations import (
        ReceiptData,
        ReceivedDocument,
        Submission,
        render_slip,
    )

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    data = ReceiptData(
        superior_body="UBND TỈNH NINH BÌNH", department=driver.app.services.config.kiosk.department,
        procedure_code="1.001193", procedure_name="Đăng ký khai sinh", applicant_name="Nguyễn Văn An",
        applicant_id="036089001234", applicant_address="Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định",
        applicant_phone="0912345678",
        documents=[ReceivedDocument("Tờ khai đăng ký khai sinh", True, 1), ReceivedDocument("Giấy chứng sinh", True, 1, 1)],
        legal_time="Trong ngày làm việc; nhận sau 15 giờ thì trả vào ngày làm việc tiếp theo",
        received_at=datetime(2026, 11, 23, 10, 5, tzinfo=tz), appointment_at=datetime(2026, 11, 23, 17, 0, tzinfo=tz),
        collect_at="Quầy 1–2, tầng 1 (Hộ tịch)", kiosk_id="KIOSK-01", fee="Miễn lệ phí khi đăng ký đúng hạn",
        code=None if queued else "000.00.01.H22-261123-0007", secret=None if queued else "K7P3QX",
        provisional_ref="3F9A1C2B" if queued else "",
    )
    slip = render_slip(data)
    return Submission(status="queued" if queued else "acknowledged", receipt=data, slip=slip,
                      declaration_pdf=None, receipt_pdf=None, item_id="3f9a1c2b" * 4, printed=True)  # type: ignore[arg-type]


@scene("receipt")
def receipt_done(driver: Any) -> None:
    _identify(driver)
    driver.app.journeys.submit.show_receipt(_submission(driver), print_now=False)


@scene("receipt-queued")
def receipt_queued(driver: Any) -> None:
    _identify(driver)
    driver.app.journeys.submit.show_receipt(_submission(driver, queued=True), print_now=False)


@scene("form-suggestion")
def form_with_offers(driver: Any) -> None:
    """The child's page after the giấy chứng sinh was scanned: its values offered beside their fields."""
    from kiosk.journeys import Suggestion

    answers = {k: v for k, v in BIRTH.items() if k in ("nyc_quan_he", "nyc_dien_thoai", "tre_ho_ten")}
    _form(driver, page=1, answers=answers)
    submit = driver.app.journeys.submit
    submit.part.scanned = True
    submit.offer_suggestions({
        "tre_ngay_sinh": Suggestion("tre_ngay_sinh", "08/11/2025", "giay_chung_sinh", 0.96),
        "tre_gioi_tinh": Suggestion("tre_gioi_tinh", "nu", "giay_chung_sinh", 0.97, display="Nữ"),
        "tre_noi_sinh": Suggestion("tre_noi_sinh", "Bệnh viện Phụ sản Hà Nội", "giay_chung_sinh", 0.93),
    })
    submit.accept_suggestion("tre_gioi_tinh")
    submit.edit_page(1)
    driver.pump(0.3)


@scene("form-chip")
def form_from_the_chip(driver: Any) -> None:
    """The birth registration's parents after the chip was read: the father's fields from his card and chip (locked),
    the mother's name from the chip's spouse (the card's, which the citizen may change)."""
    from dataclasses import replace

    from kiosk.identity import parse_payload
    from screens.showcase.scenes.identify import CHIP_FIELDS

    driver.app.journeys.start("submit")
    identity = replace(parse_payload(CARD_QR), **CHIP_FIELDS, chip_authenticity="authentic")
    submit = driver.app.journeys.submit
    submit.identified(identity)
    submit.choose_procedure("1.001193")
    submit.start_form()
    submit.form.update({k: v for k, v in BIRTH.items() if not k.startswith(("me_", "cha_", "tre_que"))})
    submit.edit_page(2)
    screen = driver.app.screen("form")
    driver.pump(0.3)
    screen.ids.scroll.scroll_to(screen.ids["row_cha_noi_cu_tru"], padding=20, animate=False)  # the father's block
    driver.pump(0.3)

"""The submit journey without a window: identity → procedure → form pages → scan → review and consent
→ submitted (acknowledged by the reference server, or queued) → receipt printed on a loopback printer."""

from __future__ import annotations

import numpy as np
import pytest
from journeys_support import ID_PAYLOAD, Deferred, journeys_over, make_services, printer, server  # noqa: F401

from devices.escpos_decode import decode_pages
from kiosk.declarations import workdays
from kiosk.declarations.forms import FieldLocked
from kiosk.identity import IdentityError, parse_payload
from kiosk.journeys import Attachment, Suggestion

BIRTH_PAGES = [
    {"nyc_quan_he": "cha", "nyc_dien_thoai": "0912345678"},
    {"tre_ho_ten": "Nguyễn Minh Khôi", "tre_ngay_sinh": "20/11/2026", "tre_gioi_tinh": "nam",
     "tre_noi_sinh": "Bệnh viện Đa khoa tỉnh Nam Định"},
    {"me_ho_ten": "Trần Thị Bình"},
]


def _scanned_paper(services) -> dict[str, Attachment]:
    from PIL import Image

    page = services.visit.workdir() / "giay_chung_sinh.png"
    Image.new("RGB", (300, 420), "white").save(page)
    return {"giay_chung_sinh": Attachment("giay_chung_sinh", pages=[page])}


def _to_review(journeys, services) -> None:
    submit = journeys.submit
    journeys.start("submit")
    submit.identified(parse_payload(ID_PAYLOAD))
    submit.choose_procedure("1.001193")
    submit.start_form()
    for answers in BIRTH_PAGES:
        for key, value in answers.items():
            submit.set_value(key, value)
        assert submit.next_page() == {}
    assert submit.step == "scan"  # the birth certificate is a paper to scan
    submit.scanned(_scanned_paper(services))
    assert submit.step == "review"


def test_identity_to_printed_receipt_acknowledged_by_the_server(make_services, server, printer):  # noqa: F811
    import zxingcpp

    services = make_services(server.url, printer.uri)
    journeys, shown = journeys_over(services)
    submit = journeys.submit
    journeys.start("submit")
    submit.type_identity()
    with pytest.raises(IdentityError):
        submit.identify_by_hand("036089001234", "Nguyễn Văn An", "15/03/1988")  # year does not match the number
    assert submit.step == "identify_manual" and services.visit.identity is None
    assert submit.back() and submit.step == "identify"
    submit.identified(parse_payload(ID_PAYLOAD))
    submit.choose_procedure("1.001193")
    submit.start_form()
    form = submit.form
    # The card's values are on the form and locked: the citizen sees them, cannot change them.
    assert form.get("nyc_ho_ten") == "Nguyễn Văn An" and form.locked("nyc_ho_ten")
    with pytest.raises(FieldLocked):
        submit.set_value("nyc_ho_ten", "Nguyễn Văn Ân")
    assert set(submit.next_page()) == {"nyc_quan_he"}  # errors shown, nothing moves
    assert submit.page == 0
    for page, answers in enumerate(BIRTH_PAGES):
        for key, value in answers.items():
            submit.set_value(key, value)
        assert submit.next_page() == {}
        assert submit.page == min(page + 1, 2)
    submit.scanned(_scanned_paper(services))
    submit.offer_suggestions({"tre_ho_ten": Suggestion("tre_ho_ten", "Nguyễn Minh Khôi", "giay_chung_sinh")})
    submit.edit_page(1)
    assert submit.step == "form" and submit.page == 1
    submit.finish_form()
    assert submit.step == "review"  # the papers are scanned already: an edited page goes back to the review
    submit.submit()
    assert submit.part.state == "filling" and submit.submission is None  # no consent: nothing sent
    submit.set_consent(True)
    submit.submit()

    assert shown == ["identify", "manual_id", "identify", "procedure_search", "procedure_detail", "form", "scan",
                     "review", "form", "review", "receipt"]
    sub = submit.submission
    assert sub.status == "acknowledged" and sub.code.startswith("000.00.01.H22-")
    assert submit.part.print_state == "printed"
    # The applicant is what the form showed; the appointment is the server's.
    assert sub.receipt.applicant_name == form.get("nyc_ho_ten")
    assert sub.receipt.applicant_address == form.get("nyc_noi_cu_tru")
    assert sub.receipt.applicant_phone == "0912345678"
    status = services.backend.dossier_status(sub.code, sub.receipt.secret)
    assert status.appointment_at == sub.receipt.appointment_at
    printer.wait_closed(1)
    pages = decode_pages(printer.received())
    grey = np.array(pages[0].image().convert("L"))
    assert [b.text for b in zxingcpp.read_barcodes(grey)] == [f"MCHS1|{sub.code}|{sub.receipt.secret}"]

    # "In lại" prints the same receipt again; "Đánh giá" hands over to rating this dossier.
    submit.print_receipt()
    printer.wait_closed(2)
    assert len(decode_pages(printer.received())) == 2
    submit.rate()
    assert shown[-1] == "rate" and services.visit.rate.ref.dossier_code == sub.code


def test_backend_down_gives_a_provisional_receipt_with_the_expected_appointment(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    journeys, shown = journeys_over(services)
    _to_review(journeys, services)
    journeys.submit.set_consent(True)
    journeys.submit.wait_s = 0.5
    journeys.submit.submit()
    sub = journeys.submit.submission
    assert shown[-1] == "receipt" and sub.status == "queued" and sub.code is None
    expected = workdays.appointment(sub.receipt.received_at, "same_day", services.catalog.calendar)
    assert sub.receipt.appointment_at == expected
    assert services.outbox.count_pending() == 1
    [item] = services.outbox.pending()
    assert item.kind == "dossier"


def test_an_invalid_form_at_submission_returns_to_its_page(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    journeys, shown = journeys_over(services)
    _to_review(journeys, services)
    journeys.submit.form.values["tre_ho_ten"] = ""  # emptied behind the review's back
    journeys.submit.set_consent(True)
    journeys.submit.submit()
    assert shown[-1] == "form" and journeys.submit.page == 1
    assert set(journeys.submit.part.errors) == {"tre_ho_ten"}
    assert services.outbox.count_pending() == 0


def test_a_new_identity_keeps_what_was_typed_but_not_the_old_card(make_services, printer):  # noqa: F811
    from kiosk.identity import identity_from_manual

    services = make_services(printer_uri=printer.uri)
    journeys, _ = journeys_over(services)
    submit = journeys.submit
    journeys.start("submit")
    submit.identified(parse_payload(ID_PAYLOAD))
    submit.choose_procedure("1.001193")
    submit.start_form()
    submit.set_value("nyc_dien_thoai", "0912345678")
    submit.identified(identity_from_manual("001090001234", "Lê Thị Hoa", "01/02/1990"))
    submit.start_form()
    assert submit.form.get("nyc_ho_ten") == "Lê Thị Hoa" and submit.form.locked("nyc_ho_ten")
    assert submit.form.get("nyc_dien_thoai") == "0912345678"
    assert submit.form.get("nyc_noi_cu_tru") == "" and not submit.form.locked("nyc_noi_cu_tru")


def test_submission_finishing_after_the_wipe_shows_nothing(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    later = Deferred()
    journeys, shown = journeys_over(services, run=later)
    _to_review(journeys, services)
    journeys.submit.set_consent(True)
    journeys.submit.wait_s = 0.2
    workdir = services.visit.workdir()
    journeys.submit.submit()
    services.visit.wipe()
    later.run_all()
    assert shown[-1] == "review" and services.visit.is_empty()
    assert not workdir.exists()  # what the late submission wrote for the ended visit is deleted


def test_a_catalog_refreshed_mid_form_keeps_what_was_typed(make_services, printer):  # noqa: F811
    """The backend's fresher catalog arrives while the citizen types: equal procedures, new objects."""
    from kiosk.declarations.catalog import Catalog

    services = make_services(printer_uri=printer.uri)
    journeys, _ = journeys_over(services)
    submit = journeys.submit
    journeys.start("submit")
    submit.identified(parse_payload(ID_PAYLOAD))
    submit.choose_procedure("1.001193")
    submit.start_form()
    submit.set_value("nyc_dien_thoai", "0912345678")
    before = services.catalog.get("1.001193")
    services.catalog.replace(Catalog([p.model_copy(deep=True) for p in services.catalog], services.catalog.calendar))
    assert services.catalog.get("1.001193") is not before
    submit.back()
    submit.start_form()  # "Bắt đầu khai" again, or a screen asking for the form
    assert submit.form.get("nyc_dien_thoai") == "0912345678"

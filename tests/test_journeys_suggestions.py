"""Values read on a scanned giấy chứng sinh offered on the birth-registration form, without a window: the real
pipeline (finder → warp → tesseract → gate → field extraction) on a generated photo, the submit journey, the
reference server on loopback and the loopback printer.

What the citizen typed and what the card gave are never offered over; "Dùng" fills a field; the dossier's
metadata says where each value came from and how each scanned page was judged; the receipt lists what was taken
from the paper."""

from __future__ import annotations

import pytest
from helpers.papers import birth_certificate_photo
from journeys_support import ID_PAYLOAD, journeys_over, make_services, printer, server  # noqa: F401

from kiosk.documents import Paper, ScanBatch, process_image, read_image
from kiosk.identity import parse_payload
from kiosk.journeys import Suggestion


def _scan(submit, photo) -> None:
    """What the scan screen does with one photo of the paper: read, judge, write, hand over with the offers."""
    procedure = submit.procedure
    doc = next(d for d in procedure.scannable_documents if d.key == "giay_chung_sinh")
    batch = ScanBatch([Paper(doc.key, doc.name_vi, doc.required)], procedure)
    batch.add(doc.key, process_image(read_image(photo)))
    attachments = batch.finish(submit.workdir() / "scan")
    submit.scanned(attachments, batch.offers())


@pytest.mark.slow
def test_the_paper_offers_what_the_citizen_has_not_answered(make_services, server, printer, tmp_path):  # noqa: F811
    photo, truth = birth_certificate_photo(tmp_path / "cam")
    services = make_services(server.url, printer.uri)
    journeys, shown = journeys_over(services)
    submit = journeys.submit
    journeys.start("submit")
    submit.identified(parse_payload(ID_PAYLOAD))
    submit.choose_procedure("1.001193")
    submit.start_form()
    submit.set_value("nyc_quan_he", "cha")
    assert submit.next_page() == {} and submit.page == 1
    assert [d.key for d in submit.papers_for_page()] == ["giay_chung_sinh"]  # the child's page: the paper fills it
    submit.set_value("tre_ho_ten", "Nguyễn Minh Khôi")  # typed before the scan: never offered over

    submit.scan_for_form()
    assert submit.step == "scan"
    _scan(submit, photo)
    assert submit.step == "form" and submit.page == 1  # back on the page that asked for the scan
    assert shown[-3:] == ["form", "scan", "form"]
    assert submit.part.attachments["giay_chung_sinh"].quality[0]["verdict"] == "good"

    dob = submit.offered("tre_ngay_sinh")
    assert dob is not None and dob.value == truth["tre_ngay_sinh"] and dob.document_key == "giay_chung_sinh"
    assert submit.part.suggestions["tre_ho_ten"].value == truth["tre_ho_ten"]  # read, but the citizen typed a name
    assert submit.offered("tre_ho_ten") is None
    assert submit.offered("nyc_ho_ten") is None  # the card's
    sex = submit.offered("tre_gioi_tinh")
    assert sex is not None and sex.display in ("Nam", "Nữ")  # a select shows its option's label
    assert submit.form.get("tre_ngay_sinh") == ""  # offered, not applied

    assert submit.accept_suggestion("tre_ngay_sinh")
    assert submit.form.get("tre_ngay_sinh") == truth["tre_ngay_sinh"]
    assert submit.offered("tre_ngay_sinh") is None and not submit.accept_suggestion("tre_ngay_sinh")
    assert submit.accept_suggestion("tre_gioi_tinh")
    submit.set_value("tre_noi_sinh", "Bệnh viện Đa khoa tỉnh Nam Định")  # typed over nothing: the offer goes
    assert submit.offered("tre_noi_sinh") is None
    assert submit.next_page() == {} and submit.page == 2
    submit.set_value("me_ho_ten", "Trần Thị Bình")
    assert submit.next_page() == {}
    assert submit.step == "review"  # the paper is scanned already: no second scan step

    sources = submit.field_sources()
    assert sources["nyc_ho_ten"] == "card" and sources["nyc_quan_he"] == "typed"
    assert sources["tre_ngay_sinh"] == sources["tre_gioi_tinh"] == "document:giay_chung_sinh"
    assert sources["tre_ho_ten"] == "typed" and sources["tre_dan_toc"] == "default"

    submit.set_consent(True)
    submit.submit()
    assert submit.step == "receipt" and submit.part.print_state == "printed"
    sub = submit.submission
    assert sub.status == "acknowledged"
    lines = sub.receipt.extra_lines
    assert lines[0] == "Thông tin đọc từ giấy tờ đã chụp:"
    assert any(truth["tre_ngay_sinh"] in ln and "Ngày, tháng, năm sinh" in ln for ln in lines[1:]), lines

    from server.models import Dossier

    with server.app.state.sessions() as s:
        stored = s.query(Dossier).one().meta
    assert stored["field_sources"]["tre_ngay_sinh"] == "document:giay_chung_sinh"
    assert stored["field_sources"]["nyc_so_dinh_danh"] == "card" and stored["field_sources"]["tre_ho_ten"] == "typed"
    paper = next(d for d in stored["documents"] if d["key"] == "giay_chung_sinh")
    assert paper["pages"] == [{"page": 1, "verdict": "good", "reasons": []}]


def test_an_edited_value_counts_as_typed_and_a_changed_field_is_not_offered(make_services):  # noqa: F811
    services = make_services()
    journeys, _shown = journeys_over(services)
    submit = journeys.submit
    journeys.start("submit")
    submit.identified(parse_payload(ID_PAYLOAD))
    submit.choose_procedure("1.001193")
    submit.start_form()
    submit.offer_suggestions({
        "tre_ngay_sinh": Suggestion("tre_ngay_sinh", "08/11/2025", "giay_chung_sinh", 0.95),
        "tre_dan_toc": Suggestion("tre_dan_toc", "Tày", "giay_chung_sinh", 0.95),
        "nyc_ho_ten": Suggestion("nyc_ho_ten", "Nguyễn Văn Ân", "giay_chung_sinh", 0.95),
    })
    assert submit.offered("nyc_ho_ten") is None  # the card's value stays the card's
    assert submit.offered("tre_dan_toc") is not None  # a default ("Kinh") is no answer of the citizen's
    assert submit.accept_suggestion("tre_ngay_sinh")
    assert submit.field_sources()["tre_ngay_sinh"] == "document:giay_chung_sinh"
    submit.set_value("tre_ngay_sinh", "09/11/2025")  # the citizen corrects it
    assert submit.field_sources()["tre_ngay_sinh"] == "typed"
    assert submit.offered("tre_ngay_sinh") is None  # never offered over what the citizen typed
    # A new form for another procedure forgets the offers.
    submit.choose_procedure("1.004222")
    submit.start_form()
    assert not submit.part.suggestions and not submit.part.accepted and not submit.part.scanned

"""The forms' prefill from the card's chip (issue 17): the shipped procedures' mapping, answers a card value
depends on (``prefill_when``), editable card values, and where each value came from in the dossier."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from helpers.cards import CHIP_CCCD, CHIP_CCCD_NO_OLD_NUMBER

from kiosk.base import paths
from kiosk.declarations import FormState
from kiosk.declarations.catalog import load_catalog
from kiosk.declarations.forms import FieldLocked
from kiosk.declarations.submission import identity_check
from kiosk.identity import parse_payload

CHIP = {"nationality": "Việt Nam", "ethnicity": "Tày", "religion": "Không",
        "place_of_origin": "Xã Hải Vân, Huyện Hải Hậu, Nam Định", "father_name": "Nguyễn Văn Bình",
        "mother_name": "Trần Thị Cúc", "spouse_name": "Lê Thị Dung", "chip_authenticity": "authentic"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(paths.resolve("config/procedures"))


def _chip(payload: str = CHIP_CCCD, **kw):
    return replace(parse_payload(payload, today=date(2026, 12, 1)), **{**CHIP, **kw})


def test_birth_registration_by_the_father_takes_his_chip_fields_and_the_mother_from_the_spouse(catalog):
    form = FormState.start(catalog["1.001193"].form, _chip())
    assert form.get("cha_ho_ten") == "" and form.get("cha_dan_toc") == "Kinh"  # nothing before "Quan hệ"
    form.set("nyc_quan_he", "cha")
    assert (form.get("cha_ho_ten"), form.get("cha_nam_sinh"), form.get("cha_dan_toc"), form.get("cha_quoc_tich")) == (
        "Nguyễn Văn An", "1989", "Tày", "Việt Nam")
    assert form.get("cha_noi_cu_tru").startswith("Xóm 2, Xã Hải Vân")
    assert form.locked("cha_dan_toc") and form.from_chip("cha_dan_toc") and not form.from_chip("cha_ho_ten")
    with pytest.raises(FieldLocked):
        form.set("cha_dan_toc", "Kinh")
    # The other parent from the chip's spouse, and the child's ethnicity and home town from the registering
    # parent: usual answers the citizen may change.
    assert form.get("me_ho_ten") == "Lê Thị Dung" and not form.locked("me_ho_ten")
    assert form.get("tre_que_quan") == "Xã Hải Vân, Huyện Hải Hậu, Nam Định" and form.get("tre_dan_toc") == "Tày"
    form.set("tre_que_quan", "Xã Yên Phong, Huyện Ý Yên, Nam Định")
    assert form.sources["tre_que_quan"] == "typed"
    # "Mẹ" instead: the father's card values go, the mother's come; what was typed stays.
    form.set("nyc_quan_he", "me")
    assert form.get("cha_ho_ten") == "Lê Thị Dung" and form.get("cha_dan_toc") == "Kinh"  # the spouse; usual answer
    assert form.get("me_ho_ten") == "Nguyễn Văn An" and form.get("me_dan_toc") == "Tày" and form.locked("me_ho_ten")
    assert form.get("tre_que_quan") == "Xã Yên Phong, Huyện Ý Yên, Nam Định"
    form.set("nyc_quan_he", "ong_ba")
    assert form.get("me_ho_ten") == "" and form.sources["me_ho_ten"] == "empty" and form.get("cha_nam_sinh") == ""


def test_a_value_typed_before_the_answer_is_never_replaced(catalog):
    form = FormState.start(catalog["1.001193"].form, _chip())
    form.set("me_ho_ten", "Phạm Thị Hoa")
    form.set("nyc_quan_he", "cha")
    assert form.get("me_ho_ten") == "Phạm Thị Hoa" and form.sources["me_ho_ten"] == "typed"


def test_qr_only_fills_what_the_qr_knows_and_leaves_usual_answers(catalog):
    form = FormState.start(catalog["1.001193"].form, parse_payload(CHIP_CCCD, today=date(2026, 12, 1)))
    form.set("nyc_quan_he", "cha")
    assert form.get("cha_ho_ten") == "Nguyễn Văn An" and form.get("cha_dan_toc") == "Kinh"
    assert form.sources["cha_dan_toc"] == "default" and form.get("me_ho_ten") == "" and form.get("tre_que_quan") == ""
    assert form.report().from_chip == 0


@pytest.mark.parametrize(("code", "expected"), [
    ("LLTP.01", {"dan_toc": "Tày", "ho_ten_cha": "Nguyễn Văn Bình", "ho_ten_me": "Trần Thị Cúc",
                 "ho_ten_vo_chong": "Lê Thị Dung", "quoc_tich": "Việt Nam"}),
    ("1.000894", {"b1_dan_toc": "Tày", "b1_quoc_tich": "Việt Nam", "b2_ho_ten": "Lê Thị Dung"}),
    ("1.004194", {"que_quan": "Xã Hải Vân, Huyện Hải Hậu, Nam Định"}),
    ("1.004222", {"que_quan": "Xã Hải Vân, Huyện Hải Hậu, Nam Định"}),
    ("2.000720", {"chu_ho_dan_toc": "Tày", "chu_ho_quoc_tich": "Việt Nam"}),
])
def test_the_shipped_forms_take_the_chip_fields(catalog, code, expected):
    form = FormState.start(catalog[code].form, _chip())
    assert {k: form.get(k) for k in expected} == expected
    assert all(form.from_chip(k) for k in expected if k != "b2_ho_ten" or form.sources[k] == "card")


def test_residence_forms_take_the_card_residence_as_an_editable_usual_answer(catalog):
    form = FormState.start(catalog["1.004194"].form, _chip())
    assert form.get("noi_thuong_tru").startswith("Xóm 2") and not form.locked("noi_thuong_tru")
    form.set("noi_thuong_tru", "Số 3 phố Huế, Hà Nội")
    assert form.sources["noi_thuong_tru"] == "typed"


def test_a_chip_without_a_spouse_leaves_the_field_to_type(catalog):
    form = FormState.start(catalog["LLTP.01"].form, _chip(CHIP_CCCD_NO_OLD_NUMBER, spouse_name=None))
    assert form.get("ho_ten_vo_chong") == "" and form.sources["ho_ten_vo_chong"] == "empty"


def test_the_dossier_says_which_values_came_from_the_chip_and_how_the_card_was_checked(catalog):
    from kiosk.journeys.submit import SubmitJourney
    from kiosk.journeys.visit import Visit

    class Services:
        visit = Visit()
        catalog = None

    journey = SubmitJourney(Services())
    identity = _chip()
    journey.part.form = form = FormState.start(catalog["LLTP.01"].form, identity)
    sources = journey.field_sources()
    assert sources["ho_ten"] == "card" and sources["ho_ten_cha"] == "chip" and sources["dan_toc"] == "chip"
    assert sources["loai_phieu"] == "default"
    form.set("ho_ten_vo_chong", "Lê Thị Dung Hoa")
    assert journey.field_sources()["ho_ten_vo_chong"] == "typed"
    assert identity_check(identity) == "chip_authentic"
    assert identity_check(replace(identity, chip_authenticity=None)) == "qr"
    assert identity_check(None) is None

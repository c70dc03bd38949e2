"""Form model: prefill from the ID card, validation messages in Vietnamese, the prefill report."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.cards import CHIP_CCCD as PAYLOAD
from hypothesis import given
from hypothesis import strategies as st

from kiosk.base import paths
from kiosk.declarations.catalog import load_catalog
from kiosk.declarations.forms import FormState, check_value, format_date, parse_date
from kiosk.identity.payload import parse_payload

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(paths.resolve("config/procedures"))


@pytest.fixture
def identity():
    return parse_payload(PAYLOAD, today=TODAY)


def test_prefill_from_the_card(catalog, identity):
    form = FormState.start(catalog["1.004222"].form, identity, today=TODAY)
    assert form.get("ho_ten") == "Nguyễn Văn An"
    assert form.get("ngay_sinh") == "15/03/1989"
    assert form.get("gioi_tinh") == "nam"
    assert form.get("so_dinh_danh") == "036089001234"
    assert form.sources["ho_ten"] == "identity"
    assert form.get("quan_he_chu_ho") == "chu_ho" and form.sources["quan_he_chu_ho"] == "default"


def test_without_a_card_nothing_is_prefilled(catalog):
    form = FormState.start(catalog["1.004222"].form, None, today=TODAY)
    assert form.get("ho_ten") == "" and form.sources["ho_ten"] == "empty"
    assert form.report().from_identity == 0


def test_required_fields_get_plain_vietnamese_messages(catalog, identity):
    form = FormState.start(catalog["1.001193"].form, identity, today=TODAY)
    errors = form.check_all()
    assert set(errors) == {"nyc_quan_he", "tre_ho_ten", "tre_ngay_sinh", "tre_gioi_tinh", "tre_noi_sinh", "me_ho_ten"}
    assert errors["tre_ho_ten"].message("vi") == "Xin điền mục này."
    assert errors["tre_gioi_tinh"].message("vi") == "Xin chọn một trong các ô."
    assert errors["tre_ho_ten"].message("en") == "Please fill in this field."


def test_a_complete_birth_declaration_is_valid(catalog, identity):
    form = FormState.start(catalog["1.001193"].form, identity, today=TODAY)
    form.update({"nyc_quan_he": "cha", "tre_ho_ten": "Nguyễn Minh Khôi", "tre_ngay_sinh": "2026-11-20",
                 "tre_gioi_tinh": "nam", "tre_noi_sinh": "Bệnh viện Đa khoa tỉnh Nam Định", "me_ho_ten": "Trần Thị Bình"})
    assert form.check_all() == {}
    out = form.cleaned()
    assert out["tre_ngay_sinh"] == "2026-11-20"
    assert out["so_ban_sao"] == 1
    assert out["nyc_so_dinh_danh"] == "036089001234"
    assert form.sources["tre_ho_ten"] == "typed"
    assert form.display(form.schema.field("tre_gioi_tinh")) == "Nam"


def test_show_if_hides_the_head_of_household_unless_needed(catalog, identity):
    form = FormState.start(catalog["1.004222"].form, identity, today=TODAY)
    form.update({"dien_thoai": "0912345678", "dia_chi_moi": "Số 3 ngõ 4, phường Hải Vân"})
    assert form.check_all() == {}
    form.set("quan_he_chu_ho", "con")
    assert set(form.check_all()) == {"chu_ho_ho_ten", "chu_ho_so_dinh_danh"}
    keys = [f.key for f in form.page_fields(1)]
    assert "chu_ho_ho_ten" in keys


@pytest.mark.parametrize(
    "ftype, value, code",
    [
        ("date", "31/02/2020", "date"),
        ("date", "1/1/2099", "future"),
        ("date", "hôm qua", "date"),
        ("id_number", "12345", "id12"),
        ("id_number", "999089001234", "id_province"),
        ("phone", "12345", "phone"),
        ("email", "an@", "email"),
        ("number", "abc", "number"),
    ],
)
def test_bad_values(catalog, ftype, value, code):
    from kiosk.declarations.procedure import FormField

    f = FormField(key="x", type=ftype, label_vi="X", not_future=True)
    err = check_value(f, value, TODAY)
    assert err is not None and err.code == code
    assert err.message("vi") and "{" not in err.message("vi")


@pytest.mark.parametrize(
    "ftype, value", [("date", "5/10/2026"), ("date", "05102026"), ("phone", "0912 345 678"), ("phone", "+84912345678"),
                     ("email", "an.nguyen@gmail.com"), ("id_number", "036 089 001 234")],
)
def test_good_values(ftype, value):
    from kiosk.declarations.procedure import FormField

    assert check_value(FormField(key="x", type=ftype, label_vi="X"), value, TODAY) is None


def test_number_limits(catalog, identity):
    form = FormState.start(catalog["1.004194"].form, identity, today=TODAY)
    form.set("thoi_han", "36")
    err = form.check("thoi_han")
    assert err.code == "max" and "24" in err.message()


def test_every_shipped_form_declares_at_least_20_percent_fewer_fields(catalog, identity):
    for p in catalog:
        report = FormState.start(p.form, identity, today=TODAY).report()
        assert report.saved_share >= 0.2, (p.code, report)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip(d):
    assert parse_date(format_date(d)) == d


def test_the_cards_values_are_locked_and_a_new_identity_keeps_what_was_typed(catalog, identity):
    from kiosk.declarations.forms import FieldLocked
    from kiosk.identity.payload import identity_from_manual

    form = FormState.start(catalog["1.004222"].form, identity, today=TODAY)
    assert form.locked("ho_ten") and form.locked("gioi_tinh") and not form.locked("dien_thoai")
    with pytest.raises(FieldLocked):
        form.set("ho_ten", "Nguyễn Văn Ân")
    form.set("ho_ten", "Nguyễn Văn An")  # the same value is no change
    form.update({"so_dinh_danh": "036089001234", "dien_thoai": "0912345678"})
    other = form.restarted(identity_from_manual("001090001234", "Lê Thị Hoa", "01/02/1990"))
    assert other.get("ho_ten") == "Lê Thị Hoa" and other.locked("ho_ten")
    assert other.get("dien_thoai") == "0912345678" and other.sources["dien_thoai"] == "typed"
    assert other.identity is not identity

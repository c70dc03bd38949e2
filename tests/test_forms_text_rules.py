"""Form fields follow the same character rules as the ID-card parser (kiosk.base.text_rules): a value
with a control, invisible or direction character is refused with a Vietnamese message, never cleaned;
numbers are ASCII digits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.declarations.forms import check_value
from kiosk.declarations.procedure import FormField

TEXT = FormField(key="ghi_chu", type="text", label_vi="Ghi chú")
ADDRESS = FormField(key="dia_chi", type="address", label_vi="Địa chỉ")
NUMBER = FormField(key="so_ban", type="number", label_vi="Số bản", min=1, max=10)
ID = FormField(key="so_dinh_danh", type="id_number", label_vi="Số định danh")
PHONE = FormField(key="dien_thoai", type="phone", label_vi="Điện thoại")

HOSTILE = "\x00\x1b\n\r\t\u200b\u200d\u2060\ufeff\u202a\u202b\u202d\u202e\u2066\u2067\u2068\u200e\u200f\ue000"


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([TEXT, ADDRESS]), st.text(alphabet="abc xyzđươ", min_size=1, max_size=20).filter(str.strip),
       st.sampled_from(HOSTILE), st.data())
def test_control_invisible_and_direction_characters_are_refused_in_words(field, text, bad, data):
    at = data.draw(st.integers(0, len(text)))
    err = check_value(field, text[:at] + bad + text[at:] + "a")
    assert err is not None and err.code == "bad_char"
    assert "ký tự" in err.message("vi")


@pytest.mark.parametrize("field, value", [
    (NUMBER, "３"), (NUMBER, "٣"), (ID, "０３６０８９００１２３４"), (ID, "03608900123٤"),
    (PHONE, "０９１２３４５６７８"),
])
def test_numbers_take_ascii_digits_only(field, value):
    assert check_value(field, value) is not None


def test_ordinary_values_still_pass():
    assert check_value(TEXT, "Nộp bản sao (2 bản), xin cảm ơn!") is None
    assert check_value(ADDRESS, "Số 12/3 ngõ 5, phố Huế") is None
    assert check_value(NUMBER, "3") is None and check_value(ID, "036 089 001 234") is None
    assert check_value(PHONE, "0912 345 678") is None

"""The ID-card payload parser is strict by whitelist: hostile payloads of every class are rejected,
never silently cleaned; real card payloads in all their shapes still parse.

Classes (issue: audit finding 9): non-ASCII digits in numbers (full-width, other scripts), control
characters (NUL, newline inside a field), invisible and direction characters (zero-width, bidi
overrides, RTL/LTR marks), private-use and surrogate code points, shell metacharacters in the
address, non-Latin look-alike letters in the name.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.base.text_rules import address_problem, free_text_problem, name_problem
from kiosk.identity.payload import CitizenIdentity, IdentityError, make_payload, parse_payload, province_codes

TODAY = date(2026, 1, 15)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"

CHIP = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"
CAN_CUOC = "079194003210|025987654|Lê Thị Cúc|21111994|Nữ|Tổ 3, Khu phố 4, Phường Sài Gòn, Thành phố Hồ Chí Minh|05082025||||"


@st.composite
def identities(draw: st.DrawFn) -> CitizenIdentity:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    female = draw(st.booleans())
    g = (born.year - 1900) // 100 * 2 + int(female)
    number = f"{draw(st.sampled_from(sorted(province_codes())))}{g}{born.year % 100:02d}{draw(st.integers(0, 999_999)):06d}"
    word = st.text(alphabet=VI, min_size=1, max_size=8).map(str.capitalize)
    name = " ".join(draw(st.lists(word, min_size=2, max_size=4)))
    parts = draw(st.lists(st.text(alphabet=VI + "0123456789", min_size=1, max_size=12), min_size=1, max_size=4))
    issued = draw(st.dates(min_value=born, max_value=TODAY))
    return CitizenIdentity(
        id_number=number, old_id_number=None, full_name=name, date_of_birth=born,
        sex="female" if female else "male", address=", ".join(parts), issue_date=issued,
        card_type="can_cuoc" if issued >= date(2024, 7, 1) else "cccd_chip",
        extra=("", "", "", "") if issued >= date(2024, 7, 1) else (),
    )


def _set(payload: str, index: int, value: str) -> str:
    fields = payload.split("|")
    fields[index] = value
    return "|".join(fields)


def _insert(draw: st.DrawFn, text: str, chars: str | st.SearchStrategy[str]) -> str:
    bad = draw(st.sampled_from(chars)) if isinstance(chars, str) else draw(chars)
    at = draw(st.integers(0, len(text)))
    return text[:at] + bad + text[at:]


FULLWIDTH = "０１２３４５６７８９"
OTHER_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳०१२३৪৫๑๒"  # Arabic-Indic, Persian, Devanagari, Bengali, Thai
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\t\n\r"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
PRIVATE_OR_SURROGATE = st.one_of(
    st.integers(0xE000, 0xF8FF).map(chr), st.integers(0xF0000, 0xFFFFD).map(chr), st.integers(0xD800, 0xDFFF).map(chr)
)
SHELL = ["$(reboot)", "`id`", "; rm -rf /", "&& curl x", "> /etc/passwd", "<x", "*", "\\", '"', "'", "!", "{a,b}",
         "#", "~", "%s", "^", "="]
LOOKALIKES = "аеорсухіјѕԁԛԝАВЕКМНОРСТХΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Cyrillic and Greek letters that look Latin


def _rejected(payload: str) -> str:
    with pytest.raises(IdentityError) as e:
        parse_payload(payload, TODAY)
    assert e.value.message_vi and e.value.message_en
    return e.value.code


# ---------------------------------------------------------------- hostile classes


@SETTINGS
@given(identities(), st.sampled_from([0, 1, 3, 6]), st.data())
def test_non_ascii_digits_in_numbers_and_dates_are_rejected(identity, index, data):
    payload = make_payload(identity)
    if index == 1:
        payload = _set(payload, 1, "163456789")
    value = payload.split("|")[index]
    k = data.draw(st.integers(0, len(value) - 1))
    digit = data.draw(st.sampled_from(FULLWIDTH + OTHER_DIGITS))
    _rejected(_set(payload, index, value[:k] + digit + value[k + 1:]))


@SETTINGS
@given(identities())
def test_a_fully_full_width_id_number_is_rejected_not_converted(identity):
    payload = make_payload(identity)
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in identity.id_number)
    assert _rejected(_set(payload, 0, wide)) == "bad_id_number"


@SETTINGS
@given(identities(), st.sampled_from([0, 2, 3, 4, 5, 6]), st.data())
def test_control_characters_inside_a_field_are_rejected(identity, index, data):
    payload = make_payload(identity)
    value = payload.split("|")[index]
    _rejected(_set(payload, index, _insert(data.draw, value, CONTROLS)))


@SETTINGS
@given(identities(), st.sampled_from([2, 5]), st.sampled_from(["invisible", "bidi"]), st.data())
def test_invisible_and_direction_characters_in_name_or_address_are_rejected(identity, index, kind, data):
    payload = make_payload(identity)
    value = payload.split("|")[index]
    assert _rejected(_set(payload, index, _insert(data.draw, value, INVISIBLE if kind == "invisible" else BIDI))) \
        == "bad_characters"


@SETTINGS
@given(identities(), st.sampled_from([2, 5]), st.data())
def test_private_use_and_surrogate_code_points_are_rejected(identity, index, data):
    payload = make_payload(identity)
    value = payload.split("|")[index]
    assert _rejected(_set(payload, index, _insert(data.draw, value, PRIVATE_OR_SURROGATE))) == "bad_characters"


@SETTINGS
@given(identities(), st.sampled_from(SHELL), st.data())
def test_shell_metacharacters_in_the_address_are_rejected(identity, shell, data):
    payload = make_payload(identity)
    assert _rejected(_set(payload, 5, _insert(data.draw, identity.address, st.just(shell)))) == "bad_address"


@SETTINGS
@given(identities(), st.data())
def test_look_alike_letters_of_other_scripts_in_the_name_are_rejected(identity, data):
    payload = make_payload(identity)
    assert _rejected(_set(payload, 2, _insert(data.draw, identity.full_name, LOOKALIKES))) == "bad_name"


@SETTINGS
@given(identities(), st.sampled_from("0123456789@#$%&*+=_/\\:;!?<>[]{}~^\"`"), st.data())
def test_a_name_holds_letters_spaces_and_a_few_marks_only(identity, ch, data):
    payload = make_payload(identity)
    assert _rejected(_set(payload, 2, _insert(data.draw, identity.full_name, ch))) == "bad_name"


def test_a_nul_anywhere_even_at_the_end_is_rejected():
    assert _rejected(CHIP + "\x00") == "bad_characters"
    assert _rejected("\x00" + CHIP) in {"bad_characters", "not_id_card"}


# ---------------------------------------------------------------- what real cards give still parses


def test_valid_shapes_still_parse():
    chip = parse_payload(CHIP, TODAY)
    assert (chip.full_name, chip.card_type, chip.extra) == ("Nguyễn Văn An", "cccd_chip", ())
    assert parse_payload(CHIP + "|", TODAY).extra == ("",)  # trailing pipe
    cc = parse_payload(CAN_CUOC, TODAY)
    assert cc.card_type == "can_cuoc" and cc.extra == ("", "", "", "")  # 11 fields
    assert parse_payload(CHIP + "|Nguyễn Văn Bố|Trần Thị Mẹ", TODAY).extra == ("Nguyễn Văn Bố", "Trần Thị Mẹ")  # 9
    nfd = parse_payload(unicodedata.normalize("NFD", CHIP), TODAY)
    assert nfd.full_name == "Nguyễn Văn An" and unicodedata.is_normalized("NFC", nfd.address)
    assert parse_payload("CCCD:" + CHIP, TODAY) == chip
    assert parse_payload("CCCD: " + CHIP, TODAY) == chip
    assert parse_payload("]Q2\\000026" + CHIP, TODAY) == chip  # AIM symbology identifier + ECI 26 (UTF-8)
    assert parse_payload("\\000026" + CHIP, TODAY) == chip
    assert parse_payload(CHIP + "\r\n", TODAY) == chip  # a scanner's line ending
    assert parse_payload(CHIP.encode("utf-8"), TODAY) == chip


def test_addresses_keep_their_usual_punctuation():
    addr = "Số 12/3 ngõ 5 (cũ), phố Huế - P. Phạm Đình Hổ, Q. Hai Bà Trưng, Hà Nội"
    assert parse_payload(_set(CHIP, 5, addr), TODAY).address == addr
    assert parse_payload(_set(CHIP, 2, "Nguyễn Thị Mai-Anh"), TODAY).full_name == "Nguyễn Thị Mai-Anh"
    assert parse_payload(_set(CHIP, 2, "H'Hen Niê"), TODAY).full_name == "H'Hen Niê"


@SETTINGS
@given(identities(), st.booleans())
def test_generated_cards_round_trip_in_nfc_and_nfd(identity, nfd):
    payload = make_payload(identity)
    if nfd:
        payload = unicodedata.normalize("NFD", payload)
    assert parse_payload(payload, TODAY) == identity


# ---------------------------------------------------------------- the shared rules, for other free text


def test_the_shared_rules_name_their_problem():
    assert name_problem("Nguyễn Văn An") is None and name_problem("An\u202e") == "bad_characters"
    assert name_problem("An 2") == "bad_name"
    assert address_problem("Số 1, đường Trần Hưng Đạo") is None and address_problem("x; reboot") == "bad_address"
    assert free_text_problem("Nhân viên nhiệt tình, 10/10!") is None
    assert free_text_problem("xin\u200bchào") == "bad_characters" and free_text_problem("a\x00") == "bad_characters"
    assert free_text_problem("dòng 1\ndòng 2") == "bad_characters"
    assert free_text_problem("dòng 1\ndòng 2", multiline=True) is None

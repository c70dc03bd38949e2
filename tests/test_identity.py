"""The ID-card payload parser: round trips, every broken rule, hostile input (hypothesis)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from helpers.cards import VALID as EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.identity.payload import (
    CitizenIdentity,
    IdentityError,
    identity_from_manual,
    make_payload,
    parse_payload,
    province_codes,
)

TODAY = date(2026, 1, 15)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VI_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


def _word(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(alphabet=VI_LOWER, min_size=min_size, max_size=8).map(str.capitalize)


@st.composite
def identities(draw: st.DrawFn) -> CitizenIdentity:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    female = draw(st.booleans())
    g = (born.year - 1900) // 100 * 2 + int(female)
    number = f"{draw(st.sampled_from(sorted(province_codes())))}{g}{born.year % 100:02d}{draw(st.integers(0, 999_999)):06d}"
    name = " ".join(draw(st.lists(_word(), min_size=1, max_size=5)))
    address = ", ".join(draw(st.lists(st.text(alphabet=VI_LOWER + "0123456789 ", min_size=1, max_size=20), max_size=4)))
    address = " ".join(address.replace(" ,", ",").split())
    issued = draw(st.dates(min_value=born, max_value=TODAY))
    old = draw(st.one_of(st.none(), st.integers(0, 10**9 - 1).map(lambda n: f"{n:09d}")))
    can_cuoc = issued >= date(2024, 7, 1)
    extra = tuple(draw(st.lists(st.sampled_from(["", ""]), min_size=4, max_size=4))) if can_cuoc else ()
    return CitizenIdentity(
        id_number=number,
        old_id_number=old,
        full_name=name,
        date_of_birth=born,
        sex="female" if female else "male",
        address=address,
        issue_date=issued,
        card_type="can_cuoc" if can_cuoc else "cccd_chip",
        extra=extra,
    )


# ---------------------------------------------------------------- valid payloads


def test_domain_examples_parse_to_the_documented_people():
    a, b, c = (parse_payload(p, TODAY) for p in EXAMPLES)
    assert (a.id_number, a.old_id_number, a.full_name, a.sex, a.card_type) == (
        "036089001234", "163456789", "Nguyễn Văn An", "male", "cccd_chip")
    assert a.date_of_birth == date(1989, 3, 15) and a.issue_date == date(2021, 4, 20)
    assert b.old_id_number is None and b.sex == "female" and b.date_of_birth.year == 2005
    assert c.card_type == "can_cuoc" and c.extra == ("", "", "", "")
    assert c.address == "Tổ 3, Khu phố 4, Phường Sài Gòn, Thành phố Hồ Chí Minh"


@pytest.mark.slow
@SETTINGS
@given(identities())
def test_generated_payloads_round_trip(identity):
    assert parse_payload(make_payload(identity), TODAY) == identity


@SETTINGS
@given(identities(), st.sampled_from(["CCCD:", "CCCD: ", "cccd ", "Căn cước: ", "\ufeff", "]Q2\\000026"]),
       st.sampled_from(["", "\r\n", "\n"]), st.booleans())
def test_normalisation_of_what_is_seen_in_the_wild(identity, prefix, line_end, nfd):
    """Labels, reader framing, upper-case sex and NFD are what real readers give; they parse.
    (Full-width digits, NUL and other odd characters are rejected: tests/test_identity_strict.py.)"""
    payload = make_payload(identity)
    fields = payload.split("|")
    fields[4] = {"Nam": "NAM", "Nữ": "nữ"}[fields[4]]
    text = prefix + "|".join(fields) + line_end
    if nfd:
        text = unicodedata.normalize("NFD", text)
    assert parse_payload(text, TODAY) == identity
    assert parse_payload(text.encode("utf-8"), TODAY) == identity


def test_card_type_follows_the_issue_date():
    base = "036089001234||Nguyễn Văn An|15031989|Nam|Nam Định|{}"
    assert parse_payload(base.format("30062024"), TODAY).card_type == "cccd_chip"
    assert parse_payload(base.format("01072024"), TODAY).card_type == "can_cuoc"


def test_age_on():
    a = parse_payload(EXAMPLES[0], TODAY)  # born 15/03/1989
    assert a.age_on(date(2026, 3, 14)) == 36
    assert a.age_on(date(2026, 3, 15)) == 37


def test_the_person_never_shows_in_repr_or_errors():
    a = parse_payload(EXAMPLES[0], TODAY)
    assert "036089001234" not in repr(a) and "Nguyễn" not in str(a)
    with pytest.raises(IdentityError) as e:
        parse_payload(EXAMPLES[0].replace("|Nam|", "|Nữ|"), TODAY)
    assert "036089001234" not in str(e.value) and "Nguyễn" not in e.value.message_vi + e.value.message_en


# ---------------------------------------------------------------- broken rules → the right code


def _set(payload: str, index: int, value: str) -> str:
    fields = payload.split("|")
    fields[index] = value
    return "|".join(fields)


def _unknown_province() -> str:
    return next(f"{n:03d}" for n in range(1000) if f"{n:03d}" not in province_codes())


MUTATIONS = {
    "bad_id_number": [lambda p, i: _set(p, 0, i.id_number[:-1]), lambda p, i: _set(p, 0, i.id_number + "7"),
                      lambda p, i: _set(p, 0, i.id_number[:5] + "x" + i.id_number[6:])],
    "unknown_province": [lambda p, i: _set(p, 0, _unknown_province() + i.id_number[3:])],
    "sex_mismatch": [lambda p, i: _set(p, 4, "Nữ" if i.sex == "male" else "Nam")],
    "century_mismatch": [lambda p, i: _set(p, 0, i.id_number[:3] + str((int(i.id_number[3]) + 4) % 10) + i.id_number[4:])],
    "year_mismatch": [lambda p, i: _set(p, 0, i.id_number[:4] + f"{(int(i.id_number[4:6]) + 1) % 100:02d}" + i.id_number[6:])],
    "bad_date": [lambda p, i: _set(p, 3, "32" + p.split("|")[3][2:]), lambda p, i: _set(p, 6, p.split("|")[6][:2] + "13" + p.split("|")[6][4:]),
                 lambda p, i: _set(p, 3, "1503198")],
    "future_date": [lambda p, i: _set(p, 6, (TODAY + timedelta(days=1)).strftime("%d%m%Y"))],
    "not_id_card": [lambda p, i: "|".join(p.split("|")[:6]), lambda p, i: p.replace("|", ";")],
    "bad_old_id": [lambda p, i: _set(p, 1, "12345678")],
    "bad_sex": [lambda p, i: _set(p, 4, "Male")],
    "missing_name": [lambda p, i: _set(p, 2, "  ")],
    "bad_name": [lambda p, i: _set(p, 2, i.full_name + " 2")],
}


@SETTINGS
@given(identities(), st.sampled_from([(code, k) for code, fns in MUTATIONS.items() for k in range(len(fns))]))
def test_every_broken_rule_is_rejected_with_its_code(identity, mutation):
    code, k = mutation
    payload = MUTATIONS[code][k](make_payload(identity), identity)
    with pytest.raises(IdentityError) as e:
        parse_payload(payload, TODAY)
    assert e.value.code == code
    assert e.value.message_vi and e.value.message_en


def test_issue_before_birth():
    with pytest.raises(IdentityError) as e:
        parse_payload(_set(EXAMPLES[0], 6, "14031989"), TODAY)
    assert e.value.code == "issue_before_birth"


def test_future_birth_date():
    with pytest.raises(IdentityError) as e:
        parse_payload(_set(EXAMPLES[0], 3, "15032027"), TODAY)
    assert e.value.code == "future_date"


# ---------------------------------------------------------------- hostile input


HOSTILE = [
    "", " ", "|" * 20, "https://dichvucong.gov.vn/", "000201010212385700", "'; DROP TABLE dossiers; --",
    "<script>alert(1)</script>|" * 7, "${jndi:ldap://x/a}", "../../etc/passwd", "\x00" * 50, "A" * 5000,
    ("036089001234|" * 500)[:5000],
    "036089001234|163456789|Nguyễn Văn An|15031989|Nam|x|20042021" + "|" * 40,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_only_raise_the_typed_error(text):
    with pytest.raises(IdentityError):
        parse_payload(text, TODAY)


@pytest.mark.slow
@SETTINGS
@given(st.one_of(st.text(max_size=5000), st.binary(max_size=5000), st.text(alphabet="0123456789|NamNữ\r\n\x00 ", max_size=300)))
def test_arbitrary_input_never_raises_anything_else(data):
    try:
        parse_payload(data, TODAY)
    except IdentityError as e:
        assert e.code and e.message_vi and e.message_en


def test_invisible_and_bidi_characters_are_rejected_not_dropped():
    with pytest.raises(IdentityError) as e:
        parse_payload("036089001234|163456789|\u202eNguyễn\u200b Văn An|15031989|Nam|x|20042021", TODAY)
    assert e.value.code == "bad_characters"


def test_non_utf8_bytes():
    with pytest.raises(IdentityError) as e:
        parse_payload("036089001234||Nguyễn Văn An|15031989|Nam|x|20042021".encode("cp1258", "replace") + b"\xff", TODAY)
    assert e.value.code == "not_utf8"


# ---------------------------------------------------------------- manual entry


def test_manual_entry_checks_the_number_against_the_birth_date():
    ident = identity_from_manual("036 089 001 234", " Nguyễn  Văn An ", "15/03/1989", today=TODAY)
    assert (ident.id_number, ident.full_name, ident.sex, ident.source) == ("036089001234", "Nguyễn Văn An", "male", "manual")
    for number, name, dob, code in [
        ("03608900123", "An", "15/03/1989", "bad_id_number"),
        ("036089001234", "An", "15/03/1988", "year_mismatch"),
        ("036089001234", "", "15/03/1989", "missing_name"),
        ("036089001234", "An", "31/02/1989", "bad_date"),
        ("999089001234", "An", "15/03/1989", "unknown_province"),
    ]:
        with pytest.raises(IdentityError) as e:
            identity_from_manual(number, name, dob, today=TODAY)
        assert e.value.code == code

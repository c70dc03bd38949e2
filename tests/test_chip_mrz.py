"""TD1 parsing and ICAO check digits (Part 3 §4.9, Part 5), with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.identity.chip.mrz import MrzError, bac_information, check_digit, make_td1, parse_td1

MRZ_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
dates = st.dates().map(lambda d: d.strftime("%y%m%d"))
docs = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=9)


def test_check_digit_published_examples() -> None:
    # Part 3 §4.9 worked example: 520727 → 3; Part 11 Appendix D: L898902C< → 3, 690806 → 1, 940623 → 6.
    assert check_digit("520727") == "3"
    assert check_digit("L898902C<") == "3"
    assert check_digit("690806") == "1" and check_digit("940623") == "6"


@given(st.text(alphabet=MRZ_CHARS, min_size=1, max_size=40), st.integers(0, 39), st.sampled_from(MRZ_CHARS))
def test_check_digit_catches_every_single_character_change(text: str, pos: int, new: str) -> None:
    pos %= len(text)
    changed = text[:pos] + new + text[pos + 1:]
    if changed != text and {text[pos], new} not in ({"<", "0"},):  # '<' and '0' both weigh 0 by definition
        # 7-3-1 weights mod 10 detect every single substitution whose value difference is not a multiple of 10.
        vals = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
        vals["<"] = 0
        if (vals[text[pos]] - vals[new]) * (7, 3, 1)[pos % 3] % 10:
            assert check_digit(changed) != check_digit(text)


@given(docs, dates, st.sampled_from("MF<"), dates, st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_td1_round_trip(doc: str, birth: str, sex: str, expiry: str, id_number: str) -> None:
    lines = make_td1(doc, birth, sex, expiry, "NGUYEN VAN AN", optional1=id_number)
    assert all(len(line) == 30 for line in lines)
    mrz = parse_td1(lines)
    assert (mrz.document_number, mrz.birth, mrz.sex, mrz.expiry) == (doc, birth, sex, expiry)
    assert mrz.id_number == id_number and mrz.issuer == "VNM" and mrz.name == "NGUYEN VAN AN"
    assert mrz.bac_information() == bac_information(doc, birth, expiry)
    assert parse_td1(",".join(lines)) == mrz


# Positions of line 1's document number and line 2's birth and expiry dates and their check digits.
CHECKED = [*range(5, 15), *range(30, 37), *range(38, 45)]


@given(st.sampled_from(CHECKED), st.sampled_from("0123456789"))
def test_td1_any_changed_digit_of_the_bac_fields_is_caught(pos: int, new: str) -> None:
    """A changed digit is always caught: 7, 3 and 1 are prime to 10 (a letter may not be — 8 and S weigh alike mod 10)."""
    lines = make_td1("089001234", "890315", "M", "340315", "NGUYEN VAN AN", optional1="036089001234")
    flat = "".join(lines)
    if flat[pos] == new:
        return
    changed = flat[:pos] + new + flat[pos + 1:]
    with pytest.raises(MrzError):
        parse_td1([changed[0:30], changed[30:60], changed[60:90]])


def test_td1_rejects_wrong_shapes() -> None:
    with pytest.raises(MrzError):
        parse_td1(["IDVNM", "", ""])
    good = make_td1("089001234", "890315", "M", "340315", "NGUYEN VAN AN")
    with pytest.raises(MrzError) as e:
        parse_td1([good[0], good[1][:6] + "0" + good[1][7:], good[2]])
    assert e.value.field in {"birth", "composite"}

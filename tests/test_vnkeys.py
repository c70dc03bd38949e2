"""Telex and VNI: every Vietnamese rhyme with every tone can be typed; undo, backspace, tone placement."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.base.vnkeys import (
    TONE_MARKS,
    apply_mark,
    apply_tone,
    backspace,
    strip_accents,
    type_key,
    type_keys,
)

# Rhymes (vần) of Vietnamese; "*" follows the vowel that carries the tone (new style, "hoà").
OPEN = """a* e* ê* i* o* ô* ơ* u* ư* y* a*i a*o a*u a*y â*u â*y e*o ê*u i*a i*u o*i ô*i ơ*i u*a u*i ư*a ư*i ư*u
oa* oe* uy* uê* uơ* oa*i oa*y oe*o uâ*y uô*i ươ*i ươ*u uy*a uy*u iê*u yê*u uyê*""".split()
CLOSED = """a*c a*ch a*m a*n a*ng a*nh a*p a*t ă*c ă*m ă*n ă*ng ă*p ă*t â*c â*m â*n â*ng â*p â*t e*c e*m e*n e*ng e*p e*t
ê*ch ê*m ê*n ê*nh ê*p ê*t i*ch i*m i*n i*nh i*p i*t o*c o*m o*n o*ng o*p o*t ô*c ô*m ô*n ô*ng ô*p ô*t ơ*m ơ*n ơ*p ơ*t
u*c u*m u*n u*ng u*p u*t ư*c ư*m ư*n ư*ng ư*t iê*c iê*m iê*n iê*ng iê*p iê*t yê*n yê*t oa*c oa*ch oa*m oa*n oa*ng
oa*nh oa*p oa*t oă*c oă*m oă*n oă*ng oă*t oe*n oe*t uâ*n uâ*t uâ*ng uê*nh uô*c uô*m uô*n uô*ng uô*t ươ*c ươ*m ươ*n
ươ*ng ươ*p ươ*t uy*n uy*t uy*ch uy*nh uyê*n uyê*t""".split()
STOPS = ("c", "ch", "p", "t")  # rhymes ending in these take only sắc and nặng
OLD_STYLE_FIRST = {"oa*", "oe*", "uy*"}  # "hòa, khỏe, thủy" in the old style
INITIALS = ["", "b", "ch", "đ", "ng", "ngh", "tr", "th", "kh", "x"]

TELEX_MARK = {"â": "aa", "ê": "ee", "ô": "oo", "ă": "aw", "ơ": "ow", "ư": "uw", "đ": "dd"}
VNI_MARK = {"â": "a6", "ê": "e6", "ô": "o6", "ă": "a8", "ơ": "o7", "ư": "u7", "đ": "d9"}
TELEX_TONE = ["", "s", "f", "r", "x", "j"]
VNI_TONE = ["", "1", "2", "3", "4", "5"]


def tones_for(rhyme: str) -> range:
    plain = rhyme.replace("*", "")
    return range(0, 6) if not plain.endswith(STOPS) else range(0, 6)  # all typeable; validity is not the IME's job


def expected(initial: str, rhyme: str, tone: int, style: str = "new") -> str:
    where = rhyme.index("*") - 1
    plain = rhyme.replace("*", "")
    if style == "old" and rhyme in OLD_STYLE_FIRST:
        where = 0
    chars = list(plain)
    chars[where] = unicodedata.normalize("NFC", chars[where] + TONE_MARKS[tone])
    return initial + "".join(chars)


def keys_for(word: str, marks: dict[str, str]) -> str:
    return "".join(marks.get(ch, ch) for ch in word)


CASES = [(i, r, t) for r in OPEN + CLOSED for i in INITIALS for t in tones_for(r)]


@pytest.mark.slow
@pytest.mark.parametrize("method, marks, tone_keys", [("telex", TELEX_MARK, TELEX_TONE), ("vni", VNI_MARK, VNI_TONE)])
def test_every_rhyme_with_every_tone_can_be_typed(method, marks, tone_keys):
    failures = []
    for initial, rhyme, tone in CASES:
        plain = initial + rhyme.replace("*", "")
        want = expected(initial, rhyme, tone)
        keys = keys_for(plain, marks) + tone_keys[tone]
        got = type_keys(keys, method)
        if got != want:
            failures.append((keys, got, want))
    assert not failures, failures[:20]
    assert len(CASES) > 1500


@pytest.mark.parametrize("method, marks, tone_keys", [("telex", TELEX_MARK, TELEX_TONE), ("vni", VNI_MARK, VNI_TONE)])
def test_tone_typed_before_the_final_consonant(method, marks, tone_keys):
    """Many people type the tone right after the vowel: "tieesng", "vie65t"."""
    for rhyme in CLOSED:
        for tone in (1, 5):
            plain = "t" + rhyme.replace("*", "")
            vowels_end = max(i for i, ch in enumerate(plain) if strip_accents(ch).lower() in "aeiouy") + 1
            keys = keys_for(plain[:vowels_end], marks) + tone_keys[tone] + plain[vowels_end:]
            assert type_keys(keys, method) == expected("t", rhyme, tone), keys


@pytest.mark.slow
def test_old_style_tone_placement():
    for initial, rhyme, tone in CASES:
        if tone:
            plain = initial + rhyme.replace("*", "")
            assert type_keys(keys_for(plain, TELEX_MARK) + TELEX_TONE[tone], style="old") == expected(initial, rhyme, tone, "old")


def test_qu_and_gi_initials():
    assert type_keys("quys") == "quý"
    assert type_keys("quoocs") == "quốc"
    assert type_keys("quawngs") == "quắng"
    assert type_keys("giaf") == "già"
    assert type_keys("gif") == "gì"
    assert type_keys("giuwowngf") == "giường"
    assert type_keys("quaf") == "quà"


@pytest.mark.parametrize(
    "keys, out",
    [
        ("hoaf", "hoà"), ("dd", "đ"), ("ddd", "dd"), ("ass", "as"), ("aaa", "aa"), ("aww", "aw"), ("uww", "uw"),
        ("az", "az"), ("asz", "a"), ("w", "ư"), ("W", "Ư"), ("tw", "tư"), ("DDoongf", "Đồng"), ("VIEEJT", "VIỆT"),
        ("Nguyeenx Vawn An", "Nguyễn Văn An"), ("muaw", "mưa"), ("thu[r", "thuở"), ("ngoeoj", "ngoẹo"),
        ("hoafn", "hoàn"), ("xin chaof", "xin chào"), ("12a", "12a"), ("email@gmail.com", "email@gmail.com"),
    ],
)
def test_telex_keys(keys, out):
    assert type_keys(keys) == out


def test_vni_digits_alone_stay_digits():
    assert type_keys("12 34", "vni") == "12 34"
    assert type_keys("To63 3", "vni") == "Tổ 3"
    assert type_keys("a11", "vni") == "a1"


def test_method_off_types_plain_letters():
    assert type_keys("hoaf dd", "off") == "hoaf dd"


def test_backspace_moves_the_tone_like_an_input_method():
    assert backspace("hoàn") == "hoà"
    assert backspace("hoà") == "ho"
    assert backspace("hoàn", "old") == "hòa"  # the tone moves back by the old-style rule
    assert backspace("hòa", "old") == "hò"  # the tone stays on the vowel it was on
    assert backspace("người") == "ngườ"
    assert backspace("đ") == ""
    assert backspace("") == ""


def test_picker_puts_marks_on_the_word():
    assert apply_tone("hoa", 2) == "hoà"
    assert apply_tone("hoa", 2, "old") == "hòa"
    assert apply_tone("nguyên", 4) == "nguyễn"
    assert apply_tone("ng", 1) is None
    assert apply_mark("duong", "dyet") == "đuong"
    assert apply_mark("đuong", "horn") == "đương"
    assert apply_mark("viet", "circumflex") == "viêt"
    assert apply_mark("an", "breve") == "ăn"
    assert apply_mark("xyz", "horn") is None


def test_type_key_edits_only_the_current_word():
    assert type_key("Vie", "e") == "Viê"
    assert type_key("", "s") == "s"


@given(st.text(alphabet="abcdeghiklmnopqrstuvxy", min_size=1, max_size=8))
def test_plain_letters_never_lose_a_letter(word):
    """Without mark keys (w, s/f/r/x/j, z, doubled vowels, dd) Telex types exactly what was pressed."""
    clean = "".join(ch for ch in word if ch not in "sfrxjzwd")
    out = type_keys(clean)
    assert len(out) <= len(clean)
    assert strip_accents(out) == strip_accents(out)  # NFC, no stray combining marks
    assert all(not unicodedata.combining(ch) for ch in out)

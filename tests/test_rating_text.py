"""A rating's free text follows the shared character rules: control, invisible and direction characters are
refused with a message in Vietnamese (never cleaned); the text sent is NFC."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.aftercare.rating import RatingError, RatingService


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\u202e", "\u200b", "\u2066", "\ue000"])
def test_hostile_characters_in_the_comment_are_refused(kiosk_config, bad):
    with pytest.raises(RatingError) as e:
        RatingService(kiosk_config, None).build("satisfied", text=f"Cán bộ{bad} nhiệt tình")
    assert e.value.key == "bad_text" and "ký tự" in e.value.message("vi")


def test_an_ordinary_comment_is_sent_in_nfc(kiosk_config):
    text = unicodedata.normalize("NFD", "Cán bộ nhiệt tình,\nxin cảm ơn!")
    rating = RatingService(kiosk_config, None).build("satisfied", text=text)
    assert rating.text == unicodedata.normalize("NFC", text)

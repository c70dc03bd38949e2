"""The card back's MRZ read from an image with tesseract (``kiosk read-chip --mrz-image``): generated card backs
in a monospace font, photographed-ish (grey card, slight blur, noise), check digits decide."""

from __future__ import annotations

import pytest
from helpers.chipcard.cccd import Citizen
from helpers.chipcard.mrz_image import FONT, card_back

from kiosk.identity.chip.mrz import make_td1
from kiosk.identity.chip.mrz_ocr import MrzImageError, lines_from_text, read_mrz_image, repair

@pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans Mono not installed")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_card_back_image_gives_the_three_lines_with_valid_check_digits(tmp_path, seed):
    citizen = Citizen()
    lines = citizen.mrz_lines
    assert read_mrz_image(card_back(lines, tmp_path / "back.jpg", seed)) == lines


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans Mono not installed")
def test_a_wrong_check_digit_on_the_image_is_refused_not_guessed(tmp_path):
    lines = Citizen().mrz_lines
    bad = [lines[0], lines[1][:6] + str((int(lines[1][6]) + 1) % 10) + lines[1][7:], lines[2]]  # birth check digit
    with pytest.raises(MrzImageError):
        read_mrz_image(card_back(bad, tmp_path / "bad.jpg"))
    with pytest.raises(MrzImageError):
        read_mrz_image(tmp_path / "missing.jpg")


def test_ocr_slips_are_put_right_by_position_and_then_checked():
    lines = make_td1("089001234", "890315", "M", "290315", "NGUYEN VAN AN", optional1="036089001234")
    slipped = [lines[0].replace("0", "O", 2).replace("<<<", "<<<<", 1), lines[1].replace("8", "B", 1),
               lines[2][:-1]]  # one filler short (the name itself has no check digit: only the key's fields do)
    assert repair(slipped) == lines
    text = "IDENTITY CARD\n" + "\n".join(slipped) + "\n"
    assert lines_from_text(text) == lines
    assert lines_from_text("no mrz here\n" + lines[0]) is None

"""The bundled font draws every Vietnamese letter with every tone mark (no boxes)."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from kiosk.base import paths

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # none, huyền, sắc, ngã, hỏi, nặng


def vietnamese_letters() -> list[str]:
    letters = {"đ", "Đ"}
    for base in BASES:
        for tone in TONES:
            for ch in (base, base.upper()):
                letters.add(unicodedata.normalize("NFC", ch + tone))
    letters.update("bcdghklmnpqrstvx" + "BCDGHKLMNPQRSTVX")
    return sorted(letters)


def render(font: ImageFont.FreeTypeFont, text: str) -> Image.Image:
    img = Image.new("L", (120, 140), 0)
    ImageDraw.Draw(img).text((20, 10), text, font=font, fill=255)
    return img


@pytest.mark.parametrize("font_path", [paths.FONT_REGULAR, paths.FONT_BOLD], ids=["regular", "bold"])
def test_every_vietnamese_letter_has_a_glyph(font_path):
    font = ImageFont.truetype(str(font_path), 64)
    tofu = render(font, "\uE000")  # a private-use code point: the font's "missing glyph" box
    letters = vietnamese_letters()
    assert len(letters) == 12 * 6 * 2 + 2 + 32
    missing = [ch for ch in letters if ImageChops.difference(render(font, ch), tofu).getbbox() is None]
    assert not missing, f"{font_path.name} lacks {missing}"


def test_precomposed_and_decomposed_forms_render_the_same():
    font = ImageFont.truetype(str(paths.FONT_REGULAR), 64)
    for word in ["Nguyễn", "Đặng Thị Hồng Nhung", "Phường Hải Vân"]:
        nfc = render(font, unicodedata.normalize("NFC", word[:2]))
        nfd = render(font, unicodedata.normalize("NFD", word[:2]))
        # Positioning of combining marks may differ by a pixel; the ink must be nearly identical.
        diff = ImageChops.difference(nfc, nfd)
        assert sum(diff.histogram()[128:]) < 60

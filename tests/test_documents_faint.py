"""Faint ink under a hot spot is lifted before OCR (kiosk.documents.enhance.lift_faint).

A lamp's reflection adds light to paper and ink alike: after flattening the paper is white again
but the ink there is a pale grey that tesseract drops. The tests build such a page from real text
(Noto Sans, Vietnamese), read it with tesseract ``vie``, and check that an ordinary page is left alone.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from kiosk.documents import enhance
from kiosk.documents.ocr import ocr_page

FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
LINES = ("Nơi đăng ký thường trú: Thôn Phú Lễ", "xã Quảng Điền, tỉnh Quảng Ngãi", "Ngày 8 tháng 11 năm 2025")


def _page(ink: int, faint_ink: int) -> np.ndarray:
    """A flattened page (paper 245): a first block at ``ink``, a second block of the same lines at ``faint_ink``."""
    img = Image.new("L", (1700, 1400), 245)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 44)
    for i, line in enumerate(LINES):
        draw.text((120, 120 + 70 * i), line, fill=ink, font=font)
        draw.text((120, 800 + 70 * i), line, fill=faint_ink, font=font)
    page = np.asarray(img).astype(np.float32)
    page += np.random.default_rng(3).normal(0, 1.5, page.shape)  # the paper's grain
    return np.clip(page, 0, 255).astype(np.uint8)


def _words(text: str) -> set[str]:
    return set(text.replace(",", " ").replace(":", " ").split())


def test_a_page_in_ordinary_light_is_left_as_it_is():
    page = _page(40, 40)
    assert np.abs(enhance.lift_faint(page).astype(int) - page).max() <= 3


def test_pale_ink_is_brought_to_the_usual_depth_and_bare_paper_stays_white():
    page = _page(40, 222)
    out = enhance.lift_faint(page)
    faint_before = page[800:1010, 120:1400].min()
    faint_after = out[800:1010, 120:1400].min()
    assert faint_before > 200 and faint_after < 120
    assert abs(int(out[120:320, 120:1400].min()) - int(page[120:320, 120:1400].min())) <= 10  # dark ink kept
    bare = out[1150:1350, 100:1600]  # paper below both blocks
    assert np.percentile(bare, 1) > 225


@pytest.mark.slow
def test_tesseract_reads_the_lifted_words_it_dropped():
    page = cv2.GaussianBlur(_page(40, 215), (0, 0), 1.3)  # a camera's softness and noise
    page = np.clip(page + np.random.default_rng(1).normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    want = _words(" ".join(LINES))
    before = _words(ocr_page(enhance.for_ocr(page[760:1050]), pdf=False).text)
    after = _words(ocr_page(enhance.for_ocr(enhance.lift_faint(page)[760:1050]), pdf=False).text)
    assert len(after & want) >= len(want) - 4  # 16 of 19 words when written
    assert len(before & want) < len(after & want) // 2  # 0 when written

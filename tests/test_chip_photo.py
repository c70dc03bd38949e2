"""The chip's face image (DG2) decoded for the confirm screen: JPEG, JPEG 2000 (Pillow with OpenJPEG), or nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.identity import decode_photo
from kiosk.identity.chip.photo import MAX_SIDE, jpeg2000_supported


def _face(fmt: str, size: tuple[int, int] = (240, 320)) -> bytes:
    img = Image.new("RGB", size, (214, 228, 240))
    img.paste((232, 190, 158), (60, 60, 180, 200))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def test_a_jpeg_becomes_rgb_pixels_top_row_first():
    pixels = decode_photo(_face("JPEG"))
    assert (pixels.width, pixels.height) == (240, 320) and len(pixels.rgb) == 240 * 320 * 3
    assert abs(pixels.rgb[0] - 214) < 8  # the top-left corner is the background
    assert "240×320" in repr(pixels) and str(pixels.rgb[:3]) not in repr(pixels)


@pytest.mark.skipif(not jpeg2000_supported(), reason="this Pillow has no OpenJPEG")
def test_a_jpeg_2000_is_decoded_too():
    data = _face("JPEG2000")
    assert data[:4] == b"\x00\x00\x00\x0c" or data[:2] == b"\xff\x4f"
    pixels = decode_photo(data)
    assert (pixels.width, pixels.height) == (240, 320)


def test_a_large_photo_is_scaled_down_and_a_broken_one_is_nothing():
    assert max(decode_photo(_face("JPEG", (1200, 1600))).width, 0) <= MAX_SIDE
    assert decode_photo(b"\xff\xd8\xff\xe0 not a jpeg") is None
    assert decode_photo(b"") is None and decode_photo(None) is None

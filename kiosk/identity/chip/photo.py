"""The chip's face image (DG2) as RGB pixels for the confirm screen — JPEG, or JPEG 2000 when Pillow has OpenJPEG.

Decoded on the worker that read the chip, so the UI thread only uploads pixels to a texture.
A photo that cannot be decoded (a JPEG 2000 without OpenJPEG, damaged bytes) gives None: the
screen then shows no photo, never an error.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from kiosk.base.blocking import blocking

log = logging.getLogger(__name__)
MAX_SIDE = 480  # the confirm screen shows it at most this large; a chip's photo is smaller


@dataclass(frozen=True)
class Pixels:
    """RGB bytes, top row first. Personal data: never logged, dropped with the visit."""

    width: int
    height: int
    rgb: bytes

    def __repr__(self) -> str:
        return f"Pixels({self.width}×{self.height})"


def jpeg2000_supported() -> bool:
    from PIL import features

    return bool(features.check("jpg_2000"))


@blocking
def decode_photo(data: bytes | None) -> Pixels | None:
    """DG2's image bytes → RGB pixels (scaled down to :data:`MAX_SIDE`), or None when it cannot be read."""
    if not data:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        log.warning("chip photo not decoded (%s): %s", "JPEG 2000" if data[:4] == b"\x00\x00\x00\x0c" or
                    data[:2] == b"\xff\x4f" else "JPEG", type(e).__name__)
        return None
    return Pixels(rgb.width, rgb.height, rgb.tobytes())

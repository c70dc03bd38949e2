"""A generated photo of an ID card's back with its TD1 MRZ, for the MRZ OCR tests (``kiosk read-chip --mrz-image``)."""

from __future__ import annotations

import random
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def card_back(lines: list[str], path: Path, seed: int = 1, blur: float = 0.6) -> Path:
    """A card back's lower part: three MRZ lines on a light grey card, a little blur and noise, JPEG."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rnd = random.Random(seed)
    font = ImageFont.truetype(str(FONT), 34)
    img = Image.new("L", (860, 300), 222)
    d = ImageDraw.Draw(img)
    d.rectangle((40, 20, 200, 90), fill=190)  # the chip and a line of print above the MRZ
    d.text((230, 40), "NOI CU TRU / PLACE OF RESIDENCE", font=ImageFont.truetype(str(FONT), 18), fill=90)
    for i, line in enumerate(lines):
        d.text((40, 120 + i * 52), line, font=font, fill=25)
    img = img.rotate(rnd.uniform(-1.0, 1.0), fillcolor=222).filter(ImageFilter.GaussianBlur(blur))
    noise = Image.effect_noise(img.size, 12)
    img = Image.blend(img, noise, 0.08)
    img.save(path, "JPEG", quality=85)
    return path

"""The card back's TD1 MRZ read from a photo or scan with tesseract — accepted only when every check digit holds.

Why tesseract and not a trained MRZ model: it is already on every kiosk (the documents' OCR), and the three
lines are a fixed alphabet (A–Z, 0–9, ``<``) in fixed places, so its mistakes are few and of known kinds: a
letter for a digit (O/0, I/1, B/8, S/5, Z/2, G/6) where the layout wants a digit and the other way round, and a
filler run ``<<<<`` one character too long or short. Those are repaired by position; the check digits of
ICAO 9303 Part 3 (document number, birth, expiry, composite) then decide — a reading that fails them is refused,
never guessed further. Reading goes through a few image variants (as is, binarised, enlarged) and stops at the
first valid one. Used by ``kiosk read-chip --mrz-image``; the MRZ lines are personal data and are never logged.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from kiosk.base.blocking import blocking
from kiosk.identity.chip.mrz import MrzError, parse_td1

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8",
                          "T": "7"})
TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "7": "T", "4": "A"})
# Where TD1 wants digits (VN cards: the document number is the ID number's last 9 digits) and letters.
DIGITS = {0: [(5, 15), (15, 28)], 1: [(0, 7), (8, 15), (29, 30)], 2: []}
LETTERS = {0: [(0, 5)], 1: [(7, 8), (15, 18)], 2: [(0, 30)]}
TIMEOUT_S = 20


class MrzImageError(MrzError):
    """No three lines with valid check digits could be read from the image."""


def _tesseract(png: bytes) -> str:
    from kiosk.documents.tess import tesseract_cmd, tesseract_env

    cmd = [tesseract_cmd(), "stdin", "stdout", "-l", "eng", "--psm", "6", "-c", f"tessedit_char_whitelist={ALPHABET}",
           "-c", "load_system_dawg=0", "-c", "load_freq_dawg=0"]
    try:
        out = subprocess.run(cmd, input=png, capture_output=True, timeout=TIMEOUT_S, env=tesseract_env(), check=True)
    except (OSError, subprocess.SubprocessError) as e:
        raise MrzImageError(f"tesseract: {type(e).__name__}") from None
    return out.stdout.decode("ascii", "replace")


def _variants(path: Path) -> Iterator[bytes]:
    """The image as PNG bytes: grey, then binarised (Otsu-like mean split), then twice as large."""
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        grey = ImageOps.autocontrast(ImageOps.exif_transpose(img).convert("L"))
    if grey.height < 200:
        grey = grey.resize((grey.width * 3, grey.height * 3), Image.Resampling.LANCZOS)
    histogram = grey.histogram()
    total = sum(i * n for i, n in enumerate(histogram)) / max(1, sum(histogram))
    binary = grey.point(lambda v: 255 if v > total * 0.85 else 0)
    large = binary.resize((binary.width * 2, binary.height * 2), Image.Resampling.NEAREST)
    for variant in (grey, binary, large):
        buf = io.BytesIO()
        variant.save(buf, "PNG")
        yield buf.getvalue()


def _fit(line: str) -> str:
    """A line made 30 characters long by stretching or shrinking its longest filler run (OCR miscounts ``<``)."""
    while len(line) != 30:
        runs = [(m.end() - m.start(), m.start(), m.end()) for m in re.finditer("<+", line)]
        if not runs:
            break
        _n, start, end = max(runs)
        line = line[:end] + "<" + line[end:] if len(line) < 30 else line[:start] + line[start + 1:]
    return line


def repair(lines: list[str]) -> list[str]:
    """Letters where TD1 wants digits and digits where it wants letters, put right by position."""
    out = []
    for i, line in enumerate(lines):
        chars = list(_fit(line))
        for a, b in DIGITS[i]:
            chars[a:b] = list("".join(chars[a:b]).translate(TO_DIGIT))
        for a, b in LETTERS[i]:
            chars[a:b] = list("".join(chars[a:b]).translate(TO_LETTER))
        out.append("".join(chars))
    return out


def lines_from_text(text: str) -> list[str] | None:
    """The first three consecutive MRZ-like lines of an OCR text that pass every check digit, or None."""
    rows = [re.sub(r"[^A-Z0-9<]", "", r.upper().replace("«", "<").replace("‹", "<")) for r in text.splitlines()]
    rows = [r for r in rows if 24 <= len(r) <= 36]
    for i in range(len(rows) - 2):
        triple = repair(rows[i:i + 3])
        try:
            parse_td1(triple)
        except MrzError:
            continue
        return triple
    return None


@blocking
def read_mrz_image(path: str | Path) -> list[str]:
    """The three MRZ lines on the card's back in ``path``, check digits verified; :class:`MrzImageError` otherwise."""
    try:
        variants = list(_variants(Path(path)))
    except (OSError, ValueError) as e:
        raise MrzImageError(f"image: {type(e).__name__}") from None
    for n, png in enumerate(variants):
        lines = lines_from_text(_tesseract(png))
        if lines is not None:
            log.info("MRZ read from the image (variant %d)", n)
            return lines
    raise MrzImageError("check_digits")

"""A giấy chứng sinh photographed on a desk, for tests that scan a paper and read the form's values off it.

Drawn by the hard camera set's generators (``tests/gen_hard_pages.py``, ``tests/gen_camera_set.py``) with fixed
seeds, so every run photographs the same paper under the same light.
"""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np

BIRTH_SEED = 16  # the paper: names, dates, hospital
PHOTO_SEED = 1  # the photo: tilt, rotation, light


def birth_certificate(seed: int = BIRTH_SEED):
    """The flat page (``gen_hard_pages.FlatPage``: image, text, the form values it carries)."""
    import gen_hard_pages as hp

    fonts, pt = hp.FONT_STYLES[0]  # serif 13 pt, as official papers are printed
    return hp.birth_certificate(random.Random(seed), fonts, pt)


def birth_certificate_photo(folder: Path, seed: int = BIRTH_SEED, photo_seed: int = PHOTO_SEED,
                            frame: tuple[int, int] = (1080, 1920), desk: str = "laminate") -> tuple[Path, dict[str, str]]:
    """A JPEG photo of the paper on a desk in ``folder``, and the form values printed on it."""
    import gen_camera_set as cs

    page = birth_certificate(seed)
    photo, _corners, _cond = cs.photograph(page, photo_seed, frame, desk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "giay_chung_sinh.jpg"
    cv2.imwrite(str(path), np.ascontiguousarray(photo), [cv2.IMWRITE_JPEG_QUALITY, 90])
    return path, dict(page.fields)

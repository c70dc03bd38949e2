"""Illumination flattening and binarisation: what makes a photographed page read like a scan.

A perfect warp still leaves shadows and a light falloff; dividing by an estimate of the
paper's own brightness removes them, then a global Otsu threshold on the flat result gives
clean black-on-white text for tesseract. The colour copy for the archive is flattened the
same way but keeps its colours (stamps, signatures).
"""

from __future__ import annotations

import cv2
import numpy as np


def background(grey: np.ndarray) -> np.ndarray:
    """The paper's brightness without the ink: max filter (text is thin and dark), then smooth."""
    h, w = grey.shape
    f = 8
    small = cv2.resize(grey, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    small = cv2.medianBlur(small, 9)
    small = cv2.GaussianBlur(small, (0, 0), 3)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten(image: np.ndarray) -> np.ndarray:
    """Divide out the lighting: paper becomes white, ink keeps its contrast (grey or BGR in, same out)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    bg = np.maximum(background(grey), 8)
    if image.ndim == 3:
        bg = cv2.merge([bg, bg, bg])
    return cv2.divide(image, bg, scale=245.0)  # saturating uint8 arithmetic in C: ~10× numpy floats


def binarise(flat_grey: np.ndarray) -> np.ndarray:
    """Black text on white (0/255) from a flattened grey page."""
    blur = cv2.GaussianBlur(flat_grey, (3, 3), 0)
    t, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t = min(t, 200.0)  # a nearly blank page: Otsu would split the paper's own noise
    _, out = cv2.threshold(blur, t, 255, cv2.THRESH_BINARY)
    return out


def for_ocr(flat_grey: np.ndarray) -> np.ndarray:
    """What tesseract reads: the flattened grey page, lightly sharpened (unsharp mask).

    Measured on the hard camera set (benchmarks/ocr.py): a camera page is often only 130–180 dpi
    before the warp, and a global threshold then merges or breaks strokes (tables, the grey card
    of a photocopy); tesseract's own binarisation of the sharpened grey page reads better.
    """
    return cv2.addWeighted(flat_grey, 1.6, cv2.GaussianBlur(flat_grey, (0, 0), 2), -0.6, 0)

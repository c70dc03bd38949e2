"""Four-point perspective warp of the page to its own shape (A4 when it is A4-like)."""

from __future__ import annotations

import math

import cv2
import numpy as np

A4_RATIO = math.sqrt(2)
MM_PER_INCH = 25.4
A4_MM = (210.0, 297.0)


def page_size(corners: np.ndarray, dpi: int) -> tuple[int, int]:
    """(width, height) in px of the flattened page: A4 at ``dpi`` when the sides say A4, else measured."""
    tl, tr, br, bl = corners
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    long_px = round(A4_MM[1] / MM_PER_INCH * dpi)
    ratio = max(w, h) / max(1.0, min(w, h))
    short_px = round(long_px / A4_RATIO) if abs(ratio - A4_RATIO) < 0.2 else round(long_px / ratio)
    return (short_px, long_px) if h >= w else (long_px, short_px)


def warp_page(image: np.ndarray, corners: np.ndarray, dpi: int = 300) -> np.ndarray:
    """The page seen straight on, ``dpi`` dots per inch of A4 (cubic: the text is usually upscaled)."""
    w, h = page_size(corners, dpi)
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(np.asarray(corners, np.float32), dst)
    return cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)

"""Is this photo good enough to keep? Specific reasons the citizen can act on.

Each check returns a warning code with a message key in ``kiosk/locales/scan.toml``
(``scan.warn.<code>``): ``no_page``, ``cut_off``, ``dark``, ``blurred``, ``glare``.
Thresholds were set on the generated test set (tests/gen_documents.py) with a wide margin
between the good photos and the bad ones.
"""

from __future__ import annotations

import cv2
import numpy as np

NO_PAGE = "no_page"
CUT_OFF = "cut_off"
DARK = "dark"
BLURRED = "blurred"
GLARE = "glare"
RETAKE = (NO_PAGE, CUT_OFF, DARK, BLURRED, GLARE)  # all of them ask for a new photo

DARK_PAPER = 80  # median grey of the paper below this: too dark to read
SHARP_MIN = 18.0  # gradient measure of a sharp text edge at 150 dpi (see sharpness)
# Share of the page blown out to white. A lamp's mild hot spot clips bare paper (2–8 % on the
# hard set) yet leaves the ink dark and the page readable; strong glare that washes the ink out
# covers 14 % and more. Unreadable lines that a smaller spot causes are caught after OCR (gate).
GLARE_SHARE = 0.10


def page_mask(shape: tuple[int, int], corners: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.asarray(corners, np.int32), 255)
    return mask


def paper_level(grey: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Brightness of the paper (the 75th percentile ignores the ink)."""
    values = grey[mask > 0] if mask is not None else grey.ravel()
    if values.size == 0:
        return 0.0
    return float(np.percentile(values, 75))


def is_dark(grey: np.ndarray, mask: np.ndarray | None = None) -> bool:
    return paper_level(grey, mask) < DARK_PAPER


def sharpness(page_grey: np.ndarray) -> float:
    """Steepness of the strongest ink edges on the flattened page, scaled to 150 dpi of A4 height.

    Text edges are the steepest things on a page; blur lowers them. The 99.5th percentile of
    the gradient is insensitive to how much of the page is blank.
    """
    h = page_grey.shape[0]
    scale = 1754 / max(h, 1)
    g = cv2.resize(page_grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy) / 8.0  # Sobel 3×3 gain
    return float(np.percentile(mag, 99.5))


def is_blurred(page_flat_grey: np.ndarray) -> bool:
    return sharpness(page_flat_grey) < SHARP_MIN


def has_glare(frame_bgr: np.ndarray, mask: np.ndarray) -> bool:
    """A blown-out patch on paper that is otherwise not white (a lamp's reflection)."""
    inside = mask > 0
    if not inside.any():
        return False
    clipped = (frame_bgr.min(axis=2) >= 250) & inside
    share = clipped.sum() / inside.sum()
    if share < GLARE_SHARE:
        return False
    grey = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    return float(np.median(grey[inside])) < 245  # a white scan is all "clipped" and that is fine


TEXT_MARGIN = 0.06  # share of the page's width/height that official papers leave blank at each edge


def text_area_cut(corners: np.ndarray, shape: tuple[int, ...], margin: float = TEXT_MARGIN) -> bool:
    """True when part of the page *inside its margins* lies outside the frame.

    A corner just outside the picture is harmless — the finder extrapolates it and the margin
    holds no text — so only a frame edge that crosses the page's text area asks for a retake.
    """
    h, w = shape[:2]
    src = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, np.asarray(corners, np.float32))
    t = np.linspace(margin, 1 - margin, 24, dtype=np.float32)
    lo, hi = np.full_like(t, margin), np.full_like(t, 1 - margin)
    ring = np.concatenate([np.stack([t, lo], 1), np.stack([hi, t], 1), np.stack([t, hi], 1), np.stack([lo, t], 1)])
    pts = cv2.perspectiveTransform(ring.reshape(-1, 1, 2), m).reshape(-1, 2)
    return bool(((pts[:, 0] < 0) | (pts[:, 0] > w - 1) | (pts[:, 1] < 0) | (pts[:, 1] > h - 1)).any())

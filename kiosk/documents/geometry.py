"""Are the text lines of a warped page straight and parallel? (a wrong corner bends them)

A page warped with the right corners has horizontal, parallel text lines everywhere. A corner
off by a few percent makes them fan out: the left half tilts one way, the right half the other,
or the top differs from the bottom. We measure the text-line angle in six tiles by the sharpest
row projection (the same idea as :func:`kiosk.documents.orient.estimate_skew`) and report the
spread between tiles. Used twice: by the finder to choose among its best candidates (on a small
warp) and by the gate on the final page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

ANGLES = np.arange(-8.0, 8.01, 0.5)
GOOD_SPREAD = 1.5  # degrees between tiles: what a correct warp shows on the tuning set
BAD_SPREAD = 5.0
TILE_INK_MIN = 0.015  # share of dark pixels a tile needs to be measured


@dataclass
class LineCheck:
    spread: float | None  # degrees between the most different tiles; None = too little text
    angles: list[float]
    factor: float  # 1 = straight; down to 0.6 for fanned-out lines


def _ink(grey: np.ndarray) -> np.ndarray:
    """Dark strokes as 1.0 on a lighting-independent basis (local contrast)."""
    bg = cv2.dilate(grey, np.ones((9, 9), np.uint8))
    diff = cv2.subtract(bg, grey)
    return (diff > 40).astype(np.float32)


def _tile_angle(ink: np.ndarray) -> float | None:
    h, w = ink.shape
    if ink.mean() < TILE_INK_MIN:
        return None
    best, best_score = None, -1.0
    for a in ANGLES:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(a), 1.0)
        rot = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1)
        s = float(np.sum(np.diff(prof) ** 2))
        if s > best_score:
            best, best_score = float(a), s
    return best


def text_line_spread(page_grey: np.ndarray) -> LineCheck:
    """Angle spread of the text lines between six tiles of an (upright or not) page."""
    h, w = page_grey.shape[:2]
    k = 640 / max(h, w)
    g = cv2.resize(page_grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    ink = _ink(g)
    gh, gw = ink.shape
    # quarter turn pages: measure along the dominant direction
    if _direction(ink) == "vertical":
        ink = np.ascontiguousarray(np.rot90(ink))
        gh, gw = ink.shape
    m0, m1 = int(0.06 * gh), int(0.06 * gw)
    ink = ink[m0: gh - m0, m1: gw - m1]
    gh, gw = ink.shape
    angles = []
    for r in range(3):
        for c in range(2):
            tile = ink[r * gh // 3: (r + 1) * gh // 3, c * gw // 2: (c + 1) * gw // 2]
            a = _tile_angle(tile)
            if a is not None and abs(a) < ANGLES[-1]:  # at the search limit: no line structure found
                angles.append(a)
    if len(angles) < 3:
        return LineCheck(None, angles, 1.0)
    kept = sorted(angles)
    if len(kept) >= 5:  # one tile of a signature or a stamp may disagree: drop the farthest
        med = float(np.median(kept))
        kept.remove(max(kept, key=lambda x: abs(x - med)))
    spread = float(max(kept) - min(kept))
    factor = 1.0 if spread <= GOOD_SPREAD else max(0.6, 1.0 - 0.4 * (spread - GOOD_SPREAD) / (BAD_SPREAD - GOOD_SPREAD))
    return LineCheck(spread, angles, factor)


def _direction(ink: np.ndarray) -> str:
    rows = float(np.sum(np.diff(ink.sum(axis=1)) ** 2))
    cols = float(np.sum(np.diff(ink.sum(axis=0)) ** 2))
    return "vertical" if cols > 1.5 * rows else "horizontal"


def warp_small(image: np.ndarray, quad: np.ndarray, long_side: int = 640) -> np.ndarray:
    """A small straight-on copy of the quad (for checks, not for reading)."""
    tl, tr, br, bl = quad
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    k = long_side / max(w, h, 1.0)
    W, H = max(8, int(w * k)), max(8, int(h * k))
    dst = np.array([[0, 0], [W - 1, 0], [W - 1, H - 1], [0, H - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(image, m, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def line_check(small: np.ndarray, quad: np.ndarray) -> LineCheck:
    """Text-line straightness of the quad's content (reduced frame)."""
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return text_line_spread(warp_small(grey, quad))

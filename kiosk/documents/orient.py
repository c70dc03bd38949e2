"""Which way up the page is (tesseract OSD: 0/90/180/270) and a small deskew.

The warp puts the page upright only up to a quarter turn: a sheet laid sideways or upside
down on the desk is still sideways after it. Tesseract's orientation detection reads the
script's shape on a reduced copy (fast); a projection-profile search removes the last degree.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np

from kiosk.documents.tess import tesseract_cmd, tesseract_env

log = logging.getLogger(__name__)

OSD_HEIGHT = 1800  # px of the copy given to OSD: enough letters, a fraction of the time
# Below this OSD confidence the page is left as it is: on small, soft photos OSD guesses
# (a wrong half turn makes the whole page unreadable; a missed one is rare on a kiosk's desk).
MIN_CONFIDENCE = 1.5


def detect_rotation(binary: np.ndarray, timeout: float = 20) -> tuple[int, float]:
    """(degrees to turn the page clockwise so it reads upright, OSD confidence); (0, 0) if unsure."""
    binary = ink_box(binary)
    h, w = binary.shape[:2]
    scale = min(1.0, OSD_HEIGHT / max(h, w))
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else binary
    with tempfile.TemporaryDirectory(prefix="kiosk-osd-") as tmp:
        path = Path(tmp) / "page.png"
        cv2.imwrite(str(path), small)
        cmd = [tesseract_cmd(), str(path), "stdout", "--psm", "0", "--dpi", str(round(300 * scale)), "-c", "min_characters_to_try=30"]
        try:
            out = subprocess.run(cmd, capture_output=True, timeout=timeout, env=tesseract_env(), check=False)
        except subprocess.TimeoutExpired:
            return 0, 0.0
    text = out.stdout.decode("utf-8", "replace")
    rot = re.search(r"Rotate:\s*(\d+)", text)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if not rot:
        log.info("OSD gave no answer (too little text?)")
        return 0, 0.0
    confidence = float(conf.group(1)) if conf else 0.0
    if confidence < MIN_CONFIDENCE:
        return 0, confidence
    return int(rot.group(1)) % 360, confidence


def ink_box(binary: np.ndarray, margin: int = 40) -> np.ndarray:
    """The part of the page that holds text (blank paper only costs OSD time)."""
    small = cv2.resize(binary, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(small < 200)
    if ys.size < 50:
        return binary
    h, w = binary.shape[:2]
    y0, y1 = max(0, ys.min() * 8 - margin), min(h, ys.max() * 8 + 8 + margin)
    x0, x1 = max(0, xs.min() * 8 - margin), min(w, xs.max() * 8 + 8 + margin)
    return binary[y0:y1, x0:x1]


def rotate(image: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Turn by a multiple of 90° clockwise."""
    k = (degrees_cw // 90) % 4
    if k == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=-k))


def estimate_skew(binary: np.ndarray, max_deg: float = 3.0, step: float = 0.25) -> float:
    """Angle (degrees, counter-clockwise positive) that makes text lines horizontal: sharpest row profile."""
    h, w = binary.shape[:2]
    scale = min(1.0, 900 / max(h, w))
    ink = 255 - cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    sh, sw = ink.shape
    best, best_score = 0.0, -1.0
    for a in np.arange(-max_deg, max_deg + 1e-6, step):
        m = cv2.getRotationMatrix2D((sw / 2, sh / 2), float(a), 1.0)
        rot = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1, dtype=np.float64)
        score = float(np.sum(np.diff(prof) ** 2))
        if score > best_score:
            best, best_score = float(a), score
    return best


def deskew(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees (counter-clockwise) around the centre, white fill."""
    if abs(angle) < 0.2:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = 255 if image.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)

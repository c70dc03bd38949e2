"""Camera troubles for the generated ID-card frames (tests/gen_id_frames.py): motion blur and
laminate glare. Split from gen_id_frames to keep modules short."""

from __future__ import annotations

import random
from typing import Any

import cv2
import numpy as np


def motion_kernel(length: int, angle: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1
    m = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1)
    k = cv2.warpAffine(k, m, (length, length))
    return k / max(k.sum(), 1e-6)


def glare(out: np.ndarray, p: Any, rng: random.Random, m: np.ndarray, w: float, qr_box: tuple[int, int, int, int] | None) -> np.ndarray:
    """A white highlight (laminate glare), centred on the QR when p.glare_on_qr."""
    if p.glare <= 0:
        return out
    frame_h, frame_w = out.shape[:2]
    if p.glare_on_qr and qr_box is not None:
        qx, qy, qw, qh = qr_box
        gc = cv2.perspectiveTransform(np.float32([[[qx + qw * rng.uniform(0.2, 0.8), qy + qh * rng.uniform(0.2, 0.8)]]]), m)[0, 0]
    else:
        gc = (rng.uniform(0, frame_w), rng.uniform(0, frame_h))
    r = w * p.extra.get("glare_radius", rng.uniform(0.06, 0.16))
    # the highlight only where it is visible (4 radii around its centre)
    x0, x1 = int(max(0, gc[0] - 4 * r)), int(min(frame_w, gc[0] + 4 * r))
    y0, y1 = int(max(0, gc[1] - 3 * r)), int(min(frame_h, gc[1] + 3 * r))
    if x1 > x0 and y1 > y0:
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        g = np.exp(-(((xx - gc[0]) ** 2 + ((yy - gc[1]) * 1.6) ** 2) / (2 * r * r)))[..., None] * p.glare
        roi = out[y0:y1, x0:x1].astype(np.float32)
        out[y0:y1, x0:x1] = np.clip(roi * (1 - g) + 255 * g, 0, 255).astype(np.uint8)
    return out

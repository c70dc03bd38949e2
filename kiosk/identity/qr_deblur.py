"""Undo motion blur on a crop around a located QR code: blind direction, then Richardson–Lucy.

Why: a card moved while the shutter was open smears each module along one line; when the smear
spans two modules zxing-cpp locates the code but cannot sample it (issue 17). The direction of the
smear is where the crop's edges are weakest: the least eigenvector of the gradients' structure
tensor points along it. Richardson–Lucy with a line kernel along that direction (a few lengths)
restores enough contrast between neighbouring modules for zxing-cpp — measured on the tuning set
(seed 5), a whole-crop Wiener filter over 4 lengths × 12 angles did not. Runs only on crops of
codes that were located and read by no other pass, so frames without a code never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

BLUR_LENGTHS = (4, 5, 6)  # px in the frame: the smears the crop passes cannot read (2–3 modules of a 100–170 px code)
MIN_ANISOTROPY = 1.3  # below this the crop is blurred (or sharp) alike in every direction: no motion to undo
RL_ITERATIONS = 15


def blur_direction(crop: np.ndarray) -> tuple[float, float]:
    """(angle in degrees of the smear, image x to the right and y down; anisotropy ≥ 1).

    The gradient energy is smallest along the smear: the structure tensor's least eigenvector."""
    g = cv2.GaussianBlur(crop.astype(np.float32), (0, 0), 0.8)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = float((gx * gx).mean()), float((gy * gy).mean()), float((gx * gy).mean())
    w, v = np.linalg.eigh(np.array([[jxx, jxy], [jxy, jyy]]))
    d = v[:, 0]
    return float(np.degrees(np.arctan2(d[1], d[0])) % 180), float(w[1] / max(w[0], 1e-6))


def line_kernel(length: int, angle: float) -> np.ndarray:
    """A normalised anti-aliased line of ``length`` px at ``angle`` degrees (the motion's PSF)."""
    n = (length + 2) | 1
    k = np.zeros((n, n), np.float32)
    c, r, t = n // 2, (length - 1) / 2, np.radians(angle)
    p0 = (int(round(c - r * np.cos(t))), int(round(c - r * np.sin(t))))
    p1 = (int(round(c + r * np.cos(t))), int(round(c + r * np.sin(t))))
    cv2.line(k, p0, p1, 1.0, 1, cv2.LINE_AA)
    return k / k.sum()


def richardson_lucy(img: np.ndarray, psf: np.ndarray, iterations: int = RL_ITERATIONS) -> np.ndarray:
    """Richardson–Lucy deconvolution (8-bit in, 8-bit out), clipped each step against ringing blow-up."""
    f = img.astype(np.float32) / 255 + 1e-3
    est = f.copy()
    flipped = psf[::-1, ::-1]
    for _ in range(iterations):
        conv = cv2.filter2D(est, -1, psf) + 1e-4
        est = np.clip(est * cv2.filter2D(f / conv, -1, flipped), 0, 2)
    return np.clip(est * 255, 0, 255).astype(np.uint8)


def deblurred(crop: np.ndarray, scale: float) -> Iterator[tuple[str, np.ndarray]]:
    """Deconvolved looks of a crop at the camera's scale, then resized by ``scale`` (cubic);
    nothing when the crop shows no direction of motion."""
    angle, anisotropy = blur_direction(crop)
    if anisotropy < MIN_ANISOTROPY:
        return
    for length in BLUR_LENGTHS:
        d = richardson_lucy(crop, line_kernel(length, angle))
        yield f"deblur{length}", cv2.resize(d, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)

"""Decoding a blurred QR code against a model of the code (issue 17's untried idea (a)), for the
upper-bound study of benchmarks/qr_model_bound.py. Not a kiosk path: it is told the code's version and
the blur, and runs for seconds.

The picture of the code is modelled as ``light − contrast × (blur ∘ warp)(modules)``: the modules
(1 = dark) are drawn on their grid, warped by the homography of the code's four corners, blurred by
the known focus and motion kernels. Two steps:

* :func:`refine_corners` moves the corners to fit what is known before decoding — the quiet zone, the
  three finder patterns with their separators, the timing rows and the alignment patterns — on the
  pixels these alone determine. A blurred code's corners are never found to the half pixel the
  decoding needs by looking at edges; this fit finds them.
* :func:`refine_corners_and_blur` does the same when the blur is not known either: the smear's length and
  direction and the focus blur move with the corners, from a few starting lengths and the smear direction
  of ``kiosk.identity.qr_deblur.blur_direction``.
* :func:`solve_modules` finds every other module by regularised least squares, the light level and
  contrast as smooth polynomials over the code (laminate glare, uneven light). The modules read above
  one half are dark; QR's error correction absorbs the rest (:func:`decode_modules`).
"""

from __future__ import annotations

import cv2
import numpy as np
import qrcode
import zxingcpp
from qrcode import util as qr_util

BORDER = 2  # modules of quiet zone inside the corners given (tests/gen_id_frames.qr_image draws 2)
SUPERSAMPLE = 4  # px per module when a grid is drawn before warping
FINDER = np.array([[1 if min(r, c, 6 - r, 6 - c) != 1 else 0 for c in range(7)] for r in range(7)], float)
ALIGNMENT = np.array([[1 if min(r, c, 4 - r, 4 - c) != 1 else 0 for c in range(5)] for r in range(5)], float)


def symbol(payload: str, mask: int) -> np.ndarray:
    """The code's modules (True = dark), as tests/gen_id_frames.qr_image draws them."""
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=0, mask_pattern=mask)
    q.add_data(payload.encode("utf-8"))
    q.make(fit=True)
    return np.array(q.get_matrix(), bool)


def known_modules(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(known, value) over the bordered grid of an n-module code: what every code of this size shows."""
    size = n + 2 * BORDER
    known = np.zeros((size, size), bool)
    value = np.zeros((size, size))
    known[:BORDER], known[-BORDER:], known[:, :BORDER], known[:, -BORDER:] = True, True, True, True
    b = BORDER
    for r, c in ((0, 0), (0, n - 7), (n - 7, 0)):  # finder patterns and their light separators
        r0, c0 = max(r - 1, 0), max(c - 1, 0)
        known[b + r0:b + min(r + 8, n), b + c0:b + min(c + 8, n)] = True
        value[b + r:b + r + 7, b + c:b + c + 7] = FINDER
    for i in range(8, n - 8):  # timing rows
        known[b + 6, b + i] = known[b + i, b + 6] = True
        value[b + 6, b + i] = value[b + i, b + 6] = float(i % 2 == 0)
    centres = qr_util.pattern_position((n - 17) // 4)
    for r in centres:
        for c in centres:
            if (r < 9 and (c < 9 or c > n - 10)) or (r > n - 10 and c < 9):
                continue  # under a finder pattern
            known[b + r - 2:b + r + 3, b + c - 2:b + c + 3] = True
            value[b + r - 2:b + r + 3, b + c - 2:b + c + 3] = ALIGNMENT
    return known, value


def render(grid: np.ndarray, corners: np.ndarray, shape: tuple[int, int], kernel: np.ndarray | None,
           focus: float) -> np.ndarray:
    """``grid`` (over the bordered code) warped to ``corners`` in an image of ``shape`` and blurred."""
    img = np.kron(grid.astype(np.float32), np.ones((SUPERSAMPLE, SUPERSAMPLE), np.float32))
    side = float(grid.shape[0] * SUPERSAMPLE)
    src = np.float32([[0, 0], [side, 0], [side, side], [0, side]])
    h = cv2.getPerspectiveTransform(src, np.float32(corners))
    out = cv2.warpPerspective(img, h, (shape[1], shape[0]), flags=cv2.INTER_AREA, borderValue=0)
    if focus > 0:
        out = cv2.GaussianBlur(out, (0, 0), focus)
    if kernel is not None:
        out = cv2.filter2D(out, -1, kernel)
    return out


def known_misfit(grey: np.ndarray, corners: np.ndarray, kernel: np.ndarray | None, focus: float,
                 known: np.ndarray, value: np.ndarray) -> float:
    """Mean squared misfit, on the pixels the known modules alone determine, of light − contrast × model."""
    weight = render(known.astype(np.float32), corners, grey.shape, kernel, focus)
    cover = render(np.ones(known.shape, np.float32), corners, grey.shape, kernel, focus)
    model = render(np.where(known, value, 0.0), corners, grey.shape, kernel, focus)
    sel = (weight > 0.97) & (cover > 0.97)
    if sel.sum() < 50:
        return float("inf")
    design = np.stack([np.ones(int(sel.sum())), -model[sel]], 1)
    coef = np.linalg.lstsq(design, grey[sel], rcond=None)[0]
    return float(((grey[sel] - design @ coef) ** 2).mean())


def smear_kernel(length: float, angle: float) -> np.ndarray | None:
    """A motion smear of a fractional ``length`` px at ``angle`` degrees (None for none): an anti-aliased line.

    ``kiosk.identity.qr_deblur.line_kernel`` rounds its ends to whole pixels; the fit moves the length in
    eighths of a pixel, so this one places them with cv2.line's fractional bits."""
    if length < 1.05:
        return None
    n = (int(np.ceil(length)) + 2) | 1
    k = np.zeros((n, n), np.float32)
    c, r, t = n // 2, (length - 1) / 2, np.radians(angle)
    sub = 16  # cv2.line's 4 fractional bits
    p0 = (round((c - r * np.cos(t)) * sub), round((c - r * np.sin(t)) * sub))
    p1 = (round((c + r * np.cos(t)) * sub), round((c + r * np.sin(t)) * sub))
    cv2.line(k, p0, p1, 1.0, 1, cv2.LINE_AA, shift=4)
    return k / k.sum()


Blur = tuple[float, float, float]  # smear length px, smear angle degrees, focus sigma px


def _descend(grey: np.ndarray, corners: np.ndarray, known: np.ndarray, value: np.ndarray, blur: Blur | None,
             kernel: np.ndarray | None = None, focus: float = 0.0) -> tuple[np.ndarray, Blur | None, float]:
    """Coordinate descent (steps 1 → 1/8 px) of the corners, and of ``blur`` too unless it is None
    (then ``kernel`` and ``focus`` stay as given): (corners, blur, misfit) at the best fit found."""
    def misfit(c: np.ndarray, b: Blur | None) -> float:
        if b is None:
            return known_misfit(grey, c, kernel, focus, known, value)
        return known_misfit(grey, c, smear_kernel(b[0], b[1]), b[2], known, value)

    best, fit = np.float64(corners).copy(), misfit(corners, blur)
    for step in (1.0, 0.5, 0.25, 0.125):
        moved = True
        while moved:
            moved = False
            trials: list[tuple[np.ndarray, Blur | None]] = []
            for i in range(8):
                for sign in (1, -1):
                    t = best.copy()
                    t.flat[i] += sign * step
                    trials.append((t, blur))
            if blur is not None:
                length, angle, sigma = blur
                for sign in (1, -1):
                    trials += [(best, (max(0.0, length + sign * step), angle, sigma)),
                               (best, (length, angle + sign * 8 * step, sigma)),
                               (best, (length, angle, max(0.0, sigma + sign * 0.4 * step)))]
            for c, b in trials:
                f = misfit(c, b)
                if f < fit:
                    best, blur, fit, moved = c, b, f, True
                    break
    return best, blur, fit


def refine_corners(grey: np.ndarray, corners: np.ndarray, kernel: np.ndarray | None, focus: float,
                   known: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The corners moved to fit the known modules best, the blur known."""
    return _descend(grey, corners, known, value, None, kernel, focus)[0]


def refine_corners_and_blur(grey: np.ndarray, corners: np.ndarray, angle: float, known: np.ndarray,
                            value: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, float]:
    """(corners, smear kernel or None, focus sigma) that fit the known modules best, the blur unknown."""
    tries = [_descend(grey, corners, known, value, (length, angle, 0.5)) for length in (0.0, 3.0, 5.0)]
    best, blur, _fit = min(tries, key=lambda t: t[2])
    assert blur is not None
    length, angle, focus = blur
    return best, smear_kernel(length, angle), focus


def _basis(sel: np.ndarray, degree: int) -> np.ndarray:
    rows, cols = np.nonzero(sel)
    u = (cols - sel.shape[1] / 2) / sel.shape[1]
    v = (rows - sel.shape[0] / 2) / sel.shape[0]
    return np.stack([u ** i * v ** j for i in range(degree + 1) for j in range(degree + 1 - i)], 1)


def solve_modules(grey: np.ndarray, corners: np.ndarray, kernel: np.ndarray | None, focus: float,
                  known: np.ndarray, value: np.ndarray, degree: int = 3, rounds: int = 6) -> np.ndarray:
    """Each module's darkness in [0, 1] (the n × n code, without its border)."""
    size = known.shape[0]
    inner = np.float32([[1, 1], [size - 1, 1], [size - 1, size - 1], [1, size - 1]]) * SUPERSAMPLE
    src = np.float32([[0, 0], [size, 0], [size, size], [0, size]]) * SUPERSAMPLE
    h = cv2.getPerspectiveTransform(src, np.float32(corners))
    mask = np.zeros(grey.shape, np.uint8)
    cv2.fillConvexPoly(mask, cv2.perspectiveTransform(inner[None], h)[0].round().astype(np.int32), 1)
    sel = mask > 0
    columns = []
    for k in range(size * size):  # one column per module: its picture in the frame
        one = np.zeros(size * size, np.float32)
        one[k] = 1
        columns.append(render(one.reshape(size, size), corners, grey.shape, kernel, focus)[sel])
    a = np.stack(columns, 1)
    y = grey[sel].astype(np.float64)
    kf, vf = known.ravel(), value.ravel()
    a_unknown, a_known = a[:, ~kf], a[:, kf].astype(np.float64)
    gram = (a_unknown.T @ a_unknown).astype(np.float64)
    ridge = 0.05 * np.trace(gram) / gram.shape[0]
    inverse = np.linalg.inv(gram + ridge * np.eye(gram.shape[0]))
    basis = _basis(sel, degree)
    x = np.where(kf, vf, 0.5)
    for _ in range(rounds):
        s = a @ x
        coef = np.linalg.lstsq(np.concatenate([basis, -basis * s[:, None]], 1), y, rcond=None)[0]
        light, contrast = basis @ coef[:basis.shape[1]], np.maximum(basis @ coef[basis.shape[1]:], 5.0)
        rhs = (light - y) / contrast - a_known @ x[kf]
        x[~kf] = np.clip(inverse @ (a_unknown.T @ rhs + ridge * 0.5), 0, 1)
    return x.reshape(size, size)[BORDER:-BORDER, BORDER:-BORDER]


def decode_modules(dark: np.ndarray) -> str | None:
    """zxing-cpp's reading of the modules drawn clean (it applies QR's error correction)."""
    n = dark.shape[0]
    img = np.full((n + 8, n + 8), 255, np.uint8)
    img[4:-4, 4:-4] = np.where(dark, 0, 255)
    img = cv2.resize(img, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text if found else None

"""Sub-pixel corners: each side's line fitted to the paper's edge on the full-resolution frame.

The winning quadrilateral comes from a reduced copy (±1–2 px there is ±3–8 px in the frame).
Along each side we read short grey profiles across the line, find the steepest paper-to-desk
step with the side's own polarity (a parabola through the peak gives a fraction of a pixel),
fit a robust line through those points (two rounds, outliers dropped: a pen lying over the
edge, a coin) and intersect neighbouring lines — also outside the frame, for a corner the
picture does not hold.
"""

from __future__ import annotations

import cv2
import numpy as np

POINTS = 72  # profiles per side
MIN_POINTS = 12


def _profiles(grey: np.ndarray, pts: np.ndarray, normal: np.ndarray, offs: np.ndarray) -> np.ndarray:
    xs = (pts[:, 0:1] + normal[0] * offs[None, :]).astype(np.float32)
    ys = (pts[:, 1:2] + normal[1] * offs[None, :]).astype(np.float32)
    return cv2.remap(grey, xs, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _fit(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vx, vy, x0, y0 = cv2.fitLine(points.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)


def refine_side(grey: np.ndarray, a: np.ndarray, b: np.ndarray, outward: np.ndarray, band: float) -> tuple[np.ndarray, np.ndarray] | None:
    """(point, direction) of the edge near side a→b, or None when too little of it is seen."""
    h, w = grey.shape
    t = np.linspace(0.05, 0.95, POINTS)[:, None]
    pts = a[None, :] * (1 - t) + b[None, :] * t
    m = band + 2
    vis = (pts[:, 0] > m) & (pts[:, 0] < w - 1 - m) & (pts[:, 1] > m) & (pts[:, 1] < h - 1 - m)
    pts = pts[vis]
    if len(pts) < MIN_POINTS:
        return None
    offs = np.arange(-band, band + 0.5, 0.5)
    prof = _profiles(grey, pts, outward, offs)
    step = prof[:, :-4] - prof[:, 4:]  # inside minus outside over 2 px
    polarity = 1.0 if np.median(step.max(axis=1)) >= np.median(-step.min(axis=1)) else -1.0
    step = step * polarity
    k = np.argmax(step, axis=1)
    peak = step[np.arange(len(k)), k]
    strong = peak > max(6.0, 0.35 * float(np.median(peak)))
    kk = np.clip(k, 1, step.shape[1] - 2)
    y0, y1, y2 = (step[np.arange(len(kk)), kk + j] for j in (-1, 0, 1))
    denom = y0 - 2 * y1 + y2
    frac = np.divide(0.5 * (y0 - y2), denom, out=np.zeros_like(denom), where=np.abs(denom) > 1e-6).clip(-1, 1)
    where = offs[0] + (kk + frac) * 0.5 + 1.0  # centre of the 2-px difference
    edge = pts + outward[None, :] * where[:, None]
    edge = edge[strong]
    if len(edge) < MIN_POINTS:
        return None
    p, d = _fit(edge)
    n = np.array([-d[1], d[0]])
    dist = np.abs((edge - p) @ n)
    keep = dist < max(1.0, 2.5 * float(np.median(dist)))
    if keep.sum() >= MIN_POINTS:
        p, d = _fit(edge[keep])
    return p, d


def _cross(p1: np.ndarray, d1: np.ndarray, p2: np.ndarray, d2: np.ndarray) -> np.ndarray | None:
    m = np.array([d1, -d2]).T
    if abs(np.linalg.det(m)) < 1e-6:
        return None
    t = np.linalg.solve(m, p2 - p1)
    return p1 + d1 * t[0]


def refine(grey: np.ndarray, quad: np.ndarray, scale: float) -> np.ndarray:
    """Sub-pixel corners on the full frame from the reduced-frame quad (``scale`` = reduced/full)."""
    q = quad.astype(np.float64) / scale
    c = q.mean(axis=0)
    band = 2.5 / scale + 2
    grey_f = cv2.GaussianBlur(grey, (0, 0), 0.8).astype(np.float32)
    lines = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        d = (b - a) / max(1e-6, np.linalg.norm(b - a))
        n = np.array([d[1], -d[0]])
        if n @ ((a + b) / 2 - c) < 0:
            n = -n
        fit = refine_side(grey_f, a, b, n, band)
        lines.append(fit if fit is not None else (a, d))
    out = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        x = _cross(p1, d1, p2, d2)
        if x is None or np.linalg.norm(x - q[i]) > 3 * band:
            x = q[i]  # the refinement wandered off: keep the rough corner
        out.append(x)
    return np.array(out, np.float32)

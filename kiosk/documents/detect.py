"""Find the sheet of paper in a camera frame: the largest plausible quadrilateral.

Two cheap passes on a downscaled frame — a brightness mask (paper is the bright, grey-ish
thing on the desk) and an edge map — each giving candidate outlines; the largest convex
four-sided one wins. Corners are then refined on the full frame by fitting a line to each
side. Works on BGR uint8 frames of any size; no OCR here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

WORK_SIDE = 900  # long side of the working copy, px
MIN_AREA = 0.12  # a page covers at least this share of the frame
BORDER_PX = 4  # on the working copy: closer than this to the frame edge = touching it


@dataclass
class Detection:
    """Where the page is (TL, TR, BR, BL in frame pixels) and how sure we are it is whole."""

    corners: np.ndarray | None
    touches_border: bool = False
    area_fraction: float = 0.0
    score: float = 1.0  # how page-like the winner is (kiosk.documents.finder), 0..1
    weak: bool = False  # the finder is not sure: offer the corner editor
    cue: str = ""  # which cue proposed the winner (benchmark, logs)
    outside: bool = False  # a corner lies outside the frame (extrapolated)
    side_on_frame: bool = False  # one side is the frame's own edge: the page goes on beyond it
    sides: list[float] = field(default_factory=list)  # per-side edge support of the winner
    lines_spread: float | None = None  # degrees between text-line angles after a small warp

    @property
    def found(self) -> bool:
        return self.corners is not None


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points → TL, TR, BR, BL (image coordinates, y down)."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise on screen, starting near -180° (left)
    start = int(np.argmin(pts.sum(axis=1)))  # top-left has the smallest x + y
    return np.roll(pts, -start, axis=0)


def _candidates(small: np.ndarray) -> list[np.ndarray]:
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    blur = cv2.GaussianBlur(grey, (5, 5), 0)
    masks = []
    # paper: bright and unsaturated, relative to this frame
    score = blur.astype(np.float32) - 0.6 * hsv[:, :, 1].astype(np.float32)
    score = cv2.normalize(score, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, m1 = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(m1)
    edges = cv2.Canny(blur, 30, 90)
    masks.append(cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2))
    kernel = np.ones((9, 9), np.uint8)
    out = []
    for m in masks:
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, kernel)
        contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        out.extend(sorted(contours, key=cv2.contourArea, reverse=True)[:3])
    return out


def _quad(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.045):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return approx.reshape(4, 2).astype(np.float32)
    return None


def _refine(frame_grey: np.ndarray, corners: np.ndarray, scale: float) -> np.ndarray:
    """Fit a line to the strongest edge along each side (full resolution) and intersect them."""
    h, w = frame_grey.shape
    band = max(6, int(3 / scale))
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 10:
            return corners
        d = (b - a) / length
        n = np.array([-d[1], d[0]], np.float32)
        pts = []
        for t in np.linspace(0.12, 0.88, 40):
            p = a + d * t * length
            offs = np.arange(-band, band + 1, dtype=np.float32)
            xs = np.clip((p[0] + offs * n[0]).round().astype(int), 0, w - 1)
            ys = np.clip((p[1] + offs * n[1]).round().astype(int), 0, h - 1)
            prof = frame_grey[ys, xs].astype(np.float32)
            grad = np.abs(np.diff(prof))
            if grad.size == 0 or grad.max() < 8:
                continue
            k = int(np.argmax(grad))
            pts.append(p + n * (offs[k] + 0.5))
        if len(pts) < 8:
            return corners
        vx, vy, x0, y0 = cv2.fitLine(np.array(pts, np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        m = np.array([d1, -d2]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return corners
        t = np.linalg.solve(m, p2 - p1)
        out.append(p1 + d1 * t[0])
    refined = np.array(out, np.float32)
    if np.max(np.linalg.norm(refined - corners, axis=1)) > 4 / scale:  # refinement wandered off: keep the rough one
        return corners
    return refined


def _paper_like(small: np.ndarray, quad: np.ndarray) -> bool:
    """Paper stands out from the desk: brighter and clearly less coloured than what is around it."""
    mask = np.zeros(small.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    if (mask == 0).sum() < 0.02 * mask.size:
        return True  # nothing around it to compare with
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    sat_in, sat_out = np.median(hsv[:, :, 1][mask > 0]), np.median(hsv[:, :, 1][mask == 0])
    val_in, val_out = np.median(hsv[:, :, 2][mask > 0]), np.median(hsv[:, :, 2][mask == 0])
    return val_in > val_out + 10 and (sat_in < 50 or sat_in < 0.6 * sat_out)


def find_page(frame: np.ndarray) -> Detection:
    """The page in ``frame`` (BGR or grey), or ``Detection(None)`` when no plausible sheet is seen."""
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    h, w = frame.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    sh, sw = small.shape[:2]
    best: tuple[float, np.ndarray, bool] | None = None
    touching_seen = False
    for contour in _candidates(small):
        area = cv2.contourArea(contour) / float(sh * sw)
        if area < MIN_AREA or area > 0.97:
            continue
        x, y, cw, ch = cv2.boundingRect(contour)
        touches = x <= BORDER_PX or y <= BORDER_PX or x + cw >= sw - BORDER_PX or y + ch >= sh - BORDER_PX
        quad = _quad(contour)
        if quad is None:
            touching_seen = touching_seen or touches
            continue
        qa = cv2.contourArea(quad) / float(sh * sw)
        if not _paper_like(small, quad):
            continue
        if best is None or qa > best[0]:
            best = (qa, quad, touches)
    if best is None:
        return Detection(None, touches_border=touching_seen)
    area, quad, touches = best
    corners = order_corners(quad / scale)
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    corners = order_corners(_refine(grey, corners, scale))
    return Detection(corners, touches_border=touches, area_fraction=area)


def full_frame(frame: np.ndarray) -> np.ndarray:
    """Corners of the whole image (a flatbed scan is the page)."""
    h, w = frame.shape[:2]
    return np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)


def looks_like_whole_page(frame: np.ndarray) -> bool:
    """True for a scan or a flat page image: bright, unsaturated edges and an A-paper shape."""
    h, w = frame.shape[:2]
    ratio = max(h, w) / min(h, w)
    if not 1.25 <= ratio <= 1.6:
        return False
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    b = max(4, min(h, w) // 40)
    edge = np.concatenate([grey[:b].ravel(), grey[-b:].ravel(), grey[:, :b].ravel(), grey[:, -b:].ravel()])
    if frame.ndim == 3:
        sat = cv2.cvtColor(frame, cv2.COLOR_BGR2HSV)[:, :, 1]
        sat_edge = np.concatenate([sat[:b].ravel(), sat[-b:].ravel(), sat[:, :b].ravel(), sat[:, -b:].ravel()])
        if np.median(sat_edge) > 40:
            return False
    return float(np.median(edge)) > 170

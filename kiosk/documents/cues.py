"""Candidate page outlines from several independent cues, on a reduced copy of the frame.

Why several: each cue fails differently in the field. Edge contours break where a shadow or
an object crosses the sheet; the paper mask follows a shadow's edge; straight line segments
(OpenCV's LSD) survive both and extend past a corner that is hidden or outside the frame.
Every cue only *proposes* quadrilaterals; :mod:`kiosk.documents.pagescore` judges them.
Coordinates are in the reduced image's pixels; corners may lie outside it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cv2
import numpy as np

MAX_LINES = 14  # merged lines kept for the four-side search
MIN_PAIR_GAP = 0.22  # two opposite sides are at least this share of the short image side apart


@dataclass(frozen=True)
class Candidate:
    quad: np.ndarray  # 4×2 float32, TL TR BR BL
    cue: str


@dataclass
class Line:
    point: np.ndarray  # a point on the line
    direction: np.ndarray  # unit vector
    support: float  # summed length of the segments behind it, px
    border: bool = False  # one of the frame's own edges (a page cut off by the frame)

    @property
    def angle(self) -> float:
        return math.atan2(float(self.direction[1]), float(self.direction[0])) % math.pi


def order_quad(pts: np.ndarray) -> np.ndarray:
    """Four points → TL, TR, BR, BL (y down)."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    c = pts.mean(axis=0)
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0]))]
    return np.roll(pts, -int(np.argmin(pts.sum(axis=1))), axis=0)


def text_free(grey: np.ndarray, size: int = 7) -> np.ndarray:
    """Closing removes dark thin strokes (text), leaving paper, desk, shadows and objects."""
    return cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))


# ------------------------------------------------------------------ line segments


def _segments(grey: np.ndarray) -> np.ndarray:
    lsd = cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD)
    found = lsd.detect(grey)[0]
    return np.zeros((0, 4), np.float32) if found is None else found.reshape(-1, 4)


def merged_lines(grey: np.ndarray) -> list[Line]:
    """Long straight edges: LSD segments merged when collinear (angle < 2.5°, offset < 4 px)."""
    h, w = grey.shape
    segs = _segments(cv2.GaussianBlur(text_free(grey, 5), (0, 0), 1.0))
    if len(segs) == 0:
        return []
    d = segs[:, 2:] - segs[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    keep = length > 0.04 * max(h, w)
    segs, d, length = segs[keep], d[keep], length[keep]
    order = np.argsort(-length)
    clusters: list[dict] = []
    for i in order:
        ang = math.atan2(d[i, 1], d[i, 0]) % math.pi
        mid = (segs[i, :2] + segs[i, 2:]) / 2
        for c in clusters:
            da = abs(ang - c["angle"])
            da = min(da, math.pi - da)
            n = np.array([-math.sin(c["angle"]), math.cos(c["angle"])])
            if da < math.radians(2.5) and abs(float(n @ (mid - c["point"]))) < 4.0:
                c["pts"].append(segs[i].reshape(2, 2))
                c["support"] += float(length[i])
                break
        else:
            clusters.append({"angle": ang, "point": mid, "pts": [segs[i].reshape(2, 2)], "support": float(length[i])})
    clusters.sort(key=lambda c: -c["support"])
    lines = []
    for c in clusters[:MAX_LINES]:
        pts = np.concatenate(c["pts"]).astype(np.float32)
        vx, vy, x0, y0 = cv2.fitLine(pts, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        lines.append(Line(np.array([x0, y0], np.float32), np.array([vx, vy], np.float32), c["support"]))
    return lines


def frame_lines(w: int, h: int) -> list[Line]:
    """The frame's four edges, for a page whose side lies outside the picture."""
    return [
        Line(np.array([0, 0], np.float32), np.array([1, 0], np.float32), 0.0, True),
        Line(np.array([w - 1, 0], np.float32), np.array([0, 1], np.float32), 0.0, True),
        Line(np.array([0, h - 1], np.float32), np.array([1, 0], np.float32), 0.0, True),
        Line(np.array([0, 0], np.float32), np.array([0, 1], np.float32), 0.0, True),
    ]


def intersect(a: Line, b: Line) -> np.ndarray | None:
    m = np.array([a.direction, -b.direction], np.float64).T
    if abs(np.linalg.det(m)) < 1e-6:
        return None
    t = np.linalg.solve(m, (b.point - a.point).astype(np.float64))
    return (a.point + a.direction * t[0]).astype(np.float32)


def _angle_between(a: Line, b: Line) -> float:
    da = abs(a.angle - b.angle)
    return min(da, math.pi - da)


def _gap(a: Line, b: Line) -> float:
    n = np.array([-a.direction[1], a.direction[0]])
    return abs(float(n @ (b.point - a.point)))


def quads_from_lines(lines: list[Line], w: int, h: int) -> list[Candidate]:
    """Every convex quadrilateral made of two roughly parallel pairs of lines, roughly crossing."""
    pairs = []
    for a, b in itertools.combinations(lines, 2):
        if a.border and b.border:
            continue
        if _angle_between(a, b) < math.radians(28) and _gap(a, b) > MIN_PAIR_GAP * min(w, h):
            pairs.append((a, b))
    out = []
    lo, hi = np.array([-0.3 * w, -0.3 * h]), np.array([1.3 * w, 1.3 * h])
    cross: dict[tuple[int, int], np.ndarray | None] = {}

    def meet(x: Line, y: Line) -> np.ndarray | None:
        key = (id(x), id(y)) if id(x) < id(y) else (id(y), id(x))
        if key not in cross:
            cross[key] = intersect(x, y)
        return cross[key]

    for (a, b), (c, d) in itertools.combinations(pairs, 2):
        if sum(x.border for x in (a, b, c, d)) > 1:
            continue
        if len({id(a), id(b), id(c), id(d)}) < 4 or _angle_between(a, c) < math.radians(55):
            continue
        pts = [meet(a, c), meet(c, b), meet(b, d), meet(d, a)]
        if any(p is None for p in pts):
            continue
        quad = np.array(pts, np.float32)
        if (quad < lo).any() or (quad > hi).any() or not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
            continue
        cut = any(x.border for x in (a, b, c, d))
        if cv2.contourArea(quad) < (0.1 if cut else 0.25) * w * h:  # a page mostly off the frame is still a page
            continue
        cue = "lines+frame" if cut else "lines"
        out.append(Candidate(order_quad(quad), cue))
    return out


# ------------------------------------------------------------------ contours and masks


def _quad_of(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.015, 0.025, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return order_quad(approx.reshape(4, 2))
    return None


def _contour_quads(mask: np.ndarray, cue: str, min_area: float) -> list[Candidate]:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        if cv2.contourArea(c) < min_area:
            break
        q = _quad_of(c)
        if q is not None:
            out.append(Candidate(q, cue))
    return out


def edge_quads(grey: np.ndarray) -> list[Candidate]:
    """Closed outlines in Canny edge maps at two scales (text removed first)."""
    h, w = grey.shape
    clean = text_free(grey)
    out = []
    for sigma, lo, hi in ((1.0, 20, 60), (2.5, 12, 36)):
        edges = cv2.Canny(cv2.GaussianBlur(clean, (0, 0), sigma), lo, hi)
        edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
        # the frame border closes outlines of a page that runs off the picture
        edges[[0, -1], :] = 255
        edges[:, [0, -1]] = 255
        filled = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
        inv = cv2.bitwise_not(filled)
        out += _contour_quads(inv, f"edges σ{sigma}", 0.25 * w * h)
    return out


def mask_quads(small: np.ndarray, grey: np.ndarray) -> list[Candidate]:
    """Paper masks: bright-and-unsaturated (Otsu), and close to the colour at the frame's centre."""
    h, w = grey.shape
    clean = text_free(grey)
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    score = clean.astype(np.float32) - 0.6 * cv2.GaussianBlur(hsv[:, :, 1], (0, 0), 2).astype(np.float32)
    score = cv2.normalize(score, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, m1 = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (0, 0), 2), cv2.COLOR_BGR2LAB).astype(np.float32)
    lab[:, :, 0] = text_free(lab[:, :, 0].astype(np.uint8)).astype(np.float32)
    centre = np.median(lab[h // 3: 2 * h // 3, w // 3: 2 * w // 3].reshape(-1, 3), axis=0)
    chroma = np.linalg.norm(lab[:, :, 1:] - centre[1:], axis=2)
    dist = (2.0 * chroma + np.maximum(0, centre[0] - lab[:, :, 0]) * 0.5).astype(np.float32)
    d8 = np.clip(dist, 0, 255).astype(np.uint8)
    _, m2 = cv2.threshold(d8, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    out = []
    k = np.ones((9, 9), np.uint8)
    for m, cue in ((m1, "mask bright"), (m2, "mask colour")):
        m = cv2.morphologyEx(cv2.morphologyEx(m, cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE, k)
        out += _contour_quads(m, cue, 0.25 * w * h)
    return out


def candidates(small: np.ndarray) -> tuple[list[Candidate], list[Line]]:
    """All proposals (deduplicated) and the merged lines they came from."""
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    lines = merged_lines(grey)
    props = quads_from_lines(lines + frame_lines(w, h), w, h) + edge_quads(grey) + mask_quads(small, grey)
    out: list[Candidate] = []
    seen: set[tuple[int, ...]] = set()
    tol = 0.008 * max(h, w)
    for c in props:
        key = tuple(np.round(c.quad.ravel() / tol).astype(int))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out, lines

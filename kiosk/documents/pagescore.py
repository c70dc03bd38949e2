"""How much a candidate quadrilateral looks like a real sheet of paper lying on a desk.

Judged on the reduced frame, per side and for the whole:

* **sides** — along each side, a *sharp* step from paper inside to desk outside (a shadow's
  edge is soft: its contrast right at the line is a fraction of the contrast a few pixels
  away), with clean paper just inside (a side through text has texture on both sides). The part
  of a side outside the frame is neither evidence for nor against.
* **region** — inside: mostly one paper colour (text removed); a ring just outside: *not* that
  paper (a quadrilateral inside the page — a table, the ID card on a photocopy — fails here).
* **shape** — the sides' ratio near the papers a kiosk sees (A4/A5 1.41, letter 1.29, the
  80 mm receipt up to ~4); larger is better when all else is equal.

Returns a score in 0..1 and the per-side figures (for the gate's reasons and the benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.documents.cues import text_free

SAMPLES = 48  # points per side
NEAR, FAR = 1.5, 7.0  # px from the line where contrast is measured
MIN_STEP = 10.0  # Lab distance (uint8 scale) of a real paper-to-desk step
TEXTURE_MAX = 14.0  # local grey std just inside: above = text or pattern, not a margin
REGION_SCALE = 0.25  # the region terms look at a quarter of the reduced frame


@dataclass
class Scene:
    """Precomputed maps of the reduced frame."""

    lab: np.ndarray  # float32 h×w×3, text removed from L, a/b smoothed
    texture: np.ndarray  # float32 local grey std (5×5)
    shape: tuple[int, int]
    lab_small: np.ndarray  # lab at REGION_SCALE, for the region terms

    @classmethod
    def of(cls, small: np.ndarray) -> Scene:
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB)
        l_clean = text_free(lab[:, :, 0], 5)
        ab = cv2.GaussianBlur(lab[:, :, 1:], (0, 0), 1.2)
        lab_f = np.dstack([l_clean, ab]).astype(np.float32)
        g = grey.astype(np.float32)
        mean = cv2.blur(g, (5, 5))
        sq = cv2.blur(g * g, (5, 5))
        texture = np.sqrt(np.maximum(sq - mean * mean, 0))
        small_lab = cv2.resize(lab_f, None, fx=REGION_SCALE, fy=REGION_SCALE, interpolation=cv2.INTER_AREA)
        return cls(lab_f, texture, grey.shape, small_lab)


@dataclass
class Score:
    total: float
    sides: list[float] = field(default_factory=list)  # share of good samples per side (visible part)
    visible: list[float] = field(default_factory=list)  # share of each side inside the frame
    ring_paper: float = 0.0  # share of the outside ring that looks like the page's paper
    inside_paper: float = 0.0
    aspect: float = 0.0
    area: float = 0.0


def _sample(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``img`` at ``pts`` (N×2), edge-clamped."""
    n = pts.shape[0]
    cols = 256  # remap wants both sides of its map under 32767
    pad = (-n) % cols
    p = np.pad(pts.astype(np.float32), ((0, pad), (0, 0)))
    mx, my = p[:, 0].reshape(-1, cols), p[:, 1].reshape(-1, cols)
    out = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out.reshape(n + pad, -1)[:n] if img.ndim == 3 else out.reshape(-1)[:n]


def side_figures(scene: Scene, quads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For C quads (C×4×2): (C×4 share of good samples on each side's visible part, C×4 visible share).

    All sides of all candidates are sampled in one go (a handful of remaps, whatever C is).
    """
    h, w = scene.shape
    q = np.asarray(quads, np.float32).reshape(-1, 4, 2)
    a, b = q, np.roll(q, -1, axis=1)
    t = np.linspace(0.04, 0.96, SAMPLES, dtype=np.float32)[None, None, :, None]
    pts = a[:, :, None, :] * (1 - t) + b[:, :, None, :] * t  # C×4×S×2
    d = b - a
    n = np.stack([d[..., 1], -d[..., 0]], axis=-1) / np.maximum(1e-6, np.linalg.norm(d, axis=-1, keepdims=True))
    mid_out = (a + b) / 2 - q.mean(axis=1, keepdims=True)
    n = n * np.where((n * mid_out).sum(-1, keepdims=True) < 0, -1.0, 1.0).astype(np.float32)
    n = np.broadcast_to(n[:, :, None, :], pts.shape)
    m = 3.0
    vis = (pts[..., 0] > m) & (pts[..., 0] < w - 1 - m) & (pts[..., 1] > m) & (pts[..., 1] < h - 1 - m)
    flat_p, flat_n = pts.reshape(-1, 2), n.reshape(-1, 2)
    inn_far = _sample(scene.lab, flat_p - flat_n * FAR)
    out_far = _sample(scene.lab, flat_p + flat_n * FAR)
    inn_near = _sample(scene.lab, flat_p - flat_n * NEAR)
    out_near = _sample(scene.lab, flat_p + flat_n * NEAR)
    tex_in = _sample(scene.texture, flat_p - flat_n * 4.0)
    step_far = np.linalg.norm(inn_far - out_far, axis=1)
    step_near = np.linalg.norm(inn_near - out_near, axis=1)
    lighter = inn_far[:, 0] - out_far[:, 0] > -4  # paper is not darker than the desk …
    colour = np.linalg.norm(inn_far[:, 1:] - out_far[:, 1:], axis=1) > 8  # … unless the colours differ
    good = (step_far > MIN_STEP) & (step_near > 0.45 * step_far) & (lighter | colour) & (tex_in < TEXTURE_MAX)
    good = good.reshape(vis.shape) & vis
    nvis = vis.sum(axis=2)
    share = np.where(nvis >= 4, good.sum(axis=2) / np.maximum(nvis, 1), 0.0)
    return share, nvis / SAMPLES


def _ring(shape: tuple[int, int], quad: np.ndarray, grow: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the inside (shrunk a little) and of a ring just outside the quad."""
    c = quad.mean(axis=0)
    inner = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(inner, np.round(c + (quad - c) * 0.94).astype(np.int32), 255)
    outer = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(outer, np.round(c + (quad - c) * (1 + grow)).astype(np.int32), 255)
    near = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(near, np.round(c + (quad - c) * 1.012).astype(np.int32), 255)
    return inner, cv2.subtract(outer, near)


def aspect_of(quad: np.ndarray) -> float:
    tl, tr, br, bl = quad
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return float(max(w, h) / max(1.0, min(w, h)))


def _aspect_factor(r: float) -> float:
    if 1.2 <= r <= 1.6 or 1.8 <= r <= 4.2:
        return 1.0
    if r < 1.2:
        return max(0.3, 1 - 2.5 * (1.2 - r))
    if r < 1.8:
        return 0.85
    return 0.4


def side_terms(scene: Scene, quads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(C side terms, C×4 good shares, C×4 visible shares): the cheap first look at every candidate."""
    share, visible = side_figures(scene, quads)
    # sides mostly outside the frame count as half-confirmed
    vals = share * visible + 0.55 * (1 - visible)
    term = 0.5 * vals.mean(axis=1) + 0.5 * vals.min(axis=1)
    term = np.where((visible < 0.3).sum(axis=1) >= 2, term * 0.6, term)
    return term, share, visible


def shape_factor(scene: Scene, quad: np.ndarray) -> tuple[float, float, float]:
    """(factor, aspect, area share): a paper's proportions, larger preferred."""
    h, w = scene.shape
    r = aspect_of(quad)
    area = float(cv2.contourArea(quad)) / float(w * h)
    return _aspect_factor(r) * min(1.0, area / 0.5) ** 0.3, r, area


def score(scene: Scene, quad: np.ndarray) -> Score:
    """Judge one quad (TL TR BR BL, reduced-frame px)."""
    terms, share, vis = side_terms(scene, quad[None])
    term, sides, visible = float(terms[0]), [float(x) for x in share[0]], [float(x) for x in vis[0]]
    shape, r, area = shape_factor(scene, quad)
    k = REGION_SCALE
    lab = scene.lab_small
    inner, ring = _ring(lab.shape[:2], quad * k, 0.05)
    ins = inner > 0
    if ins.sum() < 20:
        return Score(0.0, sides, visible)
    paper = np.median(lab[ins], axis=0)

    def paper_like(mask: np.ndarray) -> float:
        px = lab[mask]
        if len(px) == 0:
            return 0.0
        chroma = np.linalg.norm(px[:, 1:] - paper[1:], axis=1)
        return float(np.mean((chroma < 7) & (px[:, 0] > 0.78 * paper[0])))

    ring_paper = paper_like(ring > 0) if (ring > 0).sum() > 12 else 0.0
    inside_paper = paper_like(ins)
    total = term * (1 - ring_paper) * (0.4 + 0.6 * inside_paper) * shape
    return Score(float(total), sides, visible, ring_paper, inside_paper, r, area)

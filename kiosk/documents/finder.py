"""The robust page finder: many candidate outlines, each judged like a real page; the best wins.

Why not "the largest quadrilateral": in the field the largest outline follows a shadow's edge,
a mug next to the sheet or the desk itself. Here :mod:`kiosk.documents.cues` proposes outlines
from line segments, edge contours at two scales and paper masks; :mod:`kiosk.documents.pagescore`
scores each (sharp paper-to-desk step on all four sides, clean margins, paper inside and not
outside, a paper's aspect); the best few are also warped small and their text lines checked for
straightness (:mod:`kiosk.documents.geometry`); the winner's corners are refined to sub-pixel
on the full frame (:mod:`kiosk.documents.refine`). A weak winner is *said*: ``weak=True`` makes
the gate offer the corner editor instead of passing the page silently.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.documents import cues, geometry, pagescore, refine
from kiosk.documents.detect import Detection, order_corners

WORK_SIDE = 800  # px, long side of the reduced copy
QUICK_SIDE = 560  # … for the live preview
WEAK_SCORE = 0.45  # a winner below this is reported weak (set on the tuning part of the hard set)
TOP_CHECKED = 3  # candidates whose text lines are checked after a small warp
FULLY_SCORED = 10  # candidates given the region terms after the cheap side look
MIN_SCORE = 0.25  # below this nothing on the desk is a page (true pages of the hard set: ≥ 0.55)
MAX_AREA = 0.92  # a "page" covering more of the frame is the frame itself (a scan is handled before)


def _reduce(frame: np.ndarray, side: int = WORK_SIDE) -> tuple[np.ndarray, float]:
    h, w = frame.shape[:2]
    scale = min(1.0, side / max(h, w))
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    return small, scale


def ranked(small: np.ndarray) -> list[tuple[float, cues.Candidate, pagescore.Score]]:
    """Every candidate with its score, best first (the benchmark and the tests look at these)."""
    scene = pagescore.Scene.of(small)
    props, _lines = cues.candidates(small)
    if not props:
        return []
    terms, _share, _vis = pagescore.side_terms(scene, np.stack([c.quad for c in props]))
    h, w = small.shape[:2]
    first = [(float(t) * pagescore.shape_factor(scene, c.quad)[0], c) for t, c in zip(terms, props)
             if cv2.contourArea(c.quad) < MAX_AREA * w * h]
    first.sort(key=lambda x: -x[0])
    scored = [(s.total, c, s) for _t, c in first[:FULLY_SCORED] for s in [pagescore.score(scene, c.quad)]]
    scored.sort(key=lambda x: -x[0])
    return scored


def find_page(frame: np.ndarray, *, quick: bool = False) -> Detection:
    """The page in ``frame`` (BGR or grey): corners TL TR BR BL (full-frame px, possibly outside it).

    ``quick`` is for the live preview's outline (several times a second): a smaller copy, no
    text-line check, no sub-pixel refinement — the captured photo gets the full search.
    """
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    h, w = frame.shape[:2]
    small, scale = _reduce(frame, QUICK_SIDE if quick else WORK_SIDE)
    sh, sw = small.shape[:2]
    scored = ranked(small)
    if not scored or scored[0][0] < MIN_SCORE:
        # something page-like running off the frame → "cut off", not "no page"
        touches = bool(scored) and scored[0][0] >= 0.5 * MIN_SCORE and any(v < 0.9 for v in scored[0][2].visible)
        return Detection(None, touches_border=touches, score=scored[0][0] if scored else 0.0, weak=True)
    # The text lines decide between close candidates: a wrong corner fans them out.
    checked = []
    for total, cand, sc in scored[: 1 if quick else TOP_CHECKED]:
        if quick:
            checked.append((total, cand, sc, geometry.LineCheck(None, [], 1.0)))
            break
        if checked and total < 0.6 * checked[0][0]:
            break
        checked.append((total, cand, sc, geometry.line_check(small, cand.quad)))
    measured = all(c[3].spread is not None for c in checked)
    total, cand, sc, lines = max(checked, key=lambda c: c[0] * (c[3].factor if measured else 1.0))
    if measured:
        total *= lines.factor
    grey = None if quick else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    corners = order_corners(cand.quad / scale if quick else refine.refine(grey, cand.quad, scale))
    outside = bool(((corners < -1) | (corners > np.array([w, h]))).any())
    on_frame = cand.cue == "lines+frame" or any(v < 0.3 for v in sc.visible)  # a side is the frame's edge
    touches = outside or on_frame or any(v < 0.97 for v in sc.visible)
    return Detection(
        corners,
        touches_border=touches,
        area_fraction=sc.area,
        score=float(total),
        weak=total < WEAK_SCORE,
        cue=cand.cue,
        outside=outside,
        side_on_frame=on_frame,
        sides=list(sc.sides),
        lines_spread=lines.spread,
    )

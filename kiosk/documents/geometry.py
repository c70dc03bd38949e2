"""Are the text lines of a warped page straight and parallel? (a wrong corner bends them)

A page warped with the right corners has level, parallel text lines everywhere: printed lines
run parallel to the sheet's edges. A corner off by a few percent tilts them or makes them fan
out. We merge each text line's characters into one blob, fit a straight line through each, and
report the median angle (tilt) and the spread of the angles. Used twice: by the finder to choose among its best candidates (on a small
warp) and by the gate on the final page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

GOOD_SPREAD = 1.0  # degrees between text lines (10th–90th percentile): a correct warp on the tuning set
BAD_SPREAD = 4.0


GOOD_TILT = 0.8  # degrees: text lines of a correctly warped page run parallel to its edges
BAD_TILT = 4.0


@dataclass
class LineCheck:
    spread: float | None  # degrees between the most different tiles; None = too little text
    angles: list[float]
    factor: float  # 1 = straight and level; down to 0.6 for fanned-out or tilted lines

    @property
    def tilt(self) -> float | None:
        """Median text-line angle: printed lines run parallel to the sheet's edges, so a tilt
        after the warp means a wrong corner (or a crooked photocopy)."""
        return float(np.median(self.angles)) if len(self.angles) >= 2 else None


def _ink(grey: np.ndarray) -> np.ndarray:
    """Dark strokes as 1.0 on a lighting-independent basis (local contrast)."""
    bg = cv2.dilate(grey, np.ones((9, 9), np.uint8))
    diff = cv2.subtract(bg, grey)
    return (diff > 40).astype(np.float32)


def _line_angles(ink: np.ndarray) -> list[tuple[float, float, float]]:
    """(angle°, x centre, y centre) of each text line: characters merged by a horizontal
    closing, then a line fitted through each long, thin blob."""
    h, w = ink.shape
    u8 = (ink * 255).astype(np.uint8)
    merged = cv2.morphologyEx(u8, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 60), 1)))
    n, labels, stats, cents = cv2.connectedComponentsWithStats(merged, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if bw < 0.12 * w or bh > 0.05 * h or bw < 4 * bh:
            continue
        ys, xs = np.nonzero(labels[y: y + bh, x: x + bw] == i)
        if len(xs) < 30:
            continue
        vx, vy, _x0, _y0 = cv2.fitLine(np.stack([xs, ys], 1).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        ang = float(np.degrees(np.arctan2(vy, vx)))
        ang = (ang + 90) % 180 - 90
        out.append((ang, float(cents[i][0]) / w, float(cents[i][1]) / h))
    return out


def text_line_spread(page_grey: np.ndarray) -> LineCheck:
    """Angles of the text lines of a warped page: their spread (fanned out) and median (tilt)."""
    h, w = page_grey.shape[:2]
    k = min(1.0, 1000 / max(h, w))
    g = cv2.resize(page_grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    ink = _ink(g)
    gh, gw = ink.shape
    m0, m1 = int(0.03 * gh), int(0.03 * gw)
    ink = np.ascontiguousarray(ink[m0: gh - m0, m1: gw - m1])
    found = _line_angles(ink)
    if len(found) < 3:  # a page still lying sideways: measure along its lines
        turned = _line_angles(np.ascontiguousarray(np.rot90(ink)))
        found = turned if len(turned) > len(found) else found
    angles = [a for a, _x, _y in found]
    if len(angles) < 3:
        return LineCheck(None, angles, 1.0)
    lo, hi = np.percentile(angles, [10, 90])  # a signature or a stamp line may disagree
    spread = float(hi - lo)
    tilt = abs(float(np.median(angles)))
    factor = min(_falloff(spread, GOOD_SPREAD, BAD_SPREAD), _falloff(tilt, GOOD_TILT, BAD_TILT))
    return LineCheck(round(spread, 2), [round(a, 2) for a in angles], factor)


def _falloff(x: float, good: float, bad: float) -> float:
    return 1.0 if x <= good else max(0.6, 1.0 - 0.4 * (x - good) / (bad - good))


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


UNREAD_SCALE = 4  # the ink check looks at a quarter-size copy: it judges regions, not strokes
SPECK = 3  # px at that scale: smaller ink blobs are noise, not letters
MAX_GLYPH = 0.03  # of the page's height: taller ink is a picture or a grey area, not type


def unread_ink(page: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> float | None:
    """Share of the page's ink (text-sized blobs) that lies outside every word tesseract read.

    Why: tesseract's layout analysis can drop whole regions — the narrow columns of a table —
    while every word it did read is confident and a valid syllable, so neither confidence nor
    syllables notice. Ink it never looked at does. ``page``: the grey image tesseract was given
    (codes and rulings already blanked); ``boxes``: the words' (x, y, w, h) in its pixels.
    None when the page has no ink.
    """
    h, w = page.shape[:2]
    k = UNREAD_SCALE
    small = cv2.resize(page, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    margin = int(0.02 * max(sh, sw))  # the warp's edge can carry a sliver of desk
    ink[:margin], ink[sh - margin:], ink[:, :margin], ink[:, sw - margin:] = 0, 0, 0, 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(n, bool)
    bw, bh = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    # letters and words, not a photocopy's grey card or a photo (too big to be type)
    keep[1:] = ((bw >= SPECK) | (bh >= SPECK)) & (bh <= MAX_GLYPH * sh) & (bw <= 4 * MAX_GLYPH * sw)
    text = keep[labels]
    total = int(text.sum())
    if total == 0:
        return None
    read = np.zeros_like(ink)
    pad = 2
    for x, y, bw, bh in boxes:
        cv2.rectangle(read, (x // k - pad, y // k - pad), ((x + bw) // k + pad, (y + bh) // k + pad), 255, -1)
    return float((text & (read == 0)).sum()) / total


COVER_DARK = 100  # grey level of a pen or a phone on the flattened page (print is thinner, not lighter)
COVER_STROKE = 0.008  # of the page width: thicker than any printed stroke (a bold 16-pt stem ≈ 0.005)


def covered_words(page: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> int:
    """How many read words a dark object lying on the page (a pen, a phone) overlaps.

    Why: tuning photo 21's pen lay across a table column; tesseract read garbage there with the
    rest of the page confident and every bit of ink covered by some word, so neither the
    confidence spread nor the unread ink saw it. An object is thicker than print (it survives an
    opening wider than any stroke) and bigger than a letter (3 line heights long); one lying in
    the margin, or an ID copy's photo box beside its text, overlaps no word and is fine.
    """
    if not boxes:
        return 0
    h, w = page.shape[:2]
    k = UNREAD_SCALE
    small = cv2.resize(page, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    dark = (small < COVER_DARK).astype(np.uint8)
    m = int(0.02 * max(small.shape))  # the warp's edge can carry a sliver of desk
    dark[:m], dark[-m:], dark[:, :m], dark[:, -m:] = 0, 0, 0, 0
    d = max(3, round(COVER_STROKE * w / k))
    thick = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (d, d)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8)
    line = float(np.median([b[3] for b in boxes])) / k
    big = np.zeros(n, bool)
    big[1:] = (np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= 3 * line) & (
        stats[1:, cv2.CC_STAT_AREA] >= 2 * line * line)
    obj = big[labels]
    return sum(bool(obj[y // k: (y + bh) // k + 1, x // k: (x + bw) // k + 1].any()) for x, y, bw, bh in boxes)

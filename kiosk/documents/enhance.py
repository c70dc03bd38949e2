"""Illumination flattening and binarisation: what makes a photographed page read like a scan.

A perfect warp still leaves shadows and a light falloff; dividing by an estimate of the
paper's own brightness removes them, then a global Otsu threshold on the flat result gives
clean black-on-white text for tesseract. The colour copy for the archive is flattened the
same way but keeps its colours (stamps, signatures).
"""

from __future__ import annotations

import cv2
import numpy as np


def background(grey: np.ndarray) -> np.ndarray:
    """The paper's brightness without the ink: max filter (text is thin and dark), then smooth."""
    h, w = grey.shape
    f = 8
    small = cv2.resize(grey, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    small = cv2.medianBlur(small, 9)
    small = cv2.GaussianBlur(small, (0, 0), 3)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten(image: np.ndarray) -> np.ndarray:
    """Divide out the lighting: paper becomes white, ink keeps its contrast (grey or BGR in, same out)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    bg = np.maximum(background(grey), 8)
    if image.ndim == 3:
        bg = cv2.merge([bg, bg, bg])
    return cv2.divide(image, bg, scale=245.0)  # saturating uint8 arithmetic in C: ~10× numpy floats


def binarise(flat_grey: np.ndarray) -> np.ndarray:
    """Black text on white (0/255) from a flattened grey page."""
    blur = cv2.GaussianBlur(flat_grey, (3, 3), 0)
    t, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t = min(t, 200.0)  # a nearly blank page: Otsu would split the paper's own noise
    _, out = cv2.threshold(blur, t, 255, cv2.THRESH_BINARY)
    return out


INK_DEPTH = 185  # how far below the paper printed ink lies on a flattened page in ordinary light
MAX_LIFT = 5.0  # the most a faint region's contrast is raised (its noise is raised as much)
MIN_FAINT_DEPTH = 18  # shallower than this a region holds no ink worth lifting, only paper noise


def lift_faint(flat_grey: np.ndarray) -> np.ndarray:
    """Faint text brought back to the ink depth of the rest of the page.

    Why: under a hot spot (a lamp's reflection on the paper) light is *added* to paper and ink
    alike, so after flatten() the paper is white again but the ink there is pale grey — 20–60
    levels below the paper instead of ~185 — and tesseract drops those words. The darkest ink
    around each place (a min filter a few lines wide) says how deep the ink lies there; where
    it lies shallow, the distance below the paper is scaled up to the usual depth. Elsewhere
    the gain is 1 and the page is unchanged."""
    h, w = flat_grey.shape[:2]
    f = 8
    smooth = cv2.GaussianBlur(flat_grey, (0, 0), 1.2)  # the paper's grain is not ink
    block = cv2.getStructuringElement(cv2.MORPH_RECT, (f, f))
    around = cv2.getStructuringElement(cv2.MORPH_RECT, (11, 11))
    darkest = cv2.erode(cv2.erode(smooth, block)[::f, ::f], around).astype(np.float32)
    paper = cv2.dilate(cv2.dilate(smooth, block)[::f, ::f], around).astype(np.float32)
    depth = cv2.dilate(paper - darkest, around)  # the deepest ink nearby: a window that only grazes
    # the edge of a dark letter sees a shallow depth, yet nothing there is faint
    gain = np.where(depth >= MIN_FAINT_DEPTH, np.clip(INK_DEPTH / np.maximum(depth, 1.0), 1.0, MAX_LIFT), 1.0)
    gain = cv2.GaussianBlur(gain.astype(np.float32), (0, 0), 4)  # smooth the gain, not the depth: a
    # blurred depth falls through the faint range at every block's edge and would lift bare paper there
    if float(gain.max()) <= 1.05:
        return flat_grey
    gain = cv2.resize(gain.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    paper = cv2.resize(cv2.GaussianBlur(paper, (0, 0), 4), (w, h), interpolation=cv2.INTER_LINEAR)
    out = paper - (paper - flat_grey.astype(np.float32)) * gain
    return np.clip(out, 0, 255).astype(np.uint8)


def for_ocr(flat_grey: np.ndarray) -> np.ndarray:
    """What tesseract reads: the flattened grey page, lightly sharpened (unsharp mask).

    Measured on the hard camera set (benchmarks/ocr.py): a camera page is often only 130–180 dpi
    before the warp, and a global threshold then merges or breaks strokes (tables, the grey card
    of a photocopy); tesseract's own binarisation of the sharpened grey page reads better.
    """
    return cv2.addWeighted(flat_grey, 1.6, cv2.GaussianBlur(flat_grey, (0, 0), 2), -0.6, 0)


def blank_codes(grey: np.ndarray, grow: float = 1.15) -> np.ndarray:
    """The page with its QR and bar codes painted white (a copy).

    A code is not text: tesseract reads its modules as a block of junk and, worse, lays the
    text beside it out of order (the kiosk's own receipt slip: 14–36 % → 1–11 % CER on the hard
    set with the code blanked). zxing-cpp finds codes in a few tens of milliseconds.
    """
    import zxingcpp

    k = 0.5
    small = cv2.resize(grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    out = grey
    for code in zxingcpp.read_barcodes(small):
        p = code.position
        pts = np.array([[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], np.float32) / k
        c = pts.mean(axis=0)
        if out is grey:
            out = grey.copy()
        cv2.fillConvexPoly(out, np.round(c + (pts - c) * grow).astype(np.int32), 255)
    return out


def stretch(flat_grey: np.ndarray) -> np.ndarray:
    """Levels stretched so the darkest ink is black and the paper white: the second reading of a
    page whose faint, low-resolution text the first reading garbled (see ``read_page``)."""
    lo, hi = np.percentile(flat_grey, [0.5, 95])
    if hi - lo < 20:
        return flat_grey
    return cv2.convertScaleAbs(flat_grey, alpha=255.0 / (hi - lo), beta=-lo * 255.0 / (hi - lo))


# A dark run this long (of the page's width; of its height for a vertical one) is a ruling, not
# a word: bold type blurred by the camera merges into runs of up to ~8 % of the width.
RULE_FRACTION = 0.15
RULE_FRACTION_V = 0.06
RULE_THICKNESS = 0.003  # ... and no thicker than this (≈ 1 mm at A4): thicker is a dark area


def erase_rules(grey: np.ndarray) -> np.ndarray:
    """The page with its long horizontal and vertical rulings (table grids, boxes) painted white.

    Why: on a table page tesseract (psm 4) treats the ruled cells as picture regions and, for a
    warp a third of a pixel different, drops whole narrow columns (the STT and page-count columns
    of a fee table: 0.5 % → 11.6 % CER on a tuning-only photo with near-identical corners). The
    text alone reads the same whatever the sub-pixel warp. Letters are far shorter than a ruling,
    so an opening with a long thin kernel finds only the rules.
    """
    h, w = grey.shape[:2]
    blur = cv2.GaussianBlur(grey, (3, 3), 0)
    t, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, ink = cv2.threshold(blur, min(t, 200.0), 255, cv2.THRESH_BINARY_INV)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, int(w * RULE_FRACTION)), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(h * RULE_FRACTION_V)))))
    # Only thin runs are rulings: a solid dark area (a photocopied card's grey, a sliver of desk)
    # survives the long opening too, and painting it white would erase the text on it.
    thick = max(3, int(max(h, w) * RULE_THICKNESS))
    horiz = cv2.subtract(horiz, cv2.morphologyEx(horiz, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, thick))))
    vert = cv2.subtract(vert, cv2.morphologyEx(vert, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (thick, 1))))
    rules = cv2.bitwise_or(horiz, vert)
    if not rules.any():
        return grey
    rules = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))  # the blurred halo too
    out = grey.copy()
    out[rules > 0] = 255
    return out

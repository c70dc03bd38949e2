"""Locate QR codes cheaply, then run the heavy passes only on a crop around each.

Why: running every preprocessing pass over a whole 1280×720 frame costs tens of ms, and a frame
without a card (most frames) paid all of them (issue 17: 43 ms median). Here the whole frame meets
zxing-cpp three times, on cheap looks (plain, 8-bit local normalisation, sharpened); each
call also returns the codes zxing-cpp *located* (finder patterns found) but could not decode, and
that is the locator: on frames without a code it locates nothing, and nothing more is tried. The
passes that undo glare, low light, sensor noise, blur and small size then run on a crop of a few
hundred pixels around each located code, where a median filter or a local normalisation is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in frame pixels

MIN_CODE_PX = 80  # a located quad smaller than this is a piece of a code, not all of it
TYPICAL_CODE_PX = 150.0  # the size assumed for a code seen only in part: modules come out ≥ 4 px for 90–230 px codes
CROP_TARGET = 320  # a located code is resized so its side is about this many pixels (≈ 7 px a module)


def quad_box(points: tuple[tuple[float, float], ...], shape: tuple[int, ...], margin: float = 0.35) -> Box:
    """The axis-aligned box around a code's corners, grown by ``margin`` of its size (quiet zone, error)."""
    pts = np.asarray(points, dtype=float)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    return _grow((x0, y0, x1, y1), shape, margin)


def _grow(box: tuple[float, float, float, float], shape: tuple[int, ...], margin: float) -> Box:
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0)
    m = side * margin
    h, w = shape[:2]
    return (int(max(0, x0 - m)), int(max(0, y0 - m)), int(min(w, x1 + m)), int(min(h, y1 + m)))


# ---------------------------------------------------------------- crop passes

_CLAHE = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(4, 4))


def _normalise(img: np.ndarray, sigma: float) -> np.ndarray:
    """Local contrast normalisation: subtract the local mean, divide by the local spread — a
    highlight or a dim corner becomes the same black-and-white as the rest of the code."""
    f = img.astype(np.float32)
    k = (int(sigma * 2) | 1,) * 2  # box filters: constant time per pixel whatever the window
    mean = cv2.blur(f, k)
    d = f - mean
    std = np.sqrt(np.maximum(cv2.blur(d * d, k), 0)) + 2.0
    return np.clip(128 + 60 * d / std, 0, 255).astype(np.uint8)


def _sharpen(img: np.ndarray, sigma: float = 2.0, amount: float = 1.5) -> np.ndarray:
    blur = cv2.GaussianBlur(img, (0, 0), sigma)
    return cv2.addWeighted(img, 1.0 + amount, blur, -amount, 0)


def crop_variants(raw: np.ndarray, scale: float) -> Iterator[tuple[str, np.ndarray]]:
    """Preprocessings of a crop (resized by ``scale``), cheapest and most often right first."""
    up = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    crop = cv2.resize(raw, None, fx=scale, fy=scale, interpolation=up)
    yield "plain", crop
    norm = _normalise(crop, 12)
    yield "normalise", norm
    med = cv2.medianBlur(crop, 5)
    yield "median_normalise", _normalise(med, 12)
    gauss = cv2.GaussianBlur(crop, (0, 0), 1.6)
    yield "gauss_normalise", _normalise(gauss, 10)
    yield "clahe", _CLAHE.apply(gauss)
    yield "sharpen", _sharpen(crop)
    pre = cv2.resize(_sharpen(raw, 1.0, 1.0), None, fx=scale, fy=scale, interpolation=up)
    yield "sharpen_twice", _sharpen(pre, 2.0, 1.5)  # blur undone at the camera's scale, then at the code's
    yield "gauss_normalise_sharpen", _sharpen(_normalise(gauss, 10), 1.5, 1.0)

def decode_region(grey: np.ndarray, box: Box, read: Callable[[np.ndarray], list], size_hint: float = 0.0,
                  deblur: bool = False) -> tuple[list, float, str]:
    """Run the crop passes on one region: (codes in crop pixels, crop scale, pass name); with
    ``deblur`` (a whole code was located) motion deconvolution last (kiosk/identity/qr_deblur.py)."""
    x0, y0, x1, y1 = box
    crop = grey[y0:y1, x0:x1]
    if crop.size == 0:
        return [], 1.0, ""
    side = max(crop.shape)
    code_side = size_hint or side / 1.6  # the box is the code plus its margins
    scale = float(np.clip(CROP_TARGET / max(code_side, 1.0), 0.6, 4.0))
    variants = crop_variants(crop, scale)
    if deblur:
        from kiosk.identity.qr_deblur import deblurred

        variants = chain(variants, deblurred(crop, scale))
    for name, img in variants:
        codes = read(img)
        if not codes and name in GLOBAL_VARIANTS:
            codes = _read_global(img)
        if codes:
            return codes, scale, name
    return [], scale, ""


# ---------------------------------------------------------------- the located pass

Quad = tuple[tuple[float, float], ...]


def _zxing(img: np.ndarray, errors: bool = False, fast: bool = False, invert: bool = False) -> list:
    """zxing-cpp's QR reader; ``invert`` also tries light-on-dark codes, which doubles the cost of a
    frame with no code (an ID card's QR is dark on light: only the plain look tries it, for a
    code shown on a phone in dark mode)."""
    import zxingcpp

    opts = {"try_rotate": False, "try_downscale": False} if fast else {}
    return zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode, return_errors=errors,
                                  try_invert=invert, **opts)


def _read_crop(img: np.ndarray) -> list:
    """zxing-cpp on a crop with its local-average binarizer."""
    return [b for b in _zxing(img, fast=True) if b.valid]


def _read_global(img: np.ndarray) -> list:
    """zxing-cpp on a normalised crop with one global threshold: under a highlight with heavy noise
    the local window sees noise, the normalised crop's global split still separates the modules
    (tuning set, seed 5; only on GLOBAL_VARIANTS — on every variant it cost p90 time on frames with no code)."""
    import zxingcpp

    for binarizer in CROP_BINARIZERS:
        found = [b for b in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=False,
                                                   try_downscale=False, try_invert=False, binarizer=getattr(zxingcpp.Binarizer, binarizer))
                 if b.valid]
        if found:
            return found
    return []


CROP_BINARIZERS = ("FixedThreshold",)
GLOBAL_VARIANTS = ("normalise",)


def _quad(bc: object, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0) -> Quad:
    p = bc.position  # type: ignore[attr-defined]
    return tuple((pt.x / scale + dx, pt.y / scale + dy) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))


def _normalised8(grey: np.ndarray, k: int = 17) -> np.ndarray:
    """Local contrast normalisation of a whole frame in 8-bit arithmetic (about 4× cheaper than
    float): (pixel − local mean) / local mean deviation, after a median against sensor noise."""
    g = cv2.medianBlur(grey, 3)
    mean = cv2.blur(g, (k, k))
    spread = cv2.add(cv2.blur(cv2.absdiff(g, mean), (k, k)), 2)
    brighter = cv2.divide(cv2.subtract(g, mean), spread, scale=48)
    darker = cv2.divide(cv2.subtract(mean, g), spread, scale=48)
    return cv2.subtract(cv2.add(brighter, 128), darker)


def _normalised_sharpened(grey: np.ndarray) -> np.ndarray:
    return _sharpen(_normalise(cv2.medianBlur(grey, 3), 8), 1.5, 1.0)


# Whole-frame looks (name, image, its scale), cheapest and most often right first, as measured on
# the tuning set (seed 5): each decodes what it can and reports where it saw a code it could not
# decode. A half-size normalised look and an 8-bit min–max stretch located nothing more; a 1.5×
# upscaled look read no further frame once the normalised one came second, and cost 3–9 ms on
# every frame it did not read. Only the plain look also tries the code inverted (see _zxing).
LOOKS: tuple[tuple[str, Callable[[np.ndarray], np.ndarray], float], ...] = (
    ("plain", lambda g: g, 1.0),
    ("normalised", _normalised8, 1.0),
    ("sharpen", lambda g: _sharpen(g, 2.0, 1.0), 1.0),
)


def _side(q: Quad) -> float:
    pts = np.asarray(q)
    return float(max(np.linalg.norm(pts[k] - pts[(k + 1) % 4]) for k in range(4)))


def _distinct(quads: list[Quad], limit: int = 2) -> list[Quad]:
    """At most ``limit`` quads, dropping one of about the size of one already kept and centred
    inside it (the same code seen by two looks); a piece inside a larger wrong quad stays."""
    kept: list[Quad] = []
    for q in quads:
        c, side = np.asarray(q).mean(axis=0), _side(q)
        if all(np.linalg.norm(c - np.asarray(k).mean(axis=0)) > 0.4 * _side(k) or not 0.6 < side / _side(k) < 1.7
               for k in kept):
            kept.append(q)
        if len(kept) == limit:
            break
    return kept


def located_decode(grey: np.ndarray) -> tuple[list[tuple[bytes, str, Quad]], bool]:
    """(decoded codes as (raw, text, corners), whether anything QR-like was located).

    1. zxing-cpp on a few whole-frame looks (LOOKS); each also returns codes it located but could not decode —
       zxing-cpp's finder-pattern search is the locator, and it sees nothing on frames without a code;
    2. the crop passes (denoise, local normalisation against glare and low light, sharpening,
       upscaling) around each distinct located code;
    3. last, the whole frame normalised and sharpened.
    """
    found: list[Quad] = []
    for name, look, scale in LOOKS:
        for bc in _zxing(look(grey), errors=True, invert=name == "plain"):
            if bc.valid:
                return [(bytes(bc.bytes), bc.text, _quad(bc, scale))], True
            found.append(_quad(bc, scale))
    if not found:
        return [], False
    found.sort(key=lambda q: _side(q) < MIN_CODE_PX)  # whole codes first, then finder-sized pieces
    for q in _distinct(found, 3):
        side = _side(q)
        if side >= MIN_CODE_PX:
            box, hint = quad_box(q, grey.shape), side
        else:  # zxing-cpp saw only a piece (a finder pattern): the code lies around it, size unknown
            cx, cy = np.asarray(q).mean(axis=0)
            r = max(3 * side, 170.0)
            box, hint = _grow((cx - r, cy - r, cx + r, cy + r), grey.shape, 0.0), TYPICAL_CODE_PX
        codes, scale, _name = decode_region(grey, box, _read_crop, hint, deblur=side >= MIN_CODE_PX)
        if codes:
            bc = codes[0]
            return [(bytes(bc.bytes), bc.text, _quad(bc, scale, box[0], box[1]))], True
    for bc in _zxing(_normalised_sharpened(grey)):
        if bc.valid:
            return [(bytes(bc.bytes), bc.text, _quad(bc))], True
    return [], True

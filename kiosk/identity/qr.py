"""Find and decode QR codes in a camera frame, and read a citizen identity from them.

Two decoders, as the field advises (STACK-NOTES.md "QR"): zxing-cpp (fast, reads tilted and
small codes, right UTF-8) and zbar through pyzbar's C binding in *binary* mode (so Vietnamese
is our own UTF-8 decode, not zbar's Shift-JIS/Big5 guess). A frame goes through a short list of
passes and stops at the first that finds a code. The default is one pass, "located"
(kiosk/identity/qr_crops.py, issue 17): zxing-cpp's own finder search on a few cheap looks of the
frame locates codes, and the heavy preprocessing (denoise, local normalisation against glare and
low light, sharpening, upscaling) runs only on crops around them — a frame with nothing QR-like
costs a few ms. The whole-frame passes of issue 5 stay in PASSES. ``benchmarks/qr.py`` measures it.

:func:`read_identity` returns an identity only for a payload :func:`kiosk.identity.payload.parse_payload`
accepts — a URL, a VietQR payment string or a receipt QR is never taken for a citizen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from ctypes import c_void_p, cast
from dataclasses import dataclass, field
from datetime import date

import cv2
import numpy as np

from kiosk.base.blocking import blocking
from kiosk.identity.payload import CitizenIdentity, IdentityError, parse_payload

log = logging.getLogger(__name__)

Points = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class QRCode:
    """One decoded code: text (UTF-8 decoded by us), the raw bytes, its corners in frame pixels."""

    text: str
    raw: bytes
    points: Points
    decoder: str = ""

    def size(self) -> float:
        """Longest side in pixels (how near the card is)."""
        if len(self.points) < 2:
            return 0.0
        pts = np.asarray(self.points, dtype=float)
        return float(max(np.linalg.norm(pts[i] - pts[(i + 1) % len(pts)]) for i in range(len(pts))))

    def __repr__(self) -> str:  # the text may be a citizen's payload: never in a log
        return f"QRCode({len(self.raw)} bytes, {self.decoder}, size={self.size():.0f}px)"


@dataclass
class ScanResult:
    """What one frame showed: the codes, the identity if any, and a hint for the citizen."""

    codes: list[QRCode] = field(default_factory=list)
    identity: CitizenIdentity | None = None
    error: IdentityError | None = None  # a code was read but is not an ID card
    hint: str = "searching"  # found | not_id | closer | hold_still | searching
    located: list[Points] = field(default_factory=list)  # codes seen but not decodable


def _text(raw: bytes, fallback: str = "") -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return fallback or raw.decode("utf-8", "replace")


def _grey(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY)
    return frame


# ---------------------------------------------------------------- decoders (one grey image → codes)


def zxing_decode(grey: np.ndarray, scale: float = 1.0, binarizer: str = "local") -> list[QRCode]:
    """zxing-cpp on a grey image; points given back in the original frame's pixels."""
    import zxingcpp

    binar = zxingcpp.Binarizer.GlobalHistogram if binarizer == "global" else zxingcpp.Binarizer.LocalAverage
    out = []
    for bc in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode, binarizer=binar):
        raw = bytes(bc.bytes)
        p = bc.position
        pts = tuple((pt.x / scale, pt.y / scale) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        out.append(QRCode(_text(raw, bc.text), raw, pts, "zxing"))
    return out


def zxing_locate(grey: np.ndarray) -> list[Points]:
    """Codes zxing-cpp sees but cannot decode (blur, glare): where they are, for the hint."""
    import zxingcpp

    found = []
    for bc in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode, return_errors=True,
                                     try_invert=False):
        if not bc.valid:
            p = bc.position
            found.append(tuple((float(pt.x), float(pt.y)) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)))
    return found


ZBAR_CFG_BINARY = 4  # zbar ≥ 0.23: return the QR's bytes as they are (no charset guessing)


def zbar_decode(grey: np.ndarray, scale: float = 1.0) -> list[QRCode]:
    """zbar (pyzbar's ctypes binding) in binary mode: raw bytes, our own UTF-8 decoding."""
    from pyzbar import wrapper as zw
    from pyzbar.pyzbar import (
        _FOURCC,
        _decode_symbols,
        _image,
        _image_scanner,
        _symbols_for_image,
    )

    grey = np.ascontiguousarray(grey, dtype=np.uint8)
    height, width = grey.shape[:2]
    pixels = grey.tobytes()
    out = []
    with _image_scanner() as scanner:
        zw.zbar_image_scanner_set_config(scanner, zw.ZBarSymbol.NONE, zw.ZBarConfig.CFG_ENABLE, 0)
        zw.zbar_image_scanner_set_config(scanner, zw.ZBarSymbol.QRCODE, zw.ZBarConfig.CFG_ENABLE, 1)
        zw.zbar_image_scanner_set_config(scanner, zw.ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1)
        with _image() as img:
            zw.zbar_image_set_format(img, _FOURCC["L800"])
            zw.zbar_image_set_size(img, width, height)
            zw.zbar_image_set_data(img, cast(pixels, c_void_p), len(pixels), None)
            if zw.zbar_scan_image(scanner, img) < 0:
                return []
            for d in _decode_symbols(_symbols_for_image(img)):
                raw = bytes(d.data)
                pts = tuple((p.x / scale, p.y / scale) for p in d.polygon)
                out.append(QRCode(_text(raw), raw, pts, "zbar"))
    return out


# ---------------------------------------------------------------- preprocessing passes

_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))


def _upscale(grey: np.ndarray, factor: float = 2.0) -> np.ndarray:
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def _equalise(grey: np.ndarray) -> np.ndarray:
    return _CLAHE.apply(grey)


def _sharpen(grey: np.ndarray, sigma: float = 2.0, amount: float = 1.0) -> np.ndarray:
    """Unsharp mask: restores the module edges that defocus and JPEG soften."""
    blur = cv2.GaussianBlur(grey, (0, 0), sigma)
    return cv2.addWeighted(grey, 1.0 + amount, blur, -amount, 0)


def _aruco_detector() -> cv2.QRCodeDetectorAruco:
    det = getattr(_aruco_detector, "det", None)
    if det is None:
        det = _aruco_detector.det = cv2.QRCodeDetectorAruco()  # type: ignore[attr-defined]
    return det


RECTIFIED_SIDES = (420, 300, 600)  # module size varies with the QR version: try a few scales


def _otsu(grey: np.ndarray) -> np.ndarray:
    return cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def rectify_decode(grey: np.ndarray) -> list[QRCode]:
    """OpenCV's finder-pattern detector (ArUco-based) locates the code even when zxing-cpp
    cannot; the code is then warped flat to a square and decoded as a clean image
    (a few sizes, plain / sharpened / binarised)."""
    import zxingcpp

    ok, quad = _aruco_detector().detect(grey)
    if not ok or quad is None:
        return []
    src = np.float32(quad).reshape(-1, 2)[:4]
    pts = tuple((float(x), float(y)) for x, y in src)
    for side in RECTIFIED_SIDES:
        q = side // 10
        dst = np.float32([[q, q], [q + side, q], [q + side, q + side], [q, q + side]])
        m = cv2.getPerspectiveTransform(src, dst)
        flat = cv2.warpPerspective(grey, m, (side + 2 * q, side + 2 * q), flags=cv2.INTER_CUBIC,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=255)
        for img in (flat, _sharpen(flat), _sharpen(flat, 1.0, 2.0), _otsu(flat)):
            for bc in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode):
                raw = bytes(bc.bytes)
                return [QRCode(_text(raw, bc.text), raw, pts, "rectify")]
    return []


Pass = tuple[str, Callable[[np.ndarray], list[QRCode]]]


class NothingLocated(Exception):
    """The located pass saw nothing QR-like in the frame: the later passes are skipped."""


def located_pass(grey: np.ndarray) -> list[QRCode]:
    """Whole-frame zxing-cpp (plain, then normalised), then crop passes around what was located
    (kiosk/identity/qr_crops.py); raises NothingLocated when the frame holds nothing QR-like."""
    from kiosk.identity.qr_crops import located_decode

    codes, located = located_decode(grey)
    if not codes and not located:
        raise NothingLocated
    return [QRCode(_text(raw, text), raw, pts, "located") for raw, text, pts in codes]


PASSES: dict[str, Callable[[np.ndarray], list[QRCode]]] = {
    "located": located_pass,
    "zxing": lambda g: zxing_decode(g),
    "zxing_global": lambda g: zxing_decode(g, binarizer="global"),
    "zxing_clahe": lambda g: zxing_decode(_equalise(g)),
    "zxing_sharpen": lambda g: zxing_decode(_sharpen(g)),
    "zxing_up2": lambda g: zxing_decode(_upscale(g), scale=2.0),
    "zxing_up2_sharpen": lambda g: zxing_decode(_sharpen(_upscale(g)), scale=2.0),
    "zxing_sharpen_up2": lambda g: zxing_decode(_upscale(_sharpen(g)), scale=2.0),
    "zxing_up15": lambda g: zxing_decode(_upscale(g, 1.5), scale=1.5),
    "zxing_sharpen_strong_up2": lambda g: zxing_decode(_upscale(_sharpen(g, 1.5, 2.5)), scale=2.0),
    "rectify": rectify_decode,
    "zbar": lambda g: zbar_decode(g),
    "zbar_sharpen": lambda g: zbar_decode(_sharpen(g)),
    "zbar_clahe": lambda g: zbar_decode(_equalise(g)),
    "zbar_up2": lambda g: zbar_decode(_upscale(g), scale=2.0),
}

# "located" alone (issue 17): zxing-cpp on three cheap whole-frame looks, then glare / noise /
# low-light / small-code passes only on crops around what it located; a frame with nothing QR-like
# stops there. Issue 5's whole-frame passes after it ("zxing_sharpen", "zxing_up15",
# "zxing_sharpen_strong_up2", "rectify") read no further frame of the hard set (benchmarks/qr.py)
# and cost up to 24 ms each, so they stay in PASSES for callers and the benchmark only.
DEFAULT_PASSES: tuple[str, ...] = ("located",)


@blocking
def decode_qr(frame: np.ndarray, passes: Sequence[str] = DEFAULT_PASSES) -> list[QRCode]:
    """Every QR code in a BGR (or grey) frame; the first pass that finds any wins. Never raises."""
    if frame is None or frame.size == 0:
        return []
    grey = _grey(frame)
    for name in passes:
        try:
            codes = PASSES[name](grey)
        except NothingLocated:
            return []
        except Exception:  # a decoder bug must not take the camera loop down
            log.exception("QR pass %s failed", name)
            continue
        if codes:
            return _unique(codes)
    return []


def _unique(codes: list[QRCode]) -> list[QRCode]:
    seen: set[bytes] = set()
    out = []
    for c in codes:
        if c.raw not in seen:
            seen.add(c.raw)
            out.append(c)
    return out


# ---------------------------------------------------------------- identities

SMALL_CODE_PX = 140  # below this a code is hard to read: ask to bring the card closer


def scan_frame(frame: np.ndarray, today: date | None = None, passes: Sequence[str] = DEFAULT_PASSES) -> ScanResult:
    """Decode a frame and say what the citizen should do next (the identify screen's worker)."""
    result = ScanResult()
    if frame is None or frame.size == 0:
        return result
    result.codes = decode_qr(frame, passes)
    for code in result.codes:
        try:
            result.identity = parse_payload(code.raw, today)
            result.hint = "found"
            return result
        except IdentityError as e:
            result.error = result.error or e
    if result.codes:
        result.hint = "not_id"
        return result
    try:
        result.located = zxing_locate(_grey(frame))
    except Exception:
        log.exception("QR locate failed")
    if result.located:
        size = max(QRCode("", b"", pts).size() for pts in result.located)
        result.hint = "closer" if size < SMALL_CODE_PX else "hold_still"
    return result


def read_identity(frame: np.ndarray, today: date | None = None) -> CitizenIdentity | None:
    """The citizen identity in a frame, or None (no code, or no code that is an ID card)."""
    if frame is None or frame.size == 0:
        return None
    for code in decode_qr(frame):
        try:
            return parse_payload(code.raw, today)
        except IdentityError:
            continue
    return None


class LiveScanner:
    """Scan a stream of camera frames within a small budget per frame.

    The cheap first pass runs on every frame; the slower passes take turns, one per frame,
    so a frame without a card (most of them) costs a few ms instead of every pass at once.
    A card held for half a second still meets every pass several times.
    """

    def __init__(self, passes: Sequence[str] = DEFAULT_PASSES, today: date | None = None) -> None:
        self.first = passes[:1]
        self.rest = list(passes[1:])
        self.today = today
        self._turn = 0

    def scan(self, frame: np.ndarray) -> ScanResult:
        passes = list(self.first)
        if self.rest:
            passes.append(self.rest[self._turn % len(self.rest)])
            self._turn += 1
        return scan_frame(frame, self.today, passes)

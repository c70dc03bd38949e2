"""The document pipeline: frame → page → flat, upright, clean page → OCR → searchable PDF.

:func:`check_frame` is the cheap part (find the page, quality checks) that the live preview
and auto-capture call on every still frame; :func:`process_image` does everything for one
captured photo; :func:`build_attachment` writes one dossier component's PDF. None of it
touches Kivy; the scan screen runs it in the background.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from kiosk.base.blocking import blocking
from kiosk.documents import detect, enhance, finder, gate, geometry, orient, quality, warp
from kiosk.documents.ocr import LANG, PSM, OcrResult, ocr_page
from kiosk.documents.pdf import PdfPage, build_pdf
from kiosk.documents.syllables import syllable_share

Source = Literal["auto", "camera", "scan"]
OCR_DPI = 300
CHECK_SIDE = 1000  # px, long side of the copy the quality checks look at


@dataclass
class FrameCheck:
    """What the live preview needs: the outline and what is wrong with the photo."""

    corners: np.ndarray | None
    warnings: list[str] = field(default_factory=list)

    @property
    def page_found(self) -> bool:
        return self.corners is not None

    @property
    def ok(self) -> bool:
        return self.page_found and not self.warnings


@dataclass
class PageResult:
    """One processed photo (``kiosk ocr`` prints the public fields as JSON)."""

    page_found: bool
    corners: np.ndarray | None
    text: str = ""
    mean_confidence: float = 0.0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    rotation: int = 0
    flat: np.ndarray | None = None  # flattened colour page, upright (archive)
    ocr: OcrResult | None = None
    detection: detect.Detection | None = None
    quality: gate.PageQuality | None = None  # good / doubtful with reasons (the gate)
    suggestions: list = field(default_factory=list)  # kiosk.documents.extract.Suggestion, set by the batch

    def as_json(self, file: str = "") -> dict:
        return {
            "file": file,
            "page_found": self.page_found,
            "corners": None if self.corners is None else [[round(float(x), 1), round(float(y), 1)] for x, y in self.corners],
            "text": self.text,
            "mean_confidence": round(self.mean_confidence, 1),
            "seconds": round(self.seconds, 3),
            "warnings": list(self.warnings),
            "quality": self.quality.as_json() if self.quality else None,
            "suggestions": [x.as_json() for x in self.suggestions],
        }


def locate(frame: np.ndarray, source: Source = "auto", quick: bool = False) -> detect.Detection:
    """The page in the frame; a scan (or a flat page image) is the page itself."""
    if source == "scan" or (source == "auto" and detect.looks_like_whole_page(frame)):
        return detect.Detection(detect.full_frame(frame), touches_border=False, area_fraction=1.0)
    return finder.find_page(frame, quick=quick)


def check_frame(frame: np.ndarray, source: Source = "auto", found: detect.Detection | None = None) -> FrameCheck:
    """Find the page and say what would make the citizen retake it (no OCR: fast; without
    ``found`` the quick finder runs — the live preview's case)."""
    found = found or locate(frame, source, quick=True)
    # The checks look at a reduced copy: they judge light and shape, not letters.
    scale = min(1.0, CHECK_SIDE / max(frame.shape[:2]))
    if scale < 1:
        frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    if not found.found:
        warnings = [quality.DARK] if quality.is_dark(grey) else []
        warnings.append(quality.CUT_OFF if found.touches_border else quality.NO_PAGE)
        return FrameCheck(None, warnings)
    warnings = []
    mask = quality.page_mask(grey.shape, found.corners * scale)
    if found.touches_border and found.area_fraction < 1.0 and (
        found.side_on_frame or quality.text_area_cut(found.corners * scale, grey.shape)
    ):
        warnings.append(quality.CUT_OFF)
    if quality.is_dark(grey, mask):
        warnings.append(quality.DARK)
    if frame.ndim == 3 and found.area_fraction < 1.0 and quality.has_glare(frame, mask):
        warnings.append(quality.GLARE)
    return FrameCheck(found.corners, warnings)


def flatten_page(frame: np.ndarray, corners: np.ndarray, dpi: int = OCR_DPI) -> np.ndarray:
    """Warp and de-light the page (colour kept), before orientation."""
    page = warp.warp_page(frame, corners, dpi)
    return enhance.flatten(page)


def prepare_page(frame: np.ndarray, *, source: Source = "auto", corners: np.ndarray | None = None) -> PageResult:
    """Find, warp and de-light the page and judge the photo (no tesseract: about half a second).

    The scan screen calls this right after a capture so the citizen hears at once whether to
    retake; :func:`read_page` does the slow part later. ``corners`` (dragged by the citizen)
    skip detection.
    """
    t0 = time.perf_counter()
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if corners is not None:
        found = detect.Detection(detect.order_corners(corners), False, 0.5)
    else:
        found = locate(frame, source)
    check = check_frame(frame, source, found)
    if not check.page_found:
        return PageResult(False, None, warnings=check.warnings, seconds=time.perf_counter() - t0,
                          detection=found, quality=gate.before_ocr(found, check.warnings))
    flat = flatten_page(frame, check.corners)
    warnings = list(check.warnings)
    if quality.is_blurred(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)):
        warnings.append(quality.BLURRED)
    return PageResult(True, check.corners, warnings=warnings, flat=flat, seconds=time.perf_counter() - t0,
                      detection=found, quality=gate.before_ocr(found, warnings))


@blocking
def read_page(
    result: PageResult,
    *,
    lang: str = LANG,
    psm: int | None = None,
    ocr: bool = True,
    pdf_layer: bool = True,
    orient_page: bool = True,
) -> PageResult:
    """Turn the prepared page upright, straighten it and OCR it (in place; returns it).

    Orientation detection (tesseract OSD, ~0.8 s of CPU) runs first only for a page that came
    out landscape (most likely a sheet lying sideways). A portrait page is read as it is, and
    only when that reading is poor (upside down reads as noise) is OSD asked and the page read
    again — so the common case, an upright sheet, pays for one tesseract run.
    """
    if result.flat is None:
        return result
    t0 = time.perf_counter()
    flat = result.flat
    binary = enhance.binarise(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY))
    h, w = binary.shape[:2]
    osd_done = False
    if orient_page and (w > h or not ocr):
        flat, binary = _turn(result, flat, binary)
        osd_done = True
    lines = geometry.text_line_spread(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY))  # before deskew: the gate's geometry
    angle = orient.estimate_skew(binary)
    flat, binary = orient.deskew(flat, angle), orient.deskew(binary, angle)
    unread, covered = None, 0
    if ocr:
        psm = psm or page_psm(flat)
        crisp = quality.sharpness(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)) >= CRISP
        faint = quality.GLARE in result.warnings  # a hot spot leaves pale ink: lift it (enhance.lift_faint)
        given = _clean(binary) if crisp else _ocr_input(flat, lift=faint)
        reading = ocr_page(given, lang=lang, psm=psm, dpi=OCR_DPI, pdf=pdf_layer)
        if orient_page and not osd_done and _poor(reading):
            flat2, binary2 = _turn(result, flat, binary)
            if result.rotation:
                flat, binary = flat2, binary2
                given = _clean(binary) if crisp else _ocr_input(flat, lift=faint)
                reading = ocr_page(given, lang=lang, psm=psm, dpi=OCR_DPI, pdf=pdf_layer)
        if _poor(reading) or _garbled(reading):  # faint low-resolution text: try the stretched page, then Otsu
            for again in (_ocr_input(flat, stretched=True), _clean(binary)):
                second = ocr_page(again, lang=lang, psm=psm, dpi=OCR_DPI, pdf=pdf_layer)
                if _reading_score(second) > _reading_score(reading):
                    reading, given = second, again
                if not (_poor(reading) or _garbled(reading)):
                    break
        unread = _unread(given, reading)
        if unread is not None and unread > gate.RETRY_UNREAD_INK:  # a region left unread: the rulings, again without them
            again = enhance.erase_rules(given)
            if again is not given:
                second = ocr_page(again, lang=lang, psm=psm, dpi=OCR_DPI, pdf=pdf_layer)
                unread2 = _unread(again, second)
                if unread2 is not None and unread2 < unread and _reading_score(second) >= 0.95 * _reading_score(reading):
                    reading, unread = second, unread2
        covered = geometry.covered_words(given, [w.box for w in reading.words if w.text.strip()])
        result.ocr = reading
        result.text = reading.text
        result.mean_confidence = reading.mean_confidence
    result.flat = flat
    base = result.quality or gate.before_ocr(result.detection, result.warnings)
    result.quality = gate.after_ocr(base, result.ocr, lines, unread, covered)
    result.seconds += time.perf_counter() - t0
    return result


SLIP_RATIO = 1.8  # longer than this: a receipt slip, not a sheet
# A page this sharp (quality.sharpness; a flatbed scan or a flat render: ~120, camera pages 18–75)
# reads best from its Otsu binary; a camera page from its sharpened grey (benchmarks/ocr.py).
CRISP = 90.0


def page_psm(flat: np.ndarray) -> int:
    """Tesseract's page segmentation: psm 4 (one column, varied sizes) for sheets; psm 3 for a
    slip, whose QR code and text beside it psm 4 reads out of order (benchmarks/ocr.py)."""
    h, w = flat.shape[:2]
    return 3 if max(h, w) / max(1, min(h, w)) > SLIP_RATIO else PSM


def _ocr_input(flat: np.ndarray, stretched: bool = False, lift: bool = False) -> np.ndarray:
    """The grey page tesseract reads; ``lift`` (a page with a hot spot only: on the tuning set,
    lifting every page's pale regions made shadow edges and grey print worse) raises faint ink."""
    grey = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)
    if stretched:
        return _clean(enhance.stretch(grey))
    return _clean(enhance.for_ocr(enhance.lift_faint(grey) if lift else grey))


def _clean(page: np.ndarray) -> np.ndarray:
    """What tesseract is given: no QR/bar codes (see :mod:`enhance`)."""
    return enhance.blank_codes(page)


def _unread(given: np.ndarray, reading: OcrResult) -> float | None:
    return geometry.unread_ink(given, [w.box for w in reading.words if w.text.strip()])


def _garbled(reading: OcrResult) -> bool:
    share = syllable_share(reading.text).share
    confs = reading.line_confidences()
    weak = sum(c < gate.WEAK_LINE_CONFIDENCE for c in confs) / max(1, len(confs))
    return (share is not None and share < gate.MIN_SYLLABLE_SHARE) or weak >= gate.MAX_WEAK_LINE_SHARE


def _reading_score(reading: OcrResult) -> float:
    share = syllable_share(reading.text).share
    return (share if share is not None else 0.5) * reading.mean_confidence


GOOD_READING_CONFIDENCE = 75.0  # mean word confidence of a page read the right way up (set on the test set)


def _poor(reading: OcrResult) -> bool:
    return len(reading.words) < 5 or reading.mean_confidence < GOOD_READING_CONFIDENCE


def _turn(result: PageResult, flat: np.ndarray, binary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    result.rotation, _conf = orient.detect_rotation(binary)
    return orient.rotate(flat, result.rotation), orient.rotate(binary, result.rotation)


@blocking
def process_image(
    frame: np.ndarray,
    *,
    source: Source = "auto",
    corners: np.ndarray | None = None,
    lang: str = LANG,
    psm: int | None = None,
    ocr: bool = True,
    pdf_layer: bool = True,
    orient_page: bool = True,
) -> PageResult:
    """Everything for one photo: :func:`prepare_page` then :func:`read_page`."""
    result = prepare_page(frame, source=source, corners=corners)
    return read_page(result, lang=lang, psm=psm, ocr=ocr, pdf_layer=pdf_layer, orient_page=orient_page)


def build_attachment(results: list[PageResult], out: Path, metadata: dict[str, str] | None = None) -> Path:
    """One searchable PDF of the pages (in order) for a dossier component."""
    pages = [PdfPage(r.flat, r.ocr.text_pdf if r.ocr else None) for r in results if r.flat is not None]
    return build_pdf(pages, out, metadata)


def read_image(path: str | Path) -> np.ndarray | None:
    """A photo or scan from disk as BGR (None when it is not an image)."""
    data = np.fromfile(str(path), dtype=np.uint8)
    if data.size == 0:
        return None
    return cv2.imdecode(data, cv2.IMREAD_COLOR)

"""The quality gate: every page leaves the scanner either *good* or *doubtful, with reasons*.

Why a gate after OCR: in the field a page warped with one wrong corner came out 37–84 %
wrong while tesseract still reported 80–92 % confidence. So we judge what was read, not how
sure tesseract was:

* the share of words that are possible Vietnamese syllables (:mod:`kiosk.documents.syllables`)
  — garbled text breaks the syllable rules on nearly every word;
* the per-line confidence spread — a shadow or a hot spot leaves some lines unreadable while
  the page's mean still looks fine;
* the text lines' geometry after the warp (:mod:`kiosk.documents.geometry`) — a wrong corner
  fans them out;
* the finder's own doubt (``Detection.weak``) and the photo checks (dark, blurred, glare, cut off).

Each reason says what to do: ``retake`` (a new photo will be better) or ``edit_corners`` (the
photo is fine, the outline is not: open the corner editor with the detected corners). The
verdict and reasons go into the dossier's metadata (:func:`PageQuality.as_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np

from kiosk.documents import geometry, quality, reasons
from kiosk.documents.detect import Detection
from kiosk.documents.ocr import OcrResult
from kiosk.documents.syllables import syllable_share

Verdict = Literal["good", "doubtful"]
Action = Literal["retake", "edit_corners"]

MIN_SYLLABLE_SHARE = 0.85  # clean pages of the tuning set: ≥ 0.93; garbled ones: < 0.8
# Lines read with a mean word confidence under 85: on the tuning part, pages read well have at
# most 19 % of such lines; pages with unreadable parts (a shadow, a low-resolution card) 36 %+.
WEAK_LINE_CONFIDENCE = 85.0
MAX_WEAK_LINE_SHARE = 0.3
# Text lines after the warp (before deskew), tuning part of the hard set: with the true corners
# every page's lines lie within 0.1° of level and within 0.55° of each other (receipt slips,
# with their large type: 1.5°); a corner 3 % of the diagonal off tilts them 0.4–2.3° or fans
# them out by 2–3.5°.
MAX_LINE_SPREAD = 2.0  # degrees, 10th–90th percentile of the line angles (≥ 4 lines)
MAX_LINE_TILT = 0.4  # degrees, median line angle
# Ink outside every word read (geometry.unread_ink). Tuning part: pages read well ≤ 0.034; a
# tuning-only table photo read without its STT and page-count columns (tests/gen_camera_set.py
# table_photo) 0.072; the shadowed photocopy 16: 0.068.
MAX_UNREAD_INK = 0.05
# Above this the pipeline reads the page once more without its rulings (kept only if it covers
# more ink): tuning photo 21's household table lost its year column at 0.034 (7.6 → 5.3 % CER).
RETRY_UNREAD_INK = 0.025
MIN_WORDS = 8  # fewer words: nothing to judge (a blank back side is still "little text")


@dataclass(frozen=True)
class Reason:
    code: str
    action: Action
    message_vi: str
    message_en: str

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


def reason(code: str) -> Reason:
    vi, en, action = reasons.text(code)
    return Reason(code, action, vi, en)


@dataclass
class PageQuality:
    """What the gate says about one page (the scan screen and the dossier read this)."""

    verdict: Verdict = "good"
    reasons: list[Reason] = field(default_factory=list)
    corners: list[list[float]] | None = None  # detected TL TR BR BL (frame px) for the corner editor
    finder_score: float | None = None
    syllable_share: float | None = None
    weak_line_share: float | None = None
    line_spread: float | None = None
    line_tilt: float | None = None
    unread_ink: float | None = None

    @property
    def good(self) -> bool:
        return self.verdict == "good"

    @property
    def action(self) -> Action | None:
        """What the screen should offer first: the corner editor when a reason asks for it."""
        if not self.reasons:
            return None
        return "edit_corners" if any(r.action == "edit_corners" for r in self.reasons) else "retake"

    def as_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "reasons": [r.code for r in self.reasons],
            "action": self.action,
            "finder_score": None if self.finder_score is None else round(self.finder_score, 3),
            "syllable_share": None if self.syllable_share is None else round(self.syllable_share, 3),
            "weak_line_share": None if self.weak_line_share is None else round(self.weak_line_share, 3),
            "line_spread": self.line_spread,
            "line_tilt": self.line_tilt,
            "unread_ink": None if self.unread_ink is None else round(self.unread_ink, 3),
        }


def _add(q: PageQuality, code: str) -> None:
    if all(r.code != code for r in q.reasons):
        q.reasons.append(reason(code))
        q.verdict = "doubtful"


def before_ocr(detection: Detection | None, warnings: list[str]) -> PageQuality:
    """The judgement possible right after the capture (finder + photo checks)."""
    q = PageQuality()
    if detection is not None and detection.corners is not None:
        q.corners = [[round(float(x), 1), round(float(y), 1)] for x, y in detection.corners]
        q.finder_score = detection.score
        if detection.weak:
            _add(q, reasons.CORNERS_UNSURE)
    for w in warnings:
        if w in quality.RETAKE:
            _add(q, w)
    return q


def after_ocr(q: PageQuality, ocr: OcrResult | None, lines: geometry.LineCheck | None,
              unread: float | None = None, covered: int = 0) -> PageQuality:
    """Add what the reading shows (in place; returns ``q``). ``lines``: the text-line check of
    the warped page *before* deskew (:func:`kiosk.documents.geometry.text_line_spread`);
    ``unread``: the share of its ink no word covers (:func:`kiosk.documents.geometry.unread_ink`);
    ``covered``: words a dark object lying on the page overlaps (:func:`kiosk.documents.geometry.covered_words`)."""
    if lines is not None:
        q.line_spread, q.line_tilt = lines.spread, lines.tilt
        fanned = lines.spread is not None and len(lines.angles) >= 4 and lines.spread > MAX_LINE_SPREAD
        tilted = lines.tilt is not None and abs(lines.tilt) >= MAX_LINE_TILT
        if fanned or tilted:
            _add(q, reasons.LINES_BENT)
    if ocr is None:
        return q
    words = [w for w in ocr.words if w.text.strip()]
    if len(words) < MIN_WORDS:
        _add(q, reasons.LITTLE_TEXT)
        return q
    share = syllable_share(ocr.text)
    q.syllable_share = share.share
    if share.share is not None and share.share < MIN_SYLLABLE_SHARE:
        _add(q, reasons.TEXT_GARBLED)
    confs = ocr.line_confidences()
    if confs:
        q.weak_line_share = float(np.mean([c < WEAK_LINE_CONFIDENCE for c in confs]))
        if q.weak_line_share >= MAX_WEAK_LINE_SHARE:
            _add(q, reasons.LINES_UNREADABLE)
    q.unread_ink = unread
    if unread is not None and unread > MAX_UNREAD_INK:
        _add(q, reasons.TEXT_MISSED)
    if covered > 0:  # tuning part: 0 on every page but photo 21 (a pen across its table: 2 words)
        _add(q, reasons.COVERED)
    return q


def judge(detection: Detection | None, warnings: list[str], ocr: OcrResult | None, page: np.ndarray | None) -> PageQuality:
    """Both steps at once (``page``: the warped flat page before deskew, BGR or grey)."""
    lines = None
    if page is not None:
        lines = geometry.text_line_spread(page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY))
    return after_ocr(before_ocr(detection, warnings), ocr, lines)

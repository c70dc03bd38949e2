"""Document scanning: capture → find the page → warp → orient → flatten → OCR (vie) → gate → searchable PDF.

One small module per step (finder with cues/pagescore/refine, warp, orient, enhance, quality,
ocr, geometry, gate, pdf, extract); :mod:`kiosk.documents.pipeline` chains them. No Kivy here.

For a screen: :func:`prepare_page` / :func:`read_page` give a :class:`PageResult` whose
``quality`` (:class:`PageQuality`: ``good`` or ``doubtful`` with :class:`Reason` s in Vietnamese
and English, each asking for a retake or the corner editor, and the detected ``corners`` for
that editor) and ``suggestions`` (:class:`Suggestion`: form field → value, source paper, page,
confidence; see :func:`fields_for_page`) are what it shows.
"""

from kiosk.documents.autocapture import AutoCapture, difference, quick_signature, signature, thumbnail
from kiosk.documents.batch import Paper, ScanBatch
from kiosk.documents.extract import Suggestion
from kiosk.documents.extract import for_page as fields_for_page
from kiosk.documents.fields import find_fields
from kiosk.documents.finder import find_page
from kiosk.documents.gate import PageQuality, Reason
from kiosk.documents.gate import reason as quality_reason
from kiosk.documents.ocr import OcrError
from kiosk.documents.pipeline import (
    FrameCheck,
    PageResult,
    build_attachment,
    check_frame,
    prepare_page,
    process_image,
    read_image,
    read_page,
)
from kiosk.documents.quality import RETAKE
from kiosk.documents.syllables import is_syllable, syllable_share

__all__ = [
    "AutoCapture",
    "Paper",
    "ScanBatch",
    "difference",
    "find_page",
    "quick_signature",
    "signature",
    "thumbnail",
    "FrameCheck",
    "OcrError",
    "PageQuality",
    "PageResult",
    "RETAKE",
    "Reason",
    "Suggestion",
    "build_attachment",
    "check_frame",
    "fields_for_page",
    "find_fields",
    "is_syllable",
    "prepare_page",
    "quality_reason",
    "process_image",
    "read_page",
    "read_image",
    "syllable_share",
]

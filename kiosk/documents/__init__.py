"""Document scanning: capture → find the page → warp → orient → flatten → OCR (vie) → searchable PDF.

One small module per step (detect, warp, orient, enhance, quality, ocr, pdf, fields);
:mod:`kiosk.documents.pipeline` chains them. No Kivy here.
"""

from kiosk.documents.autocapture import (
    AutoCapture,
    difference,
    quick_signature,
    signature,
    thumbnail,
)
from kiosk.documents.batch import Paper, ScanBatch
from kiosk.documents.detect import find_page
from kiosk.documents.fields import find_fields
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
    "PageResult",
    "RETAKE",
    "build_attachment",
    "check_frame",
    "find_fields",
    "prepare_page",
    "process_image",
    "read_page",
    "read_image",
]

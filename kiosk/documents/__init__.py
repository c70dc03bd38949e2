"""Document scanning: capture → find the page → warp → orient → flatten → OCR (vie) → gate → searchable PDF.

One small module per step (finder with cues/pagescore/refine, warp, orient, enhance, quality,
ocr, geometry, gate, pdf, extract); :mod:`kiosk.documents.pipeline` chains them. No Kivy here.

For a screen: :func:`prepare_page` / :func:`read_page` give a :class:`PageResult` whose
``quality`` (:class:`PageQuality`: ``good`` or ``doubtful`` with :class:`Reason` s in Vietnamese
and English, each asking for a retake or the corner editor, and the detected ``corners`` for
that editor) and ``suggestions`` (:class:`Suggestion`: form field → value, source paper, page,
confidence; see :func:`fields_for_page`) are what it shows.

The steps load on first use (:func:`kiosk.base.lazy.lazy_names`): OpenCV, numpy, pypdf and Pillow
cost ~60 MB, and the kiosk builds its scan screen (an empty :class:`ScanBatch`, an
:class:`AutoCapture`) right after its first frame, long before a citizen scans anything.
"""

from types import ModuleType

from kiosk.base.lazy import lazy_names
from kiosk.documents.fields import find_fields
from kiosk.documents.syllables import is_syllable, syllable_share


def _autocapture() -> ModuleType:
    from kiosk.documents import autocapture

    return autocapture


def _batch() -> ModuleType:
    from kiosk.documents import batch

    return batch


def _extract() -> ModuleType:
    from kiosk.documents import extract

    return extract


def _finder() -> ModuleType:
    from kiosk.documents import finder

    return finder


def _gate() -> ModuleType:
    from kiosk.documents import gate

    return gate


def _ocr() -> ModuleType:
    from kiosk.documents import ocr

    return ocr


def _pipeline() -> ModuleType:
    from kiosk.documents import pipeline

    return pipeline


def _quality() -> ModuleType:
    from kiosk.documents import quality

    return quality


__getattr__ = lazy_names(
    __name__,
    {
        _autocapture: ("AutoCapture", "difference", "quick_signature", "signature", "thumbnail"),
        _batch: ("Paper", "ScanBatch"),
        _extract: ("Suggestion", "fields_for_page"),
        _finder: ("find_page",),
        _gate: ("PageQuality", "Reason", "quality_reason"),
        _ocr: ("OcrError",),
        _pipeline: ("FrameCheck", "PageResult", "build_attachment", "check_frame", "prepare_page", "process_image",
                    "read_image", "read_page"),
        _quality: ("RETAKE",),
    },
    aliases={"fields_for_page": "for_page", "quality_reason": "reason"},
)

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

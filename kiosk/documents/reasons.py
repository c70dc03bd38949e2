"""Why a page is doubtful, in words a citizen can act on (Vietnamese first, English too).

The photo checks' messages live with the scan screen's strings (``scan.warn.<code>`` in
``kiosk/locales/scan.toml``); the gate's own reasons are here, with the action each asks for.
"""

from __future__ import annotations

from kiosk.base.i18n import tr

CORNERS_UNSURE = "corners_unsure"
LINES_BENT = "lines_bent"
TEXT_GARBLED = "text_garbled"
LINES_UNREADABLE = "lines_unreadable"
LITTLE_TEXT = "little_text"
TEXT_MISSED = "text_missed"
COVERED = "covered"

_GATE: dict[str, tuple[str, str, str]] = {
    CORNERS_UNSURE: (
        "Chưa chắc đã tìm đúng mép giấy. Vui lòng kiểm tra bốn góc.",
        "Not sure the page's edges were found. Please check the four corners.",
        "edit_corners",
    ),
    LINES_BENT: (
        "Các dòng chữ bị nghiêng lệch: một góc giấy có thể sai. Vui lòng kiểm tra bốn góc.",
        "The text lines fan out: a corner may be wrong. Please check the four corners.",
        "edit_corners",
    ),
    TEXT_GARBLED: (
        "Không đọc rõ được chữ trên giấy. Vui lòng chụp lại, đặt giấy phẳng, đủ sáng.",
        "The text could not be read clearly. Please take the photo again, flat and well lit.",
        "retake",
    ),
    LINES_UNREADABLE: (
        "Một phần trang không đọc được (bóng che hoặc lóa). Vui lòng chụp lại.",
        "Part of the page could not be read (a shadow or glare). Please take it again.",
        "retake",
    ),
    TEXT_MISSED: (
        "Một phần chữ trên trang chưa được đọc (ví dụ một cột của bảng). Vui lòng chụp lại.",
        "Part of the text on the page was not read (a table column, say). Please take it again.",
        "retake",
    ),
    COVERED: (
        "Có vật (bút, điện thoại…) nằm đè lên chữ trên trang. Vui lòng bỏ vật đó ra và chụp lại.",
        "Something (a pen, a phone…) lies over the text on the page. Please move it away and take it again.",
        "retake",
    ),
    LITTLE_TEXT: (
        "Không thấy chữ trên trang này. Có phải mặt sau của giấy?",
        "No text found on this page. Is it the back of the paper?",
        "retake",
    ),
}
CODES: tuple[str, ...] = tuple(_GATE)


def text(code: str) -> tuple[str, str, str]:
    """(Vietnamese, English, action) for a gate reason or a photo check code."""
    if code in _GATE:
        return _GATE[code]
    return tr(f"scan.warn.{code}", "vi"), tr(f"scan.warn.{code}", "en"), "retake"

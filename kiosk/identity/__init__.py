"""Who the citizen is: the ID card's QR payload checked like an officer would, and QR codes found in camera frames.

:mod:`~kiosk.identity.payload` parses the CCCD / Căn cước QR text into a :class:`CitizenIdentity`
(ID-number rules of DOMAIN.md §2); :mod:`~kiosk.identity.qr` finds and decodes QR codes in a frame
(zxing-cpp first, zbar in binary mode) and is loaded only when a camera path needs it (OpenCV).
"""

from kiosk.base.lazy import lazy_names
from kiosk.identity.payload import (
    CitizenIdentity,
    IdentityError,
    identity_from_manual,
    make_payload,
    parse_payload,
    province_codes,
)


def _qr():  # type: ignore[no-untyped-def]
    from kiosk.identity import qr

    return qr


def _photo():  # type: ignore[no-untyped-def]
    from kiosk.identity.chip import photo

    return photo


def _chip():  # type: ignore[no-untyped-def]
    from kiosk.identity import chip

    return chip


_QR_NAMES = ("LiveScanner", "QRCode", "ScanResult", "decode_qr", "read_identity", "scan_frame")
_PHOTO_NAMES = ("decode_photo",)  # the chip's face image → pixels (Pillow, on a worker)
_CHIP_NAMES = ("ChipError",)  # what a screen may catch from the chip step (a CAN that is not 6 digits)
__getattr__ = lazy_names(__name__, {_qr: _QR_NAMES, _photo: _PHOTO_NAMES, _chip: _CHIP_NAMES})

__all__ = [
    "CitizenIdentity", "IdentityError", "identity_from_manual", "make_payload", "parse_payload", "province_codes",
    *_QR_NAMES, *_PHOTO_NAMES, *_CHIP_NAMES,
]

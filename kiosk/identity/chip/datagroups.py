"""The LDS files of a CCCD (ICAO 9303 Part 10): EF.COM, DG1 (MRZ), DG2 (face), DG13 (Vietnam's own fields).

File identifiers and tags are Part 10's; DG13's layout is not in ICAO 9303 (it is the
issuer's optional data group) — see :mod:`kiosk.identity.chip.dg13`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.identity.chip import tlv
from kiosk.identity.chip.errors import ChipError
from kiosk.identity.chip.mrz import MrzError, MrzTD1, parse_td1

# name → (file identifier, tag of the file, SOD data group number or None)
FILES: dict[str, tuple[int, int, int | None]] = {
    "COM": (0x011E, 0x60, None),
    "SOD": (0x011D, 0x77, None),
    **{f"DG{n}": (0x0100 + n, tag, n) for n, tag in
       [(1, 0x61), (2, 0x75), (3, 0x63), (4, 0x76), (5, 0x65), (7, 0x67), (11, 0x6B), (12, 0x6C), (13, 0x6D),
        (14, 0x6E), (15, 0x6F)]},
}
TAG_TO_DG = {tag: name for name, (_fid, tag, n) in FILES.items() if n is not None}


@dataclass(frozen=True)
class EfCom:
    lds_version: str
    data_groups: tuple[str, ...]  # "DG1", "DG2", … as the chip lists them


def parse_com(data: bytes) -> EfCom:
    body = tlv.one(data, 0x60)
    version, tags = "", b""
    for tag, value, _ in tlv.items(body):
        if tag == 0x5F01:
            version = value.decode("ascii", "replace")
        elif tag == 0x5C:
            tags = value
    return EfCom(version, tuple(TAG_TO_DG[t] for t in tags if t in TAG_TO_DG))


def parse_dg1(data: bytes) -> MrzTD1:
    """DG1 → the TD1 MRZ (90 characters in 5F1F)."""
    mrz = tlv.find(tlv.one(data, 0x61), 0x5F1F)
    if mrz is None or len(mrz) != 90:
        raise ChipError("bad_data", "DG1 without a TD1 MRZ")
    text = mrz.decode("ascii", "replace")
    try:
        return parse_td1([text[0:30], text[30:60], text[60:90]])
    except MrzError as e:
        raise ChipError("bad_data", f"DG1: {e}") from None


_JPEG = b"\xff\xd8\xff"
_JP2 = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K = b"\xff\x4f\xff\x51"


def parse_dg2(data: bytes) -> tuple[bytes, str]:
    """DG2 → (face image bytes, "jpeg" | "jpeg2000").

    The image sits inside the biometric data block (5F2E or 7F2E) after an ISO/IEC 19794-5
    facial record header whose length varies; like public readers we take it from the image's
    own signature onwards.
    """
    block = tlv.find(tlv.one(data, 0x75), 0x5F2E) or tlv.find(tlv.one(data, 0x75), 0x7F2E)
    if block is None:
        raise ChipError("bad_data", "DG2 without a biometric data block")
    found = [(block.find(sig), kind) for sig, kind in ((_JPEG, "jpeg"), (_JP2, "jpeg2000"), (_J2K, "jpeg2000"))]
    found = [(i, kind) for i, kind in found if i >= 0]
    if not found:
        raise ChipError("bad_data", "DG2 holds no JPEG or JPEG 2000 image")
    start, kind = min(found)
    return block[start:], kind

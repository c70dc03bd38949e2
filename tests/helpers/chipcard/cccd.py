"""The files of a test CCCD — EF.COM, DG1, DG2 (a small JPEG), DG13, DG14, DG15, EF.SOD — for invented citizens.

``make_card`` signs them with a test chain (tests/chip/pki.py); ``tamper=True`` changes DG13 after
signing (the religion field), which passive authentication must call "invalid".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.identity.chip.dg13 import make_dg13
from kiosk.identity.chip.mrz import bac_information, make_td1
from helpers.chipcard.pki import Chain, build_sod
from helpers.chipcard.vcard import VirtualChip, tlv


@dataclass(frozen=True)
class Citizen:
    """The citizen of tests/helpers/cards.py's CHIP_CCCD, with what only the chip holds."""

    id_number: str = "036089001234"
    old_id: str = "163456789"
    name: str = "Nguyễn Văn An"
    name_mrz: str = "NGUYEN VAN AN"
    born: date = date(1989, 3, 15)
    sex: str = "Nam"
    issued: date = date(2021, 4, 20)
    expiry: date = date(2029, 3, 15)  # the 40th birthday: renewal age rule
    extra: dict[int, str | tuple[str, ...]] = field(default_factory=lambda: {
        5: "Việt Nam", 6: "Kinh", 7: "Không", 8: "Xã Hải Vân, Huyện Hải Hậu, Nam Định",
        9: "Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định", 10: "Nốt ruồi C:1cm trên trước đầu lông mày phải",
        13: ("Nguyễn Văn Bình", "Trần Thị Cúc"), 14: "Lê Thị Dung",
    })

    @property
    def document_number(self) -> str:
        return self.id_number[3:]

    @property
    def mrz_lines(self) -> list[str]:
        return make_td1(self.document_number, self.born.strftime("%y%m%d"), "M" if self.sex == "Nam" else "F",
                        self.expiry.strftime("%y%m%d"), self.name_mrz, optional1=self.id_number)

    @property
    def mrz_information(self) -> str:
        return bac_information(self.document_number, self.born.strftime("%y%m%d"), self.expiry.strftime("%y%m%d"))


def jpeg(size: int = 1500) -> bytes:
    """A JPEG of about ``size`` bytes (noise compresses badly, so the size is easy to steer)."""
    import os

    from PIL import Image

    side = 24
    while True:
        img = Image.frombytes("L", (side, side * 5 // 4), os.urandom(side * (side * 5 // 4)))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        if buf.tell() >= size or side > 400:
            return buf.getvalue()
        side = int(side * 1.3)


def dg2(image: bytes) -> bytes:
    """DG2 as Part 10 nests it: 75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E { ISO 19794-5 record … image } } } }."""
    record = b"FAC\x00" + b"010\x00" + (14 + 20 + 12 + len(image)).to_bytes(4, "big") + b"\x00\x01" + bytes(20) + \
        bytes([0x01, 0x01]) + bytes(10) + image
    header = tlv(0xA1, tlv(0x80, b"\x01\x01") + tlv(0x87, b"\x01\x01"))
    inst = b"\x7f\x60" + tlv(0, header + b"\x5f\x2e" + tlv(0, record)[1:])[1:]
    group = b"\x7f\x61" + tlv(0, b"\x02\x01\x01" + inst)[1:]
    return tlv(0x75, group)


def make_files(citizen: Citizen, chain: Chain, tamper: bool = False, photo_size: int = 1500,
               photo: bytes | None = None) -> dict[int, bytes]:
    """``photo``: DG2's image as given (a JPEG 2000, say); else a noise JPEG of about ``photo_size`` bytes."""
    mrz = "".join(citizen.mrz_lines).encode()
    dg1 = tlv(0x61, b"\x5f\x1f" + tlv(0, mrz)[1:])
    fields: dict[int, str | tuple[str, ...]] = {
        1: citizen.id_number, 2: citizen.name, 3: citizen.born.strftime("%d/%m/%Y"), 4: citizen.sex,
        11: citizen.issued.strftime("%d/%m/%Y"), 12: citizen.expiry.strftime("%d/%m/%Y"), 15: citizen.old_id,
        **citizen.extra,
    }
    dg13 = make_dg13(fields)
    aa_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    dg15 = tlv(0x6F, aa_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    dg14 = tlv(0x6E, bytes.fromhex("3112300f060a04007f000702020302020201020101"))  # a SET of one SecurityInfo
    groups = {1: dg1, 2: dg2(photo or jpeg(photo_size)), 13: dg13, 14: dg14, 15: dg15}
    sod = build_sod(groups, chain)
    if tamper:
        changed = dict(fields)
        changed[7] = "Phật giáo"
        groups[13] = make_dg13(changed)
    com = tlv(0x60, tlv(0x5F, b"")[:0] + b"\x5f\x01\x040107" + b"\x5f\x36\x06040000" +
               tlv(0x5C, bytes([0x61, 0x75, 0x6D, 0x6E, 0x6F])))
    files = {0x011E: com, 0x011D: sod}
    files.update({0x0100 + n: data for n, data in groups.items()})
    return files


def make_chip(citizen: Citizen, chain: Chain, can: str | None = None, pace_parameter_id: int = 13,
              **kw: object) -> VirtualChip:
    """The chip; with ``can`` it offers PACE too (EF.CardAccess), as newer cards do."""
    return VirtualChip(citizen.mrz_information, make_files(citizen, chain, **kw),  # type: ignore[arg-type]
                       can=can, pace_parameter_id=pace_parameter_id)

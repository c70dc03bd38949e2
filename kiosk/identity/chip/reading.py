"""One read of the chip, card on the reader → :class:`ChipReading`: select, BAC, files, passive authentication.

The same code path for the identify screen (on a worker), ``kiosk read-chip`` and the tests.
One access attempt per call (a wrong key is reported, not retried); a card lifted during the
read is :class:`CardRemovedError` and the caller simply calls again once it is back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devices.card_reader import CardReader, CardReaderError
from kiosk.base.blocking import blocking
from kiosk.identity.chip import bac, datagroups, pace, passive
from kiosk.identity.chip.access import AccessKey
from kiosk.identity.chip.datagroups import EfCom
from kiosk.identity.chip.dg13 import Dg13, parse_dg13
from kiosk.identity.chip.errors import CardRemovedError, ChipError
from kiosk.identity.chip.mrz import MrzTD1
from kiosk.identity.chip.passive import PassiveResult
from kiosk.identity.chip.sm import SecureMessaging
from kiosk.identity.chip.tlv import total_length

log = logging.getLogger(__name__)
EMRTD_AID = bytes.fromhex("A0000002471001")
CHUNK = 0xDF  # the largest READ BINARY whose SM answer still fits a short APDU (Part 10 readers use 0xDF/0xE0)
WANTED = ("DG1", "DG2", "DG13", "DG14", "DG15")
SKIP_STATUS = {0x6982, 0x6A82, 0x6985}  # not allowed (DG3/DG4 need EAC) / not found: skipped, not an error


@dataclass(frozen=True)
class ChipReading:
    """What the chip said, with the verdict of passive authentication. Personal data: never logged."""

    com: EfCom
    mrz: MrzTD1
    dg13: Dg13 | None
    photo: bytes | None
    photo_format: str | None
    authenticity: PassiveResult
    files: dict[str, bytes] = field(repr=False, default_factory=dict)  # raw COM, DGn, SOD as read
    apdus: int = 0
    seconds: float = 0.0

    @property
    def id_number(self) -> str | None:
        return (self.dg13.id_number if self.dg13 else None) or self.mrz.id_number

    def __repr__(self) -> str:
        return (f"ChipReading(groups={list(self.com.data_groups)}, authenticity={self.authenticity.status}, "
                f"apdus={self.apdus}, {self.seconds:.2f} s)")


class _Link:
    """The reader's transmit with device faults turned into chip errors, and APDUs counted."""

    def __init__(self, reader: CardReader) -> None:
        self.reader = reader
        self.count = 0

    def __call__(self, apdu: bytes) -> tuple[bytes, int]:
        self.count += 1
        try:
            return self.reader.transmit(apdu)
        except CardReaderError as e:
            raise device_error(e) from None


def device_error(e: CardReaderError) -> ChipError:
    if e.kind == "card_removed":
        return CardRemovedError(e.message)
    if e.kind in ("no_reader", "no_card", "reader_busy"):
        return ChipError(e.kind, e.message)
    return ChipError("protocol", e.message)


def _read_file(sm: SecureMessaging, link: _Link, fid: int) -> bytes | None:
    _data, sw = sm.transmit(link, bytes([0x00, 0xA4, 0x02, 0x0C, 0x02]) + fid.to_bytes(2, "big"))
    if sw in SKIP_STATUS:
        return None
    if sw != 0x9000:
        raise ChipError("protocol", f"SELECT {fid:04X} answered {sw:04X}")
    head, sw = sm.transmit(link, bytes([0x00, 0xB0, 0x00, 0x00, 0x04]))
    if sw in SKIP_STATUS:
        return None
    size = total_length(head)
    if sw not in (0x9000, 0x6282) or size is None:
        raise ChipError("protocol", f"READ BINARY {fid:04X} answered {sw:04X}")
    if size > 0x7FFF:
        raise ChipError("bad_data", f"file {fid:04X} longer than an even-INS READ BINARY reaches")
    data = bytearray(head)
    while len(data) < size:
        offset = len(data)
        want = min(CHUNK, size - offset)
        chunk, sw = sm.transmit(link, bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, want]))
        if sw not in (0x9000, 0x6282) or not chunk:
            raise ChipError("protocol", f"READ BINARY {fid:04X}@{offset} answered {sw:04X}")
        data += chunk
    return bytes(data[:size])


def _select_aid(transmit: bac.Transmit) -> None:
    _data, sw = transmit(bytes([0x00, 0xA4, 0x04, 0x0C, len(EMRTD_AID)]) + EMRTD_AID)
    if sw != 0x9000:
        raise ChipError("not_emrtd", f"SELECT eMRTD answered {sw:04X}")


def _open_with_bac(link: _Link, access_key: AccessKey) -> SecureMessaging:
    _select_aid(link)
    return SecureMessaging(bac.authenticate(link, access_key.bac_keys()))


def _open_with_pace(link: _Link, can: str) -> SecureMessaging:
    """EF.CardAccess (READ BINARY by short file identifier 1C, no SELECT of the master file) → PACE → the eMRTD."""
    card_access, sw = link(bytes([0x00, 0xB0, 0x9C, 0x00, 0x00]))
    if sw not in (0x9000, 0x6282) or not card_access:
        raise ChipError("pace_unavailable", f"no EF.CardAccess ({sw:04X}): this chip offers BAC only, use the MRZ")
    infos = pace.parse_card_access(card_access)
    if not infos:
        raise ChipError("pace_unavailable", "EF.CardAccess offers no PACE cipher suite built here")
    sm = SecureMessaging(pace.authenticate(link, infos[0], can))
    _select_aid(lambda apdu: sm.transmit(link, apdu))
    return sm


Progress = Callable[[float], None]


@blocking
def read_chip(reader: CardReader, access_key: AccessKey, csca_dir: str | Path | None = None,
              with_photo: bool = True, progress: Progress | None = None) -> ChipReading:
    """Read the card now on ``reader`` (call from a worker: it takes about a second).

    ``progress(share)`` is called on the calling thread after access and after each file (0 → 1), so a
    screen can show how far the read is. Raises :class:`ChipError` (``WrongKeyError``,
    ``CardRemovedError``, …) — never another exception.
    """
    tell = progress or (lambda _share: None)
    t0 = time.monotonic()
    if not reader.is_present:
        raise ChipError("no_reader", "no card reader configured")
    link = _Link(reader)
    try:
        try:
            reader.connect()
        except CardReaderError as e:
            raise device_error(e) from None
        sm = _open_with_pace(link, access_key.secret) if access_key.kind == "can" else _open_with_bac(link, access_key)
        tell(0.1)
        files: dict[str, bytes] = {}
        com_bytes = _read_file(sm, link, datagroups.FILES["COM"][0])
        if com_bytes is None:
            raise ChipError("bad_data", "no EF.COM")
        files["COM"] = com_bytes
        com = datagroups.parse_com(com_bytes)
        todo = [n for n in WANTED if n in com.data_groups and (n != "DG2" or with_photo)]
        weight = {n: (6 if n == "DG2" else 1) for n in todo}  # the photo is most of the bytes
        total, done = sum(weight.values()) + 1, 0
        for name in todo:
            content = _read_file(sm, link, datagroups.FILES[name][0])
            if content is not None:
                files[name] = content
            done += weight[name]
            tell(0.1 + 0.85 * done / total)
        sod = _read_file(sm, link, datagroups.FILES["SOD"][0])
    finally:
        reader.disconnect()
    if sod is None:
        raise ChipError("bad_data", "no EF.SOD")
    files["SOD"] = sod
    if "DG1" not in files:
        raise ChipError("bad_data", "no DG1")
    groups = {datagroups.FILES[n][2]: b for n, b in files.items() if datagroups.FILES[n][2] is not None}
    verdict = passive.verify(sod, groups, passive.load_csca(csca_dir))  # type: ignore[arg-type]
    photo, fmt = datagroups.parse_dg2(files["DG2"]) if "DG2" in files else (None, None)
    reading = ChipReading(
        com=com, mrz=datagroups.parse_dg1(files["DG1"]),
        dg13=parse_dg13(files["DG13"]) if "DG13" in files else None,
        photo=photo, photo_format=fmt, authenticity=verdict, files=files,
        apdus=link.count, seconds=time.monotonic() - t0,
    )
    tell(1.0)
    log.info("chip read: %s, %s (%s), %d APDUs, %.2f s", ",".join(com.data_groups), verdict.status,
             verdict.reason, link.count, reading.seconds)
    return reading

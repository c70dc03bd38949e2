"""The chip's data joined to the QR identity — refused when the two disagree.

The QR is printed on the card and can be copied; the chip is signed. A chip that names a
different person than the QR it was presented with (another card, a forged sticker) is refused
with :class:`ChipMismatchError`, naming only which fields differ, never their values.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.base import text_rules
from kiosk.base.privacy import remember_personal
from kiosk.identity.chip.dg13 import Dg13
from kiosk.identity.chip.errors import ChipError, ChipMismatchError
from kiosk.identity.chip.reading import ChipReading
from kiosk.identity.payload import CitizenIdentity, sex_from_number


def _same_name(a: str, b: str) -> bool:
    return " ".join(text_rules.nfc(a).casefold().split()) == " ".join(text_rules.nfc(b).casefold().split())


def _chip_fields(reading: ChipReading) -> dict[str, object]:
    d = reading.dg13 or Dg13()
    remember_personal(None, None, d.father, d.mother, d.spouse, d.place_of_origin, d.residence)
    return {
        "nationality": d.nationality, "ethnicity": d.ethnicity, "religion": d.religion,
        "place_of_origin": d.place_of_origin, "father_name": d.father, "mother_name": d.mother,
        "spouse_name": d.spouse, "expiry_date": d.expiry_date or reading.mrz.date_of_expiry,
        "photo": reading.photo, "chip_authenticity": reading.authenticity.status,
    }


def merge_with_qr(qr: CitizenIdentity, reading: ChipReading) -> CitizenIdentity:
    """The QR identity with the chip's fields and authenticity; :class:`ChipMismatchError` if they disagree."""
    d = reading.dg13 or Dg13()
    differs = []
    if reading.id_number != qr.id_number:
        differs.append("id_number")
    born = d.date_of_birth or reading.mrz.date_of_birth
    if born != qr.date_of_birth:
        differs.append("date_of_birth")
    if d.full_name and qr.full_name and not _same_name(d.full_name, qr.full_name):
        differs.append("full_name")
    if d.old_id_number and qr.old_id_number and d.old_id_number != qr.old_id_number:
        differs.append("old_id_number")
    if differs:
        raise ChipMismatchError(differs)
    return replace(qr, **_chip_fields(reading))  # type: ignore[arg-type]


def identity_from_chip(reading: ChipReading) -> CitizenIdentity:
    """An identity from the chip alone (the key came from the MRZ or a CAN, no QR read)."""
    d = reading.dg13 or Dg13()
    number = reading.id_number
    if not number or not d.full_name:
        raise ChipError("bad_data", "the chip holds no ID number or name (DG13)")
    remember_personal(d.full_name, d.residence)
    sex = "female" if (d.sex_text or "").casefold() in {"nữ", "nu", "f"} else (
        "male" if d.sex_text else sex_from_number(number))
    return CitizenIdentity(
        id_number=number, old_id_number=d.old_id_number, full_name=d.full_name,
        date_of_birth=d.date_of_birth or reading.mrz.date_of_birth, sex=sex,  # type: ignore[arg-type]
        address=d.residence or "", issue_date=d.issue_date, card_type="unknown", source="chip",
        **_chip_fields(reading),  # type: ignore[arg-type]
    )

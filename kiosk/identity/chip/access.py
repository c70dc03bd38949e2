"""The access key that opens the chip: MRZ data (BAC), from the card's back or its QR — or a CAN (PACE).

From the QR: the document number in the MRZ is the last 9 digits of the 12-digit ID number
(as public readers take it, confirmed by the TD1 layout of the card's back), the birth date is in
the QR, and the expiry is either in the extended QR or follows from the age rule of the Law on
Citizen Identification (cards are renewed at 25, 40 and 60; a card issued within 2 years before
such an age is valid until the next one; from 60 the card has no expiry) — that rule is a
best guess and gives one key, tried once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kiosk.identity.chip.bac import BacKeys
from kiosk.identity.chip.errors import ChipError
from kiosk.identity.chip.mrz import MrzError, bac_information, parse_td1
from kiosk.identity.payload import CitizenIdentity

RENEWAL_AGES = (25, 40, 60)


@dataclass(frozen=True)
class AccessKey:
    """What the citizen's card gives to open its chip. ``kind`` "mrz" (BAC) or "can" (PACE only)."""

    kind: Literal["mrz", "can"]  # "can": PACE (kiosk.identity.chip.pace)
    secret: str  # the MRZ information (document number, dates, check digits) or the CAN

    def bac_keys(self) -> BacKeys:
        if self.kind != "mrz":
            raise ChipError("pace_unavailable", "a CAN opens the chip only with PACE")
        return BacKeys.from_mrz_information(self.secret)

    def __repr__(self) -> str:  # the key is personal data
        return f"AccessKey({self.kind})"

    @classmethod
    def from_mrz(cls, lines: list[str] | str) -> AccessKey:
        """The three TD1 lines of the card's back (check digits verified)."""
        try:
            return cls("mrz", parse_td1(lines).bac_information())
        except MrzError as e:
            raise ChipError("bad_access_key", f"MRZ {e.field}") from None

    @classmethod
    def from_fields(cls, document_number: str, birth: date, expiry: date) -> AccessKey:
        try:
            return cls("mrz", bac_information(document_number, birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")))
        except MrzError as e:
            raise ChipError("bad_access_key", f"MRZ {e.field}") from None

    @classmethod
    def from_can(cls, can: str) -> AccessKey:
        if not re.fullmatch(r"[0-9]{6}", can or ""):
            raise ChipError("bad_access_key", "a CAN is 6 digits")
        return cls("can", can)

    @classmethod
    def can_from_qr(cls, identity: CitizenIdentity) -> AccessKey:
        """The CAN as public readers take it: the last 6 digits of the ID number [not verified on a real card]."""
        return cls.from_can(identity.id_number[-6:])

    @classmethod
    def from_qr(cls, identity: CitizenIdentity, expiry: date | None = None) -> AccessKey:
        """BAC data from the QR identity; ``expiry`` when known (extended QR), else the age rule."""
        expiry = expiry or qr_expiry(identity) or expiry_by_age_rule(identity.date_of_birth, identity.issue_date)
        if expiry is None:
            raise ChipError("bad_access_key", "no expiry known (card without expiry): use the MRZ")
        return cls.from_fields(identity.id_number[3:], identity.date_of_birth, expiry)


def qr_expiry(identity: CitizenIdentity) -> date | None:
    """The expiry of an extended QR: a ``ddmmyyyy`` date among the fields after the issue date."""
    for value in identity.extra:
        m = re.fullmatch(r"(\d{2})(\d{2})(\d{4})", value)
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return None


def _birthday(born: date, age: int) -> date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return date(born.year + age, 3, 1)


def expiry_by_age_rule(born: date, issued: date | None) -> date | None:
    """The expiry the renewal ages give for a card issued on ``issued`` (None: no expiry)."""
    issued = issued or date.today()
    for age in RENEWAL_AGES:
        due = _birthday(born, age)
        if issued < _birthday(born, age - 2):
            return due
    return None

"""DG13 of the CCCD / Căn cước: the fields the QR does not carry (ethnicity, religion, parents, …).

DG13 (tag 0x6D) is the issuer's optional data group, so ICAO 9303 does not define it; its layout
here is the one public readers use: a SEQUENCE of a version (INTEGER), an OID, and a SET of
records, each a SEQUENCE of {INTEGER n, value(s) as UTF8String}, where a value may itself be
nested (field 13 holds the father's and the mother's names). Field numbers (public parsers;
16 is read differently by different sources, so it is kept raw): 1 ID number, 2 full name,
3 date of birth, 4 sex, 5 nationality, 6 ethnicity, 7 religion, 8 place of origin, 9 place of
residence, 10 identifying marks, 11 issue date, 12 expiry date, 13 father / mother,
14 spouse, 15 old ID number. The parser is tolerant of nesting and order: it collects
every string under each numbered record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kiosk.base import text_rules
from kiosk.identity.chip import tlv
from kiosk.identity.chip.errors import ChipError

INTEGER, UTF8, PRINTABLE, SEQUENCE, SET, OID = 0x02, 0x0C, 0x13, 0x30, 0x31, 0x06
_STRINGS = {UTF8, PRINTABLE, 0x16, 0x1E}


@dataclass(frozen=True)
class Dg13:
    """The numbered fields as read (strings, NFC); typed views below. ``raw`` keeps every field."""

    raw: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def _one(self, n: int) -> str | None:
        values = [v for v in self.raw.get(n, ()) if v]
        return values[0] if values else None

    id_number = property(lambda self: self._one(1))
    full_name = property(lambda self: self._one(2))
    sex_text = property(lambda self: self._one(4))
    nationality = property(lambda self: self._one(5))
    ethnicity = property(lambda self: self._one(6))
    religion = property(lambda self: self._one(7))
    place_of_origin = property(lambda self: self._one(8))
    residence = property(lambda self: self._one(9))
    identifying_marks = property(lambda self: self._one(10))
    spouse = property(lambda self: self._one(14))
    old_id_number = property(lambda self: self._one(15))
    date_of_birth = property(lambda self: parse_date(self._one(3)))
    issue_date = property(lambda self: parse_date(self._one(11)))
    expiry_date = property(lambda self: parse_date(self._one(12)))

    @property
    def father(self) -> str | None:
        """Field 13's first name; by position, so an empty father never turns the mother into one."""
        values = self.raw.get(13, ())
        return (values[0] or None) if values else None

    @property
    def mother(self) -> str | None:
        values = self.raw.get(13, ())
        return (values[1] or None) if len(values) > 1 else None

    def __repr__(self) -> str:
        return f"Dg13(fields={sorted(self.raw)})"


def parse_date(text: str | None) -> date | None:
    """``dd/mm/yyyy`` (or ``ddmmyyyy``); None for empty or "Không thời hạn" (no expiry)."""
    if not text:
        return None
    m = re.fullmatch(r"(\d{2})/?(\d{2})/?(\d{4})", text.strip())
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _strings(data: bytes) -> list[str]:
    out: list[str] = []
    for tag, value, constructed in tlv.items(data):
        if tag in _STRINGS:
            out.append(text_rules.nfc(value.decode("utf-8", "replace")).strip())
        elif constructed:
            out.extend(_strings(value))
    return out


def _records(data: bytes, raw: dict[int, tuple[str, ...]]) -> None:
    for tag, value, constructed in tlv.items(data):
        if not constructed:
            continue
        children = list(tlv.items(value))
        if tag == SEQUENCE and children and children[0][0] == INTEGER and len(children) > 1:
            n = int.from_bytes(children[0][1], "big")
            rest = value[_first_length(value):]
            if 1 <= n <= 64 and (n not in raw) and not _has_oid(children):
                raw[n] = tuple(_strings(rest))
                continue
        _records(value, raw)


def _first_length(data: bytes) -> int:
    n = tlv.total_length(data)
    if n is None:
        raise ChipError("bad_data", "DG13: truncated record")
    return n


def _has_oid(children: list[tuple[int, bytes, bool]]) -> bool:
    return any(t == OID for t, _v, _c in children)


def parse_dg13(data: bytes) -> Dg13:
    body = tlv.one(data, 0x6D)
    raw: dict[int, tuple[str, ...]] = {}
    _records(body, raw)
    if not raw:
        raise ChipError("bad_data", "DG13 holds no numbered fields")
    return Dg13(raw)


def make_dg13(fields: dict[int, str | tuple[str, ...]], oid: str = "1.2.3.4.5") -> bytes:
    """DG13 as public parsers read it (tests and the virtual card); a tuple value is nested, as field 13 is."""
    from asn1crypto import core

    def tlv_(tag: int, body: bytes) -> bytes:
        return bytes([tag]) + _ber_len(len(body)) + body

    records = b""
    for n, value in sorted(fields.items()):
        if isinstance(value, tuple):
            body = b"".join(tlv_(SEQUENCE, core.UTF8String(v).dump()) for v in value)
        else:
            body = core.UTF8String(value).dump()
        records += tlv_(SEQUENCE, core.Integer(n).dump() + body)
    seq = tlv_(SEQUENCE, core.Integer(1).dump() + core.ObjectIdentifier(oid).dump() + tlv_(SET, records))
    return tlv_(0x6D, seq)


def _ber_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets

"""The TD1 machine-readable zone on the card's back (ICAO 9303 Part 5) and its check digits (Part 3 §4.9).

A CCCD / Căn cước MRZ is 3 × 30 characters starting ``IDVNM``; the document number is 9
characters (the last 9 digits of the 12-digit ID number, as public readers take it) and the
optional data of line 1 carries the full ID number. The BAC key is built from the document
number, the birth date and the expiry date, each with its check digit (Part 11 §9.7.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 3, 1)
_VALUES = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
_LINE = re.compile(r"^[0-9A-Z<]{30}$")


class MrzError(ValueError):
    """A TD1 MRZ that is not well formed or whose check digits fail (``field`` names which)."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"MRZ {field} is not valid")


def check_digit(text: str) -> str:
    """The ICAO 7-3-1 check digit of ``text`` (digits, A–Z, ``<`` as 0)."""
    try:
        return str(sum(_VALUES[c] * WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)
    except KeyError as e:
        raise MrzError("characters") from e


def _yymmdd(text: str, future: bool) -> date:
    """A six-digit MRZ date; the century is the one that makes a birth past or an expiry plausible."""
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    this = date.today().year % 100
    if future:
        century = 2000 if yy < 70 else 1900
    else:
        century = 2000 if yy <= this else 1900
    return date(century + yy, mm, dd)


@dataclass(frozen=True)
class MrzTD1:
    """The parsed TD1 zone. ``id_number`` is the 12 digits in line 1's optional data when present."""

    document_code: str
    issuer: str
    document_number: str
    optional1: str
    birth: str  # YYMMDD as printed
    sex: str  # M, F or <
    expiry: str  # YYMMDD as printed
    nationality: str
    optional2: str
    name: str

    @property
    def id_number(self) -> str | None:
        m = re.match(r"^([0-9]{12})", self.optional1)
        return m.group(1) if m else None

    @property
    def date_of_birth(self) -> date:
        return _yymmdd(self.birth, future=False)

    @property
    def date_of_expiry(self) -> date:
        return _yymmdd(self.expiry, future=True)

    def __repr__(self) -> str:  # the MRZ names the holder: never in a log
        return f"MrzTD1({self.document_code}{self.issuer}, number ******{self.document_number[-3:]})"

    def bac_information(self) -> str:
        """Document number, birth and expiry each followed by its check digit — K_seed's input."""
        return bac_information(self.document_number, self.birth, self.expiry)


def bac_information(document_number: str, birth_yymmdd: str, expiry_yymmdd: str) -> str:
    """The MRZ information of BAC; a document number shorter than 9 characters is padded with ``<``."""
    doc = document_number.upper().ljust(9, "<")
    for part in (doc, birth_yymmdd, expiry_yymmdd):
        if not re.fullmatch(r"[0-9A-Z<]+", part):
            raise MrzError("characters")
    if not (re.fullmatch(r"[0-9]{6}", birth_yymmdd) and re.fullmatch(r"[0-9]{6}", expiry_yymmdd)):
        raise MrzError("dates")
    return (doc + check_digit(doc) + birth_yymmdd + check_digit(birth_yymmdd)
            + expiry_yymmdd + check_digit(expiry_yymmdd))


def parse_td1(lines: list[str] | tuple[str, ...] | str) -> MrzTD1:
    """Three TD1 lines (a list, or one string with newlines or commas) → :class:`MrzTD1`, check digits verified.

    A document number longer than 9 characters continues in the optional data (Part 5 §4.2.2
    note j) — then the check digit position holds ``<``; handled.
    """
    if isinstance(lines, str):
        lines = [p for p in re.split(r"[\s,]+", lines.strip()) if p]
    lines = [ln.strip().upper() for ln in lines]
    if len(lines) != 3 or not all(_LINE.match(ln) for ln in lines):
        raise MrzError("format")
    l1, l2, l3 = lines
    doc, doc_cd, opt1 = l1[5:14], l1[14], l1[15:30]
    if doc_cd == "<":  # long document number: the rest is in optional data up to the first '<', then its check digit
        rest = opt1.split("<", 1)[0]
        doc, doc_cd, opt1 = doc + rest[:-1], rest[-1:], opt1[len(rest):]
        if check_digit(doc) != doc_cd:
            raise MrzError("document_number")
    elif check_digit(doc) != doc_cd:
        raise MrzError("document_number")
    birth, expiry = l2[0:6], l2[8:14]
    if check_digit(birth) != l2[6]:
        raise MrzError("birth")
    if check_digit(expiry) != l2[14]:
        raise MrzError("expiry")
    if check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) != l2[29]:
        raise MrzError("composite")
    try:
        _yymmdd(birth, False), _yymmdd(expiry, True)
    except ValueError:
        raise MrzError("dates") from None
    return MrzTD1(
        document_code=l1[0:2].rstrip("<"), issuer=l1[2:5], document_number=doc.rstrip("<"), optional1=opt1,
        birth=birth, sex=l2[7], expiry=expiry, nationality=l2[15:18], optional2=l2[18:29],
        name=" ".join(l3.replace("<", " ").split()),
    )


def make_td1(document_number: str, birth: str, sex: str, expiry: str, name: str,
             optional1: str = "", nationality: str = "VNM", issuer: str = "VNM", code: str = "ID") -> list[str]:
    """The three lines a card with these values prints (tests, the virtual card, sample data)."""
    doc = document_number.ljust(9, "<")[:9]
    l1 = (code.ljust(2, "<") + issuer + doc + check_digit(doc) + optional1.ljust(15, "<"))[:30]
    head = birth + check_digit(birth) + sex + expiry + check_digit(expiry) + nationality
    opt2 = "<" * 11
    l2 = head + opt2 + check_digit(l1[5:30] + head[0:7] + head[8:15] + opt2)
    surname, _, given = name.partition(" ")
    l3 = (surname.upper() + "<<" + given.upper().replace(" ", "<")).ljust(30, "<")[:30]
    return [l1, l2, l3]

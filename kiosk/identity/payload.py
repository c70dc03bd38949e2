"""The citizen ID card's QR payload → :class:`CitizenIdentity`, checked like an officer would.

Facts (DOMAIN.md §1–2): one UTF-8 line, ``|``-separated, no labels — 7 fields on a chip
CCCD, 11 on a Căn cước card. The 12-digit number is ``PPP G YY RRRRRR``: province of birth
registration, a digit coding sex and century, the last two digits of the birth year.

Everything the kiosk is handed is untrusted (any QR code can be held to the camera), so
:func:`parse_payload` accepts only what a real card could carry and raises one typed
:class:`IdentityError` for anything else — never another exception, never a half identity.
The characters allowed are a whitelist (:mod:`kiosk.base.text_rules`): ASCII digits in numbers and
dates, Latin letters, spaces and ``' - .`` in names, and ``, . / - ( )`` and digits too in addresses;
a payload with anything else (a full-width digit, NUL, a newline inside a field, a zero-width or bidi
character, a shell metacharacter) is rejected, never cleaned. Only NFC, the reader's framing (BOM,
AIM/ECI prefix, a final line ending) and a label like ``CCCD:`` are taken off.
Error messages never contain the number or the name (they go to logs).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from kiosk.base import paths, text_rules
from kiosk.base.i18n import tr
from kiosk.base.privacy import mask_id, mask_name, remember_personal

CAN_CUOC_FROM = date(2024, 7, 1)  # Circular 16/2024/TT-BCA: cards issued from this day are "Căn cước"
MIN_FIELDS = 7
MAX_FIELDS = 16
MAX_PAYLOAD_CHARS = 1000
PROVINCE_CODES_FILE = paths.CONFIG_DIR / "province_codes.json"

Sex = Literal["male", "female"]
CardType = Literal["cccd_chip", "can_cuoc", "unknown"]

ERROR_CODES: tuple[str, ...] = (
    "empty", "not_utf8", "too_long", "not_id_card", "bad_id_number", "unknown_province", "bad_old_id",
    "missing_name", "bad_name", "bad_date", "future_date", "issue_before_birth", "bad_sex",
    "sex_mismatch", "century_mismatch", "year_mismatch", "no_qr", "unreadable_image", "bad_characters",
    "bad_address",
)  # messages: kiosk/locales/identify.toml "identify.error.<code>" (en is for logs; no personal data)


class IdentityError(ValueError):
    """A payload or a manual entry that is not a valid citizen identity."""

    def __init__(self, code: str, message_vi: str | None = None, message_en: str | None = None) -> None:
        key = f"identify.error.{code if code in ERROR_CODES else 'not_id_card'}"
        self.code = code
        self.message_vi = message_vi or tr(key, "vi")
        self.message_en = message_en or tr(key, "en")
        super().__init__(f"{code}: {self.message_en}")

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en


@dataclass(frozen=True)
class CitizenIdentity:
    """What the card says about its holder. ``extra`` keeps Căn cước fields 7–10 raw."""

    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: date
    sex: Sex
    address: str
    issue_date: date | None
    card_type: CardType
    extra: tuple[str, ...] = field(default_factory=tuple)
    source: Literal["qr", "manual", "chip"] = "qr"
    # From the card's chip (kiosk.identity.chip.merge_with_qr), None when it was not read:
    nationality: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    place_of_origin: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    spouse_name: str | None = None
    expiry_date: date | None = None
    photo: bytes | None = field(default=None, compare=False)  # DG2 face image (JPEG / JPEG 2000)
    chip_authenticity: Literal["authentic", "unverified", "invalid"] | None = None

    def age_on(self, day: date) -> int:
        """Age in whole years on ``day`` (priority for the elderly, renewal ages)."""
        b = self.date_of_birth
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.full_name)

    def to_json(self) -> dict[str, Any]:
        """The CLI's identity object (dates ISO)."""
        d = asdict(self)
        d["date_of_birth"] = self.date_of_birth.isoformat()
        d["issue_date"] = self.issue_date.isoformat() if self.issue_date else None
        d["extra"] = list(self.extra)
        d["expiry_date"] = self.expiry_date.isoformat() if self.expiry_date else None
        d["photo"] = None if self.photo is None else f"{len(self.photo)} bytes"  # the image itself is not JSON
        return d

    def __repr__(self) -> str:  # never print a citizen into a log or a traceback
        return f"CitizenIdentity(id={self.masked_id}, name={self.masked_name}, card={self.card_type})"

    __str__ = __repr__


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """The 63 province codes of birth registration (config/province_codes.json; never shrink it)."""
    return json.loads(PROVINCE_CODES_FILE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- normalisation

# Transport framing a reader may add around the card's text — not part of it, so taken off:
# a BOM, an AIM symbology identifier (``]Q1``…``]Q6``), the ECI designator of UTF-8 (``\000026``),
# and one line ending at the very end (a scanner's Enter).
_FRAMING_HEAD_RE = re.compile(r"^\ufeff?(?:\][Qq][0-6])?(?:\\000026)?")
_FRAMING_TAIL_RE = re.compile(r"(?:\r\n|\n|\r)$")
# A label in front of the number, as seen in the wild: "CCCD:", "cccd ", "Căn cước: ".
_LABEL_RE = re.compile(r"^(?:[^\W\d_]+ ?){1,3}[:：]? ?(?=[0-9]{12}\|)")


def normalise(payload: str | bytes) -> str:
    """The card's text: UTF-8, framing and label taken off, NFC — nothing else changed.

    Whatever else is odd (a control or invisible character, a full-width digit) stays in and is
    rejected by :func:`parse_payload`: a cleaned payload would be one no card carries.
    """
    if isinstance(payload, (bytes, bytearray, memoryview)):
        try:
            payload = bytes(payload).decode("utf-8")
        except UnicodeDecodeError:
            raise IdentityError("not_utf8") from None
    if not isinstance(payload, str):
        raise IdentityError("not_id_card")
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise IdentityError("too_long")
    text = _FRAMING_TAIL_RE.sub("", _FRAMING_HEAD_RE.sub("", payload, count=1), count=1)
    text = _LABEL_RE.sub("", text_rules.nfc(text), count=1)
    if not text.strip():
        raise IdentityError("empty")
    return text


def _collapse(value: str) -> str:
    return " ".join(part for part in value.split(" ") if part)


def _date(value: str, today: date) -> date:
    if not text_rules.is_ascii_digits(value, 8):
        raise IdentityError("bad_date")
    try:
        d = date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        raise IdentityError("bad_date") from None
    if d.year < 1900:
        raise IdentityError("bad_date")
    if d > today:
        raise IdentityError("future_date")
    return d


def _sex(value: str) -> Sex:
    v = value.strip(" ").casefold()
    if v == "nam":
        return "male"
    if v in {"nữ", "nu"}:
        return "female"
    raise IdentityError("bad_sex")


def _name(value: str) -> str:
    name = _collapse(value)
    if not name:
        raise IdentityError("missing_name")
    problem = text_rules.name_problem(name)
    if problem is not None or len(name) > 80:
        raise IdentityError(problem if problem == text_rules.BAD_CHARACTERS else "bad_name")
    return name


def _address(value: str) -> str:
    address = _collapse(value)
    problem = text_rules.address_problem(address)
    if problem is not None:
        raise IdentityError(problem)
    return address


def check_number(id_number: str, sex: Sex, born: date) -> None:
    """The checks DOMAIN.md §2 allows: digits, province, sex/century digit, year digits."""
    if not text_rules.is_ascii_digits(id_number, 12):
        raise IdentityError("bad_id_number")
    if id_number[:3] not in province_codes():
        raise IdentityError("unknown_province")
    g = int(id_number[3])
    if (g % 2 == 1) != (sex == "female"):
        raise IdentityError("sex_mismatch")
    if 1900 + 100 * (g // 2) != born.year // 100 * 100:
        raise IdentityError("century_mismatch")
    if id_number[4:6] != f"{born.year % 100:02d}":
        raise IdentityError("year_mismatch")


def sex_from_number(id_number: str) -> Sex:
    return "female" if int(id_number[3]) % 2 else "male"


def parse_payload(payload: str | bytes, today: date | None = None) -> CitizenIdentity:
    """A card's QR text (or raw bytes) → identity; :class:`IdentityError` for anything else."""
    today = today or date.today()
    text = normalise(payload)
    fields = text.split("|")
    if not (MIN_FIELDS <= len(fields) <= MAX_FIELDS):
        raise IdentityError("bad_characters" if text_rules.forbidden_characters(text) else "not_id_card")
    id_number = fields[0]
    if not text_rules.is_ascii_digits(id_number, 12):
        if re.fullmatch(r"\w{1,20}", id_number):
            raise IdentityError("bad_id_number")
        raise IdentityError("bad_characters" if text_rules.forbidden_characters(id_number) else "not_id_card")
    if text_rules.forbidden_characters(text):  # NUL, newline, zero-width, bidi, private use… anywhere
        raise IdentityError("bad_characters")
    old = fields[1]
    if old and not text_rules.is_ascii_digits(old, 9):
        raise IdentityError("bad_old_id")
    full_name = _name(fields[2])
    born = _date(fields[3], today)
    sex = _sex(fields[4])
    address = _address(fields[5])
    issued = _date(fields[6], today)
    if issued < born:
        raise IdentityError("issue_before_birth")
    extra = tuple(_collapse(f) for f in fields[7:])
    if any(text_rules.address_problem(f) for f in extra):
        raise IdentityError("not_id_card")
    check_number(id_number, sex, born)
    remember_personal(full_name, address)  # masked in every log line until the visit is wiped
    return CitizenIdentity(
        id_number=id_number,
        old_id_number=old or None,
        full_name=full_name,
        date_of_birth=born,
        sex=sex,
        address=address,
        issue_date=issued,
        card_type="can_cuoc" if issued >= CAN_CUOC_FROM else "cccd_chip",
        extra=extra,
    )


def identity_from_manual(id_number: str, full_name: str, date_of_birth: str, today: date | None = None) -> CitizenIdentity:
    """What a citizen typed (number, name, ``dd/mm/yyyy`` or ``ddmmyyyy``) → identity, same checks."""
    today = today or date.today()
    number = (id_number or "").strip(" ").replace(" ", "")  # typed in groups: "036 089 001 234"
    if not text_rules.is_ascii_digits(number, 12):
        raise IdentityError("bad_id_number")
    name = _name(text_rules.nfc(full_name or ""))
    dob_digits = re.sub(r"[ /.\-]", "", date_of_birth or "")
    born = _date(dob_digits, today)
    sex = sex_from_number(number)
    check_number(number, sex, born)
    remember_personal(name)
    return CitizenIdentity(
        id_number=number,
        old_id_number=None,
        full_name=name,
        date_of_birth=born,
        sex=sex,
        address="",
        issue_date=None,
        card_type="unknown",
        source="manual",
    )


def make_payload(identity: CitizenIdentity) -> str:
    """The QR text a card with this identity carries (tests, sample generation)."""
    fields = [
        identity.id_number,
        identity.old_id_number or "",
        identity.full_name,
        identity.date_of_birth.strftime("%d%m%Y"),
        "Nam" if identity.sex == "male" else "Nữ",
        identity.address,
        identity.issue_date.strftime("%d%m%Y") if identity.issue_date else "",
        *identity.extra,
    ]
    return "|".join(fields)

"""The citizen ID card's QR payload → :class:`CitizenIdentity`, checked like an officer would.

Facts (DOMAIN.md §1–2): one UTF-8 line, ``|``-separated, no labels — 7 fields on a chip
CCCD, 11 on a Căn cước card. The 12-digit number is ``PPP G YY RRRRRR``: province of birth
registration, a digit coding sex and century, the last two digits of the birth year.

Everything the kiosk is handed is untrusted (any QR code can be held to the camera), so
:func:`parse_payload` accepts only what a real card could carry and raises one typed
:class:`IdentityError` for anything else — never another exception, never a half identity.
Error messages never contain the number or the name (they go to logs).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from kiosk.base import paths
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
    "sex_mismatch", "century_mismatch", "year_mismatch", "no_qr", "unreadable_image",
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
    source: Literal["qr", "manual"] = "qr"

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
        return d

    def __repr__(self) -> str:  # never print a citizen into a log or a traceback
        return f"CitizenIdentity(id={self.masked_id}, name={self.masked_name}, card={self.card_type})"

    __str__ = __repr__


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """The 63 province codes of birth registration (config/province_codes.json; never shrink it)."""
    return json.loads(PROVINCE_CODES_FILE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- normalisation

_PREFIX_RE = re.compile(r"^[^\d|]{0,24}?[:：\s]\s*(?=\d{12}\|)")
_NUMBER_RE = re.compile(r"\d{12}")


def normalise(payload: str | bytes) -> str:
    """Text as a card would give it: UTF-8, NFKC digits, NFC letters, no control chars or labels."""
    if isinstance(payload, (bytes, bytearray, memoryview)):
        try:
            payload = bytes(payload).decode("utf-8")
        except UnicodeDecodeError:
            raise IdentityError("not_utf8") from None
    if not isinstance(payload, str):
        raise IdentityError("not_id_card")
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise IdentityError("too_long")
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", payload))
    text = text.lstrip("\ufeff")
    text = "".join(" " if ch in "\t" else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == "\t")
    text = text.strip()
    text = _PREFIX_RE.sub("", text, count=1)
    if not text:
        raise IdentityError("empty")
    return text


def _clean(value: str) -> str:
    return " ".join(value.split())


def _date(value: str, today: date) -> date:
    if not re.fullmatch(r"\d{8}", value):
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
    v = value.strip().casefold()
    if v == "nam":
        return "male"
    if v in {"nữ", "nu"}:
        return "female"
    raise IdentityError("bad_sex")


def _name(value: str) -> str:
    name = _clean(value)
    if not name:
        raise IdentityError("missing_name")
    if len(name) > 80 or not all(ch.isalpha() or ch in " '-." for ch in name) or not any(ch.isalpha() for ch in name):
        raise IdentityError("bad_name")
    return name


def check_number(id_number: str, sex: Sex, born: date) -> None:
    """The checks DOMAIN.md §2 allows: digits, province, sex/century digit, year digits."""
    if not re.fullmatch(r"\d{12}", id_number):
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
    if not (MIN_FIELDS <= len(fields) <= MAX_FIELDS) or not _NUMBER_RE.fullmatch(fields[0].strip()):
        if MIN_FIELDS <= len(fields) <= MAX_FIELDS and re.fullmatch(r"\w{1,20}", fields[0].strip()):
            raise IdentityError("bad_id_number")
        raise IdentityError("not_id_card")
    id_number = fields[0].strip()
    old = fields[1].strip()
    if old and not re.fullmatch(r"\d{9}", old):
        raise IdentityError("bad_old_id")
    full_name = _name(fields[2])
    born = _date(fields[3].strip(), today)
    sex = _sex(fields[4])
    address = _clean(fields[5])
    issued = _date(fields[6].strip(), today)
    if issued < born:
        raise IdentityError("issue_before_birth")
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
        extra=tuple(f.strip() for f in fields[7:]),
    )


def identity_from_manual(id_number: str, full_name: str, date_of_birth: str, today: date | None = None) -> CitizenIdentity:
    """What a citizen typed (number, name, ``dd/mm/yyyy`` or ``ddmmyyyy``) → identity, same checks."""
    today = today or date.today()
    number = unicodedata.normalize("NFKC", id_number or "").strip().replace(" ", "")
    if not re.fullmatch(r"\d{12}", number):
        raise IdentityError("bad_id_number")
    name = _name(unicodedata.normalize("NFC", full_name or ""))
    dob_digits = re.sub(r"[\s/.\-]", "", unicodedata.normalize("NFKC", date_of_birth or ""))
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

"""Wire models of the kiosk ↔ one-stop backend API (``/api/v1``), shared by client and server.

One place defines what crosses the wire, so the httpx client (:mod:`kiosk.backend.client`),
the outbox and the reference server (``server/``) cannot drift apart. Plain pydantic,
no I/O. Field names are English; docs/API.md maps them to the national portal's
names (``MaHoSo``, ``NgayHenTra`` …, DOMAIN.md §6).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

API_PREFIX = "/api/v1"

# Dossier code, Circular 01/2018/TT-VPCP Art. 19: <receiving unit id>-<YYMMDD>-<XXXX>.
DOSSIER_CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z.]{3,40})-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4})$")
# Lookup secret alphabet: no 0/O, 1/I/L — read off a paper receipt without mistakes.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 9  # 9 × log2(31) ≈ 44.6 bits (≥ 40, issue 13); receipts of 6 still look up
RATING_COMMENT_MAX = 500  # the rating screen's comment box holds as much

RatingLevel = Literal["very_satisfied", "satisfied", "neutral", "unsatisfied"]
DossierStatusName = Literal["received", "accepted", "processing", "waiting", "denied", "releasing", "done"]

# Our status words → the national portal's TrangThaiHoSo wording (DOMAIN.md §6).
STATUS_VI: dict[str, str] = {
    "received": "Đã nhận hồ sơ, chờ cán bộ kiểm tra",
    "accepted": "Đã tiếp nhận, chờ giải quyết",
    "processing": "Đang giải quyết",
    "waiting": "Cần bổ sung giấy tờ",
    "denied": "Từ chối giải quyết",
    "releasing": "Đã có kết quả, mời đến nhận",
    "done": "Đã trả kết quả",
}


# The text of the QR printed on a dossier's receipt (the kiosk's slip, the server's reprint):
# ``MCHS1|<code>|<secret>`` ("Một cửa hồ sơ", version 1); parsed by kiosk.aftercare.tracking.
RECEIPT_QR_PREFIX = "MCHS1"


def receipt_qr(code: str, secret: str) -> str:
    return f"{RECEIPT_QR_PREFIX}|{code}|{secret}"


# ------------------------------------------------------------------ bounds shared by every model
# Every field that crosses the wire has a length or a range: input outside it is a 422 with the
# field's name, never a 500 further down (a year-9999 date overflowing a time-zone shift, a
# counter of 2**63 overflowing the database's integer).

MIN_YEAR, MAX_YEAR = 2000, 2100  # timestamps of this system's life
MIN_BIRTH_YEAR = 1900
MAX_COUNTER = 999
MAX_FEE_VND = 1_000_000_000  # one billion đồng: far above any administrative fee
MAX_FORM_FIELDS = 200
MAX_FORM_INT = 10**15


def _in_years(v: date, low: int, high: int) -> date:
    if not low <= v.year <= high:
        raise ValueError(f"must be between the years {low} and {high}")
    return v


def _timestamp(v: datetime) -> datetime:
    return _in_years(v, MIN_YEAR, MAX_YEAR)  # type: ignore[return-value]


def _day(v: date) -> date:
    return _in_years(v, MIN_YEAR, MAX_YEAR)


def _birth(v: date) -> date:
    return _in_years(v, MIN_BIRTH_YEAR, MAX_YEAR)


def _hhmm(v: str) -> str:
    h, m = (int(x) for x in v.split(":"))
    if h > 23 or m > 59:
        raise ValueError("must be a time of day from 00:00 to 23:59")
    return v


def _finite(v: float) -> float:
    if not math.isfinite(v) or abs(v) > MAX_FORM_INT:
        raise ValueError(f"must be a finite number of at most {MAX_FORM_INT}")
    return v


# Free text is stored only when clean: NFC, and no character of the categories Cc (controls: NUL,
# ESC of ANSI sequences, CR, LF), Cf (format: bidi overrides such as U+202E, zero-width
# characters), Co (private use), Cs (surrogates), nor the Unicode line/paragraph separators.
# Refused with a 422 naming the field — never cleaned silently. Multi-line text may hold \n and \t.
_UNCLEAN = frozenset({"Cc", "Cf", "Co", "Cs"})
UNCLEAN_MESSAGE = "must not contain control, format or private-use characters (NUL, escapes, line breaks, bidi marks)"


def unclean_char(text: str, allow: str = "") -> str | None:
    """The first character of ``text`` that clean text may not hold, or None."""
    for ch in text:
        if ch in allow:
            continue
        if unicodedata.category(ch) in _UNCLEAN or ch in "\u2028\u2029":
            return ch
    return None


def _line(v: str) -> str:
    v = unicodedata.normalize("NFC", v)
    if unclean_char(v) is not None:
        raise ValueError(UNCLEAN_MESSAGE)
    return v


def _text(v: str) -> str:
    v = unicodedata.normalize("NFC", v)
    if unclean_char(v, allow="\n\t") is not None:
        raise ValueError(UNCLEAN_MESSAGE)
    return v


Line = Annotated[str, AfterValidator(_line)]  # one line of clean text
Text = Annotated[str, AfterValidator(_text)]  # clean text, \n and \t allowed
Timestamp = Annotated[datetime, AfterValidator(_timestamp)]
Day = Annotated[date, AfterValidator(_day)]
BirthDate = Annotated[date, AfterValidator(_birth)]
HHMM = Annotated[str, Field(pattern=r"^[0-9]{2}:[0-9]{2}$"), AfterValidator(_hhmm)]
Counter = Annotated[int, Field(ge=1, le=MAX_COUNTER)]
ServiceLetter = Annotated[str, Field(pattern=r"^[A-Z]$")]
FormKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
FormValue = (StrictBool | Annotated[StrictInt, Field(ge=-MAX_FORM_INT, le=MAX_FORM_INT)]
             | Annotated[float, AfterValidator(_finite)] | Annotated[Text, Field(max_length=2000)] | None)
FileName = Annotated[Line, Field(min_length=1, max_length=255)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Problem(_Wire):
    """Error body of every 4xx/5xx: ``detail`` is a stable machine code or message, ``errors`` names fields."""

    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list)


# ------------------------------------------------------------------ procedures


class ProceduresOut(_Wire):
    """The catalog as the server serves it; ``version`` changes whenever any procedure changes."""

    version: str
    procedures: list[dict[str, Any]]


# ------------------------------------------------------------------ tickets


class TicketIn(_Wire):
    """Ask for a ticket. ``seq`` + ``issued_at`` register a ticket the kiosk numbered from its own block."""

    service: ServiceLetter
    priority: str | None = Field(None, pattern=r"^[a-z_]{2,32}$")
    seq: int | None = Field(None, ge=1, le=99_999)
    issued_at: Timestamp | None = None


class TicketOut(_Wire):
    """A numbered ticket. ``number`` is what is printed: the service letter + a daily sequence."""

    number: str
    service: str
    seq: int
    day: date
    priority: str | None = None
    issued_at: datetime
    kiosk_id: str
    people_ahead: int = 0
    status: Literal["waiting", "called", "done", "no_show"] = "waiting"
    counter: int | None = None


class TicketBlockIn(_Wire):
    service: ServiceLetter
    size: int = Field(ge=1, le=1000)


class TicketBlock(_Wire):
    """Numbers ``start..end`` (inclusive) of ``service`` on ``day`` belong to ``kiosk_id`` alone."""

    service: str
    day: date
    start: int
    end: int
    kiosk_id: str


class CounterNextIn(_Wire):
    """A counter asks for its next citizen among the services it serves."""

    services: list[ServiceLetter] = Field(min_length=1, max_length=26)


def ticket_number(service: str, seq: int) -> str:
    """``A`` + 7 → ``A007`` (three digits, more when the day runs past 999)."""
    return f"{service}{seq:03d}"


# ------------------------------------------------------------------ dossiers


class ProcessingRule(_Wire):
    """Legal processing time: ``working_days`` (0 = same day, due next working day after ``cutoff``).

    Same shape as ``kiosk.declarations.workdays.LegalTime``, so the server passes it to ``workdays.appointment``.
    """

    working_days: int = Field(0, ge=0, le=365)
    cutoff: HHMM = "15:00"

    @property
    def same_day(self) -> bool:
        return self.working_days == 0


class Applicant(_Wire):
    """The person the dossier is for (ChuHoSo). ``id_number`` is never logged unmasked."""

    full_name: Line = Field(min_length=1, max_length=200)
    id_number: str = Field("", pattern=r"^([0-9]{9}|[0-9]{12})?$")  # ASCII digits: \d takes any script's
    date_of_birth: BirthDate | None = None
    address: Line = Field("", max_length=500)
    phone: str = Field("", pattern=r"^[0-9+ .-]{0,20}$")
    email: Line = Field("", max_length=200)
    kind: Literal["citizen", "business"] = "citizen"


class PageCheck(_Wire):
    """The kiosk's quality gate on one scanned page: ``doubtful`` pages are for the officer to check."""

    page: int = Field(ge=1, le=1000)
    verdict: Literal["good", "doubtful"]
    reasons: list[Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")]] = Field(default_factory=list, max_length=20)


# Where a form value came from: the ID card, a default, typed by the citizen, or read on a scanned paper and accepted.
FieldSource = Annotated[str, Field(pattern=r"^(card|chip|default|typed|document:[a-z][a-z0-9_]{0,63})$")]
# How the applicant was identified: the card's QR, typed, or the QR with the chip and passive authentication's verdict.
IdentityCheck = Literal["qr", "manual", "chip_authentic", "chip_unverified", "chip_invalid"]


class DocumentIn(_Wire):
    """One document received (TaiLieuNop): which file(s) of the upload carry it."""

    key: Line = Field(min_length=1, max_length=64)
    name: Line = Field(min_length=1, max_length=300)
    original: bool = False
    count: int = Field(1, ge=1, le=100)
    files: list[FileName] = Field(default_factory=list, max_length=100)  # upload filenames of this document
    pages: list[PageCheck] = Field(default_factory=list, max_length=1000)  # scanned pages, each good or doubtful


class DossierIn(_Wire):
    """Metadata of a dossier, sent as the ``meta`` JSON part of ``POST /dossiers``."""

    receiving_unit_id: str = Field(pattern=r"^[0-9A-Z.]{3,40}$")
    kiosk_id: Line = Field(min_length=1, max_length=64)
    procedure_code: Line = Field(min_length=1, max_length=40)
    procedure_name: Line = Field(min_length=1, max_length=300)
    field: Line = Field("", max_length=200)  # lĩnh vực
    applicant: Applicant
    summary: Text = Field("", max_length=1000)  # TrichYeuHoSo
    form: dict[FormKey, FormValue] = Field(default_factory=dict, max_length=MAX_FORM_FIELDS)
    field_sources: dict[FormKey, FieldSource] = Field(default_factory=dict, max_length=MAX_FORM_FIELDS)
    identity_check: IdentityCheck | None = None  # None: an older kiosk
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    sets: int = Field(1, ge=1, le=20)
    rule: ProcessingRule
    # Ignored: the server computes the appointment (kiosk.declarations.workdays). Kept so older kiosks still validate.
    appointment_at: Timestamp | None = None
    accepted_at: Timestamp | None = None  # when the kiosk took it in (may be earlier, if it was queued)
    collect: Literal["counter", "post"] = "counter"
    fee: int = Field(0, ge=0, le=MAX_FEE_VND)  # VND
    channel: Literal["kiosk"] = "kiosk"


class FileReceipt(_Wire):
    name: str
    size: int
    sha256: str
    content_type: str


class DossierReceipt(_Wire):
    """What the backend answers for a received dossier; the receipt slip prints it."""

    code: str
    secret: str
    received_at: datetime
    appointment_at: datetime
    procedure_code: str
    status: str = "received"
    files: list[FileReceipt] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _code_format(cls, v: str) -> str:
        if not DOSSIER_CODE_RE.match(v):
            raise ValueError("dossier code must be <unit>-<YYMMDD>-<XXXX>")
        return v


class StatusEvent(_Wire):
    at: datetime
    status: str
    note: str = ""


class DossierStatus(_Wire):
    """Status and history of a dossier, for the citizen who holds the code and the secret."""

    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_vi: str = ""
    received_at: datetime
    appointment_at: datetime
    history: list[StatusEvent] = Field(default_factory=list)
    # Since issue 15 (older servers leave them out): the date last promised (an apology's new date, else
    # the appointment), whether it has passed without a result, what is missing, why it was refused.
    due_at: datetime | None = None
    new_appointment_at: datetime | None = None
    apology_reason: str = ""
    overdue: bool = False
    supplement_note: str = ""
    refusal_note: str = ""


# ------------------------------------------------------------------ ratings, kiosks


class RatingIn(_Wire):
    """A service-quality rating (Decision 766/QĐ-TTg). A reason is required for ``unsatisfied``."""

    level: RatingLevel
    dossier_code: Line | None = Field(None, max_length=80)
    ticket_number: Line | None = Field(None, max_length=16)
    procedure_code: Line | None = Field(None, max_length=40)
    service: Line | None = Field(None, max_length=8)
    counter: Counter | None = None
    # tags from the configured list ([rating] reasons; the server checks them against its own list)
    reasons: list[Annotated[str, Field(pattern=r"^[a-z_]{2,32}$")]] = Field(default_factory=list, max_length=20)
    text: Text = Field("", max_length=RATING_COMMENT_MAX)  # optional comment: stored, never shown publicly
    at: Timestamp
    channel: Literal["kiosk"] = "kiosk"

    @model_validator(mode="after")
    def _reason_when_unsatisfied(self) -> RatingIn:
        if self.level == "unsatisfied" and not (self.reasons or self.text.strip()):
            raise ValueError("a reason is required when unsatisfied")
        return self


class RatingAck(_Wire):
    id: int
    received_at: datetime


class HeartbeatIn(_Wire):
    status: dict[str, Any] = Field(default_factory=dict)


class HeartbeatAck(_Wire):
    kiosk_id: str
    received_at: datetime


class Health(_Wire):
    status: Literal["ok"] = "ok"
    version: str = ""
    time: datetime

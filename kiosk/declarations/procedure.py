"""One procedure as its TOML file describes it: the form, the papers, the legal time and the fee — validated.

Pydantic models, frozen and strict (extra keys refused), so a broken file is named with the bad field
(``config/procedures/khai_sinh.toml: form.pages[0].fields[2].type: …``) when the catalog loads.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kiosk.declarations import workdays

FieldType = Literal["text", "date", "select", "checkbox", "number", "id_number", "phone", "email", "address"]
# Where a field's value can come from without the citizen typing it (kiosk.identity.payload.CitizenIdentity).
PREFILL_SOURCES: frozenset[str] = frozenset(
    {
        "identity.full_name",
        "identity.id_number",
        "identity.old_id_number",
        "identity.date_of_birth",
        "identity.sex",
        "identity.address",
        "identity.issue_date",
        "identity.card_type",
        "identity.birth_year",  # the year alone (a parent's "năm sinh")
        # Read from the card's chip (kiosk.identity.chip), empty when only the QR was read:
        "identity.nationality",
        "identity.ethnicity",
        "identity.religion",
        "identity.place_of_origin",
        "identity.father_name",
        "identity.mother_name",
        "identity.spouse_name",
        "identity.expiry_date",
        "today",
    }
)
CHIP_SOURCES: frozenset[str] = frozenset(
    f"identity.{a}" for a in ("nationality", "ethnicity", "religion", "place_of_origin", "father_name", "mother_name",
                              "spouse_name", "expiry_date")
)


class CatalogError(Exception):
    """A procedure file is broken; the message names the file and the field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Option(_Model):
    value: str = Field(min_length=1, max_length=60)
    label_vi: str = Field(min_length=1)
    label_en: str = ""

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_vi


class ShowIf(_Model):
    """Show a field only when another field has one of some values (e.g. CT01's head of household)."""

    field: str
    equals: list[str] = Field(min_length=1)


class PrefillCase(_Model):
    """A card value that fills a field only while another field has one of some values.

    The birth registration's father fields take the card holder's name, year, ethnicity… when the holder
    said "Cha"; the mother's name then comes from the chip's spouse. ``editable``: the card's value is
    the usual answer, not a fact about the holder (the child's home town follows the father *or* the
    mother, by agreement): the citizen may change it. Otherwise it is locked like every card value."""

    field: str
    equals: list[str] = Field(min_length=1)
    source: str
    editable: bool = False

    @field_validator("source")
    @classmethod
    def _known_source(cls, v: str) -> str:
        if v not in PREFILL_SOURCES or not v.startswith("identity."):
            raise ValueError(f"unknown prefill source {v!r}; one of {sorted(PREFILL_SOURCES - {'today'})}")
        return v


class FormField(_Model):
    """One input of a declaration form."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")
    type: FieldType = "text"
    label_vi: str = Field(min_length=1)
    label_en: str = ""
    help_vi: str = ""
    help_en: str = ""
    required: bool = False
    prefill: str | None = None
    prefill_editable: bool = False  # the card's value is the usual answer, which the citizen may change
    options: list[Option] = Field(default_factory=list)
    default: str | None = None
    max_length: int = Field(200, ge=1, le=2000)
    pattern: str | None = None  # a regular expression the whole value must match
    pattern_vi: str = ""  # message when it does not
    pattern_en: str = ""
    min: float | None = None
    max: float | None = None
    not_future: bool = False  # dates: not after today (birth dates)
    not_past: bool = False
    show_if: ShowIf | None = None
    prefill_when: list[PrefillCase] = Field(default_factory=list)  # first case that holds and has a value wins

    @field_validator("prefill")
    @classmethod
    def _known_source(cls, v: str | None) -> str | None:
        if v is not None and v not in PREFILL_SOURCES:
            raise ValueError(f"unknown prefill source {v!r}; one of {sorted(PREFILL_SOURCES)}")
        return v

    @field_validator("pattern")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as e:
                raise ValueError(f"not a valid regular expression: {e}") from None
        return v

    @model_validator(mode="after")
    def _options_for_select(self) -> FormField:
        if self.type == "select" and not self.options:
            raise ValueError("a select field needs options")
        return self

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_vi

    def help(self, lang: str = "vi") -> str:
        return self.help_en if lang == "en" and self.help_en else self.help_vi


class FormPage(_Model):
    """A group of fields shown together on one screen."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")
    title_vi: str = Field(min_length=1)
    title_en: str = ""
    fields: list[FormField] = Field(min_length=1)

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


class FormSchema(_Model):
    """The declaration (tờ khai) of a procedure, modelled on the paper form it replaces."""

    title_vi: str = Field(min_length=1)
    title_en: str = ""
    form_no: str = ""  # e.g. "CT01"
    legal_basis: str = ""
    pages: list[FormPage] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> FormSchema:
        seen: set[str] = set()
        for page in self.pages:
            for f in page.fields:
                if f.key in seen:
                    raise ValueError(f"field key {f.key!r} is used twice")
                seen.add(f.key)
        for f in self.fields:
            if f.show_if and f.show_if.field not in seen:
                raise ValueError(f"field {f.key!r}: show_if names unknown field {f.show_if.field!r}")
            for case in f.prefill_when:
                if case.field not in seen or case.field == f.key:
                    raise ValueError(f"field {f.key!r}: prefill_when names unknown field {case.field!r}")
        return self

    @property
    def fields(self) -> list[FormField]:
        return [f for page in self.pages for f in page.fields]

    def field(self, key: str) -> FormField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


class Document(_Model):
    """A paper the dossier needs (thành phần hồ sơ)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    original: bool = True  # bản chính (True) or bản sao (False)
    count: int = Field(1, ge=1, le=100)
    scannable: bool = True  # can be laid under the kiosk's camera
    skippable: bool = False  # the state already holds it (e.g. the ID card read by the kiosk)
    required: bool = True
    from_form: bool = False  # this is the declaration itself, filled on screen
    # form field key → labels printed before its value on this paper (kiosk.documents.extract)
    reads: dict[str, list[str]] = Field(default_factory=dict)
    note_vi: str = ""
    note_en: str = ""

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi

    @property
    def kind_vi(self) -> str:
        return "Bản chính" if self.original else "Bản sao"


class LegalTimeSpec(_Model):
    """Thời hạn giải quyết: working days, 0 = same day (after ``cutoff`` → next working day)."""

    working_days: int = Field(0, ge=0, le=365)
    cutoff: str = Field("15:00", pattern=r"^\d\d:\d\d$")
    note_vi: str = ""
    note_en: str = ""

    def rule(self) -> workdays.LegalTime:
        return workdays.LegalTime.of({"working_days": self.working_days, "cutoff": self.cutoff})

    def text(self, lang: str = "vi") -> str:
        if lang == "en":
            return self.note_en or ("Same day" if self.working_days == 0 else f"{self.working_days} working days")
        return self.note_vi or ("Trong ngày" if self.working_days == 0 else f"{self.working_days} ngày làm việc")


class FeeSpec(_Model):
    """Lệ phí: the usual amount (VND) and the rule in words."""

    amount: int = Field(0, ge=0)
    online_amount: int | None = Field(None, ge=0)
    note_vi: str = ""
    note_en: str = ""

    def text(self, lang: str = "vi") -> str:
        if lang == "en":
            return self.note_en or ("Free" if self.amount == 0 else f"{self.amount:,} VND")
        return self.note_vi or ("Miễn phí" if self.amount == 0 else f"{self.amount:,} đồng".replace(",", "."))


class Procedure(_Model):
    """One administrative procedure (thủ tục hành chính) the kiosk can receive."""

    code: str = Field(pattern=r"^[0-9A-Za-z._-]{1,40}$")
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    field_vi: str = Field(min_length=1)  # lĩnh vực
    field_en: str = ""
    service: str = Field("", pattern=r"^[A-Z]?$")  # queue service area letter
    level: Literal["commune", "district", "province", "central"] = "commune"
    agency_vi: str = Field(min_length=1)
    agency_en: str = ""
    summary_vi: str = ""
    summary_en: str = ""
    where_vi: str = ""
    where_en: str = ""
    legal_basis: str = ""
    keywords: list[str] = Field(default_factory=list)
    legal_time: LegalTimeSpec
    fee: FeeSpec = Field(default_factory=FeeSpec)
    sets: int = Field(1, ge=1, le=20)
    collect: list[Literal["counter", "post"]] = Field(default_factory=lambda: ["counter"])
    documents: list[Document] = Field(default_factory=list)
    form: FormSchema
    notes: str = ""  # for maintainers ([check] marks); never shown

    @model_validator(mode="after")
    def _unique_documents(self) -> Procedure:
        keys = [d.key for d in self.documents]
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            raise ValueError(f"document key(s) used twice: {sorted(dup)}")
        known = {f.key for f in self.form.fields}
        for d in self.documents:
            unknown = sorted(set(d.reads) - known)
            if unknown:
                raise ValueError(f"document {d.key!r} reads unknown form field(s) {unknown}")
        return self

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi

    def field_name(self, lang: str = "vi") -> str:
        return self.field_en if lang == "en" and self.field_en else self.field_vi

    def agency(self, lang: str = "vi") -> str:
        return self.agency_en if lang == "en" and self.agency_en else self.agency_vi

    def summary(self, lang: str = "vi") -> str:
        return self.summary_en if lang == "en" and self.summary_en else self.summary_vi

    def where(self, lang: str = "vi") -> str:
        return self.where_en if lang == "en" and self.where_en else self.where_vi

    @property
    def rule(self) -> workdays.LegalTime:
        return self.legal_time.rule()

    @property
    def scannable_documents(self) -> list[Document]:
        """Papers the citizen lays under the camera (not the on-screen declaration, not skippable ones)."""
        return [d for d in self.documents if d.scannable and not d.from_form and not d.skippable]


# ------------------------------------------------------------------ loading


def _loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_procedure(data: dict[str, Any], source: str) -> Procedure:
    """Validate one procedure; CatalogError naming ``source`` and the first bad field."""
    try:
        return Procedure.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        msg = "unknown field" if first.get("type") == "extra_forbidden" else first.get("msg", "invalid")
        more = f" (and {len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
        raise CatalogError(f"{source}: {_loc(first.get('loc', ()))}: {msg}{more}") from None


def load_procedure_file(path: Path) -> Procedure:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogError(f"{path}: not valid TOML: {e}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: not UTF-8 text") from None
    return parse_procedure(data, str(path))

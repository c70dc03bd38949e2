"""A declaration being filled: values, where each came from, and validation in plain Vietnamese.

Render-independent: the form screens, the review screen, ``kiosk declare`` and the
prefill benchmark share it. Values are held as the text the citizen sees
(dates ``dd/mm/yyyy``, numbers as digits, checkboxes ``"1"``/``""``);
:meth:`FormState.cleaned` turns them into JSON values for the dossier.

Each value remembers its source — ``identity`` (read from the ID card), ``default``
(the form's usual answer) or ``typed`` — so the kiosk can report how many fields
the citizen had to declare (Decision 468/QĐ-TTg: ≥ 20% fewer fields to declare).

A value taken from the ID card is **locked** (:meth:`FormState.locked`): the form shows it as
"Lấy từ thẻ căn cước" and :meth:`FormState.set` refuses to change it, so the card's data and the
form can never disagree and the dossier's applicant is built from the form alone
(docs/ARCHITECTURE.md, "Journeys": the applicant rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from kiosk.base import text_rules
from kiosk.base.i18n import Translator
from kiosk.declarations.procedure import FormField, FormSchema

if TYPE_CHECKING:
    from kiosk.identity.payload import CitizenIdentity

Source = Literal["identity", "card", "default", "typed", "empty"]  # card: from the ID card, editable

PHONE_RE = re.compile(r"^(\+84|0)[0-9]{9,10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


class FieldLocked(ValueError):
    """A value read from the ID card cannot be changed on the form."""

    def __init__(self, key: str) -> None:
        super().__init__(f"{key} comes from the ID card and cannot be changed")
        self.key = key


@dataclass(frozen=True)
class FieldError:
    """Why a value is not accepted: a string key of ``kiosk/locales/declare.toml`` and its values."""

    key: str
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str = "vi") -> str:
        return Translator(lang)(f"form.err_{self.code}", **dict(self.params))


def parse_date(text: str) -> date | None:
    """``dd/mm/yyyy`` (also ``d-m-yyyy``, ``ddmmyyyy``, ISO) → date, or None."""
    s = text.strip()
    m = DATE_RE.match(s)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.fullmatch(r"\d{8}", s):
            return date(int(s[4:]), int(s[2:4]), int(s[:2]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return date.fromisoformat(s)
    except ValueError:
        return None
    return None


def format_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _digits(text: str) -> str:
    return re.sub(r"[\s.]", "", text)


def check_value(f: FormField, raw: str, today: date | None = None) -> FieldError | None:
    """Validate one value of field ``f`` (already known to be visible)."""
    today = today or date.today()
    value = raw.strip()
    if not value:
        if not f.required:
            return None
        return FieldError(f.key, "choice" if f.type == "select" else "required")
    if len(value) > f.max_length:
        return FieldError(f.key, "too_long", (("n", f.max_length),))
    if text_rules.free_text_problem(raw):  # control, invisible, direction characters: refused, not cleaned
        return FieldError(f.key, "bad_char")
    t = f.type
    if t == "date":
        d = parse_date(value)
        if d is None:
            return FieldError(f.key, "date")
        if f.not_future and d > today:
            return FieldError(f.key, "future")
        if f.not_past and d < today:
            return FieldError(f.key, "past")
        if d.year < 1900:
            return FieldError(f.key, "date")
    elif t == "number":
        digits = _digits(value)
        if not re.fullmatch(r"-?[0-9]+", digits):
            return FieldError(f.key, "number")
        n = int(digits)
        if f.min is not None and n < f.min:
            return FieldError(f.key, "min", (("n", _num(f.min)),))
        if f.max is not None and n > f.max:
            return FieldError(f.key, "max", (("n", _num(f.max)),))
    elif t == "id_number":
        digits = _digits(value)
        if not text_rules.is_ascii_digits(digits, 12):
            return FieldError(f.key, "id12")
        from kiosk.identity.payload import province_codes

        if digits[:3] not in province_codes():
            return FieldError(f.key, "id_province")
    elif t == "phone":
        if not PHONE_RE.match(re.sub(r"[\s.\-]", "", value)):
            return FieldError(f.key, "phone")
    elif t == "email":
        if not EMAIL_RE.match(value):
            return FieldError(f.key, "email")
    elif t == "select":
        if value not in {o.value for o in f.options}:
            return FieldError(f.key, "choice")
    elif t == "checkbox":
        if value not in ("1", "0", ""):
            return FieldError(f.key, "choice")
    elif t in ("text", "address"):
        if not any(ch.isalnum() for ch in value):
            return FieldError(f.key, "text")
    if f.pattern and not re.fullmatch(f.pattern, value):
        return FieldError(f.key, "pattern")
    return None


def _num(x: float) -> str:
    return f"{int(x):,}".replace(",", ".") if float(x).is_integer() else str(x)


def identity_value(source: str, identity: Any, today: date | None = None) -> str:
    """The text a prefill source gives for this identity ("" when the card does not say)."""
    if source == "today":
        return format_date(today or date.today())
    if identity is None:
        return ""
    attr = source.split(".", 1)[1]
    if attr == "birth_year":
        return str(identity.date_of_birth.year)
    value = getattr(identity, attr, None)
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    if attr == "sex":
        return {"male": "nam", "female": "nu"}.get(str(value), "")
    return str(value)


@dataclass
class PrefillReport:
    """How much of a form the citizen had to declare."""

    total: int
    from_identity: int  # from the ID card: its QR, or its chip
    from_default: int
    to_declare: int
    from_chip: int = 0  # of ``from_identity``: values only the chip holds

    @property
    def saved_share(self) -> float:
        """Share of fields the citizen did not have to declare (prefilled or defaulted)."""
        return (self.from_identity + self.from_default) / self.total if self.total else 0.0


@dataclass
class FormState:
    """One declaration being filled, started from the identity it belongs to (or none)."""

    schema: FormSchema
    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    today: date | None = None
    identity: CitizenIdentity | None = field(default=None, repr=False)
    origins: dict[str, str] = field(default_factory=dict)  # field → the prefill source its card value came from

    @classmethod
    def start(cls, schema: FormSchema, identity: CitizenIdentity | None = None, today: date | None = None) -> FormState:
        """A new form with defaults and everything the ID card already says (those values locked)."""
        state = cls(schema=schema, today=today, identity=identity)
        for f in schema.fields:
            value, source = "", "empty"
            if f.prefill:
                value = identity_value(f.prefill, identity, today)
                source = ("identity" if f.prefill.startswith("identity.") else "default") if value else "empty"
                if source == "identity":
                    state.origins[f.key] = f.prefill
                    source = "card" if f.prefill_editable else source
            if not value and f.default is not None:
                value, source = f.default, "default"
            state.values[f.key] = value
            state.sources[f.key] = source  # type: ignore[assignment]
        state._apply_cases()
        return state

    def _apply_cases(self) -> None:
        """Card values that depend on an answer (``prefill_when``): filled while their case holds, taken back after.

        A value the citizen typed is never replaced; a default gives way to the card's value."""
        for f in self.schema.fields:
            if not f.prefill_when:
                continue
            value, case = "", None
            for c in f.prefill_when:
                if self.values.get(c.field, "") in c.equals:
                    value = identity_value(c.source, self.identity, self.today)
                    if value:
                        case = c
                        break
            src = self.sources.get(f.key)
            from_case = src in ("identity", "card") and f.key in self.origins and f.prefill != self.origins[f.key]
            if case is not None and (src in ("empty", "default") or from_case):
                self.values[f.key], self.sources[f.key] = value, "card" if case.editable else "identity"
                self.origins[f.key] = case.source
            elif case is None and from_case:
                self.origins.pop(f.key)
                plain = identity_value(f.prefill, self.identity, self.today) if f.prefill else ""
                if plain:
                    self.values[f.key], self.sources[f.key] = plain, "card" if f.prefill_editable else "identity"
                    self.origins[f.key] = f.prefill  # type: ignore[assignment]
                elif f.default is not None:
                    self.values[f.key], self.sources[f.key] = f.default, "default"
                else:
                    self.values[f.key], self.sources[f.key] = "", "empty"

    def from_chip(self, key: str) -> bool:
        """The value shown is the card's and only the chip holds it (ethnicity, parents, place of origin…)."""
        from kiosk.declarations.procedure import CHIP_SOURCES

        return self.sources.get(key) in ("identity", "card") and self.origins.get(key) in CHIP_SOURCES

    def restarted(self, identity: CitizenIdentity | None) -> FormState:
        """The same form for another identity: the card's fields anew, what was typed kept."""
        fresh = FormState.start(self.schema, identity, self.today)
        for key, source in self.sources.items():
            if source == "typed" and not fresh.locked(key):
                fresh.values[key], fresh.sources[key] = self.values[key], "typed"
                fresh.origins.pop(key, None)
        fresh._apply_cases()
        return fresh

    # ------------------------------------------------------------ values

    def locked(self, key: str) -> bool:
        """True for a value read from the ID card: shown, never edited."""
        return self.sources.get(key) == "identity"

    def set(self, key: str, value: str) -> None:
        """The citizen changed a value: it now counts as typed (unless unchanged). FieldLocked for a card value."""
        self.schema.field(key)  # KeyError for an unknown field
        if self.values.get(key, "") == value:
            return
        if self.locked(key):
            raise FieldLocked(key)
        self.values[key] = value
        self.sources[key] = "typed" if value.strip() else "empty"
        self.origins.pop(key, None)
        if any(c.field == key for f in self.schema.fields for c in f.prefill_when):
            self._apply_cases()

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def update(self, answers: dict[str, Any]) -> list[str]:
        """Apply answers (e.g. from a JSON file); returns keys that are not fields of this form.

        An answer that contradicts the ID card raises :class:`FieldLocked` (the same answer is accepted)."""
        unknown = []
        for key, value in answers.items():
            try:
                f = self.schema.field(key)
            except KeyError:
                unknown.append(key)
                continue
            self.set(key, _as_text(f, value))
        return unknown

    # ------------------------------------------------------------ visibility and validation

    def visible(self, f: FormField) -> bool:
        if f.show_if is None:
            return True
        return self.values.get(f.show_if.field, "") in f.show_if.equals

    def page_fields(self, page_index: int) -> list[FormField]:
        return [f for f in self.schema.pages[page_index].fields if self.visible(f)]

    def check(self, key: str) -> FieldError | None:
        f = self.schema.field(key)
        if not self.visible(f):
            return None
        return check_value(f, self.values.get(key, ""), self.today)

    def check_page(self, page_index: int) -> dict[str, FieldError]:
        out = {}
        for f in self.page_fields(page_index):
            err = check_value(f, self.values.get(f.key, ""), self.today)
            if err:
                out[f.key] = err
        return out

    def check_all(self) -> dict[str, FieldError]:
        out: dict[str, FieldError] = {}
        for i in range(len(self.schema.pages)):
            out.update(self.check_page(i))
        return out

    def first_invalid_page(self) -> int | None:
        for i in range(len(self.schema.pages)):
            if self.check_page(i):
                return i
        return None

    # ------------------------------------------------------------ output

    def cleaned(self) -> dict[str, Any]:
        """Visible, non-empty values as JSON: dates ISO, numbers int, checkboxes bool."""
        out: dict[str, Any] = {}
        for f in self.schema.fields:
            if not self.visible(f):
                continue
            raw = self.values.get(f.key, "").strip()
            if f.type == "checkbox":
                out[f.key] = raw == "1"
                continue
            if not raw:
                continue
            if f.type == "date":
                d = parse_date(raw)
                out[f.key] = d.isoformat() if d else raw
            elif f.type == "number":
                digits = _digits(raw)
                out[f.key] = int(digits) if re.fullmatch(r"-?\d+", digits) else raw
            elif f.type == "id_number":
                out[f.key] = _digits(raw)
            else:
                out[f.key] = text_rules.nfc(raw)  # one form for every text the kiosk sends
        return out

    def display(self, f: FormField, lang: str = "vi") -> str:
        """The value as the citizen reads it on the review screen and the PDF."""
        raw = self.values.get(f.key, "").strip()
        if f.type == "select":
            for o in f.options:
                if o.value == raw:
                    return o.label(lang)
        if f.type == "checkbox":
            return Translator(lang)["common.yes" if raw == "1" else "common.no"]
        return raw

    def report(self) -> PrefillReport:
        """Counted over the fields the citizen would see (hidden conditional fields excluded)."""
        visible = [f for f in self.schema.fields if self.visible(f)]
        ident = sum(1 for f in visible if self.sources.get(f.key) in ("identity", "card"))
        default = sum(1 for f in visible if self.sources.get(f.key) == "default")
        chip = sum(1 for f in visible if self.from_chip(f.key))
        return PrefillReport(total=len(visible), from_identity=ident, from_default=default,
                             to_declare=len(visible) - ident - default, from_chip=chip)


def _as_text(f: FormField, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, datetime):
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    if f.type == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return format_date(date.fromisoformat(value.strip()))
    return str(value)

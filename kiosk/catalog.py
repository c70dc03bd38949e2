"""The procedure catalog: one TOML file per procedure, validated at start, searchable.

Why one file per procedure: a province adds, fixes or retires a procedure by adding
or editing one file, and a broken file is named with the bad field
(``config/procedures/khai_sinh.toml: form.pages[0].fields[2].type: …``).

Search works with or without diacritics and forgives typos (rapidfuzz over the
accent-stripped name, keywords and field), so "dang ky khai sinh", "khai sinh" and
"chung thuc" find what a citizen means. Pure module (no Kivy, no HTTP): the reference
server serves it at ``GET /procedures`` and the document-scan screen reads
``Procedure.documents``. Files whose name starts with ``_`` are not procedures
(``_calendar.toml`` holds the working-day calendar, see :mod:`kiosk.workdays`).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rapidfuzz import process
from rapidfuzz.distance import OSA

from kiosk import workdays
from kiosk.vnkeys import strip_accents

log = logging.getLogger(__name__)

CALENDAR_FILE = "_calendar.toml"

FieldType = Literal["text", "date", "select", "checkbox", "number", "id_number", "phone", "email", "address"]
# Where a field's value can come from without the citizen typing it (kiosk.identity.CitizenIdentity).
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
        "today",
    }
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


def load_catalog(folder: str | Path) -> Catalog:
    """Every ``*.toml`` of ``folder`` (except ``_*.toml``), plus its working-day calendar."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CatalogError(f"procedure folder not found: {folder}")
    procedures = [load_procedure_file(p) for p in sorted(folder.glob("*.toml")) if not p.name.startswith("_")]
    try:
        calendar = workdays.load_calendar(folder / CALENDAR_FILE)
    except ValueError as e:
        raise CatalogError(str(e)) from None
    return Catalog(procedures, calendar=calendar, source=str(folder))


# ------------------------------------------------------------------ search


def normalize(text: str) -> str:
    """Lower case, no accents, single spaces: "Đăng  ký" → "dang ky"."""
    return " ".join(strip_accents(text).lower().replace("-", " ").replace(",", " ").split())


def _search_form(text: str) -> str:
    """:func:`normalize`, and y → i, since citizens spell "ký"/"kí", "lý"/"lí" either way."""
    return normalize(text).replace("y", "i")


# Weight of each kind of text a procedure is found by.
_WEIGHTS = {"name": 1.0, "keyword": 0.95, "name_en": 0.9, "field": 0.85}


@dataclass(frozen=True)
class Hit:
    procedure: Procedure
    score: float


@dataclass(frozen=True)
class _Phrase:
    owner: int
    weight: float
    words: tuple[str, ...]
    text: str


class Catalog:
    """All procedures of this kiosk, by code, by field, and by search."""

    def __init__(
        self,
        procedures: Iterable[Procedure],
        calendar: workdays.WorkCalendar = workdays.DEFAULT_CALENDAR,
        source: str = "",
    ) -> None:
        self._lock = threading.Lock()
        self.source = source
        self._set(list(procedures), calendar)

    def _set(self, procedures: list[Procedure], calendar: workdays.WorkCalendar) -> None:
        by_code: dict[str, Procedure] = {}
        for p in procedures:
            if p.code in by_code:
                raise CatalogError(f"{self.source or 'catalog'}: procedure code {p.code!r} appears twice")
            by_code[p.code] = p
        phrases: list[_Phrase] = []
        for i, p in enumerate(procedures):
            texts = [("name", p.name_vi), ("field", p.field_vi), ("name_en", p.name_en)]
            texts += [("keyword", k) for k in p.keywords]
            for kind, text in texts:
                form = _search_form(text)
                if form:
                    phrases.append(_Phrase(i, _WEIGHTS[kind], tuple(form.split()), form))
        vocab: dict[str, int] = {}
        for ph in phrases:
            for w in ph.words:
                vocab.setdefault(w, len(vocab))
        width = max((len(ph.words) for ph in phrases), default=1)
        # Phrase × word-slot matrix of vocabulary indices (-1 = empty slot): one numpy gather scores them all.
        slots = np.full((len(phrases), width), -1, dtype=np.int32)
        for n, ph in enumerate(phrases):
            slots[n, : len(ph.words)] = [vocab[w] for w in ph.words]
        with self._lock:
            self.procedures = procedures
            self.calendar = calendar
            self._by_code = by_code
            self._phrases = phrases
            self._vocab = list(vocab)
            self._slots = slots
            self._owners = np.array([ph.owner for ph in phrases], dtype=np.int32)
            self._weights = np.array([ph.weight for ph in phrases], dtype=np.float32)
            self._lengths = np.array([len(ph.words) for ph in phrases], dtype=np.float32)

    def replace(self, other: Catalog) -> None:
        """Take ``other``'s procedures (a fresher copy from the backend) in place."""
        self._set(list(other.procedures), other.calendar)
        self.source = other.source

    def __len__(self) -> int:
        return len(self.procedures)

    def __iter__(self):
        return iter(self.procedures)

    def get(self, code: str) -> Procedure | None:
        return self._by_code.get(code)

    def __getitem__(self, code: str) -> Procedure:
        return self._by_code[code]

    def fields(self, lang: str = "vi") -> list[str]:
        """Lĩnh vực names, in catalog order (browse by field)."""
        seen: dict[str, None] = {}
        for p in self.procedures:
            seen.setdefault(p.field_name(lang), None)
        return list(seen)

    def by_field(self, name: str, lang: str = "vi") -> list[Procedure]:
        return [p for p in self.procedures if p.field_name(lang) == name]

    def search(self, query: str, limit: int = 20) -> list[Procedure]:
        return [h.procedure for h in self.search_scored(query, limit)]

    def _word_scores(self, word: str, last: bool) -> np.ndarray:
        """Score (0–100) of every catalog word against ``word``: typos via rapidfuzz (OSA), the word
        being typed as a prefix. Index ``len(vocab)`` is the empty slot (0)."""
        vocab = self._vocab
        out = np.zeros(len(vocab) + 1, dtype=np.float32)
        for _w, sc, idx in process.extract(word, vocab, scorer=OSA.normalized_similarity, score_cutoff=0.66, limit=None):
            out[idx] = 100.0 * sc
        if last and (len(word) >= 2 or not word.isalpha()):
            for idx, w in enumerate(vocab):
                if w.startswith(word) and out[idx] < 92:
                    out[idx] = 92.0
        return out

    def search_scored(self, query: str, limit: int = 20, cutoff: float = 66) -> list[Hit]:
        """Best matches first: every query word is matched to the closest word of a name or keyword,
        averaged, weighted by where the phrase comes from (name > keyword > field)."""
        exact = self._by_code.get(query.strip())
        if exact is not None:
            return [Hit(exact, 200.0)]
        q = _search_form(query)
        qwords = q.split()
        if not qwords or not self.procedures:
            return []
        with self._lock:
            phrases, slots, owners = self._phrases, self._slots, self._owners
            weights, lengths = self._weights, self._lengths
            total = np.zeros(len(phrases), dtype=np.float32)
            for i, w in enumerate(qwords):
                scores = self._word_scores(w, i == len(qwords) - 1)
                total += scores[slots].max(axis=1)  # slot -1 reads the trailing 0
        score = total / len(qwords) * weights - 0.8 * np.maximum(0, lengths - len(qwords))
        for n in np.nonzero(score >= cutoff - 4)[0]:
            if q in phrases[n].text:
                score[n] += 4  # the words in the citizen's order
        best = np.full(len(self.procedures), -np.inf, dtype=np.float32)
        np.maximum.at(best, owners, score)
        found = np.nonzero(best >= cutoff)[0]
        ranked = sorted(found.tolist(), key=lambda i: (-float(best[i]), len(self.procedures[i].name_vi)))
        return [Hit(self.procedures[i], round(float(best[i]), 1)) for i in ranked[:limit]]

    # -------------------------------------------------------------- backend copy

    def to_dicts(self) -> list[dict[str, Any]]:
        return [p.model_dump(mode="json") for p in self.procedures]

    @classmethod
    def from_dicts(cls, items: Iterable[dict[str, Any]], source: str = "backend", calendar: workdays.WorkCalendar = workdays.DEFAULT_CALENDAR) -> Catalog:
        procs = [parse_procedure(d, f"{source} procedure {d.get('code', i)!r}") for i, d in enumerate(items)]
        return cls(procs, calendar=calendar, source=source)

    def save_cache(self, path: str | Path, version: str = "") -> None:
        from kiosk.config import atomic_write_bytes

        body = {"version": version, "procedures": self.to_dicts()}
        atomic_write_bytes(Path(path), json.dumps(body, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load_cache(cls, path: str | Path, calendar: workdays.WorkCalendar = workdays.DEFAULT_CALENDAR) -> Catalog:
        try:
            body = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise CatalogError(f"{path}: unreadable catalog cache: {e}") from None
        return cls.from_dicts(body.get("procedures", []), source=str(path), calendar=calendar)


def refresh_from_backend(catalog: Catalog, backend: Any, cache_file: str | Path) -> bool:
    """Fetch ``GET /procedures``, cache it for offline use and swap it in. False if unreachable/invalid."""
    try:
        out = backend.procedures()
        fresh = Catalog.from_dicts(out.procedures, source="backend", calendar=catalog.calendar)
    except CatalogError as e:
        log.warning("backend catalog rejected: %s", e)
        return False
    except Exception as e:  # backend down: keep what we have
        log.info("catalog not refreshed from the backend: %s", e)
        return False
    if not len(fresh):
        return False
    fresh.save_cache(cache_file, getattr(out, "version", ""))
    catalog.replace(fresh)
    return True


def build(services: Any) -> None:
    """``services.catalog``: the local folder, or the cached backend copy when it is newer.

    The backend copy is refreshed in a background thread when a backend is configured,
    so the kiosk starts at once and keeps working offline from the cache.
    """
    config = services.config
    folder = config.path(config.catalog.path)
    catalog = load_catalog(folder)
    cache = config.path(config.catalog.cache_file)
    newest_local = max((f.stat().st_mtime for f in folder.glob("*.toml")), default=0.0)
    if cache.exists() and cache.stat().st_mtime > newest_local:  # a file edited since wins over an old copy
        try:
            catalog.replace(Catalog.load_cache(cache, calendar=catalog.calendar))
        except CatalogError as e:
            log.warning("ignoring the catalog cache: %s", e)
    services.catalog = catalog
    backend = getattr(services, "backend", None)
    if backend is not None and not getattr(config.backend, "embedded", False):
        threading.Thread(
            target=refresh_from_backend, args=(catalog, backend, cache), name="catalog-refresh", daemon=True
        ).start()

"""Form values read off a scanned paper: what the form may offer as "Đọc từ giấy tờ: … — Dùng?".

Which paper carries which form field is configuration, per procedure: the document's ``reads``
table in its TOML maps a form field to the labels printed before its value on that paper
(``tre_ngay_sinh = ["Đã sinh con vào lúc", "Ngày sinh"]`` on a giấy chứng sinh). The value's
kind comes from the form field itself: a date (``dd/mm/yyyy`` or "ngày 5 tháng 10 năm 2026"),
a year, an ID number (12 digits that pass the card rules of :mod:`kiosk.identity.payload`), one of a
select's options, a name (every word a Vietnamese syllable, capitalised), a place or an address.

Precision first: a label must begin a line or a sentence, the value must parse, and the
confidence is the OCR confidence of the words it came from — a wrong offer costs the citizen
more than a missing one. Nothing here writes to the form (pure).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from rapidfuzz import fuzz

from kiosk import identity
from kiosk.base.vnkeys import strip_accents
from kiosk.documents.ocr import Word
from kiosk.documents.syllables import is_syllable

MIN_LABEL_SCORE = 88  # fuzzy match of a label against the start of a line (OCR drops a mark)
MIN_CONFIDENCE = 0.85  # below this a value is not offered (a misread mark scored 0.82 on the tuning part)
DOUBTFUL_FACTOR = 0.9  # a page the gate calls doubtful (often glare elsewhere on it): offered only if very sure…
# …unless the value's own label reads letter for letter (marks included): the gate's doubt is about the
# page, and a known printed text read exactly says that line was read as on a good page.

_DATE_NUM = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ng[aà]y\s+(\d{1,2})\s+th[aá]ng\s+(\d{1,2})\s+n[aă]m\s+(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_ID = re.compile(r"(?<!\d)(\d[\d ]{10,14}\d)(?!\d)")
_NAME_KEY = re.compile(r"(^|_)(ho_ten|ten)$")  # a text field holding a person's name
_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZÀ-Ỹ])|;")


@dataclass(frozen=True)
class Suggestion:
    """One value read off a paper, with where it came from."""

    field: str  # form field key
    value: str  # as the form stores it (dates dd/mm/yyyy, a select's option value)
    display: str  # as printed on the paper
    document: str  # catalog document key
    confidence: float  # 0..1
    label: str  # the label it followed
    page: int = 0  # page index within the paper

    def as_json(self) -> dict:
        return asdict(self)


def _fold(text: str) -> str:
    return " ".join(strip_accents(unicodedata.normalize("NFC", text)).lower().replace("đ", "d").split())


def _after_label(line: str, label: str) -> tuple[str, bool] | None:
    """(the rest of ``line`` after ``label``, whether the label reads exactly, marks included) when the
    label begins the line or a sentence in it. The rest loses a leading ``:`` — or the ``.`` or ``,``
    tesseract often reads a colon as ("Ngày sinh. 23/07/1995")."""
    folded, want = _fold(line), _fold(label)
    starts = [0] + [m.end() for m in re.finditer(r"[.;]\s+|^\s*\d+[.)]\s*", folded)]
    for s in starts:
        head = folded[s: s + len(want)]
        if len(head) == len(want) and fuzz.ratio(head, want) >= MIN_LABEL_SCORE:
            # map the folded position back: folding keeps one char per char except collapsed spaces
            raw = " ".join(unicodedata.normalize("NFC", line).split())
            exact = raw[s: s + len(want)].lower() == " ".join(unicodedata.normalize("NFC", label).split()).lower()
            rest = raw[s + len(want):]
            return rest.lstrip(" :：-–.,").strip(), exact
    return None


def _sentence(rest: str) -> str:
    return _SENTENCE_END.split(rest, maxsplit=1)[0].strip().rstrip(".,;")


def parse_date(rest: str, today: date | None = None) -> str | None:
    found = find_date(rest, today)
    return found[0] if found else None


def find_date(rest: str, today: date | None = None) -> tuple[str, str] | None:
    """(``dd/mm/yyyy``, the text as printed) of the first real date in ``rest``."""
    today = today or date.today()
    for rx in (_DATE_WORDS, _DATE_NUM):
        m = rx.search(rest)
        if m:
            d, mo, y = (int(g) for g in m.groups())
            try:
                v = date(y, mo, d)
            except ValueError:
                return None
            if v.year < 1900 or v > date(today.year + 1, 12, 31):
                return None
            return v.strftime("%d/%m/%Y"), m.group(0)
    return None


def parse_year(rest: str, lo: float | None, hi: float | None) -> str | None:
    m = _YEAR.search(_sentence(rest))
    if not m:
        return None
    y = int(m.group(1))
    if (lo is not None and y < lo) or (hi is not None and y > hi):
        return None
    return str(y)


def parse_id(rest: str) -> str | None:
    """A 12-digit personal number whose province code and century digit are real."""
    for m in _ID.finditer(rest):
        digits = m.group(1).replace(" ", "")
        if len(digits) != 12:
            continue
        if digits[:3] not in identity.province_codes() or int(digits[3]) > 5:
            continue
        return digits
    return None


def parse_name(rest: str) -> str | None:
    """2–6 capitalised words, each a Vietnamese syllable."""
    words = _sentence(rest).split()
    while words and not any(ch.isalpha() for ch in words[-1]):  # a card's border read as "|" or "—"
        words.pop()
    if not 2 <= len(words) <= 6:
        return None
    if not all(w[0].isupper() and is_syllable(w) for w in words):
        return None
    return " ".join(words)


def parse_place(rest: str) -> str | None:
    text = _sentence(rest)
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 2 or sum(is_syllable(w) for w in words) < 0.85 * len(words):
        return None
    return text


def parse_option(rest: str, options: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(option value, printed label) for the option the value begins with."""
    head = _fold(_sentence(rest))
    for value, label in options:
        lab = _fold(label)
        if head == lab or head.startswith(lab + " ") or head.startswith(lab + ","):
            return value, label
    return None


def _confidence(display: str, words: list[Word]) -> float:
    """OCR confidence (0..1) of the value's *least* sure word (one wrong mark makes a wrong name:
    on the hard set a misread letter scored 82 where the right ones scored 90–97); 0.9 when the
    words are unknown (text given without tesseract's word list)."""
    if not words:
        return 0.9
    want = [w.strip(".,;:") for w in display.split() if w.strip(".,;:")]
    if any(ch.isdigit() for ch in display):  # a date, a year, a number: its digits are the value ("ngày", "tháng" are not)
        want = [w for w in want if any(ch.isdigit() for ch in w)]
    pool: dict[str, list[float]] = {}
    for w in words:
        pool.setdefault(w.text.strip(".,;:"), []).append(w.confidence)
    found = [max(pool[t]) for t in want if t in pool]
    if not found:
        return 0.5
    return (min(found) / 100.0) * (len(found) / len(want)) ** 0.5


def extract(text: str, reads: dict[str, list[str]], fields: dict[str, dict], *, document: str,
            words: list[Word] | None = None, page: int = 0, today: date | None = None,
            doubtful: bool = False) -> list[Suggestion]:
    """Suggestions for the configured fields found in ``text``.

    ``fields`` gives each form field's ``type``, ``options`` [(value, label)], ``min``, ``max``
    (see :func:`field_specs`). The first label that yields a valid value wins for a field.
    """
    lines = [ln for ln in unicodedata.normalize("NFC", text).splitlines() if ln.strip()]
    out = []
    for key, labels in reads.items():
        spec = fields.get(key)
        if spec is None:
            continue
        hit = _first(lines, labels, spec, today)
        if hit is None:
            continue
        value, display, label, exact = hit
        conf = _confidence(display, words or []) * (DOUBTFUL_FACTOR if doubtful and not exact else 1.0)
        if conf >= MIN_CONFIDENCE:
            out.append(Suggestion(key, value, display, document, round(conf, 3), label, page))
    return out


def _first(lines: list[str], labels: list[str], spec: dict, today: date | None) -> tuple[str, str, str, bool] | None:
    kind = spec.get("type", "text")
    for label in labels:
        for line in lines:
            after = _after_label(line, label)
            if after is None:
                continue
            rest, exact = after
            if kind == "date":
                found = find_date(rest, today)
                if found:
                    return found[0], found[1], label, exact
            elif kind == "number":
                v = parse_year(rest, spec.get("min"), spec.get("max"))
                if v:
                    return v, v, label, exact
            elif kind == "id_number":
                v = parse_id(rest)
                if v:
                    return v, v, label, exact
            elif kind == "select":
                opt = parse_option(rest, spec.get("options", []))
                if opt:
                    return opt[0], opt[1], label, exact
            elif kind == "text" and _NAME_KEY.search(spec.get("key", "")):
                v = parse_name(rest)
                if v:
                    return v, v, label, exact
            elif kind in ("text", "address"):
                v = parse_place(rest)
                if v:
                    return v, v, label, exact
    return None


def field_specs(form) -> dict[str, dict]:
    """What :func:`extract` needs of a :class:`kiosk.declarations.FormSchema`."""
    return {
        f.key: {"key": f.key, "type": f.type, "min": f.min, "max": f.max,
                "options": [(o.value, o.label_vi) for o in f.options]}
        for f in form.fields
    }


def for_document(procedure, document_key: str, text: str, words: list[Word] | None = None, page: int = 0,
                 today: date | None = None, doubtful: bool = False) -> list[Suggestion]:
    """Suggestions from one paper of a :class:`kiosk.declarations.Procedure` (empty when it reads nothing)."""
    doc = next((d for d in procedure.documents if d.key == document_key), None)
    if doc is None or not doc.reads:
        return []
    return extract(text, doc.reads, field_specs(procedure.form), document=document_key, words=words, page=page,
                   today=today, doubtful=doubtful)


def for_page(procedure, document_key: str, result, page: int = 0, today: date | None = None) -> list[Suggestion]:
    """Suggestions from one processed page (:class:`kiosk.documents.pipeline.PageResult`)."""
    doubtful = result.quality is not None and not result.quality.good
    words = result.ocr.words if result.ocr else None
    return for_document(procedure, document_key, result.text, words, page, today, doubtful)

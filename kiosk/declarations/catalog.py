"""The procedure catalog: one TOML file per procedure, validated at start, searchable.

Why one file per procedure: a province adds, fixes or retires a procedure by adding
or editing one file, and a broken file is named with the bad field
(``config/procedures/khai_sinh.toml: form.pages[0].fields[2].type: …``).

Search works with or without diacritics and forgives typos (rapidfuzz over the
accent-stripped name, keywords and field), so "dang ky khai sinh", "khai sinh" and
"chung thuc" find what a citizen means. Pure module (no Kivy, no HTTP): the reference
server serves it at ``GET /procedures`` and the document-scan screen reads
``Procedure.documents``. Files whose name starts with ``_`` are not procedures
(``_calendar.toml`` holds the working-day calendar, see :mod:`kiosk.declarations.workdays`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.base.vnkeys import strip_accents
from kiosk.declarations import workdays
from kiosk.declarations.procedure import (
    CatalogError,
    Procedure,
    load_procedure_file,
    parse_procedure,
)

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

CALENDAR_FILE = "_calendar.toml"

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
        with self._lock:
            self.procedures = procedures
            self.calendar = calendar
            self._by_code = by_code
            self._phrases = phrases
            self._vocab = list(vocab)
            self._index: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None  # on first search

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(slots, owners, weights, lengths), built on the first search (call with the lock held).

        Why lazily: numpy costs ~15 MB and the home screen never searches; the kiosk's start-up
        footprint stays small (docs/ARCHITECTURE.md, "What is loaded when")."""
        if self._index is None:
            import numpy as np

            phrases, vocab = self._phrases, {w: i for i, w in enumerate(self._vocab)}
            width = max((len(ph.words) for ph in phrases), default=1)
            # Phrase × word-slot matrix of vocabulary indices (-1 = empty slot): one numpy gather scores them all.
            slots = np.full((len(phrases), width), -1, dtype=np.int32)
            for n, ph in enumerate(phrases):
                slots[n, : len(ph.words)] = [vocab[w] for w in ph.words]
            self._index = (
                slots,
                np.array([ph.owner for ph in phrases], dtype=np.int32),
                np.array([ph.weight for ph in phrases], dtype=np.float32),
                np.array([len(ph.words) for ph in phrases], dtype=np.float32),
            )
        return self._index

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
        import numpy as np
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

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
        import numpy as np

        with self._lock:
            phrases = self._phrases
            slots, owners, weights, lengths = self._arrays()
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
        from kiosk.base.config import atomic_write_bytes

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


def catalog_for_kiosk(config: Any, backend: Any = None) -> Catalog:
    """The kiosk's catalog: the local folder, or the cached backend copy when it is newer.

    The backend copy is refreshed in a background thread when a backend is configured,
    so the kiosk starts at once and keeps working offline from the cache.
    """
    folder = config.path(config.catalog.path)
    catalog = load_catalog(folder)
    cache = config.path(config.catalog.cache_file)
    newest_local = max((f.stat().st_mtime for f in folder.glob("*.toml")), default=0.0)
    if cache.exists() and cache.stat().st_mtime > newest_local:  # a file edited since wins over an old copy
        try:
            catalog.replace(Catalog.load_cache(cache, calendar=catalog.calendar))
        except CatalogError as e:
            log.warning("ignoring the catalog cache: %s", e)
    if backend is not None and not config.backend.embedded:
        threading.Thread(
            target=refresh_from_backend, args=(catalog, backend, cache), name="catalog-refresh", daemon=True
        ).start()
    return catalog

"""Vietnamese (default) and English strings.

Strings live in ``kiosk/locales/*.toml``, one file per area of the kiosk
(``common.toml``, ``ticket.toml``…), each key a table with ``vi`` and ``en``::

    ["home.title"]
    vi = "Xin chào"
    en = "Welcome"

Keys are unique across files. A missing translation falls back to Vietnamese,
a missing key shows the key itself (and the test suite fails on either).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


class StringsError(Exception):
    """A locale file is broken (duplicate key, bad TOML, unknown language)."""


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All strings: key → {"vi": …, "en": …}."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise StringsError(f"{path}: {e}") from None
        for key, entry in _flatten(data):
            if key in out:
                raise StringsError(f"{path}: duplicate string key {key!r}")
            unknown = set(entry) - set(LANGUAGES)
            if unknown:
                raise StringsError(f"{path}: {key!r} has unknown language(s) {sorted(unknown)}")
            out[key] = {lang: str(text) for lang, text in entry.items()}
    return out


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, dict[str, str]]]:
    """Accept both ``["a.b"]`` tables and nested ``[a.b]`` tables."""
    items: list[tuple[str, dict[str, str]]] = []
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v and all(isinstance(x, str) for x in v.values()) and set(v) <= set(LANGUAGES):
            items.append((key, dict(v)))
        elif isinstance(v, Mapping):
            items.extend(_flatten(v, key + "."))
        else:
            raise StringsError(f"string {key!r} must be a table with vi/en")
    return items


class Translator:
    """Looks strings up for one language; ``t["key"]`` or ``t("key", n=3)``."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        if lang not in LANGUAGES:
            raise StringsError(f"unknown language {lang!r}")
        self.lang = lang
        self._strings = catalog()

    def __getitem__(self, key: str) -> str:
        entry = self._strings.get(key)
        if entry is None:
            return key
        return entry.get(self.lang) or entry.get(DEFAULT_LANGUAGE) or key

    def __call__(self, key: str, **values: Any) -> str:
        text = self[key]
        if values:
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                return text
        return text

    def has(self, key: str) -> bool:
        return key in self._strings


def tr(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """One-off lookup for code outside the UI (CLI messages, tickets)."""
    return Translator(lang)(key, **values)

"""Masking personal data before it reaches a log, an error or a screen for others.

Rule of the project: no ID number in logs — all but the last 3 digits masked — and no full
names or addresses. :class:`MaskingFilter` applies the rule to every log record, so a careless
``log.info(payload)`` still cannot leak a citizen:

- 9- and 12-digit numbers, also written in groups ("036 089 001 234", "036-089-001-234");
- QR payload lines, and pydantic's ``input_value=…`` / ``"input": …`` (a validation error quotes
  what the citizen typed);
- the name and address of the visit under way: :func:`remember_personal` registers them while the
  visit lasts (reading the card does it), :func:`forget_personal` drops them at the wipe and runs
  the hooks (:func:`on_forget`) that empty caches which may hold them.

Also :func:`private_umask`: everything the kiosk writes is for the kiosk's user only.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PRIVATE_UMASK = 0o077
MAX_REMEMBERED = 32

# 12-digit personal ID numbers and 9-digit old CMND numbers, also inside QR payloads.
_ID_RE = re.compile(r"(?<!\d)(\d{9}|\d{12})(?!\d)")
# The same numbers in groups of 2–6 digits separated by single spaces or dashes (as printed or typed).
_GROUPED_RE = re.compile(r"(?<![\d.:\-])\d{2,6}(?:[ \u00a0\-]\d{2,6}){1,5}(?![\d.:]|-\d)")
# A QR payload line: id|old|name|dob|sex|address|issue… — mask the name and address too.
_PAYLOAD_RE = re.compile(r"\d{12}\|\d{0,9}\|[^|\n]*\|\d{8}\|[^|\n]*\|[^|\n]*\|\d{8}[^\n]*")
# pydantic's error text (`input_value='…'`) and its errors() as JSON (`"input": "…"`).
_INPUT_VALUE_RE = re.compile(r"input_value=(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,\]\s]*)")
_INPUT_JSON_RE = re.compile(r"(\"input\"\s*:\s*)(\"(?:[^\"\\]|\\.)*\"|[^,}\]]*)")

_lock = threading.Lock()
_names: set[str] = set()
_others: set[str] = set()
_pattern: re.Pattern[str] | None = None
_forget_hooks: list[Callable[[], None]] = []


def mask_id(number: str | None) -> str:
    """``036089001234`` → ``*********234``. Short or empty input is masked whole."""
    if not number:
        return ""
    n = str(number)
    if len(n) <= 3:
        return "*" * len(n)
    return "*" * (len(n) - 3) + n[-3:]


def mask_name(name: str | None) -> str:
    """``Nguyễn Văn An`` → ``N. V. A.`` — enough for a citizen to recognise, not to identify."""
    if not name:
        return ""
    return " ".join(part[0] + "." for part in name.split() if part)


# ---------------------------------------------------------------- the visit's own data


def _rebuild() -> None:
    global _pattern
    values = sorted(_names | _others, key=len, reverse=True)
    _pattern = re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE) if values else None


def remember_personal(name: str | None = None, address: str | None = None, *others: str | None) -> None:
    """Mask ``name`` (as initials), ``address`` and ``others`` in every log line until :func:`forget_personal`.

    At most :data:`MAX_REMEMBERED` values are held (a stream of cards shown to the camera cannot grow it).
    """
    with _lock:
        changed = False
        for value, bucket in ((name, _names), (address, _others), *((o, _others) for o in others)):
            text = unicodedata.normalize("NFC", " ".join((value or "").split()))
            if len(text) >= 3 and text not in bucket and len(_names) + len(_others) < MAX_REMEMBERED:
                bucket.add(text)  # shorter strings would mask ordinary words
                changed = True
        if changed:
            _rebuild()


def forget_personal() -> None:
    """The visit is over: stop matching its values and empty the caches that may hold them."""
    global _pattern
    with _lock:
        _names.clear()
        _others.clear()
        _pattern = None
        hooks = list(_forget_hooks)
    for hook in hooks:
        hook()


def on_forget(hook: Callable[[], None]) -> None:
    """Run ``hook`` at every :func:`forget_personal` (e.g. a render cache's ``cache_clear``)."""
    with _lock:
        if hook not in _forget_hooks:
            _forget_hooks.append(hook)


def is_personal(text: str) -> bool:
    """True when ``text`` contains a value registered by :func:`remember_personal`."""
    pattern = _pattern
    return bool(pattern and pattern.search(unicodedata.normalize("NFC", text)))


def _mask_registered(text: str) -> str:
    pattern = _pattern
    if pattern is None:
        return text
    names = {n.casefold() for n in _names}

    def repl(m: re.Match[str]) -> str:
        return mask_name(m.group(0)) if m.group(0).casefold() in names else "[…]"

    return pattern.sub(repl, unicodedata.normalize("NFC", text))


# ---------------------------------------------------------------- masking


def _mask_group(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return mask_id(digits) if len(digits) in (9, 12) else m.group(0)


def mask_text(text: str) -> str:
    """Mask QR payloads, pydantic input values, the visit's name/address and 9/12-digit numbers in free text."""
    text = _PAYLOAD_RE.sub("[ID-QR masked]", text)
    text = _INPUT_VALUE_RE.sub("input_value=[masked]", text)
    text = _INPUT_JSON_RE.sub(lambda m: m.group(1) + '"[masked]"', text)
    text = _mask_registered(text)
    text = _GROUPED_RE.sub(_mask_group, text)
    return _ID_RE.sub(lambda m: mask_id(m.group(1)), text)


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in the message, its arguments and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a broken format string must not lose the record
            message = str(record.msg)
        record.msg = mask_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


# ---------------------------------------------------------------- files


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders made inside the block are the kiosk user's only (0600 / 0700)."""
    old = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(old)

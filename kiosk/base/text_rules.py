"""Which characters a citizen's text may hold — one whitelist for the ID-card parser, the forms and the server.

Rejecting, never cleaning: a value with a character outside its class is refused with a problem
code, because a silently "cleaned" value is one the citizen never saw (a bidi override reverses what
an officer reads; a zero-width space makes two names differ; a full-width digit is not the number
printed on the card). The only change made is Unicode NFC, which is the same text by definition.

The classes (what a Vietnamese name, address or remark can truly contain):

- numbers: ASCII digits only (no full-width or other scripts' digits);
- names: Latin letters (Vietnamese is Latin script with tone marks), spaces and the marks ``' - .``;
- addresses: Latin letters, ASCII digits, spaces and ``, . / - ( )`` — so no shell metacharacters;
- free text (remarks, other form fields): anything printable, but never a character of the Unicode
  categories Cc (controls: NUL, ESC, newline unless allowed), Cf (zero-width, bidi overrides,
  RTL/LTR marks, soft hyphen), Co (private use), Cs (surrogates) or Cn (unassigned).

Pure: standard library only, no kiosk imports, so ``server/`` can share it.
"""

from __future__ import annotations

import unicodedata

FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
NAME_MARKS = frozenset(" '-.")
ADDRESS_MARKS = frozenset(" ,./-()")
ASCII_DIGITS = frozenset("0123456789")

# Problem codes (callers map them to their own messages).
BAD_CHARACTERS = "bad_characters"  # a control, invisible, direction, private-use or unassigned character
BAD_NAME = "bad_name"
BAD_ADDRESS = "bad_address"
BAD_NUMBER = "bad_number"


def nfc(text: str) -> str:
    """The canonical (NFC) form — what every rule below is applied to and what is kept."""
    return unicodedata.normalize("NFC", text)


def forbidden_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of ``text`` in :data:`FORBIDDEN_CATEGORIES` (``\\n`` allowed when ``multiline``)."""
    return [ch for ch in text if unicodedata.category(ch) in FORBIDDEN_CATEGORIES and not (multiline and ch == "\n")]


def is_latin_letter(ch: str) -> bool:
    """A letter of the Latin script (Vietnamese letters with their marks, precomposed in NFC)."""
    return unicodedata.category(ch).startswith("L") and unicodedata.name(ch, "").startswith("LATIN ")


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    """Only ``0``–``9`` (and exactly ``length`` of them when given)."""
    return bool(text) and all(ch in ASCII_DIGITS for ch in text) and (length is None or len(text) == length)


def name_problem(text: str) -> str | None:
    """None for a valid person's name (letters, spaces, ``' - .``, at least one letter), else a problem code."""
    text = nfc(text)
    if forbidden_characters(text):
        return BAD_CHARACTERS
    if not any(is_latin_letter(ch) for ch in text):
        return BAD_NAME
    if not all(is_latin_letter(ch) or ch in NAME_MARKS for ch in text):
        return BAD_NAME
    return None


def address_problem(text: str) -> str | None:
    """None for a valid address (letters, ASCII digits, spaces, ``, . / - ( )``), else a problem code."""
    text = nfc(text)
    if forbidden_characters(text):
        return BAD_CHARACTERS
    if not all(is_latin_letter(ch) or ch in ASCII_DIGITS or ch in ADDRESS_MARKS for ch in text):
        return BAD_ADDRESS
    return None


def number_problem(text: str, length: int | None = None) -> str | None:
    """None when ``text`` is ASCII digits (of ``length``), else a problem code."""
    if forbidden_characters(text):
        return BAD_CHARACTERS
    return None if is_ascii_digits(text, length) else BAD_NUMBER


def free_text_problem(text: str, *, multiline: bool = False) -> str | None:
    """None unless ``text`` holds a control, invisible, direction, private-use or unassigned character."""
    return BAD_CHARACTERS if forbidden_characters(nfc(text), multiline=multiline) else None

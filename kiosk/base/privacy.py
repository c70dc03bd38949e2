"""Masking personal data before it reaches a log, an error or a screen for others.

Rule of the project: no ID number in logs — all but the last 3 digits masked —
and no full names. :class:`MaskingFilter` applies the rule to every log record,
so a careless ``log.info(payload)`` still cannot leak a citizen's number.
"""

from __future__ import annotations

import logging
import re

# 12-digit personal ID numbers and 9-digit old CMND numbers, also inside QR payloads.
_ID_RE = re.compile(r"(?<!\d)(\d{9}|\d{12})(?!\d)")
# A QR payload line: id|old|name|dob|sex|address|issue… — mask the name and address too.
_PAYLOAD_RE = re.compile(r"\d{12}\|\d{0,9}\|[^|\n]*\|\d{8}\|[^|\n]*\|[^|\n]*\|\d{8}[^\n]*")


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


def mask_text(text: str) -> str:
    """Mask QR payloads and any 9- or 12-digit run inside free text."""
    text = _PAYLOAD_RE.sub("[ID-QR masked]", text)
    return _ID_RE.sub(lambda m: mask_id(m.group(1)), text)


class MaskingFilter(logging.Filter):
    """A logging filter that masks ID numbers in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = mask_text(message)
        record.args = None
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True

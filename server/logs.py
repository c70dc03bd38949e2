"""The server's log: one rotating file (or stderr), every record masked before it is written.

Rule of the project: no ID numbers or names in logs. The server logs little on purpose, but
an exception text, a pydantic error (``input_value='Nguyễn Văn An'``) or a dict repr of a
request can carry a citizen's data; :class:`MaskingFilter` sits on the handler, so it sees
every record, from any logger (uvicorn's and SQLAlchemy's too), with its traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

# 9 to 12 digits in a run, or in groups split by spaces or dots ("036 089 001 234", "0912.345.678").
_DIGITS_RE = re.compile(r"(?<![\d.])\d{1,12}(?:[ .]\d{1,4}){0,5}(?!\d)")
# pydantic's error text repeats the input: "input_value='Nguyễn Văn An', input_type=str".
_INPUT_RE = re.compile(r"input_value=.*?(?=, input_type=|\]$|$)", re.DOTALL | re.MULTILINE)
# Personal fields in a dict or JSON repr: 'full_name': '…', "address": "…", full_name=…
_FIELDS = "full_name|name_on_card|address|id_number|old_id_number|phone|email|date_of_birth|applicant"
_FIELD_RE = re.compile(rf"""(["']?\b(?:{_FIELDS})\b["']?\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,;)}}\]\s]+)""")
MASK = "***"


def _mask_digits(m: re.Match[str]) -> str:
    text = m.group(0)
    digits = [c for c in text if c.isdigit()]
    if not 9 <= len(digits) <= 12:
        return text
    keep = len(digits) - 3  # all but the last three masked, separators dropped
    return "*" * keep + "".join(digits[keep:])


def mask_text(text: str) -> str:
    """``text`` with ID numbers, phone numbers, personal fields and pydantic input values masked."""
    text = _INPUT_RE.sub(f"input_value={MASK}", text)
    text = _FIELD_RE.sub(lambda m: m.group(1) + MASK, text)
    return _DIGITS_RE.sub(_mask_digits, text)


class MaskingFilter(logging.Filter):
    """Masks the formatted message and the traceback of every record that reaches its handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = mask_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _CurrentStderr(logging.StreamHandler):
    """A stderr handler that writes to whatever ``sys.stderr`` is now (not the stream of when it was made)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # noqa: ANN001
        pass


_installed: list[logging.Handler] = []


def configure(log_file: Path | None, level: str = "WARNING", *, max_bytes: int = 10 * 1024 * 1024,
              backups: int = 5) -> logging.Handler:
    """Send every record to ``log_file`` (rotated at ``max_bytes``, ``backups`` kept) or stderr, masked.

    Called again (in one process: the CLI run in-process by tests), it replaces its earlier handler.
    """
    root = logging.getLogger()
    while _installed:
        old = _installed.pop()
        root.removeHandler(old)
        old.close()
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    else:
        handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskingFilter())
    root.addHandler(handler)
    _installed.append(handler)
    root.setLevel(level.upper())
    return handler

"""Structured logging: JSON lines to a rotating file, personal data masked, stderr for humans.

Every file the kiosk logs to is size-capped and rotated: its own JSON log (:func:`setup_logging`) and
the output of child processes such as the embedded server (:func:`pipe_to_log`), masked the same way.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from kiosk.base.privacy import MaskingFilter, mask_text


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (masked), exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": mask_text(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = mask_text(self.formatException(record.exc_info))
        for key in ("event", "kiosk_id", "visit"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(
    file: Path | None = None,
    level: str = "INFO",
    max_bytes: int = 5_000_000,
    backups: int = 5,
    stderr: bool = True,
) -> None:
    """Configure the root logger once per process; safe to call again (replaces handlers)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    masking = MaskingFilter()
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        fh.setFormatter(JsonLineFormatter())
        fh.addFilter(masking)
        fh._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(fh)
    if stderr:
        sh = logging.StreamHandler(sys.stderr)
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        sh.addFilter(masking)
        sh.setLevel(max(logging.getLevelName(level), logging.WARNING))
        sh._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(sh)


class _QuietRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that keeps going when the disk is full (drops the line, no traceback per line)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 — logging's API
        pass


def pipe_to_log(stream: IO[bytes], file: Path, max_bytes: int = 5_000_000, backups: int = 5) -> threading.Thread:
    """Copy a child process's output, line by line, into ``file`` — rotated at ``max_bytes``, masked.

    Runs on a daemon thread until the stream ends (the child exited). The thread keeps reading even
    when writing fails, so the child never blocks on a full pipe.
    """
    file.parent.mkdir(parents=True, exist_ok=True)
    handler = _QuietRotatingHandler(file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(MaskingFilter())

    def copy() -> None:
        try:
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                handler.handle(logging.LogRecord(file.stem, logging.INFO, "", 0, line, None, None))
        finally:
            handler.close()
            stream.close()

    thread = threading.Thread(target=copy, name=f"log-{file.name}", daemon=True)
    thread.start()
    return thread

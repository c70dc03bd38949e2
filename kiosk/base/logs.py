"""Structured logging: JSON lines to a rotating file, ID numbers masked, stderr for humans."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import datetime, timezone
from pathlib import Path

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

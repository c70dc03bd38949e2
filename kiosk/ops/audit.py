"""The technician audit trail: one fsync'd JSON line per event, rotated by size, read from its tail.

Why rotate: a kiosk runs for years and a PIN pad under attack writes a line per guess; the file must
stay bounded and :func:`read_audit` (the logs screen) must never read a whole file. Writers in several
processes (the app, ``kiosk`` commands) take a file lock, so a rotation never loses a line.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kiosk.base.blocking import blocking
from kiosk.base.filelock import file_lock

log = logging.getLogger(__name__)

AUDIT_MAX_BYTES = 1_000_000  # per file; about 8,000 entries
AUDIT_BACKUPS = 5  # audit.jsonl.1 … .5 (oldest dropped)
_TAIL_CHUNK = 64 * 1024


def _rotate(path: Path, backups: int) -> None:
    for i in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{i}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{i + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def write_audit(path: Path, event: str, *, max_bytes: int | None = None, **details: Any) -> None:
    """Append one line (never a PIN); fsync'd so a power cut keeps what a technician did."""
    limit = AUDIT_MAX_BYTES if max_bytes is None else max_bytes
    entry = {"ts": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": event, **details}
    data = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_name(path.name + ".lock"), timeout_s=10.0):
        try:
            if path.stat().st_size + len(data) > limit:
                _rotate(path, AUDIT_BACKUPS)
        except FileNotFoundError:
            pass
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    log.info("technician audit: %s", event, extra={"event": f"tech.{event}"})


def tail_lines(path: Path, limit: int) -> list[bytes]:
    """The last ``limit`` lines of ``path``, reading backwards in chunks (never the whole file)."""
    with path.open("rb") as f:
        end = f.seek(0, os.SEEK_END)
        pos, buf = end, b""
        while pos > 0 and buf.count(b"\n") <= limit:
            step = min(_TAIL_CHUNK, pos)
            pos -= step
            f.seek(pos)
            buf = f.read(step) + buf
    lines = buf.splitlines()
    if pos > 0:
        lines = lines[1:]  # the first one is cut
    return lines[-limit:] if limit > 0 else []


@blocking
def read_audit(path: Path, limit: int = 200) -> list[dict[str, Any]]:
    """The last ``limit`` audit entries (oldest first), older files included when the live one is short."""
    names = [path] + [path.with_name(f"{path.name}.{i}") for i in range(1, AUDIT_BACKUPS + 1)]
    lines: list[bytes] = []
    for p in names:
        if len(lines) >= limit:
            break
        try:
            lines = tail_lines(p, limit - len(lines)) + lines
        except FileNotFoundError:
            continue
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out

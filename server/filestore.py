"""Received files: checked by content (PDF, PNG, JPEG), capped in size, stored content-addressed.

Bytes are written and fsynced under ``blobs/<sha256>`` *before* the database row that
names them is committed, so a crash leaves at worst an unreferenced blob, never a
dossier pointing at a missing or half-written file. The same content is stored once.

A request holds a shared lock (``flock`` on ``blobs.lock``) from storing its blobs to
committing the rows that name them; deleting an unreferenced blob needs the exclusive
lock, so it can never remove a blob that another request has just found and is about
to name (in this process or another one on the same folder).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class StoreBusy(Exception):
    """The blob lock was not free within its timeout: answered ``503``."""


def _flock(path: Path, mode: int, timeout_s: float) -> int | None:
    """An fd of ``path`` holding ``flock(mode)``, or None after ``timeout_s`` (never waits for ever)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout_s
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() + delay > deadline:
                os.close(fd)
                return None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


class FileRejected(Exception):
    """A file the server will not take; ``status`` is 413 (too big) or 415 (not PDF/PNG/JPEG)."""

    def __init__(self, status: int, detail: str, field: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


@dataclass
class StagedFile:
    name: str
    size: int
    sha256: str
    content_type: str
    tmp: Path


def sniff(head: bytes) -> str | None:
    """Content type from the first bytes, whatever the name or the declared type claim."""
    for magic, ctype in SIGNATURES:
        if head.startswith(magic):
            return ctype
    return None


def safe_name(name: str | None) -> str:
    """A plain file name: no directories, no control characters, at most 120 characters."""
    base = unicodedata.normalize("NFC", (name or "file").replace("\\", "/").rsplit("/", 1)[-1])
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip(" .") or "file"
    return base[-120:]


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "blobs").mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        self._sweep_tmp()

    def _sweep_tmp(self, older_than_s: float = 3600.0) -> None:
        """Remove uploads a crashed server was still staging (old enough not to be another worker's)."""
        limit = time.time() - older_than_s
        for p in (self.root / "tmp").iterdir():
            try:
                if p.stat().st_mtime < limit:
                    p.unlink()
            except OSError:
                pass

    def blob_path(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256[:2] / sha256

    def stage(self, src: BinaryIO, name: str | None, field: str, max_bytes: int) -> StagedFile:
        """Copy an upload to a temp file while hashing it; reject it by size or content type."""
        fd, tmp = tempfile.mkstemp(dir=self.root / "tmp")
        h, size, head = hashlib.sha256(), 0, b""
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := src.read(CHUNK):
                    if len(head) < 16:
                        head += chunk[:16]
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileRejected(413, f"file larger than {max_bytes} bytes", field)
                    h.update(chunk)
                    out.write(chunk)
            ctype = sniff(head)
            if ctype is None:
                raise FileRejected(415, "only PDF, PNG and JPEG files are accepted", field)
            if size == 0:
                raise FileRejected(415, "empty file", field)
            return StagedFile(safe_name(name), size, h.hexdigest(), ctype, Path(tmp))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @contextmanager
    def naming(self, timeout_s: float = 10.0) -> Iterator[None]:
        """Hold the shared blob lock: from :meth:`commit` until the rows naming the blobs are committed."""
        fd = _flock(self.root / "blobs.lock", fcntl.LOCK_SH, timeout_s)
        if fd is None:
            raise StoreBusy("file store busy")
        try:
            yield
        finally:
            os.close(fd)

    def drop_unreferenced(self, shas: Iterable[str], referenced: Callable[[set[str]], set[str]],
                          timeout_s: float = 2.0) -> list[str]:
        """Delete the blobs of ``shas`` that no row names (``referenced`` asks the database); the deleted ones.

        Under the exclusive lock; if it is not free in time the blobs stay for the periodic sweep.
        """
        wanted = {s for s in shas if self.blob_path(s).exists()}
        if not wanted:
            return []
        fd = _flock(self.root / "blobs.lock", fcntl.LOCK_EX, timeout_s)
        if fd is None:
            return []
        try:
            gone = sorted(wanted - referenced(wanted))
            for sha in gone:
                self.blob_path(sha).unlink(missing_ok=True)
            return gone
        finally:
            os.close(fd)

    def commit(self, staged: StagedFile) -> bool:
        """Move a staged file to its blob path, durably (fsync file and folder); True if this made the blob.

        Call it inside :meth:`naming`.
        """
        dest = self.blob_path(staged.sha256)
        if dest.exists():
            staged.tmp.unlink(missing_ok=True)
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        with staged.tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(staged.tmp, dest)
        dfd = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return True

    def discard(self, staged: list[StagedFile]) -> None:
        for f in staged:
            f.tmp.unlink(missing_ok=True)

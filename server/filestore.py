"""Received files: checked by content (server.filecheck), capped in size, stored content-addressed.

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
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from server.filecheck import FileRejected, check_content, clean_name

CHUNK = 1024 * 1024


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


@dataclass
class StagedFile:
    """An upload copied to ``tmp``; ``lock_fd`` holds a flock on it until it is committed or discarded,
    so the sweeper never takes a live upload for a dead server's leftover."""

    name: str
    size: int
    sha256: str
    content_type: str
    tmp: Path
    lock_fd: int = -1

    def release(self) -> None:
        if self.lock_fd >= 0:
            os.close(self.lock_fd)
            self.lock_fd = -1


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "blobs").mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        self.sweep_tmp()

    def sweep_tmp(self, grace_s: float = 5.0) -> int:
        """Remove temp files no live upload holds: what a killed server left mid-upload; how many.

        A live upload keeps a flock on its temp file; one nobody locks and untouched for
        ``grace_s`` (a new upload locks its file within microseconds) belongs to a dead process.
        """
        limit, removed = time.time() - grace_s, 0
        for p in (self.root / "tmp").iterdir():
            try:
                if p.stat().st_mtime > limit:
                    continue
                fd = os.open(p, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                p.unlink(missing_ok=True)
                removed += 1
            except OSError:  # BlockingIOError: a live upload holds it
                pass
            finally:
                os.close(fd)
        return removed

    def blob_path(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256[:2] / sha256

    def stage(self, src: BinaryIO, name: str | None, field: str, max_bytes: int) -> StagedFile:
        """Copy an upload to a locked temp file while hashing it; reject it by name, size or content."""
        clean = clean_name(name, field)
        fd, tmp = tempfile.mkstemp(dir=self.root / "tmp")
        fcntl.flock(fd, fcntl.LOCK_EX)  # ours alone: a new file nobody else has opened
        h, size, head = hashlib.sha256(), 0, b""
        try:
            with os.fdopen(fd, "wb", closefd=False) as out:
                while chunk := src.read(CHUNK):
                    if len(head) < 16:
                        head += chunk[:16]
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileRejected(413, f"file larger than {max_bytes} bytes", field)
                    h.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise FileRejected(415, "empty file", field)
            ctype = check_content(Path(tmp), head, field)
            return StagedFile(clean, size, h.hexdigest(), ctype, Path(tmp), fd)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            os.close(fd)
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
            staged.release()
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        with staged.tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(staged.tmp, dest)
        staged.release()
        dfd = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return True

    def discard(self, staged: list[StagedFile]) -> None:
        for f in staged:
            if f.lock_fd >= 0:  # not committed: the temp file is still ours
                f.tmp.unlink(missing_ok=True)
            f.release()

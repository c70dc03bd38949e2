"""A raw HTTP/1.1 client for huge generated bodies, and a watch on the bytes a process holds in temp files.

httpx would send a whole 300 MB body before reading the answer; this client watches for
the answer between chunks and stops sending as soon as the server has spoken, so a test
sees *when* the server answered (how much of the body it waited for).
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHUNK = 256 * 1024
STALL_S = 30.0  # no progress either way for this long: the server is stuck


@dataclass
class Answer:
    status: int | None
    sent: int  # body bytes handed to the socket before the answer came
    head: bytes


def _read_head(sock: socket.socket) -> bytes:
    sock.setblocking(True)
    sock.settimeout(STALL_S)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            got = sock.recv(65536)
            if not got:
                break
            data += got
    except (ConnectionError, socket.timeout):
        pass
    return data


def post_streamed(port: int, path: str, headers: dict[str, str], prefix: bytes, total: int, suffix: bytes = b"",
                  chunked: bool = False) -> Answer:
    """POST ``prefix`` + zeros + ``suffix`` (``total`` bytes in all), generated as it is sent."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=STALL_S)
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1"] + [f"{k}: {v}" for k, v in headers.items()]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    sock.setblocking(False)
    zeros = bytes(CHUNK)
    sent, pending = 0, b""
    last_progress = time.monotonic()
    try:
        while sent < total or pending:
            readable, writable, _ = select.select([sock], [sock], [], 1.0)
            if readable:
                break  # the server answered (or closed): stop sending
            if not writable:
                if time.monotonic() - last_progress > STALL_S:
                    return Answer(None, sent, b"")
                continue
            if not pending:
                if sent < len(prefix):
                    piece = prefix[sent:sent + CHUNK]
                elif sent < total - len(suffix):
                    piece = zeros[: min(CHUNK, total - len(suffix) - sent)]
                else:
                    piece = suffix[sent - (total - len(suffix)):]
                sent += len(piece)
                pending = b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece
                if chunked and sent >= total:
                    pending += b"0\r\n\r\n"
            try:
                n = sock.send(pending)
            except BlockingIOError:
                continue
            except OSError:
                break  # reset by the server: read what it said
            pending = pending[n:]
            last_progress = time.monotonic()
        head = _read_head(sock)
    finally:
        sock.close()
    try:
        status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else None
    except (IndexError, ValueError):
        status = None
    return Answer(status, sent, head)


class TempBytesWatch:
    """Peak bytes this process holds in deleted temp files and in ``folder``, sampled while it runs.

    Multipart uploads spool to unlinked temp files, which no directory listing shows;
    ``/proc/self/fd`` does.
    """

    def __init__(self, folder: Path, every_s: float = 0.005) -> None:
        self.folder, self.every_s = str(folder), every_s
        self.start = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
                if target.endswith(" (deleted)") or target.startswith(self.folder):
                    total += os.stat(f"/proc/self/fd/{fd}").st_size
            except OSError:
                continue
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                try:
                    total += os.stat(os.path.join(root, name)).st_size
                except OSError:
                    continue
        return total

    @property
    def grown(self) -> int:
        """Most bytes held at any moment beyond what was there at the start."""
        return self.peak - self.start

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.every_s)

    def __enter__(self) -> TempBytesWatch:
        self.start = self.peak = self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

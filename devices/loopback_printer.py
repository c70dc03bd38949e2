"""A "printer" on 127.0.0.1:PORT that records what it is sent (tests, benchmark, test print).

It speaks like a JetDirect port-9100 printer: it reads bytes, answers ``DLE EOT n``
status requests with a configurable byte (or stays silent like many real models),
and can misbehave on purpose — close the connection after N bytes (printer gone
mid-print) or stop reading (a stalled printer, so the sender's timeout fires).

    with LoopbackPrinter() as lp:
        printer = open_printer(lp.uri)
        …
        lp.wait_for_jobs(1)
        data = lp.received()
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["normal", "close_after", "stall"]

STATUS_OK = {1: 0x12, 2: 0x12, 4: 0x12}
STATUS_PAPER_OUT = {1: 0x12, 2: 0x12, 4: 0x12 | 0x60}
STATUS_COVER_OPEN = {1: 0x12, 2: 0x12 | 0x04, 4: 0x12}


@dataclass
class Connection:
    """One TCP connection's bytes and when the last of them arrived (``time.perf_counter``)."""

    data: bytearray = field(default_factory=bytearray)
    last_byte_at: float = 0.0
    closed: bool = False


class LoopbackPrinter:
    """A recording TCP printer on loopback; thread-based, stopped by :meth:`close`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, answer_status: dict[int, int] | None = None) -> None:
        self.mode: Mode = "normal"
        self.close_after = 0  # bytes, in close_after mode (per connection)
        self.answer_status = answer_status  # None: never answer DLE EOT (like many printers)
        self.connections: list[Connection] = []
        self._cond = threading.Condition()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._default_rcvbuf = self._sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        self._sock.bind((host, port))
        self._sock.listen(8)
        self.host, self.port = self._sock.getsockname()[:2]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept_thread = threading.Thread(target=self._accept, name="loopback-printer", daemon=True)
        self._accept_thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    # -- behaviour switches ------------------------------------------------

    def set_normal(self) -> None:
        self.mode = "normal"
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self._default_rcvbuf)

    def set_close_after(self, nbytes: int) -> None:
        """Drop each new connection once it has received ``nbytes`` (printer switched off mid-job)."""
        self.mode, self.close_after = "close_after", nbytes

    def set_stall(self) -> None:
        """Accept but never read, with a tiny receive window: the sender's write times out."""
        self.mode = "stall"
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)  # inherited by new connections

    # -- server --------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            record = Connection()
            with self._cond:
                self.connections.append(record)
            mode, limit = self.mode, self.close_after
            t = threading.Thread(target=self._serve, args=(conn, record, mode, limit), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket, record: Connection, mode: Mode, limit: int) -> None:
        try:
            if mode == "stall":
                self._stop.wait()
                return
            conn.settimeout(0.2)
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                if mode == "close_after":
                    chunk = chunk[: max(0, limit - len(record.data))]
                with self._cond:
                    record.data += chunk
                    record.last_byte_at = time.perf_counter()
                    self._cond.notify_all()
                if mode == "close_after" and len(record.data) >= limit:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    break  # RST: the sender sees the connection reset
                self._answer(conn, chunk)
        finally:
            try:
                conn.close()
            except OSError:
                pass
            with self._cond:
                record.closed = True
                self._cond.notify_all()

    def _answer(self, conn: socket.socket, chunk: bytes) -> None:
        if self.answer_status is None:
            return
        start = 0
        while (at := chunk.find(b"\x10\x04", start)) != -1 and at + 2 < len(chunk):
            conn.sendall(bytes((self.answer_status.get(chunk[at + 2], 0x12),)))
            start = at + 3

    # -- what was received ------------------------------------------------

    def received(self) -> bytes:
        """Every byte of every connection so far, in connection order."""
        with self._cond:
            return b"".join(bytes(c.data) for c in self.connections)

    def wait_closed(self, count: int = 1, timeout: float = 10.0) -> list[Connection]:
        """Wait until ``count`` connections have been closed by the sender (jobs complete)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while sum(1 for c in self.connections if c.closed) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"loopback printer: {count} closed connection(s) not seen in {timeout}s")
                self._cond.wait(left)
            return list(self.connections)

    def clear(self) -> None:
        with self._cond:
            self.connections.clear()

    def close(self) -> None:
        self._stop.set()
        try:
            self._sock.close()
        except OSError:
            pass
        for t in self._threads:
            t.join(timeout=2)
        self._accept_thread.join(timeout=2)

    def __enter__(self) -> "LoopbackPrinter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m devices.loopback_printer [PORT]``: record to stdout-reported files until Ctrl-C."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    lp = LoopbackPrinter(port=int(args[0]) if args else 9100, answer_status=STATUS_OK)
    print(f"loopback printer listening on {lp.uri}", file=sys.stderr)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        lp.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

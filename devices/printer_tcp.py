"""``tcp://host[:9100]`` — a network printer's raw port (JetDirect) through python-escpos' ``Network``.

One connection per job: a printer restarted between two citizens is simply reconnected. A job
counts as printed only when the printer took it (its side closed after our half-close, or nothing
left unacknowledged in our send queue), not when our kernel buffered it.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from devices.escpos_job import escpos_printers, paper_profile
from devices.printer import PrinterError
from devices.printer_base import STATUS_WAIT_S, EscposPrinter, first_byte

CONFIRM_QUIET_S = 1.0  # a printer that keeps the connection open: its queue must stay empty this long


class TcpPrinter(EscposPrinter):
    asks_status = True

    def __init__(self, uri: str, host: str, port: int = 9100, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.host = host
        self.port = int(port)

    def connect(self) -> Any:
        p = escpos_printers().Network(self.host, port=self.port, timeout=self.timeout_s,
                                      profile=paper_profile(self.paper_width_px))
        p.open()
        return p

    def ask(self, p: Any, request: bytes) -> int | None:
        sock: socket.socket = p.device
        sock.settimeout(STATUS_WAIT_S)
        try:
            return first_byte(p.query_status(request))
        except TimeoutError:
            return None
        finally:
            sock.settimeout(self.timeout_s)

    def finish(self, p: Any) -> None:
        """Half-close and wait for the printer to close its side (a JetDirect port does when the job is done).

        A reset means it went away mid-job. If it keeps the connection open, the job counts as
        delivered once nothing is left unacknowledged in our send queue (Linux SIOCOUTQ).
        """
        sock: socket.socket = p.device
        sock.shutdown(socket.SHUT_WR)
        start = time.monotonic()
        deadline = start + self.timeout_s
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, min(deadline - time.monotonic(), 0.25)))
            try:
                if not sock.recv(256):
                    return  # orderly close: every byte was read
            except TimeoutError:
                if unsent(sock) == 0 and time.monotonic() - start >= CONFIRM_QUIET_S:
                    return
        if unsent(sock):
            raise PrinterError("timeout", f"{self.uri}: the printer stopped taking data")


def unsent(sock: socket.socket) -> int:
    """Bytes still in the socket's send queue (not acknowledged by the peer); 0 if unknown."""
    try:
        import fcntl
        import struct
        import termios

        return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
    except (OSError, ImportError, AttributeError):
        return 0

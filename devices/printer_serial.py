"""``serial:///dev/ttyUSB0?baudrate=19200`` — a serial printer through python-escpos' ``Serial``.

python-escpos gives the port a read timeout; a write timeout is added on its pyserial port, so
a printer holding the line (flow control, no paper feed) fails the job instead of hanging it.
Status is asked on the same pyserial port with a one-byte read: python-escpos' ``query_status``
reads 16 bytes and so always waits for the whole timeout, even when the printer answered.
"""

from __future__ import annotations

from typing import Any

from devices.escpos_job import escpos_printers, paper_profile
from devices.printer_base import STATUS_WAIT_S, EscposPrinter, first_byte


class SerialPrinter(EscposPrinter):
    asks_status = True

    def __init__(self, uri: str, path: str, baudrate: int = 19200, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.path = path
        self.baudrate = int(baudrate)

    def connect(self) -> Any:
        p = escpos_printers().Serial(self.path, baudrate=self.baudrate, timeout=self.timeout_s,
                                     profile=paper_profile(self.paper_width_px))
        p.open()
        p.device.write_timeout = self.timeout_s
        return p

    def ask(self, p: Any, request: bytes) -> int | None:
        port = p.device
        port.reset_input_buffer()
        port.write(request)
        old, port.timeout = port.timeout, STATUS_WAIT_S
        try:
            return first_byte(port.read(1))
        finally:
            port.timeout = old

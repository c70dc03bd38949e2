"""What the kiosk asks of a receipt printer: the :class:`Printer` protocol, its status and its errors.

One class per transport implements it, each on python-escpos' own transport class
(``devices/printer_usb.py``, ``printer_tcp.py``, ``printer_serial.py``, ``printer_file.py``,
``printer_cups.py``, ``printer_dummy.py``, sharing ``printer_base.py``); ``devices.factory.open_printer``
picks one by URI. Vietnamese is printed as a 1-bit raster (``devices/escpos_job.py``) because code
pages do not carry it reliably. Status (``DLE EOT``) is best-effort: "unknown" never blocks printing;
failure is detected by the write itself and raised as :class:`PrinterError` with a ``kind`` the UI
can explain.

This module imports nothing from ``kiosk``, ``screens`` or ``server`` (nor python-escpos: the core
may import it for the error and status types without loading a driver).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

ErrorKind = Literal["offline", "timeout", "paper_out", "cover_open", "io", "config"]
StatusState = Literal["ok", "paper_low", "paper_out", "cover_open", "offline", "error", "unknown"]


class PrinterError(Exception):
    """The printer could not print: ``kind`` is offline | timeout | paper_out | cover_open | io | config."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself (``unknown`` when it cannot say)."""

    state: StatusState
    detail: str = ""

    @property
    def printable(self) -> bool:
        """False only when the printer positively reported it cannot print."""
        return self.state in ("ok", "paper_low", "unknown")


class Printer(Protocol):
    """A receipt printer. Every method is thread-safe, may block (call it from a worker) and raises
    only :class:`PrinterError`; the device is opened on first use."""

    uri: str
    jobs: int  # jobs printed since this object was made

    def print_image(self, img: Any, cut: bool = True) -> int:
        """Print an image as a 1-bit raster (thresholded, never dithered); returns the bytes sent.

        A job that raised must be treated as not printed.
        """
        ...

    def status(self) -> PrinterStatus:
        """Ask the printer where the transport allows; ``unknown`` otherwise. Never raises."""
        ...

    def close(self) -> None:
        """Release the device (a later job opens it again)."""
        ...

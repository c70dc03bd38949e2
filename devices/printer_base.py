"""What every transport shares: one lock, the open python-escpos object, status asked once, errors translated.

A transport subclass says how python-escpos' transport object is made and opened
(:meth:`EscposPrinter.connect`), how one status byte is asked (:meth:`EscposPrinter.ask`, where the
transport can read), how the job goes out (:meth:`EscposPrinter.send`, by default python-escpos' own
commands on that object) and how the job is known to have left (:meth:`EscposPrinter.finish`).
"""

from __future__ import annotations

import errno
import logging
import threading
from typing import Any

from devices.escpos_job import (
    BAND_HEIGHT,
    DLE_EOT,
    PAPER_WIDTH_PX,
    STATUS_REQUESTS,
    compose,
    job_size,
    status_from,
    valid_answer,
)
from devices.printer import ErrorKind, PrinterError, PrinterStatus

log = logging.getLogger(__name__)
STATUS_WAIT_S = 0.3  # how long a printer may take to answer one DLE EOT


class EscposPrinter:
    """A :class:`devices.printer.Printer` over one python-escpos transport object."""

    #: DLE EOT can be asked on this transport (it reads as well as writes)
    asks_status = False
    #: the connection stays open between jobs (USB: configured once; dummy: keeps its bytes)
    keeps_connection = False

    def __init__(self, uri: str, timeout_s: float = 5.0, paper_width_px: int = PAPER_WIDTH_PX,
                 band_height: int = BAND_HEIGHT) -> None:
        self.uri = uri
        self.timeout_s = float(timeout_s)
        self.paper_width_px = int(paper_width_px)
        self.band_height = int(band_height)
        self.jobs = 0
        self._lock = threading.Lock()
        self._open_printer: Any = None  # the open python-escpos object
        self._answers_status: bool | None = None if self.asks_status else False

    # ------------------------------------------------------------ for transports

    def connect(self) -> Any:
        """Make and open python-escpos' transport object (raise on failure)."""
        raise NotImplementedError

    def ask(self, p: Any, request: bytes) -> int | None:
        """Send one DLE EOT request and return the answer byte, or None when the printer stays silent."""
        return None

    def send(self, p: Any, img: Any, cut: bool) -> int:
        """Send the job; returns the bytes sent. Default: python-escpos' commands on ``p``."""
        compose(p, img, cut, self.band_height)
        return job_size(img.width, img.height, cut, self.band_height)

    def finish(self, p: Any) -> None:
        """Make sure the job left (TCP: the printer took it; CUPS: ``lp`` queued it)."""

    def idle_status(self) -> PrinterStatus:
        """The status of a transport that cannot ask (file, CUPS) or need not (dummy)."""
        return PrinterStatus("unknown", "this transport cannot report status")

    # ------------------------------------------------------------ Printer

    def print_image(self, img: Any, cut: bool = True) -> int:
        if img.width > self.paper_width_px:
            raise PrinterError("config", f"{self.uri}: picture {img.width} px wide, paper {self.paper_width_px} px")
        with self._lock:
            p = self._connected()
            try:
                if self._answers_status is not False:
                    status = self._query(p)  # on the job's own connection; silent printers are asked once
                    if not status.printable:
                        raise status_error(status)
                sent = self.send(p, img, cut)
                self.finish(p)
            except Exception as e:
                self._drop()
                raise translate(e, self.uri) from None
            if not self.keeps_connection:
                self._drop()
            self.jobs += 1
            return sent

    def status(self) -> PrinterStatus:
        if not self.asks_status:
            return self.idle_status()
        with self._lock:
            try:
                p = self._connected()
                try:
                    if self._answers_status is False:  # asked once, silent: reachable is all we can know
                        return PrinterStatus("unknown", "the printer does not answer status requests")
                    return self._query(p)
                finally:
                    if not self.keeps_connection:
                        self._drop()
            except Exception as e:
                self._drop()
                err = translate(e, self.uri)
                return PrinterStatus("offline" if err.kind in ("offline", "timeout") else "error", err.message)

    def close(self) -> None:
        with self._lock:
            self._drop()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.uri!r})"

    # ------------------------------------------------------------ inside

    def _connected(self) -> Any:
        if self._open_printer is None:
            try:
                self._open_printer = self.connect()
            except Exception as e:
                raise translate(e, self.uri) from None
        return self._open_printer

    def _drop(self) -> None:
        p, self._open_printer = self._open_printer, None
        if p is None:
            return
        try:
            p.close()
        except Exception as e:  # closing a broken connection must not hide the real error
            log.debug("printer close: %s", e)

    def _query(self, p: Any) -> PrinterStatus:
        answers: dict[int, int] = {}
        for n in STATUS_REQUESTS:
            answer = self.ask(p, DLE_EOT + bytes((n,)))
            if answer is None or not valid_answer(answer):
                self._answers_status = False
                return PrinterStatus("unknown", "the printer does not answer status requests")
            answers[n] = answer
        self._answers_status = True
        return status_from(answers)


def status_error(status: PrinterStatus) -> PrinterError:
    """The error for a printer that reported it cannot print."""
    state = status.state
    kind: ErrorKind = state if state in ("paper_out", "cover_open", "offline") else "io"  # type: ignore[assignment]
    return PrinterError(kind, status.detail or f"printer reports {state}")


def first_byte(data: bytes | None) -> int | None:
    return data[0] if data else None


def _timeouts() -> tuple[type[BaseException], ...]:
    """The transports' own timeout errors (pyserial's and pyusb's are not TimeoutError)."""
    found: list[type[BaseException]] = [TimeoutError]
    try:
        from serial import SerialTimeoutException

        found.append(SerialTimeoutException)
    except ImportError:
        pass
    try:
        from usb.core import USBTimeoutError

        found.append(USBTimeoutError)
    except ImportError:
        pass
    return tuple(found)


def translate(e: BaseException, uri: str) -> PrinterError:
    """Map transport exceptions to the few kinds the kiosk explains to the citizen."""
    from escpos.exceptions import DeviceNotFoundError, ImageWidthError

    if isinstance(e, PrinterError):
        return e
    if isinstance(e, _timeouts()):
        return PrinterError("timeout", f"{uri}: the printer did not take the data in time")
    if isinstance(e, DeviceNotFoundError):
        text = str(e)
        kind: ErrorKind = "timeout" if "timed out" in text else "offline"
        return PrinterError(kind, f"{uri}: cannot connect ({text.splitlines()[-1].strip() if text else 'not found'})")
    if isinstance(e, ImageWidthError):
        return PrinterError("config", f"{uri}: the picture is wider than the paper ({e})")
    if isinstance(e, (ConnectionError, BrokenPipeError)):
        return PrinterError("offline", f"{uri}: the connection was lost ({e})")
    if isinstance(e, PermissionError):
        return PrinterError("io", f"{uri}: permission denied ({e.strerror or e})")
    if isinstance(e, OSError):
        if e.errno in (errno.ENODEV, errno.ENXIO, errno.ENOENT, errno.EIO, errno.EPIPE):
            return PrinterError("offline", f"{uri}: device not available ({e.strerror or e})")
        if e.errno == errno.ENOSPC:
            return PrinterError("io", f"{uri}: no space left")
        return PrinterError("io", f"{uri}: {e.strerror or e}")
    if isinstance(e, AssertionError):  # python-escpos' way of saying "no device"
        return PrinterError("offline", f"{uri}: not connected")
    return PrinterError("io", f"{uri}: {type(e).__name__}: {e}")

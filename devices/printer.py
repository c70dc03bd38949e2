"""Thermal receipt printers over python-escpos transports, chosen by URI.

    usb://04b8:0202?interface=0&in_ep=0x82&out_ep=0x01   pyusb; kernel usblp detached, configured once
    tcp://10.0.0.5:9100                                   raw socket (JetDirect); one connection per job
    serial:///dev/ttyUSB0?baudrate=19200                  pyserial, read and write timeouts
    file:/var/lib/kiosk/out.bin   file:///dev/usb/lp0     a file or a character device; one job per open
    cups://QUEUE                                          a CUPS raw queue, through ``lp -o raw``
    dummy:                                                keeps the bytes in memory (``Printer.output``)

Vietnamese is printed as a 1-bit raster (``GS v 0``) sent in bands so that cheap USB
printers do not time out on one huge command. Status (``DLE EOT``) is best-effort:
"unknown" never blocks printing; failure is detected by the write itself and
raised as :class:`PrinterError` with a ``kind`` the UI can explain.

This module imports nothing from ``kiosk``, ``screens`` or ``server``.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

# Without a fixed cache dir every import of escpos leaves a /tmp/tmpXXXX folder behind.
os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(tempfile.gettempdir()) / "motcua-kiosk-escpos")
)

log = logging.getLogger(__name__)

ErrorKind = Literal["offline", "timeout", "paper_out", "cover_open", "io", "config"]
StatusState = Literal["ok", "paper_low", "paper_out", "cover_open", "offline", "error", "unknown"]

ESC, GS, DLE = b"\x1b", b"\x1d", b"\x10"
INIT = ESC + b"@"
BAND_HEIGHT = 128  # rows per GS v 0 command (576 px wide → 9 KB a band)
CUT_FEED_DOTS = 96  # GS V 66 n: feed to the cutter plus n dots, then cut


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


# ------------------------------------------------------------------ raster encoding


def raster_bytes(img: Any, band_height: int = BAND_HEIGHT) -> list[bytes]:
    """A 1-bit image → ``GS v 0`` commands, one per band of ``band_height`` rows.

    Black pixels (0) print. Width is padded to whole bytes with white.
    """
    from PIL import Image

    if img.mode != "1":
        img = img.convert("L").point(lambda v: 255 if v >= 128 else 0, mode="1")
    width, height = img.size
    width_bytes = (width + 7) // 8
    if width % 8:
        padded = Image.new("1", (width_bytes * 8, height), 255)
        padded.paste(img, (0, 0))
        img = padded
    # Mode "1" packs 8 px a byte, MSB first, 1 = white: invert to ESC/POS's 1 = dot.
    from PIL import ImageChops

    data = ImageChops.invert(img).tobytes()
    bands = []
    for top in range(0, height, band_height):
        rows = min(band_height, height - top)
        header = GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        bands.append(header + data[top * width_bytes:(top + rows) * width_bytes])
    return bands


def cut_bytes(feed_dots: int = CUT_FEED_DOTS) -> bytes:
    """Feed past the cutter and cut (GS V 66 n)."""
    return GS + b"V" + bytes((66, max(0, min(255, feed_dots))))


def job_bytes(img: Any, cut: bool = True, band_height: int = BAND_HEIGHT) -> list[bytes]:
    """Every chunk of one print job, in order: init, centre, raster bands, (cut)."""
    chunks = [INIT + ESC + b"a\x01"]
    chunks.extend(raster_bytes(img, band_height))
    chunks.append(ESC + b"a\x00" + (cut_bytes() if cut else ESC + b"d\x04"))
    return chunks


# ------------------------------------------------------------------ transports


def _escpos() -> Any:
    Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)
    import escpos.printer

    return escpos.printer


class _FileDevice:
    """A file or character device written with a deadline (a stuck /dev/usb/lp0 never hangs us)."""

    def __init__(self, path: str, timeout_s: float) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.fd: int | None = None

    def open(self) -> None:
        flags = os.O_WRONLY | os.O_NONBLOCK
        if not self.path.startswith("/dev/"):  # a plain file: one job per file (the last job is kept)
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            flags |= os.O_CREAT | os.O_TRUNC
        self.fd = os.open(self.path, flags, 0o644)

    def write(self, data: bytes) -> None:
        assert self.fd is not None
        deadline = time.monotonic() + self.timeout_s
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"write to {self.path} timed out")
            _, ready, _ = select.select([], [self.fd], [], left)
            if not ready:
                continue
            try:
                n = os.write(self.fd, view)
            except BlockingIOError:
                continue
            view = view[n:]

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            finally:
                self.fd = None


def _usb_class() -> Any:
    """python-escpos' Usb with the interface configurable and the device configured only once."""
    import usb.core

    base = _escpos().Usb

    class KioskUsb(base):  # type: ignore[misc, valid-type]
        interface = 0

        def _check_driver(self) -> None:
            try:
                if self.device.is_kernel_driver_active(self.interface):
                    self.device.detach_kernel_driver(self.interface)
            except NotImplementedError:
                pass
            except usb.core.USBError as e:
                log.warning("could not detach the kernel driver from the printer: %s", e)

        def _configure_usb(self) -> None:
            try:
                self.device.get_active_configuration()
            except usb.core.USBError:
                self.device.set_configuration()  # only when unconfigured: setting it again resets the printer

    return KioskUsb


class _CupsRaw:
    """A CUPS raw queue through ``lp -d QUEUE -o raw`` (no pycups build needed)."""

    def __init__(self, queue: str, timeout_s: float) -> None:
        self.queue = queue
        self.timeout_s = timeout_s
        self.buffer = bytearray()

    def open(self) -> None:
        if not shutil.which("lp"):
            raise PrinterError("offline", "CUPS is not installed (no `lp` command)")
        self.buffer.clear()

    def write(self, data: bytes) -> None:
        self.buffer += data

    def flush(self) -> None:
        try:
            done = subprocess.run(
                ["lp", "-d", self.queue, "-o", "raw", "-s"],
                input=bytes(self.buffer), capture_output=True, timeout=self.timeout_s, check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrinterError("timeout", f"CUPS queue {self.queue} did not accept the job in time") from None
        finally:
            self.buffer.clear()
        if done.returncode != 0:
            raise PrinterError("offline", f"CUPS queue {self.queue}: {done.stderr.decode(errors='replace').strip()}")

    def close(self) -> None:
        self.buffer.clear()


# ------------------------------------------------------------------ the printer


class Printer:
    """One printer; every method is thread-safe and raises only :class:`PrinterError`."""

    def __init__(self, uri: str, scheme: str, timeout_s: float, params: dict[str, Any]) -> None:
        self.uri = uri
        self.scheme = scheme
        self.timeout_s = timeout_s
        self.params = params
        self._lock = threading.Lock()
        self._dev: Any = None  # a python-escpos printer, _FileDevice or _CupsRaw
        self._status_supported: bool | None = None if scheme in ("tcp", "serial", "usb") else False
        self.output = bytearray()  # dummy: everything "printed"
        self.jobs = 0

    # -- connection ---------------------------------------------------------

    @property
    def keeps_connection(self) -> bool:
        """USB stays open (configure once); dummy keeps its buffer; the rest open per job."""
        return self.scheme in ("usb", "dummy")

    def _make(self) -> Any:
        p, t = self.params, self.timeout_s
        if self.scheme == "tcp":
            return _escpos().Network(p["host"], port=p["port"], timeout=t)
        if self.scheme == "serial":
            return _escpos().Serial(p["path"], baudrate=p["baudrate"], timeout=t)
        if self.scheme == "usb":
            dev = _usb_class()(p["vid"], p["pid"], timeout=int(t * 1000), in_ep=p["in_ep"], out_ep=p["out_ep"])
            dev.interface = p["interface"]
            return dev
        if self.scheme == "file":
            return _FileDevice(p["path"], t)
        if self.scheme == "cups":
            return _CupsRaw(p["queue"], t)
        return _escpos().Dummy()

    def _open(self) -> Any:
        if self._dev is not None:
            return self._dev
        dev = self._make()
        try:
            dev.open()
            if self.scheme == "serial" and getattr(dev, "device", None) is not None:
                dev.device.write_timeout = self.timeout_s
        except PrinterError:
            raise
        except Exception as e:
            raise _translate(e, self.uri) from None
        self._dev = dev
        return dev

    def _drop(self) -> None:
        dev, self._dev = self._dev, None
        if dev is None:
            return
        try:
            dev.close()
        except Exception as e:  # closing a broken connection must not hide the real error
            log.debug("printer close: %s", e)

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _write(self, dev: Any, data: bytes) -> None:
        if isinstance(dev, (_FileDevice, _CupsRaw)):
            dev.write(data)
        else:
            dev._raw(data)
            if self.scheme == "dummy":
                self.output += data

    # -- printing -----------------------------------------------------------

    def print_image(self, img: Any, cut: bool = True, band_height: int = BAND_HEIGHT) -> int:
        """Print a 1-bit image (any image is thresholded, never dithered); returns bytes sent.

        Raises :class:`PrinterError` when the printer reported it cannot print or a
        write failed; a job that raised must be treated as not printed.
        """
        return self.print_chunks(job_bytes(img, cut=cut, band_height=band_height))

    def print_chunks(self, chunks: list[bytes]) -> int:
        """Send raw ESC/POS chunks as one job (used for images and the technician's test page)."""
        with self._lock:
            dev = self._open()
            sent = 0
            try:
                if self._status_supported is not False and self.scheme != "dummy":
                    status = self._query(dev)  # on the job's own connection; silent printers are asked once
                    if not status.printable:
                        kind = status.state if status.state in ("paper_out", "cover_open", "offline") else "io"
                        raise PrinterError(kind, status.detail or f"printer reports {status.state}")  # type: ignore[arg-type]
                for chunk in chunks:
                    self._write(dev, chunk)
                    sent += len(chunk)
                if isinstance(dev, _CupsRaw):
                    dev.flush()
                elif self.scheme == "tcp":
                    self._confirm_tcp(dev.device)
            except PrinterError:
                self._drop()
                raise
            except Exception as e:
                self._drop()
                raise _translate(e, self.uri) from None
            if not self.keeps_connection:
                self._drop()
            self.jobs += 1
            return sent

    def _confirm_tcp(self, sock: socket.socket) -> None:
        """Make sure the printer really took the job, not just our kernel's send buffer.

        Half-close and wait for the printer to close its side (a JetDirect port does
        when the job is done). A reset means it went away mid-job. If it keeps the
        connection open, the job counts as delivered only when nothing is left
        unacknowledged in our send queue (Linux SIOCOUTQ).
        """
        sock.shutdown(socket.SHUT_WR)
        start = time.monotonic()
        deadline = start + self.timeout_s
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, min(deadline - time.monotonic(), 0.25)))
            try:
                if not sock.recv(256):
                    return  # orderly close: every byte was read
            except socket.timeout:
                # Some printers keep the connection open: acknowledged bytes were taken.
                if _unsent(sock) == 0 and time.monotonic() - start >= 1.0:
                    return
        if _unsent(sock):
            raise PrinterError("timeout", f"{self.uri}: the printer stopped taking data")

    # -- status -------------------------------------------------------------

    def status(self) -> PrinterStatus:
        """Ask the printer (DLE EOT) where the transport allows; ``unknown`` otherwise. Never raises."""
        with self._lock:
            try:
                return self._status_locked()
            except PrinterError as e:
                return PrinterStatus("offline" if e.kind in ("offline", "timeout") else "error", e.message)

    def _status_locked(self) -> PrinterStatus:
        if self.scheme == "dummy":
            return PrinterStatus("ok")
        if self.scheme not in ("tcp", "serial", "usb"):
            return PrinterStatus("unknown", "this transport cannot report status")
        dev = self._open()
        try:
            return self._query(dev)
        finally:
            if not self.keeps_connection:
                self._drop()

    def _query(self, dev: Any) -> PrinterStatus:
        """DLE EOT 1 (online), 2 (cover), 4 (paper); no answer → unknown and don't ask again."""
        answers: dict[int, int] = {}
        for n in (1, 2, 4):
            b = self._ask(dev, DLE + b"\x04" + bytes((n,)))
            if b is None:
                self._status_supported = False
                return PrinterStatus("unknown", "the printer does not answer status requests")
            answers[n] = b
        self._status_supported = True
        if answers[4] & 0x60:
            return PrinterStatus("paper_out", "out of paper")
        if answers[2] & 0x04:
            return PrinterStatus("cover_open", "cover open")
        if answers[1] & 0x08:
            return PrinterStatus("offline", "printer offline")
        if answers[4] & 0x0C:
            return PrinterStatus("paper_low", "paper near end")
        return PrinterStatus("ok")

    def _ask(self, dev: Any, request: bytes, wait_s: float = 0.3) -> int | None:
        try:
            if self.scheme == "tcp":
                sock: socket.socket = dev.device
                sock.sendall(request)
                sock.settimeout(wait_s)
                try:
                    data = sock.recv(1)
                finally:
                    sock.settimeout(self.timeout_s)
            elif self.scheme == "serial":
                ser = dev.device
                ser.write(request)
                old, ser.timeout = ser.timeout, wait_s
                try:
                    data = ser.read(1)
                finally:
                    ser.timeout = old
            else:
                dev._raw(request)
                data = bytes(dev.device.read(dev.in_ep, 1, int(wait_s * 1000)))
        except (socket.timeout, TimeoutError):
            return None
        except Exception as e:
            if self.scheme == "usb" and "timeout" in str(e).lower():
                return None
            raise _translate(e, self.uri) from None
        return data[0] if data else None

    def __repr__(self) -> str:
        return f"Printer({self.uri!r})"


def _unsent(sock: socket.socket) -> int:
    """Bytes still in the socket's send queue (not acknowledged by the peer); 0 if unknown."""
    try:
        import fcntl
        import struct
        import termios

        return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
    except (OSError, ImportError, AttributeError):
        return 0


def _translate(e: BaseException, uri: str) -> PrinterError:
    """Map transport exceptions to the few kinds the kiosk explains to the citizen."""
    from escpos.exceptions import DeviceNotFoundError

    if isinstance(e, PrinterError):
        return e
    if isinstance(e, (socket.timeout, TimeoutError)) or type(e).__name__ in ("SerialTimeoutException", "USBTimeoutError"):
        return PrinterError("timeout", f"{uri}: the printer did not take the data in time")
    if isinstance(e, DeviceNotFoundError):
        text = str(e)
        kind: ErrorKind = "timeout" if "timed out" in text else "offline"
        return PrinterError(kind, f"{uri}: cannot connect ({text.splitlines()[-1].strip() if text else 'not found'})")
    if isinstance(e, (ConnectionError, BrokenPipeError)):
        return PrinterError("offline", f"{uri}: the connection was lost ({e})")
    if isinstance(e, PermissionError):
        return PrinterError("io", f"{uri}: permission denied ({e.strerror or e})")
    if isinstance(e, OSError):
        if e.errno in (errno.ENODEV, errno.ENXIO, errno.ENOENT, errno.EIO):
            return PrinterError("offline", f"{uri}: device not available ({e.strerror or e})")
        if e.errno == errno.ENOSPC:
            return PrinterError("io", f"{uri}: no space left")
        return PrinterError("io", f"{uri}: {e.strerror or e}")
    if isinstance(e, AssertionError):  # python-escpos' way of saying "no device"
        return PrinterError("offline", f"{uri}: not connected")
    return PrinterError("io", f"{uri}: {type(e).__name__}: {e}")


# ------------------------------------------------------------------ URIs


def _int(value: str) -> int:
    return int(value, 0)


def parse_uri(uri: str, **opts: Any) -> tuple[str, dict[str, Any]]:
    """``uri`` → (scheme, params); options override the URI's query. PrinterError("config") if bad."""
    scheme, _, rest = uri.partition(":")
    scheme = scheme.lower()
    try:
        if scheme == "dummy":
            return "dummy", {}
        if scheme == "file":
            path = unquote(rest[2:] if rest.startswith("//") else rest)
            if not path:
                raise ValueError("file: needs a path")
            return "file", {"path": path}
        parts = urlsplit(uri)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if scheme == "tcp":
            if not parts.hostname:
                raise ValueError("tcp:// needs a host")
            return "tcp", {"host": parts.hostname, "port": parts.port or 9100}
        if scheme == "serial":
            path = unquote(parts.path or parts.netloc)
            if not path:
                raise ValueError("serial:// needs a device path")
            return "serial", {"path": path, "baudrate": int(opts.get("baudrate") or query.get("baudrate", 19200))}
        if scheme == "usb":
            vid, _, pid = parts.netloc.partition(":")
            return "usb", {
                "vid": int(vid, 16),
                "pid": int(pid, 16),
                "interface": int(opts.get("usb_interface", query.get("interface", 0))),
                "in_ep": _int(str(opts.get("usb_in_ep", query.get("in_ep", "0x82")))),
                "out_ep": _int(str(opts.get("usb_out_ep", query.get("out_ep", "0x01")))),
            }
        if scheme == "cups":
            queue = unquote(parts.netloc or parts.path.strip("/"))
            if not queue:
                raise ValueError("cups:// needs a queue name")
            return "cups", {"queue": queue}
    except ValueError as e:
        raise PrinterError("config", f"bad printer URI {uri!r}: {e}") from None
    raise PrinterError("config", f"unknown printer URI {uri!r} (usb://, tcp://, serial://, file:, cups://, dummy:)")


def open_printer(uri: str, timeout_s: float = 5, **opts: Any) -> Printer:
    """A :class:`Printer` for ``uri``. The device itself is opened on first use (lazily).

    ``opts``: ``usb_interface``, ``usb_in_ep``, ``usb_out_ep``, ``baudrate`` override the URI.
    """
    scheme, params = parse_uri(uri, **opts)
    return Printer(uri, scheme, float(timeout_s), params)

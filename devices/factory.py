"""Device URIs → drivers: :func:`open_printer` and :func:`open_camera`, the only place that knows the schemes.

Printers (DESIGN.md "Devices")::

    usb://04b8:0202?interface=0&in_ep=0x82&out_ep=0x01   devices.printer_usb.UsbPrinter
    tcp://10.0.0.5[:9100]                                 devices.printer_tcp.TcpPrinter
    serial:///dev/ttyUSB0?baudrate=19200                  devices.printer_serial.SerialPrinter
    file:/var/lib/kiosk/out.bin   file:///dev/usb/lp0     devices.printer_file.FilePrinter
    cups://QUEUE                                          devices.printer_cups.CupsPrinter
    dummy:                                                devices.printer_dummy.DummyPrinter

Cameras::

    opencv:0 | opencv:/dev/video2                         devices.camera_opencv.OpenCVCamera (any backend)
    v4l2:/dev/video0 | v4l2:0                             the same with OpenCV's V4L2 backend
    files:DIR|IMAGE|VIDEO[?hold=S&loop=0]                 devices.camera_files.FilesCamera (simulator)
    sane:[device][?resolution=&mode=&a4=&timeout=]        devices.flatbed.FlatbedScanner
    none:                                                 devices.camera.NoCamera

Contactless ID-card readers::

    pcsc:[reader name pattern]                            devices.card_reader_pcsc.PcscCardReader (pcscd)
    none:                                                 devices.card_reader.NoCardReader

A new driver is one more ``case`` here. The driver modules import their heavy libraries
(python-escpos, pyusb, OpenCV) only when a device is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from devices.camera import Camera, CameraError, NoCamera
from devices.camera_files import FilesCamera
from devices.camera_opencv import OpenCVCamera
from devices.card_reader import CardReader, CardReaderConfigError, NoCardReader
from devices.card_reader_pcsc import PcscCardReader
from devices.flatbed import FlatbedScanner
from devices.printer import Printer, PrinterError
from devices.printer_cups import CupsPrinter
from devices.printer_dummy import DummyPrinter
from devices.printer_file import FilePrinter
from devices.printer_serial import SerialPrinter
from devices.printer_tcp import TcpPrinter
from devices.printer_usb import UsbPrinter

PRINTER_SCHEMES = ("usb", "tcp", "serial", "file", "cups", "dummy")
CAMERA_SCHEMES = ("opencv", "v4l2", "files", "sane", "none")
CARD_READER_SCHEMES = ("pcsc", "none")

# ------------------------------------------------------------------ printers


def parse_printer_uri(uri: str, **opts: Any) -> tuple[str, dict[str, Any]]:
    """``uri`` → (scheme, params); ``opts`` override the URI's query. PrinterError("config") if bad."""
    scheme, _, rest = uri.partition(":")
    scheme = scheme.lower()
    try:
        if scheme == "dummy":
            return "dummy", {}
        if scheme == "file":
            path = unquote(rest.removeprefix("//"))
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
                "in_ep": int(str(opts.get("usb_in_ep", query.get("in_ep", "0x82"))), 0),
                "out_ep": int(str(opts.get("usb_out_ep", query.get("out_ep", "0x01"))), 0),
            }
        if scheme == "cups":
            queue = unquote(parts.netloc or parts.path.strip("/"))
            if not queue:
                raise ValueError("cups:// needs a queue name")
            return "cups", {"queue": queue}
    except ValueError as e:
        raise PrinterError("config", f"bad printer URI {uri!r}: {e}") from None
    raise PrinterError("config", f"unknown printer URI {uri!r} (usb://, tcp://, serial://, file:, cups://, dummy:)")


def open_printer(uri: str, timeout_s: float = 5, paper_width_px: int = 576, **opts: Any) -> Printer:
    """The printer for ``uri``; the device itself is opened on first use.

    ``opts``: ``usb_interface``, ``usb_in_ep``, ``usb_out_ep``, ``baudrate`` override the URI.
    """
    scheme, params = parse_printer_uri(uri, **opts)
    common: dict[str, Any] = {"timeout_s": float(timeout_s), "paper_width_px": int(paper_width_px)}
    match scheme:
        case "usb":
            return UsbPrinter(uri, **params, **common)
        case "tcp":
            return TcpPrinter(uri, **params, **common)
        case "serial":
            return SerialPrinter(uri, **params, **common)
        case "file":
            return FilePrinter(uri, **params, **common)
        case "cups":
            return CupsPrinter(uri, **params, **common)
        case _:
            return DummyPrinter(uri, **common)


# ------------------------------------------------------------------ cameras


def parse_camera_uri(uri: str) -> tuple[str, str, dict[str, str]]:
    """``files:dir?hold=1`` → ("files", "dir", {"hold": "1"})."""
    scheme, sep, rest = uri.partition(":")
    if not sep:
        raise CameraError(f"camera URI needs a scheme ({', '.join(s + ':' for s in CAMERA_SCHEMES)}): {uri!r}")
    rest, _, qs = rest.partition("?")
    rest = rest.removeprefix("//")
    query = {k: v[-1] for k, v in parse_qs(qs).items()}
    return scheme.lower(), rest, query


def _device(rest: str) -> int | str:
    rest = rest.strip()
    return int(rest) if rest.isdigit() else rest


def _off(value: str) -> bool:
    return value in {"0", "false", "no"}


def open_camera(uri: str, width: int = 1280, height: int = 720, fps: float = 15) -> Camera:
    """A camera for ``uri`` (not started). Raises :class:`CameraError` for an unknown scheme or a bad URI."""
    scheme, rest, query = parse_camera_uri(uri or "none:")
    size: dict[str, Any] = {"width": width, "height": height, "fps": fps}
    try:
        match scheme:
            case "opencv":
                return OpenCVCamera(uri, _device(rest or "0"), **size)
            case "v4l2":
                import cv2

                return OpenCVCamera(uri, _device(rest or "/dev/video0"), api=cv2.CAP_V4L2, **size)
            case "files":
                if not rest:
                    raise CameraError("files: needs a folder, an image or a video")
                hold = float(query["hold"]) if "hold" in query else None
                return FilesCamera(uri, Path(rest), hold_s=hold, loop=not _off(query.get("loop", "1")), **size)
            case "sane":
                return FlatbedScanner(uri, device=rest, resolution=int(query.get("resolution", 300)),
                                      mode=query.get("mode", "Color"), a4=not _off(query.get("a4", "1")),
                                      timeout_s=float(query.get("timeout", 120)), **size)
            case "none":
                return NoCamera(uri)
    except ValueError as e:
        raise CameraError(f"bad camera URI {uri!r}: {e}") from None
    raise CameraError(f"unknown camera scheme {scheme!r} (known: {', '.join(CAMERA_SCHEMES)})")


# ------------------------------------------------------------------ ID-card readers


def open_card_reader(uri: str) -> CardReader:
    """The card reader for ``uri`` (``pcsc:PATTERN`` or ``none:``); nothing is opened until first use."""
    scheme, sep, rest = (uri or "none:").partition(":")
    match scheme.lower() if sep else "":
        case "pcsc":
            return PcscCardReader(uri, unquote(rest.removeprefix("//")))
        case "none":
            return NoCardReader(uri)
    raise CardReaderConfigError(f"unknown card reader URI {uri!r} (known: pcsc:[pattern], none:)")

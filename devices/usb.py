"""USB device discovery with pyusb: printers first, with clear messages when the OS is in the way.

Why here and not in the printer driver: the technician needs the list *before* a
printer is configured (to pick one), and ``kiosk usb`` must explain the two
usual failures on a fresh kiosk — libusb not installed, or no permission on
``/dev/bus/usb`` — naming the udev rule shipped in ``config/udev/``.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

UDEV_RULE = "config/udev/60-motcua-kiosk.rules"
UDEV_HINT = (
    f"install the udev rule: sudo cp {UDEV_RULE} /etc/udev/rules.d/ && "
    "sudo udevadm control --reload && sudo udevadm trigger; add the kiosk user to group lp "
    "(sudo usermod -aG lp kiosk) and log in again"
)
LIBUSB_HINT = "libusb-1.0 is not installed: sudo apt-get install libusb-1.0-0"

USB_CLASS_PRINTER = 7
USB_CLASS_NAMES = {
    0: "per-interface", 1: "audio", 2: "communications", 3: "HID", 6: "image", 7: "printer",
    8: "mass storage", 9: "hub", 10: "CDC data", 14: "video", 0xE0: "wireless", 0xEF: "misc", 0xFF: "vendor",
}
# Vendors of the receipt printers sold for kiosks in Vietnam. Many cheap models report class 0xFF
# (vendor-specific) instead of 7, so the vendor id is the only hint. Heuristic, not a guarantee.
PRINTER_VENDORS: dict[int, str] = {
    0x04B8: "Epson",
    0x0519: "Star Micronics",
    0x1504: "Bixolon",
    0x1D90: "Citizen",
    0x2730: "Citizen",
    0x0DD4: "Custom",
    0x154F: "SNBC",
    0x0FE6: "ICS Advent (POS-58/80 clones)",
    0x0416: "Winbond (Xprinter / POS-58 clones)",
    0x28E9: "GigaDevice (Xprinter clones)",
    0x1FC9: "NXP (Xprinter clones)",
    0x20D1: "Rongta",
}


class UsbUnavailable(Exception):
    """USB cannot be listed at all; ``kind`` is ``no_libusb`` or ``permission``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class UsbDevice:
    """One USB device as the technician sees it."""

    vid: int
    pid: int
    bus: int | None = None
    address: int | None = None
    device_class: int = 0
    interface_classes: list[int] = field(default_factory=list)
    manufacturer: str = ""
    product: str = ""
    serial: str = ""
    printer: bool = False
    printer_reason: str = ""  # "class 7" | "vendor Epson"
    interface: int | None = None  # the printer interface number
    out_ep: int | None = None  # bulk OUT endpoint address
    in_ep: int | None = None  # bulk IN endpoint address (status), if any
    access_denied: bool = False  # strings unreadable: udev rule missing

    @property
    def id(self) -> str:
        return f"{self.vid:04x}:{self.pid:04x}"

    @property
    def uri(self) -> str:
        """The printer URI for the kiosk config (``usb://04b8:0202``)."""
        return f"usb://{self.id}"

    @property
    def class_name(self) -> str:
        classes = [self.device_class] if self.device_class else sorted(set(self.interface_classes))
        return ", ".join(USB_CLASS_NAMES.get(c, f"0x{c:02x}") for c in classes) or "unknown"

    @property
    def label(self) -> str:
        name = " ".join(x for x in (self.manufacturer, self.product) if x)
        if not name:
            name = PRINTER_VENDORS.get(self.vid, "")
        return name or "(no name)"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(id=self.id, uri=self.uri, class_name=self.class_name, label=self.label)
        return d


def _string(dev: Any, attr: str) -> tuple[str, bool]:
    """Read a string descriptor; (text, denied). Reading one opens the device, which needs permission."""
    try:
        return (getattr(dev, attr) or "").strip(), False
    except ValueError:  # the device has no such string, or langid unreadable (often permissions)
        return "", False
    except Exception as e:  # usb.core.USBError is an IOError with errno
        denied = getattr(e, "errno", None) in (errno.EACCES, errno.EPERM) or "Access denied" in str(e)
        return "", denied


def _describe(dev: Any) -> UsbDevice:
    d = UsbDevice(
        vid=int(dev.idVendor),
        pid=int(dev.idProduct),
        bus=getattr(dev, "bus", None),
        address=getattr(dev, "address", None),
        device_class=int(getattr(dev, "bDeviceClass", 0) or 0),
    )
    printer_intf = None
    try:
        for cfg in dev:
            for intf in cfg:
                cls = int(intf.bInterfaceClass)
                d.interface_classes.append(cls)
                if cls == USB_CLASS_PRINTER and printer_intf is None:
                    printer_intf = intf
        if printer_intf is None and d.vid in PRINTER_VENDORS:
            printer_intf = next((i for c in dev for i in c), None)
    except Exception:  # descriptors unreadable: keep the ids
        pass
    if d.device_class == USB_CLASS_PRINTER or USB_CLASS_PRINTER in d.interface_classes:
        d.printer, d.printer_reason = True, "class 7"
    elif d.vid in PRINTER_VENDORS:
        d.printer, d.printer_reason = True, f"vendor {PRINTER_VENDORS[d.vid]}"
    if d.printer and printer_intf is not None:
        d.interface = int(printer_intf.bInterfaceNumber)
        for ep in printer_intf:
            addr, attrs = int(ep.bEndpointAddress), int(ep.bmAttributes)
            if attrs & 0x3 != 2:  # bulk only
                continue
            if addr & 0x80 and d.in_ep is None:
                d.in_ep = addr
            elif not addr & 0x80 and d.out_ep is None:
                d.out_ep = addr
    for attr in ("manufacturer", "product", "serial_number"):
        text, denied = _string(dev, attr)
        d.access_denied |= denied
        setattr(d, "serial" if attr == "serial_number" else attr, text)
    return d


def _default_backend(find_library: Callable[[str], Any] | None) -> Any:
    try:
        import usb.backend.libusb1 as libusb1
    except ImportError:  # pragma: no cover - pyusb is a dependency
        raise UsbUnavailable("no_libusb", "pyusb is not installed: pip install pyusb") from None
    backend = libusb1.get_backend(find_library=find_library) if find_library else libusb1.get_backend()
    if backend is None:
        raise UsbUnavailable("no_libusb", LIBUSB_HINT)
    return backend


def list_devices(
    devices: Iterable[Any] | None = None,
    find_library: Callable[[str], Any] | None = None,
) -> list[UsbDevice]:
    """All USB devices, printers first, then by bus/address. Hubs are left out.

    ``devices`` lets a test pass device objects shaped like pyusb's; otherwise
    libusb is asked. Raises :class:`UsbUnavailable` with an actionable message.
    """
    if devices is None:
        import usb.core

        backend = _default_backend(find_library)
        try:
            devices = list(usb.core.find(find_all=True, backend=backend))
        except usb.core.NoBackendError:
            raise UsbUnavailable("no_libusb", LIBUSB_HINT) from None
        except usb.core.USBError as e:
            if e.errno in (errno.EACCES, errno.EPERM):
                raise UsbUnavailable("permission", f"permission denied listing USB devices: {UDEV_HINT}") from None
            raise UsbUnavailable("error", f"USB error: {e}") from None
    out = [_describe(d) for d in devices]
    out = [d for d in out if d.device_class != 9]
    out.sort(key=lambda d: (not d.printer, d.bus or 0, d.address or 0))
    return out


def printers(devices: list[UsbDevice]) -> list[UsbDevice]:
    return [d for d in devices if d.printer]


def permission_problem(devices: list[UsbDevice]) -> str:
    """The udev hint when a printer's strings could not be read (the usual sign of a missing rule), else ''."""
    denied = [d.id for d in devices if d.printer and d.access_denied]
    return f"no permission on USB printer {', '.join(denied)}: {UDEV_HINT}" if denied else ""

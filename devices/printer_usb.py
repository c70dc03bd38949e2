"""``usb://VID:PID?interface=0&in_ep=0x82&out_ep=0x01`` — a USB printer through python-escpos' ``Usb``.

python-escpos' own ``Usb.open()`` detaches the kernel driver from interface 0 only and calls
``set_configuration()`` and ``reset()`` on every open, which resets many cheap printers mid-day.
So the kiosk finds the pyusb device itself, detaches ``usblp`` from the configured interface,
configures the device only when it is unconfigured, and hands it to ``Usb`` through its public
``device`` property. The connection stays open between jobs.
"""

from __future__ import annotations

import logging
from typing import Any

from devices.escpos_job import escpos_printers, paper_profile
from devices.printer import PrinterError
from devices.printer_base import STATUS_WAIT_S, EscposPrinter, first_byte

log = logging.getLogger(__name__)


class UsbPrinter(EscposPrinter):
    asks_status = True
    keeps_connection = True

    def __init__(self, uri: str, vid: int, pid: int, interface: int = 0, in_ep: int = 0x82, out_ep: int = 0x01,
                 **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.vid, self.pid = int(vid), int(pid)
        self.interface, self.in_ep, self.out_ep = int(interface), int(in_ep), int(out_ep)

    def connect(self) -> Any:
        import usb.core

        dev = usb.core.find(idVendor=self.vid, idProduct=self.pid)
        if dev is None:
            raise PrinterError("offline", f"{self.uri}: not found (unplugged, switched off, or another VID:PID)")
        detach_kernel_driver(dev, self.interface)
        configure_once(dev)
        p = escpos_printers().Usb(self.vid, self.pid, timeout=int(self.timeout_s * 1000), in_ep=self.in_ep,
                                  out_ep=self.out_ep, profile=paper_profile(self.paper_width_px))
        p.device = dev
        return p

    def ask(self, p: Any, request: bytes) -> int | None:
        import usb.core

        dev = p.device
        old, dev.default_timeout = dev.default_timeout, int(STATUS_WAIT_S * 1000)
        try:
            return first_byte(bytes(p.query_status(request)))
        except usb.core.USBTimeoutError:
            return None
        finally:
            dev.default_timeout = old


def detach_kernel_driver(dev: Any, interface: int) -> None:
    """Take the interface from the kernel's ``usblp`` (or CUPS' backend) if it holds it."""
    import usb.core

    try:
        if dev.is_kernel_driver_active(interface):
            dev.detach_kernel_driver(interface)
    except NotImplementedError:  # a libusb backend without it (not Linux)
        pass
    except usb.core.USBError as e:
        log.warning("could not detach the kernel driver from the printer: %s", e)


def configure_once(dev: Any) -> None:
    """Set the configuration only when there is none: setting it again resets the printer."""
    import usb.core

    try:
        dev.get_active_configuration()
    except usb.core.USBError:
        dev.set_configuration()

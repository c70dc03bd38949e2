"""`kiosk usb` on this machine (no printers) and the listing logic on pyusb-shaped descriptors."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devices.usb import UDEV_RULE, list_devices, permission_problem

ROOT = Path(__file__).resolve().parent.parent


class Ep:
    def __init__(self, addr: int, attrs: int = 2) -> None:
        self.bEndpointAddress, self.bmAttributes = addr, attrs


class Intf(list):
    def __init__(self, cls: int, number: int = 0, eps=()) -> None:
        super().__init__(eps)
        self.bInterfaceClass, self.bInterfaceNumber = cls, number


class Dev:
    """Shaped like usb.core.Device (iterates configurations → interfaces → endpoints).

    A USB printer cannot exist on this machine, so this stands in for the hardware only;
    the listing code under test is the real one.
    """

    def __init__(self, vid, pid, dev_class=0, intfs=(), names=("", ""), bus=1, address=2, denied=False) -> None:
        self.idVendor, self.idProduct, self.bDeviceClass = vid, pid, dev_class
        self._cfgs = [list(intfs)]
        self._names, self._denied = names, denied
        self.bus, self.address = bus, address

    def __iter__(self):
        return iter(self._cfgs)

    def _get(self, i):
        if self._denied:
            raise OSError(errno.EACCES, "Access denied (insufficient permissions)")
        return self._names[i]

    manufacturer = property(lambda self: self._get(0))
    product = property(lambda self: self._get(1))
    serial_number = property(lambda self: self._get(0) and "SN1")


@pytest.mark.slow
def test_kiosk_usb_runs_here_and_answers_cleanly():
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    out = subprocess.run([sys.executable, "-m", "kiosk", "usb"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    out = subprocess.run([sys.executable, "-m", "kiosk", "usb", "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    data = json.loads(out.stdout)
    assert isinstance(data["devices"], list)
    assert list_devices() == [] or all(d.vid for d in list_devices())


def test_printers_first_by_class_7_or_known_vendor_with_endpoints():
    devices = list_devices([
        Dev(0x046D, 0xC52B, intfs=[Intf(3)], names=("Logitech", "Receiver"), address=3),
        Dev(0x1D6B, 0x0002, dev_class=9, names=("Linux", "root hub")),
        Dev(0x0416, 0x5011, dev_class=0, intfs=[Intf(7, 0, [Ep(0x81), Ep(0x03)])], names=("Winbond", "POS58"), address=5),
        Dev(0x04B8, 0x0E28, intfs=[Intf(0xFF, 0, [Ep(0x82), Ep(0x01), Ep(0x83, attrs=3)])], names=("EPSON", "TM-T82III"), address=9),
    ])
    assert [d.id for d in devices] == ["0416:5011", "04b8:0e28", "046d:c52b"]  # hub left out
    pos58, epson, mouse = devices
    assert pos58.printer and pos58.printer_reason == "class 7" and (pos58.out_ep, pos58.in_ep) == (0x03, 0x81)
    assert epson.printer and epson.printer_reason == "vendor Epson" and (epson.out_ep, epson.in_ep) == (0x01, 0x82)
    assert epson.uri == "usb://04b8:0e28" and epson.label == "EPSON TM-T82III"
    assert not mouse.printer and mouse.class_name == "HID"


def test_permission_denied_names_the_udev_rule():
    devices = list_devices([Dev(0x0519, 0x0003, intfs=[Intf(7)], denied=True)])
    assert devices[0].printer and devices[0].access_denied and devices[0].label == "Star Micronics"
    hint = permission_problem(devices)
    assert "0519:0003" in hint and UDEV_RULE in hint and "lp" in hint
    assert (ROOT / UDEV_RULE).exists()


def test_missing_libusb_is_a_clear_message():
    # A fresh interpreter: pyusb caches the loaded libusb for the life of a process.
    code = (
        "from devices.usb import list_devices, UsbUnavailable\n"
        "try:\n    list_devices(find_library=lambda _name: None)\n"
        "except UsbUnavailable as e:\n    print(e.kind, '|', e.message)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    kind, _, message = out.stdout.partition(" | ")
    assert kind == "no_libusb" and "apt-get install libusb-1.0-0" in message

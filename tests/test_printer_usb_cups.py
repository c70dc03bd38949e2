"""USB and CUPS printers through python-escpos' ``Usb`` and ``LP``, with the hardware that cannot exist here stood in.

USB: ``usb.core.find`` returns a recording stand-in for a pyusb device (no printer can be plugged in
here); python-escpos' ``Usb`` writes the job to it. CUPS: ``lp``/``lpstat`` on ``$PATH`` are small
scripts that answer like CUPS with one raw queue and keep what ``lp`` was given. The bytes are decoded
back either way.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
import usb.core
from PIL import Image

from devices.escpos_decode import decode
from devices.escpos_job import job_bytes
from devices.factory import open_printer
from devices.printer import PrinterError


class FakeUsbPrinter:
    """A pyusb ``Device`` as python-escpos and the kiosk use it; answers DLE EOT like ``answers`` says."""

    def __init__(self, answers: dict[int, int] | None = None, configured: bool = False, driver: bool = True) -> None:
        self.answers = answers
        self.configured = configured
        self.driver_active = driver
        self.set_configuration_calls = 0
        self.detached: list[int] = []
        self.data = bytearray()
        self.last_request: bytes = b""
        self.default_timeout = 1000
        self.read_timeouts: list[int] = []
        self._ctx = self  # usb.util.dispose_resources(dev) calls dev._ctx.dispose(dev)

    def dispose(self, _dev: object) -> None:
        pass

    def is_kernel_driver_active(self, interface: int) -> bool:
        return self.driver_active

    def detach_kernel_driver(self, interface: int) -> None:
        self.detached.append(interface)
        self.driver_active = False

    def get_active_configuration(self) -> object:
        if not self.configured:
            raise usb.core.USBError("Configuration not set")
        return object()

    def set_configuration(self) -> None:
        self.set_configuration_calls += 1
        self.configured = True

    def write(self, endpoint: int, data: bytes, timeout: int | None = None) -> int:
        assert endpoint == 0x03
        if data.startswith(b"\x10\x04"):
            self.last_request = bytes(data)
        else:
            self.data += data
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int | None = None) -> bytes:
        assert endpoint == 0x81
        self.read_timeouts.append(self.default_timeout if timeout is None else timeout)
        if self.answers is None:
            raise usb.core.USBTimeoutError("Operation timed out")
        return bytes([self.answers[self.last_request[2]]])


@pytest.fixture
def plugged(monkeypatch):
    def plug(dev: FakeUsbPrinter | None) -> FakeUsbPrinter | None:
        monkeypatch.setattr(usb.core, "find", lambda **kw: dev if kw == {"idVendor": 0x0416, "idProduct": 0x5011} else None)
        return dev
    return plug


URI = "usb://0416:5011?interface=1&in_ep=0x81&out_ep=0x03"
OK = {1: 0x12, 2: 0x12, 4: 0x12}


def test_usb_job_reaches_the_device_configured_once_with_the_kernel_driver_detached(plugged):
    dev = plugged(FakeUsbPrinter(answers=OK))
    printer = open_printer(URI, timeout_s=2)
    img = Image.new("1", (576, 300), 0)
    assert printer.status().state == "ok"
    sent = printer.print_image(img) + printer.print_image(img)
    assert dev.detached == [1] and dev.set_configuration_calls == 1  # the configured interface, one configuration
    assert bytes(dev.data) == b"".join(job_bytes(img)) * 2 and sent == len(dev.data)
    assert decode(bytes(dev.data)).cuts == 2
    assert set(dev.read_timeouts) == {300} and dev.default_timeout == 1000  # status asked briefly, then restored
    printer.close()


def test_usb_printer_already_configured_is_not_configured_again(plugged):
    dev = plugged(FakeUsbPrinter(answers=OK, configured=True, driver=False))
    open_printer(URI).print_image(Image.new("1", (64, 8), 0))
    assert dev.set_configuration_calls == 0 and dev.detached == []


def test_usb_paper_out_is_refused_and_a_silent_printer_is_asked_once(plugged):
    dev = plugged(FakeUsbPrinter(answers={1: 0x12, 2: 0x12, 4: 0x72}))
    with pytest.raises(PrinterError) as err:
        open_printer(URI).print_image(Image.new("1", (64, 8), 0))
    assert err.value.kind == "paper_out" and not dev.data
    dev = plugged(FakeUsbPrinter(answers=None))
    printer = open_printer(URI)
    printer.print_image(Image.new("1", (64, 8), 0))
    printer.print_image(Image.new("1", (64, 8), 0))
    assert len(dev.read_timeouts) == 1  # asked once, then "unknown" without asking
    assert printer.status().state == "unknown" and decode(bytes(dev.data)).cuts == 2


def test_usb_printer_unplugged_is_offline(plugged):
    plugged(None)
    printer = open_printer(URI)
    assert printer.status().state == "offline"
    with pytest.raises(PrinterError) as err:
        printer.print_image(Image.new("1", (64, 8), 0))
    assert err.value.kind == "offline"


def _fake_cups(tmp_path: Path, exit_code: int = 0) -> Path:
    """``lpstat`` with one queue TM-T20, ``lp`` that keeps its input in ``job.bin`` and logs its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lpstat = (
        "import sys\n"
        "out = {'-e': 'TM-T20\\n', '-v': 'device for TM-T20: usb://EPSON/TM-T20\\n', '-d': 'no system default destination\\n'}\n"
        "sys.stdout.write(out.get(sys.argv[1], ''))\n"
    )
    lp = (
        "import sys\n"
        f"open({str(tmp_path / 'lp-args.txt')!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"data = sys.stdin.buffer.read()\n"
        f"open({str(tmp_path / 'job.bin')!r}, 'wb').write(data)\n"
        f"sys.exit({exit_code})\n"
    )
    for name, body in (("lpstat", lpstat), ("lp", lp)):
        script = bin_dir / name
        script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def test_cups_raw_queue_gets_the_job_through_lp(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{_fake_cups(tmp_path)}:/usr/bin:/bin")
    printer = open_printer("cups://TM-T20", timeout_s=5)
    img = Image.new("1", (576, 200), 0)
    assert printer.status().state == "unknown"  # CUPS does not say whether there is paper
    sent = printer.print_image(img)
    assert "-d TM-T20" in (tmp_path / "lp-args.txt").read_text() and "-o raw" in (tmp_path / "lp-args.txt").read_text()
    data = (tmp_path / "job.bin").read_bytes()
    assert data.startswith(b"".join(job_bytes(img))) and sent == len(b"".join(job_bytes(img)))
    page = decode(data).pages[0]
    assert page.cut and page.image().tobytes() == img.tobytes()


def test_cups_unknown_queue_refused_job_and_missing_cups_are_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{_fake_cups(tmp_path, exit_code=1)}:/usr/bin:/bin")
    with pytest.raises(PrinterError) as err:
        open_printer("cups://NO-SUCH").print_image(Image.new("1", (64, 8), 0))
    assert err.value.kind == "offline"
    with pytest.raises(PrinterError) as err:
        open_printer("cups://TM-T20").print_image(Image.new("1", (64, 8), 0))
    assert err.value.kind == "offline" and "refused" in err.value.message
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrinterError) as err:
        open_printer("cups://TM-T20").print_image(Image.new("1", (64, 8), 0))
    assert err.value.kind == "offline" and "CUPS is not installed" in err.value.message

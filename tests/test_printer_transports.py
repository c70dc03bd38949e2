"""Tickets printed over real transports — loopback TCP, a file, a serial pty pair — decoded back and read.

The bytes the printer received are decoded (GS v 0 → image), OCR'd with tesseract
``vie`` and the QR is read with zxing-cpp: what the citizen would hold in their hand.
"""

from __future__ import annotations

import os
import threading
import tty
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devices.escpos_decode import decode
from devices.factory import open_printer, parse_printer_uri
from devices.loopback_printer import (
    STATUS_COVER_OPEN,
    STATUS_OK,
    STATUS_PAPER_OUT,
    LoopbackPrinter,
)
from devices.printer import PrinterError
from kiosk.queue.service import QueueService
from kiosk.queue.slips import print_ticket, qr_payload, render_ticket
from kiosk.queue.store import TicketStore

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def ocr(img) -> str:
    import pytesseract

    text = pytesseract.image_to_string(img.convert("L"), lang="vie", config="--oem 1 --psm 3")
    return unicodedata.normalize("NFC", text)


def priority_band(img):
    """The white-on-black priority band, cropped and inverted so OCR reads it like ink on paper."""
    from PIL import ImageOps

    grey = img.convert("L")
    raw = grey.tobytes()
    rows = [y for y in range(grey.height) if sum(1 for v in raw[y * grey.width:(y + 1) * grey.width] if v < 128) > 0.6 * grey.width]
    assert rows, "no priority band on the ticket"
    band = grey.crop((0, rows[0], grey.width, rows[-1] + 1))
    return ImageOps.expand(ImageOps.invert(band), border=10, fill=255)


def read_qr(img) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(img.convert("L"))]


@pytest.fixture
def queue(kiosk_config, tmp_path):
    q = QueueService(kiosk_config, TicketStore(tmp_path / "q.sqlite"), backend=None,
                     now=lambda: datetime(2026, 11, 23, 9, 15, tzinfo=TZ))
    yield q
    q.close()


def _check_printed(data: bytes, ticket, config) -> None:
    decoded = decode(data)
    assert decoded.inits == 1 and decoded.cuts == 1
    page = decoded.pages[0]
    img = page.image()
    assert img.width == config.printer.paper_width_px
    text = ocr(img)
    assert ticket.number in text.replace(" ", "")
    assert config.service(ticket.service).name_vi in text  # "Hộ tịch" with its diacritics
    assert qr_payload(ticket, config.backend.url) in read_qr(img)


def test_ticket_over_loopback_tcp_decodes_to_its_number_service_and_qr(kiosk_config, queue):
    ticket = queue.issue("A", "elderly")
    with LoopbackPrinter(answer_status=STATUS_OK) as lp:
        printer = open_printer(lp.uri, timeout_s=3)
        outcome = print_ticket(ticket, kiosk_config, printer, queue)
        lp.wait_closed(1)
        data = lp.received()
    assert outcome.printed and ticket.printed is True
    assert decode(data).status_requests == [1, 2, 4]  # DLE EOT asked on the job's connection first
    assert len(data) == outcome.bytes_sent + 9
    _check_printed(data, ticket, kiosk_config)
    assert "Người cao tuổi" in ocr(priority_band(decode(data).pages[0].image()))  # white on black
    assert queue.store.ticket(ticket.ticket_id)["printed"] == 1


def test_ticket_to_a_file_decodes_the_same(kiosk_config, queue, tmp_path):
    ticket = queue.issue("B")
    path = tmp_path / "out" / "ticket.bin"
    outcome = print_ticket(ticket, kiosk_config, open_printer(f"file:{path}"), queue)
    assert outcome.printed
    _check_printed(path.read_bytes(), ticket, kiosk_config)


def test_ticket_over_a_serial_pty_decodes_the_same(kiosk_config, queue):
    master, slave = os.openpty()
    tty.setraw(master)
    received = bytearray()
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            received.extend(chunk)
            if b"\x1dVB" in received:
                done.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        ticket = queue.issue("A")
        printer = open_printer(f"serial://{os.ttyname(slave)}?baudrate=115200", timeout_s=3)
        outcome = print_ticket(ticket, kiosk_config, printer, queue)
        assert outcome.printed, outcome
        assert done.wait(10)
        printer.close()
    finally:
        done.set()
        os.close(slave)
        os.close(master)
    data = bytes(received)
    start = data.index(b"\x1b@")  # a silent serial printer was asked for its status first
    _check_printed(data[start:], ticket, kiosk_config)


def test_printer_gone_mid_print_is_an_error_and_the_ticket_is_recorded_not_printed(kiosk_config, queue):
    ticket = queue.issue("A")
    with LoopbackPrinter() as lp:
        lp.set_close_after(3000)
        outcome = print_ticket(ticket, kiosk_config, open_printer(lp.uri, timeout_s=2), queue)
    assert not outcome.printed and outcome.error_kind in ("offline", "io")
    assert ticket.printed is False
    assert queue.store.ticket(ticket.ticket_id)["printed"] == 0
    assert outcome.message_key() == "ticket.issued.print_failed"


def test_stalled_printer_times_out(kiosk_config, queue):
    ticket = queue.issue("A")
    with LoopbackPrinter() as lp:
        lp.set_stall()
        outcome = print_ticket(ticket, kiosk_config, open_printer(lp.uri, timeout_s=1), queue)
    assert not outcome.printed and outcome.error_kind == "timeout"


def test_unwritable_file_and_refused_connection_are_errors_not_crashes(kiosk_config, queue, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    for uri, kinds in ((f"file:{blocker}/ticket.bin", {"io", "offline"}), ("tcp://127.0.0.1:1", {"offline"})):
        ticket = queue.issue("A")
        outcome = print_ticket(ticket, kiosk_config, open_printer(uri, timeout_s=1), queue)
        assert not outcome.printed and outcome.error_kind in kinds, (uri, outcome)
    # The kiosk keeps working: the next ticket prints once the printer is back.
    ticket = queue.issue("A")
    assert print_ticket(ticket, kiosk_config, open_printer(f"file:{tmp_path / 'ok.bin'}"), queue).printed


def test_status_is_read_where_the_printer_answers_and_unknown_never_blocks(kiosk_config, queue):
    img = render_ticket(queue.issue("A"), kiosk_config)
    with LoopbackPrinter(answer_status=STATUS_PAPER_OUT) as lp:
        p = open_printer(lp.uri, timeout_s=2)
        assert p.status().state == "paper_out"
        with pytest.raises(PrinterError) as err:
            p.print_image(img)
        assert err.value.kind == "paper_out"
        assert b"\x1dv0" not in lp.received()  # nothing was printed on an empty roll
    with LoopbackPrinter(answer_status=STATUS_COVER_OPEN) as lp:
        assert open_printer(lp.uri).status().state == "cover_open"
    with LoopbackPrinter(answer_status=None) as lp:  # a printer that never answers DLE EOT
        p = open_printer(lp.uri, timeout_s=2)
        assert p.status().state == "unknown"
        assert p.print_image(img) > 0
        lp.wait_closed(2)
        assert decode(lp.received()).cuts == 1
    assert open_printer("tcp://127.0.0.1:1", timeout_s=1).status().state == "offline"


def test_a_device_that_stops_taking_data_times_out_instead_of_hanging(tmp_path):
    """``file:`` to a device node that blocks (a stuck /dev/usb/lp0): the write has a deadline."""
    import fcntl

    from PIL import Image

    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the "printer": there, but never reads
    try:
        fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, 4096)
        printer = open_printer(f"file:{fifo}", timeout_s=1)
        with pytest.raises(PrinterError) as err:
            printer.print_image(Image.new("1", (576, 200), 0))
        assert err.value.kind == "timeout"
    finally:
        os.close(reader)


def test_each_scheme_gets_its_transport_class():
    from devices.printer_cups import CupsPrinter
    from devices.printer_dummy import DummyPrinter
    from devices.printer_file import FilePrinter
    from devices.printer_serial import SerialPrinter
    from devices.printer_tcp import TcpPrinter
    from devices.printer_usb import UsbPrinter

    for uri, cls in (("usb://04b8:0202", UsbPrinter), ("tcp://10.0.0.5", TcpPrinter), ("serial:///dev/ttyS0", SerialPrinter),
                     ("file:out.bin", FilePrinter), ("cups://Q", CupsPrinter), ("dummy:", DummyPrinter)):
        p = open_printer(uri, timeout_s=2, paper_width_px=384)
        assert type(p) is cls and p.uri == uri and p.jobs == 0 and p.paper_width_px == 384


def test_a_picture_wider_than_the_paper_is_a_config_error_before_anything_is_sent():
    from PIL import Image

    p = open_printer("dummy:", paper_width_px=384)
    with pytest.raises(PrinterError) as err:
        p.print_image(Image.new("1", (576, 40), 0))
    assert err.value.kind == "config" and p.output == b""


def test_dummy_printer_keeps_the_bytes():
    from PIL import Image

    p = open_printer("dummy:")
    p.print_image(Image.new("1", (576, 40), 0), cut=True)
    page = decode(bytes(p.output)).pages[0]
    assert page.cut and page.image().getextrema() == (0, 0)


@pytest.mark.parametrize(
    "uri, scheme, params",
    [
        ("usb://04b8:0202", "usb", {"vid": 0x04B8, "pid": 0x0202, "interface": 0, "in_ep": 0x82, "out_ep": 0x01}),
        ("usb://0416:5011?interface=1&out_ep=0x03", "usb", {"vid": 0x0416, "pid": 0x5011, "interface": 1, "in_ep": 0x82, "out_ep": 0x03}),
        ("tcp://10.0.0.5", "tcp", {"host": "10.0.0.5", "port": 9100}),
        ("serial:///dev/ttyUSB0?baudrate=9600", "serial", {"path": "/dev/ttyUSB0", "baudrate": 9600}),
        ("file:///dev/usb/lp0", "file", {"path": "/dev/usb/lp0"}),
        ("file:var/out.bin", "file", {"path": "var/out.bin"}),
        ("cups://TM-T20", "cups", {"queue": "TM-T20"}),
        ("dummy:", "dummy", {}),
    ],
)
def test_uris(uri, scheme, params):
    assert parse_printer_uri(uri) == (scheme, params)


@pytest.mark.parametrize("uri", ["lpt://1", "tcp://", "usb://zz:01", "file:", "cups://"])
def test_bad_uris_are_config_errors(uri):
    with pytest.raises(PrinterError) as err:
        open_printer(uri)
    assert err.value.kind == "config"


def test_usb_printer_that_is_not_plugged_in_is_offline(kiosk_config):
    from PIL import Image

    p = open_printer("usb://04b8:0202", timeout_s=1)
    with pytest.raises(PrinterError) as err:
        p.print_image(Image.new("1", (576, 8), 1))
    assert err.value.kind == "offline"

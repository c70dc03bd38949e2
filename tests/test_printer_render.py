"""Slip rendering (kiosk.printing.slip, kiosk.queue.slips) and the ESC/POS decoder, without a transport."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.escpos_decode import DecodeError, decode
from devices.escpos_job import job_bytes, raster_bytes
from devices.factory import open_printer
from kiosk.printing.printer import render_test_page
from kiosk.printing.slip import Slip, font, qr_image, text_width, to_1bit, wrap_text
from kiosk.queue.slips import render_ticket
from kiosk.queue.tickets import Ticket

VIET_WORDS = ["Nguyễn", "Thị", "Bình", "Hộ", "tịch", "Chứng", "thực", "Đất", "đai", "Quầy", "tầng", "ưu", "tiên",
              "Người", "cao", "tuổi", "khuyết", "tật", "Ấp", "Phường", "Hải", "Vân", "Kinh", "doanh", "Xây", "dựng"]


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(VIET_WORDS) | st.text(alphabet="abcđêôơưỮỰỸ0123456789", min_size=1, max_size=40),
                      min_size=1, max_size=30),
       width=st.integers(80, 576), size=st.sampled_from([18, 24, 32]))
def test_wrap_keeps_every_letter_and_fits_the_width(words, width, size):
    fnt = font(size)
    text = " ".join(words)
    lines = wrap_text(text, fnt, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert text_width(line, fnt) <= width or len(line) == 1


def test_one_bit_without_dithering():
    grey = Image.new("L", (64, 20), 100)
    grey.paste(200, (32, 0, 64, 20))
    out = to_1bit(grey)
    assert out.mode == "1"
    left, right = out.crop((0, 0, 32, 20)), out.crop((32, 0, 64, 20))
    assert left.getextrema() == (0, 0)  # mid-grey is solid black, not a dither pattern
    assert right.getextrema() == (255, 255)


@pytest.mark.parametrize("width", [576, 384])
def test_slip_is_exactly_the_paper_width_and_one_bit(width):
    slip = Slip(width)
    slip.text("BỘ PHẬN MỘT CỬA " * 5, size=28, bold=True, align="center")
    slip.big("A123", 170)
    slip.text("ƯU TIÊN", invert=True, align="center")
    slip.qr("https://example.vn/q/20261123/A123")
    img = slip.render()
    assert img.mode == "1" and img.width == width


def _ticket(priority=None, offline=False, number="A007"):
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    return Ticket(number=number, service=number[0], seq=int(number[1:]), day=date(2026, 11, 23),
                  issued_at=datetime(2026, 11, 23, 9, 5, tzinfo=tz), priority=priority, people_ahead=3,
                  wait_minutes=9, offline=offline)


@pytest.mark.parametrize("width", [576, 384])
def test_ticket_fits_forty_kilobytes_even_at_its_largest(kiosk_config, width):
    img = render_ticket(_ticket("elderly", offline=True, number="C1234"), kiosk_config, width=width)
    assert img.mode == "1" and img.width == width
    assert sum(len(b) for b in job_bytes(img)) <= 40 * 1024


def test_raster_bands_decode_back_to_the_same_pixels(kiosk_config):
    img = render_ticket(_ticket(), kiosk_config)
    bands = raster_bytes(img, band_height=100)
    assert len(bands) == (img.height + 99) // 100
    page = decode(b"".join(job_bytes(img, band_height=100))).pages[0]
    assert page.cut
    assert page.image().tobytes() == img.tobytes()


def test_odd_widths_are_padded_to_whole_bytes():
    img = Image.new("1", (13, 3), 0)
    page = decode(b"".join(job_bytes(img, cut=False))).pages[0]
    out = page.image()
    assert out.size == (16, 3)
    assert out.crop((0, 0, 13, 3)).getextrema() == (0, 0)
    assert out.crop((13, 0, 16, 3)).getextrema() == (255, 255)


def test_decoder_reads_python_escpos_native_qr_text_and_cuts():
    import escpos.printer

    p = escpos.printer.Dummy()
    p.hw("INIT")
    p.set(align="center")
    p.textln("Hello")
    p.qr("https://example.vn/q/A001", native=True)
    p.image(Image.new("1", (64, 8), 0))
    p.cut()
    decoded = decode(p.output)
    page = decoded.pages[0]
    assert page.qr_payloads == ["https://example.vn/q/A001"]
    assert "Hello" in page.text and page.cut
    assert page.bands and page.bands[0].size == (64, 8)


def test_decoder_rejects_truncated_and_unknown_commands():
    with pytest.raises(DecodeError):
        decode(b"\x1dv0\x00\x48\x00\x10\x00" + b"\x00" * 10)
    with pytest.raises(DecodeError):
        decode(b"\x1b\xfe")


def test_a_job_cut_short_still_shows_what_reached_the_printer():
    img = Image.new("1", (576, 300), 0)
    data = b"".join(job_bytes(img, band_height=100))
    partial = data[: 2 + 3 + 2 * (8 + 72 * 100)]  # init, centre and two whole bands
    pages = decode(partial).pages
    assert len(pages) == 1 and not pages[0].cut and pages[0].image().height == 200


def test_qr_codes_read_back_ascii_and_vietnamese():
    import zxingcpp

    for payload in ("http://127.0.0.1:8765/q/20261123/A001", "Hộ tịch — số A001"):
        img = qr_image(payload, box=4)
        assert [r.text for r in zxingcpp.read_barcodes(img)] == [payload]


def test_test_page_prints_on_the_dummy_printer(kiosk_config):
    p = open_printer("dummy:")
    p.print_image(render_test_page(kiosk_config, "dummy:"))
    page = decode(bytes(p.output)).pages[0]
    assert page.cut and page.image().width == 576

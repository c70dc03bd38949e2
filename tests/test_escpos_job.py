"""The print job as python-escpos composes it: bytes, their count, the status byte rules — and a quiet stdout."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.escpos_decode import decode
from devices.escpos_job import compose, escpos_printers, job_bytes, job_size, paper_profile, status_from, valid_answer
from devices.factory import open_printer


@settings(max_examples=40, deadline=None)
@given(width=st.integers(1, 576), height=st.integers(1, 700), band=st.sampled_from([1, 24, 100, 128]), cut=st.booleans())
def test_the_job_composed_on_a_printer_is_job_bytes_and_job_size_counts_it(width, height, band, cut):
    img = Image.new("1", (width, height), 255)
    img.paste(0, (0, 0, max(1, width // 3), max(1, height // 2)))
    d = escpos_printers().Dummy(profile=paper_profile(576))
    compose(d, img, cut, band)
    assert bytes(d.output) == b"".join(job_bytes(img, cut, band)) and len(d.output) == job_size(width, height, cut, band)
    page = decode(bytes(d.output)).pages[0]
    assert page.cut is cut and page.image().crop((0, 0, width, height)).tobytes() == img.tobytes()
    assert len(page.bands) == -(-height // band)


def test_grey_is_thresholded_never_dithered():
    grey = Image.new("L", (64, 16), 100)
    grey.paste(200, (32, 0, 64, 16))
    page = decode(b"".join(job_bytes(grey, cut=False))).pages[0].image()
    assert page.crop((0, 0, 32, 16)).getextrema() == (0, 0) and page.crop((32, 0, 64, 16)).getextrema() == (255, 255)


def test_printing_writes_nothing_to_stdout(capfd):
    """python-escpos' default profile prints a warning per image band; `kiosk ticket --json` owns stdout."""
    open_printer("dummy:").print_image(Image.new("1", (576, 400), 0))
    job_bytes(Image.new("1", (384, 300), 0))
    assert capfd.readouterr().out == ""


@pytest.mark.parametrize("byte, valid", [(0x12, True), (0x16, True), (0x72, True), (0x1E, True), (0x00, False),
                                         (0xFF, False), (0x13, False), (0x92, False), (0x02, False)])
def test_only_real_time_status_bytes_count_as_answers(byte, valid):
    assert valid_answer(byte) is valid


def test_status_answers_mean_what_the_citizen_is_told():
    ok = {1: 0x12, 2: 0x12, 4: 0x12}
    assert status_from(ok).state == "ok"
    assert status_from({**ok, 4: 0x12 | 0x60}).state == "paper_out"
    assert status_from({**ok, 2: 0x12 | 0x04}).state == "cover_open"
    assert status_from({**ok, 1: 0x12 | 0x08}).state == "offline"
    assert status_from({**ok, 4: 0x12 | 0x0C}).state == "paper_low"
    assert status_from({**ok, 4: 0x12 | 0x0C}).printable and not status_from({**ok, 4: 0x72}).printable

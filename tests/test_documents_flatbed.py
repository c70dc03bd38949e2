"""The ``sane:`` flatbed behind the camera interface, with a stand-in ``scanimage`` program.

There is no scanner here, so ``$SCANIMAGE`` points at a small script that answers like
``scanimage --format=png`` (a generated 300-dpi page on stdout); the driver, its thread and
the pipeline's "the frame is the page" path are the real ones.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from devices.factory import open_camera
from kiosk.documents import process_image


def _fake_scanimage(tmp_path: Path, page: Path, fail: bool = False) -> Path:
    script = tmp_path / "scanimage"
    log = tmp_path / "args.txt"
    body = (
        f"import sys\nopen({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        + ("sys.stderr.write('scanimage: no SANE devices found\\n'); sys.exit(1)\n" if fail else
           f"sys.stdout.buffer.write(open({str(page)!r}, 'rb').read())\n")
    )
    script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture
def page_png(tmp_path: Path) -> Path:
    import random

    import cv2
    import gen_documents

    flat, _ = gen_documents.render_flat(gen_documents.page_birth(random.Random(7)), gen_documents.FONTS[0])
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), flat)
    return path


@pytest.mark.slow
def test_sane_scan_is_the_latest_frame_and_the_page(tmp_path, page_png, monkeypatch):
    monkeypatch.setenv("SCANIMAGE", str(_fake_scanimage(tmp_path, page_png)))
    cam = open_camera("sane:epson2:libusb:001:004?resolution=300&mode=Gray")
    try:
        assert cam.frame_is_page and cam.scans_pages and cam.controls() == ()
        cam.start()
        frame = cam.wait_frame(timeout=20)
        assert frame is not None and frame.shape[:2] == (3508, 2480)
        args = (tmp_path / "args.txt").read_text().split("\n")[0]
        assert "-d epson2:libusb:001:004" in args and "--resolution 300" in args and "--mode Gray" in args
        r = process_image(frame, source="scan", orient_page=False)
        assert r.page_found and "TỜ KHAI ĐĂNG KÝ KHAI SINH" in r.text
        first = cam.scans
        cam.rescan()
        cam.wait_frame(after=cam.frame_id, timeout=20)
        assert cam.scans > first
    finally:
        cam.close()


def test_capture_still_scans_the_sheet_now_and_returns_it(tmp_path, page_png, monkeypatch):
    """The scan screen's shutter: one new scan, waited for on a worker — watched or not."""
    monkeypatch.setenv("SCANIMAGE", str(_fake_scanimage(tmp_path, page_png)))
    cam = open_camera("sane:")
    try:
        page = cam.capture_still(timeout=20)  # nobody watching: started for the scan, stopped after
        assert page is not None and page.shape[:2] == (3508, 2480)
        assert cam.scans == 1 and not cam.running
        cam.start()  # the scan screen shows it (a scan on entry)…
        assert cam.wait_frame(timeout=20) is not None
        before = cam.scans
        assert cam.capture_still(timeout=20) is not None  # …and the shutter asks for one more
        assert cam.scans == before + 1 and cam.running
        cam.stop()
    finally:
        cam.close()
    calls = (tmp_path / "args.txt").read_text().strip().splitlines()
    assert len(calls) == cam.scans  # one scanimage run per scan, none wasted


def test_sane_failure_is_reported_not_raised(tmp_path, page_png, monkeypatch):
    monkeypatch.setenv("SCANIMAGE", str(_fake_scanimage(tmp_path, page_png, fail=True)))
    cam = open_camera("sane:")
    try:
        cam.start()
        assert cam.wait_frame(timeout=3) is None
        assert "no SANE devices" in (cam.error or "")
        assert cam.capture_still(timeout=10) is None  # the shutter gets "no page", not a hang
    finally:
        cam.close()

"""The scan screen in a real window with the ``files:`` document camera and the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.base import paths

pytestmark = pytest.mark.ui

PROCEDURE = "1.004194"  # Đăng ký tạm trú: cho_o_hop_phap (required), dong_y_chu_ho (optional)
SAMPLES = paths.ASSETS_DIR / "samples" / "documents"


def _config(kiosk_config: Any, source: str) -> Any:
    kiosk_config.camera.document_uri = f"files:{source}"
    kiosk_config.camera.width, kiosk_config.camera.height = (1920, 1080) if source.endswith("close.png") else (1920, 1440)
    return kiosk_config


from typing import Any  # noqa: E402


def _to_scan(driver) -> None:
    """The submit journey at its scan step for PROCEDURE (the form left empty: only the papers matter here)."""
    submit = driver.app.journeys.submit
    submit.choose_procedure(PROCEDURE)
    submit.start_form()
    submit.finish_form()


def _open_scan(make_driver, kiosk_config, source, orientation="landscape"):
    driver = make_driver(orientation=orientation, config=_config(kiosk_config, source))
    _to_scan(driver)
    driver.wait_screen("scan")
    screen = driver.app.screen("scan")
    driver.wait_for(lambda: screen.ids.preview.has_frame, timeout=15, what="a camera frame")
    return driver, screen


def test_scan_two_pages_see_thumbnails_and_continue(make_driver, kiosk_config, artifacts):
    driver, screen = _open_scan(make_driver, kiosk_config, str(SAMPLES / "page-1.jpg"))
    screen.auto_capture = False
    assert [i.key for i in screen.paper_items()] == ["cho_o_hop_phap", "dong_y_chu_ho"]
    assert screen.current_key == "cho_o_hop_phap"
    for n in (1, 2):
        driver.tap("btn_shutter")
        driver.wait_for(lambda: len(screen.thumbs()) == n, timeout=30, what=f"thumbnail {n}")
    assert driver.app.tr("scan.captured", n=2) in driver.texts()
    driver.screenshot(artifacts / "scan-two-pages.png")
    # delete one, retake it
    driver.tap(screen.thumbs()[1].ids.btn_delete)
    assert len(screen.thumbs()) == 1
    driver.tap("btn_shutter")
    driver.wait_for(lambda: len(screen.thumbs()) == 2, timeout=30, what="page retaken")
    driver.tap("btn_continue")
    driver.wait_screen("review", timeout=120)  # the journey's next step
    att = driver.app.services.visit.submit.attachments["cho_o_hop_phap"]
    workdir = driver.app.services.visit.workdir()
    assert len(att.pages) == 2 and all(Path(p).is_file() and workdir in Path(p).parents for p in att.pages)
    from pypdf import PdfReader

    assert att.pdf is not None and workdir in att.pdf.parents
    assert len(PdfReader(str(att.pdf)).pages) == 2
    assert "CỘNG HÒA" in att.text
    assert "dong_y_chu_ho" not in driver.app.services.visit.submit.attachments  # optional, not scanned


def test_missing_required_paper_is_named(make_driver, kiosk_config):
    driver, screen = _open_scan(make_driver, kiosk_config, str(SAMPLES / "page-1.jpg"))
    screen.auto_capture = False
    driver.tap("btn_continue")
    driver.wait_for(lambda: driver.app.tr["scan.missing_title"] in driver.texts(), timeout=5, what="missing dialog")
    driver.tap("btn_ok")
    assert driver.app.current == "scan"


def test_auto_capture_takes_each_still_page_once(make_driver, kiosk_config, artifacts):
    driver, screen = _open_scan(make_driver, kiosk_config, f"{SAMPLES}?hold=2.5")
    # each page is read (OCR + gate) before the next can be taken: allow for two readings on a busy machine
    driver.wait_for(lambda: len(screen.thumbs()) >= 2, timeout=240, what="two pages taken by themselves")
    driver.screenshot(artifacts / "scan-auto.png")
    # the same sheet lying still is not taken again
    n = len(screen.thumbs())
    driver.pump(1.0)
    assert len(screen.thumbs()) <= n + 1


def _flat_page(tmp_path: Path) -> Path:
    import random

    import cv2
    import gen_documents

    flat, _ = gen_documents.render_flat(gen_documents.page_residence(random.Random(3)), gen_documents.FONTS[1])
    path = tmp_path / "flat.png"
    cv2.imwrite(str(path), flat)
    return path


def test_no_page_offers_corner_dragging(make_driver, kiosk_config, artifacts, tmp_path):
    import cv2

    # a page held too close: text everywhere, no edge of the sheet to find
    page = cv2.imread(str(_flat_page(tmp_path)))
    close = cv2.resize(page[150:1500, 100:2400], (1920, 1080), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(tmp_path / "close.png"), close)
    driver, screen = _open_scan(make_driver, kiosk_config, str(tmp_path / "close.png"))
    screen.auto_capture = False
    driver.tap("btn_shutter")
    tr = driver.app.tr
    driver.wait_for(lambda: tr["scan.retake_title"] in driver.texts(), timeout=20, what="the retake dialog")
    assert tr["scan.warn.no_page"] in driver.texts() or tr["scan.warn.cut_off"] in driver.texts()
    driver.screenshot(artifacts / "scan-no-page.png")
    driver.tap("btn_ok")  # "Tự chỉnh góc"
    driver.wait_screen("scan_corners")
    editor = driver.find("editor")
    before = editor.corners()
    # drag the top-left handle by real touch events
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    driver.wait_for(lambda: list(Window.children) == [driver.app.root], timeout=5, what="the dialog to close")
    handle = driver.find("handle_0")
    x, y = handle.center
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    driver.pump(0.05)
    touch.touch_move(x + 40, y - 30)
    driver.pump(0.05)
    touch.touch_up()
    driver.pump(0.1)
    assert editor.corners()[0][0] > before[0][0]
    driver.screenshot(artifacts / "scan-corners.png")
    driver.tap("btn_use_corners")
    driver.wait_screen("scan")
    driver.wait_for(lambda: len(screen.thumbs()) == 1, timeout=30, what="page from dragged corners")


def test_flatbed_shutter_scans_the_sheet_and_takes_it(make_driver, kiosk_config, tmp_path, monkeypatch):
    import stat
    import sys

    page = _flat_page(tmp_path)
    script = tmp_path / "scanimage"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.buffer.write(open({str(page)!r}, 'rb').read())\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("SCANIMAGE", str(script))
    kiosk_config.camera.document_uri = "sane:?resolution=300"
    kiosk_config.camera.width, kiosk_config.camera.height = 2480, 3508
    driver = make_driver(config=kiosk_config)
    _to_scan(driver)
    screen = driver.app.screen("scan")
    screen.auto_capture = False
    driver.wait_for(lambda: screen.ids.preview.has_frame, timeout=30, what="the first scan")
    driver.tap("btn_shutter")
    driver.wait_for(lambda: len(screen.thumbs()) == 1, timeout=60, what="the scanned page")
    assert screen.ids.preview.camera.scans >= 2

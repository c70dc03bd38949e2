"""Identify with the ID card in the real window, fed by the ``files:`` camera (real pixels, real decoding)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "assets" / "samples" / "camera"


def _camera_dir(tmp_path: Path, *images: str) -> str:
    folder = tmp_path / "camera"
    folder.mkdir()
    for name in images:
        shutil.copy(SAMPLES / name, folder / name)
    return f"files:{folder}?hold=30"


def _identify_driver(make_driver, kiosk_config, tmp_path, *images: str, orientation: str = "landscape"):
    kiosk_config.camera.uri = _camera_dir(tmp_path, *images)
    driver = make_driver(orientation=orientation, config=kiosk_config)
    driver.tap("btn_submit")
    driver.wait_screen("identify")
    return driver, driver.app.screen("identify")


def test_card_is_read_confirmed_and_the_journey_goes_on(make_driver, kiosk_config, tmp_path, artifacts):
    driver, screen = _identify_driver(make_driver, kiosk_config, tmp_path, "01_cccd_chip_front.jpg")
    camera = driver.app.services.id_camera
    driver.wait_for(lambda: screen.found is not None, timeout=30, what="the card to be read")
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=5, what="confirmation dialog")
    assert driver.find("lbl_confirm_name").text == "Nguyễn Văn An"
    assert driver.find("lbl_confirm_number").text == "*********234"
    assert driver.find("lbl_confirm_dob").text == "15/03/1989"
    assert "036089001234" not in " ".join(driver.texts())  # never the full number on screen
    assert camera.latest_frame() is None  # the card is read: camera off, picture gone
    driver.screenshot(artifacts / "confirm.png")
    driver.tap("btn_confirm")
    driver.wait_for(lambda: driver.app.current != "identify", timeout=5, what="next step")
    identity = driver.app.services.visit.identity
    assert identity.id_number == "036089001234" and identity.card_type == "cccd_chip"
    assert driver.app.current == "procedure_search"


def test_read_again_restarts_the_camera(make_driver, kiosk_config, tmp_path):
    driver, screen = _identify_driver(make_driver, kiosk_config, tmp_path, "03_can_cuoc_back.jpg")
    driver.wait_for(lambda: screen.found is not None, timeout=30, what="the card to be read")
    driver.wait_for(lambda: driver.has("btn_retry"), timeout=5, what="confirmation dialog")
    assert driver.find("lbl_confirm_name").text == "Lê Thị Cúc"
    first = screen.found
    driver.tap("btn_retry")
    assert driver.app.services.visit.identity is None  # nothing taken from the card until it is confirmed
    # The card is still in view: it is read again at once (a new reading, not the old one kept).
    driver.wait_for(lambda: screen.found is not None and screen.found is not first, timeout=30, what="the card read again")
    # The card leaves the camera's view before "Đọc lại": otherwise it is read a third time at once and
    # its dialog covers the back button the test taps next.
    folder = tmp_path / "camera"
    (folder / "03_can_cuoc_back.jpg").unlink()
    shutil.copy(SAMPLES / "04_receipt_qr_not_id.jpg", folder)
    driver.tap("btn_retry")
    camera = driver.app.services.id_camera
    driver.wait_for(lambda: camera.running, timeout=5, what="camera on again")
    driver.tap("btn_back")  # leaving the screen turns the camera off and drops the picture
    driver.wait_screen("home")
    assert not camera.running and camera.latest_frame() is None


def test_a_qr_that_is_not_an_id_card_says_so(make_driver, kiosk_config, tmp_path, artifacts):
    driver, screen = _identify_driver(make_driver, kiosk_config, tmp_path, "04_receipt_qr_not_id.jpg")
    message = driver.app.tr["identify.not_id_qr"]
    driver.wait_for(lambda: screen.hint_text == message, timeout=30, what="the not-an-ID hint")
    assert message in driver.texts()
    assert screen.found is None and driver.app.services.visit.identity is None
    driver.screenshot(artifacts / "not_id.png")


def test_searching_hint_then_timeout_offers_retry_or_typing(make_driver, kiosk_config, tmp_path, artifacts):
    kiosk_config.camera.uri = _camera_dir(tmp_path, "00_counter.jpg")
    driver = make_driver(config=kiosk_config)
    driver.app.screen("identify").scan_timeout_s = 8
    driver.tap("btn_submit")
    screen = driver.app.screen("identify")
    driver.wait_for(lambda: screen.ids.preview.has_frame, timeout=10, what="camera picture")
    closer = driver.app.tr["identify.closer"]
    driver.wait_for(lambda: screen.hint_text == closer, timeout=8, what="'bring it closer' hint")
    driver.screenshot(artifacts / "searching.png")
    driver.wait_for(lambda: driver.app.tr["identify.timeout"] in driver.texts(), timeout=15, what="timeout dialog")
    assert driver.app.services.id_camera.latest_frame() is None
    driver.tap("btn_cancel")  # "Nhập bằng tay"
    driver.wait_screen("manual_id")


def test_no_camera_then_manual_entry_with_the_keyboard(make_driver, kiosk_config, artifacts):
    kiosk_config.camera.uri = "none:"
    driver = make_driver(config=kiosk_config)
    driver.tap("btn_submit")
    screen = driver.app.screen("identify")
    message = driver.app.tr["identify.no_camera"]
    driver.wait_for(lambda: screen.ids.preview.status_text == message, timeout=5, what="no-camera message")
    assert message in driver.texts()
    driver.tap("btn_manual")
    driver.wait_screen("manual_id")
    screen = driver.app.screen("manual_id")
    keyboard = screen.ids.keyboard
    driver.tap("key_0")  # real touches on the keys; the rest typed through the same key handler
    keyboard.type_text("36089001234")
    assert screen.ids.txt_id_number.text == "036089001234"
    driver.tap("key_done")
    assert screen.active_field == "txt_full_name"
    keyboard.type_text("Nguyeenx Vawn An")  # Telex, as a citizen would type it
    assert screen.ids.txt_full_name.text == "Nguyễn Văn An"
    driver.tap("key_done")
    keyboard.type_text("15/03/1988")
    driver.tap("btn_manual_submit")
    assert screen.error_text == driver.app.tr["identify.error.year_mismatch"]
    assert screen.ids.txt_dob.invalid
    driver.screenshot(artifacts / "manual-error.png")
    driver.tap("key_backspace")
    driver.tap("key_9")
    assert screen.ids.txt_dob.text == "15/03/1989"
    driver.tap("btn_manual_submit")
    assert screen.error_text == ""
    driver.wait_for(lambda: driver.app.current != "manual_id", timeout=5, what="next step")
    identity = driver.app.services.visit.identity
    assert (identity.id_number, identity.full_name, identity.source) == ("036089001234", "Nguyễn Văn An", "manual")


def test_steps_taken_within_one_frame_still_leave_the_identify_screen(make_driver, kiosk_config, tmp_path):
    """A journey may move on before a screen switch has finished (scenes, quick taps): the identify screen
    must still get its leave — camera off, timers cancelled."""
    from kiosk.identity import parse_payload

    kiosk_config.camera.uri = _camera_dir(tmp_path, "00_counter.jpg")
    driver = make_driver(config=kiosk_config)
    journeys = driver.app.journeys
    journeys.start("submit")
    journeys.submit.identified(parse_payload(
        "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"))
    journeys.submit.choose_procedure("1.004222")  # three steps, no frame in between
    driver.wait_screen("procedure_detail")
    driver.pump(0.5)
    identify = driver.app.screen("identify")
    assert identify._watch_ev is None and identify._timeout_ev is None
    assert identify.ids.preview.camera is None

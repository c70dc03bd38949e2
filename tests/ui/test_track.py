"""Tra cứu hồ sơ in the real window: receipt QR through the files: camera, typed code, errors, offline."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.backend.client import BackendClient

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "assets" / "samples" / "receipts"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.cards import CHIP_CCCD as ID_QR  # noqa: E402
from make_sample import render_receipt_frame  # noqa: E402
from test_tracking_server import officer_moves, submit_sample_dossier  # noqa: E402


@pytest.fixture
def receipt(server):
    with BackendClient(server.url, "dev-kiosk-token", "KIOSK-01") as client:
        return submit_sample_dossier(client)


def _driver(make_driver, kiosk_config, tmp_path, server_url: str, camera_dir: Path | None = None):
    kiosk_config.backend.url = server_url
    kiosk_config.backend.timeout_s = 2
    kiosk_config.camera.uri = f"files:{camera_dir}" if camera_dir else "none:"
    kiosk_config.accessibility.voice_player = "none"
    return make_driver(config=kiosk_config)


def test_tracking_by_receipt_qr_through_the_files_camera(make_driver, kiosk_config, tmp_path, server, receipt, artifacts):
    officer_moves(server, receipt.code, ("accepted", ""), ("processing", "Chuyển cán bộ thụ lý"))
    camera = tmp_path / "camera"
    camera.mkdir()
    render_receipt_frame(receipt.code, receipt.secret).save(camera / "receipt.png")
    driver = _driver(make_driver, kiosk_config, tmp_path, server.url, camera)
    driver.tap("btn_track")  # the QR in view is read at once: "track" may already be gone when the tap returns
    driver.wait_screen("track_result", timeout=30)
    driver.pump(0.3)
    texts = driver.texts()
    assert "Đang giải quyết" in texts
    assert receipt.appointment_at.strftime("%d/%m/%Y") in texts
    assert receipt.code in texts
    assert any("Chuyển cán bộ thụ lý" in t for t in texts)
    assert driver.app.services.visit.track.result.code == receipt.code
    driver.screenshot(artifacts / "track_result.png")
    # The camera is released when the screen is left.
    assert not driver.app.services.id_camera.running


def test_each_step_of_the_officer_shows_on_the_tracking_screen(make_driver, kiosk_config, tmp_path, server, receipt,
                                                              artifacts):
    camera = tmp_path / "camera"
    camera.mkdir()
    render_receipt_frame(receipt.code, receipt.secret).save(camera / "receipt.png")
    driver = _driver(make_driver, kiosk_config, tmp_path, server.url, camera)
    driver.tap("btn_track")
    driver.wait_screen("track_result", timeout=30)
    driver.wait_for(lambda: "Đã nhận hồ sơ" in driver.texts(), timeout=30, what="received")
    for status, title in (("accepted", "Đã tiếp nhận hồ sơ"), ("processing", "Đang giải quyết"),
                          ("releasing", "Đã có kết quả"), ("done", "Đã trả kết quả")):
        officer_moves(server, receipt.code, (status, ""))
        driver.tap("btn_track_again")  # the receipt is still under the camera: looked up again at once
        driver.wait_for(lambda t=title: driver.app.current == "track_result" and driver.find("lbl_status").text == t,
                        timeout=30, what=title)
    assert receipt.appointment_at.strftime("%d/%m/%Y") in driver.texts()
    driver.screenshot(artifacts / "track_done.png")


def test_a_supplement_request_by_the_officer_shows_its_reason(make_driver, kiosk_config, tmp_path, server, receipt,
                                                             artifacts):
    officer_moves(server, receipt.code, ("waiting", "Thiếu giấy xác nhận cư trú"))
    camera = tmp_path / "camera"
    camera.mkdir()
    render_receipt_frame(receipt.code, receipt.secret).save(camera / "receipt.png")
    driver = _driver(make_driver, kiosk_config, tmp_path, server.url, camera)
    driver.tap("btn_track")
    driver.wait_screen("track_result", timeout=30)
    driver.pump(0.3)
    texts = driver.texts()
    assert "Cần bổ sung giấy tờ" in texts
    assert any("Giấy tờ cần bổ sung: Thiếu giấy xác nhận cư trú." in t for t in texts)
    assert any("Thiếu giấy xác nhận cư trú" in t and "Cần bổ sung giấy tờ" in t for t in texts)  # the history line
    assert "Hẹn lại khi bạn bổ sung đủ giấy tờ" in texts  # the clock stopped: no date until the papers come
    assert receipt.appointment_at.strftime("%d/%m/%Y") not in texts
    driver.screenshot(artifacts / "track_supplement.png")


def test_sample_receipt_of_an_unknown_dossier_says_not_found(make_driver, kiosk_config, tmp_path, server, artifacts):
    driver = _driver(make_driver, kiosk_config, tmp_path, server.url, ROOT / "assets" / "samples" / "receipts")
    driver.tap("btn_track")
    screen = driver.app.screen("track")
    driver.wait_for(lambda: screen.message.startswith("Không tìm thấy hồ sơ"), timeout=30, what="not-found message")
    assert driver.app.current == "track"
    driver.screenshot(artifacts / "track_not_found.png")


def test_id_card_held_to_the_camera_gets_its_own_message(make_driver, kiosk_config, tmp_path, server):
    import qrcode

    camera = tmp_path / "camera"
    camera.mkdir()
    qrcode.make(ID_QR, box_size=8).save(camera / "id.png")
    driver = _driver(make_driver, kiosk_config, tmp_path, server.url, camera)
    driver.tap("btn_track")
    screen = driver.app.screen("track")
    driver.wait_for(lambda: screen.message == driver.app.tr["track.error.id_card"], timeout=30, what="id-card message")


def test_typed_code_wrong_then_right_secret(make_driver, kiosk_config, tmp_path, server, receipt, artifacts):
    driver = _driver(make_driver, kiosk_config, tmp_path, server.url)
    driver.tap("btn_track")
    driver.tap("btn_type")
    driver.wait_screen("track_type")
    driver.pump(0.3)
    screen = driver.app.screen("track_type")
    driver.type_keys(receipt.code.split("-", 1)[1].lower())  # YYMMDD-XXXX: the kiosk adds its unit id
    driver.tap("key_done")
    assert driver.find("keyboard").target is driver.find("txt_secret")
    wrong = "ABCDEF" if receipt.secret != "ABCDEF" else "ABCDEG"
    driver.type_keys(wrong.lower())
    driver.tap("btn_search")
    driver.wait_for(lambda: screen.message.startswith("Không tìm thấy hồ sơ"), timeout=30, what="not found")
    driver.screenshot(artifacts / "wrong_secret.png")
    driver.find("txt_secret").text = ""
    driver.type_keys(receipt.secret.lower())
    driver.tap("btn_search")
    driver.wait_screen("track_result", timeout=30)
    driver.pump(0.3)
    assert "Đã nhận hồ sơ" in driver.texts()
    driver.tap("btn_rate")
    driver.wait_screen("rate")
    assert driver.app.tr("rate.ref_from_visit", ref=receipt.code) in driver.texts()


def test_bad_code_is_explained_without_calling_the_backend(make_driver, kiosk_config, tmp_path, closed_port):
    driver = _driver(make_driver, kiosk_config, tmp_path, closed_port.url)
    driver.app.journeys.start("track")
    driver.app.journeys.track.type_instead()
    driver.pump(0.3)
    screen = driver.app.screen("track_type")
    driver.type_keys("2507-7")
    driver.tap("btn_search")
    assert screen.message == driver.app.tr["track.error.bad_code"]


def test_backend_down_shows_the_offline_message(make_driver, kiosk_config, tmp_path, artifacts, closed_port):
    driver = _driver(make_driver, kiosk_config, tmp_path, closed_port.url)
    driver.app.journeys.start("track")
    driver.app.journeys.track.type_instead()
    driver.pump(0.3)
    screen = driver.app.screen("track_type")
    screen.ids.txt_code.text = "251120-0007"
    screen.ids.txt_secret.text = "K7P3QX"
    driver.tap("btn_search")
    driver.wait_for(lambda: not screen.busy and screen.message, timeout=40, what="offline message")
    assert screen.message == driver.app.tr["track.error.offline"]
    assert driver.app.current == "track_type"
    driver.screenshot(artifacts / "offline.png")

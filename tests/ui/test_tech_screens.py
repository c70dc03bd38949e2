"""The other technician screens in the real window: settings, backend against the reference server, logs export, camera."""

from __future__ import annotations

import tomllib
import zipfile

import pytest

from kiosk.ops.technician import hash_pin, read_audit

pytestmark = pytest.mark.ui


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[kiosk]\nname = "Kiosk test"\n', encoding="utf-8")
    return path


@pytest.fixture
def tdriver(make_driver, kiosk_config, site):
    from kiosk.services import build_services

    kiosk_config.technician.pin_hash = hash_pin("135700")
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    return make_driver(services=build_services(kiosk_config, site))


def wait_saved(d, screen):
    """Wait until the screen's changes are on disk and in effect (saving runs on a worker)."""
    d.wait_for(lambda: not screen.saving, timeout=10, what="settings saved")


def open_screen(d, name):
    d.app.go(name)
    d.wait_screen(name)
    d.pump(0.2)
    return d.app.screen(name)


def test_settings_steps_are_saved_and_out_of_range_refused(tdriver, site, artifacts):
    d = tdriver
    screen = open_screen(d, "tech_settings")
    before = screen.idle_timeout_s
    d.tap("btn_idle_timeout_plus")
    wait_saved(d, screen)
    assert screen.idle_timeout_s == before + 15 and screen.status_kind == "ok"
    assert tomllib.loads(site.read_text())["ui"]["idle_timeout_s"] == before + 15
    assert d.app.services.config.ui.idle_timeout_s == before + 15  # the app uses it at once
    d.tap("btn_lang_en")
    wait_saved(d, screen)
    assert tomllib.loads(site.read_text())["ui"]["default_language"] == "en"
    # Priority age has a floor of 40: stepping below it is refused, the file keeps 40.
    for _ in range(5):  # quick taps: each is saved in turn, on the value the one before left
        d.tap("btn_priority_age_minus", settle=0.05)
    wait_saved(d, screen)
    saved = tomllib.loads(site.read_text())["queue"]["priority_age"]
    assert saved == 40 and screen.priority_age == 40 and screen.status_kind == "error"
    d.tap("cat_pregnant")
    wait_saved(d, screen)
    codes = [p["code"] for p in tomllib.loads(site.read_text())["queue"]["priority_categories"]]
    assert "pregnant" not in codes and "elderly" in codes
    import logging

    d.tap("btn_log_warning")
    wait_saved(d, screen)
    assert tomllib.loads(site.read_text())["logging"]["level"] == "WARNING"
    assert logging.getLogger().level == logging.WARNING
    d.tap("btn_log_info")
    wait_saved(d, screen)
    assert logging.getLogger().level == logging.INFO
    d.screenshot(artifacts / "tech_settings.png")
    keys = [k for e in read_audit(d.app.services.config.data_path("technician", "audit.jsonl")) for k in e.get("keys", [])]
    assert "ui.idle_timeout_s" in keys and "queue.priority_categories" in keys


def test_backend_test_connection_and_url_change(tdriver, site, tmp_path):
    from server.testing import ServerThread

    d = tdriver
    with ServerThread(tmp_path / "srv", kiosks=[("KIOSK-01", "tok-test-kiosk-0001", "000.00.01.H22")]) as srv:
        screen = open_screen(d, "tech_backend")
        screen._set("url", srv.url)
        screen._set("token", "tok-test-kiosk-0001")
        wait_saved(d, screen)
        assert tomllib.loads(site.read_text())["backend"] == {"url": srv.url, "token": "tok-test-kiosk-0001"}
        assert "tok-test-kiosk-0001" not in screen.token_shown
        d.tap("btn_test_connection")
        d.wait_for(lambda: not screen.busy, timeout=20, what="connection test")
        assert screen.status_kind == "ok", screen.status
        assert d.app.services.backend.base_url == srv.url  # the running client was swapped
    d.tap("btn_test_connection")
    d.wait_for(lambda: not screen.busy, timeout=30, what="connection test (server gone)")
    assert screen.status_kind == "error"


def test_logs_show_recent_entries_and_export_a_bundle(tdriver, tmp_path):
    import logging

    from kiosk.base.logs import setup_logging

    d = tdriver
    config = d.app.services.config
    setup_logging(config.path(config.logging.file), "INFO", stderr=False)
    try:
        logging.getLogger("kiosk.test").warning("printer offline while printing for 036089001234")
        screen = open_screen(d, "tech_logs")
        d.tap("btn_level_warning")
        d.wait_for(lambda: "printer offline" in screen.text, timeout=10, what="log entries read")
        assert "printer offline" in screen.text and "036089001234" not in screen.text
        d.tap("btn_export")
        d.wait_for(lambda: not screen.busy, timeout=60, what="export")
        assert screen.status_kind == "ok", screen.status
        with zipfile.ZipFile(screen.exported_path) as z:
            assert "config.toml" in z.namelist()
        d.tap("btn_audit")
        d.wait_for(lambda: "diagnostics_exported" in screen.text, timeout=10, what="audit trail read")
    finally:
        root = logging.getLogger()
        for h in list(root.handlers):
            if getattr(h, "_kiosk", False):
                root.removeHandler(h)
                h.close()


def test_camera_screen_shows_a_files_camera(tdriver, tmp_path, artifacts):
    import cv2
    import numpy as np
    import qrcode

    cam_dir = tmp_path / "cam"
    cam_dir.mkdir()
    qr = np.array(qrcode.make("https://example.org/tra-cuu").convert("L"))
    frame = np.full((720, 1280), 255, np.uint8)
    frame[100:100 + qr.shape[0], 300:300 + qr.shape[1]] = qr
    cv2.imwrite(str(cam_dir / "qr.png"), frame)
    d = tdriver
    screen = open_screen(d, "tech_camera")
    screen.choose(f"files:{cam_dir}")
    wait_saved(d, screen)
    assert d.app.services.config.camera.uri == f"files:{cam_dir}"
    d.wait_for(lambda: d.find("preview").has_frame, timeout=15, what="picture")
    d.wait_for(lambda: "1" in screen.found_text, timeout=15, what="QR overlay")
    d.screenshot(artifacts / "tech_camera.png")
    d.app.go("tech_dashboard")
    d.pump(0.2)

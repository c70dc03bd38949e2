"""Screenshot scenes of technician mode (``python -m screens.showcase OUT --only tech_dashboard,…``)."""

from __future__ import annotations

import time
from typing import Any

from screens.showcase.book import SceneBook

scenes = SceneBook()
scene = scenes.add

SCENE_PIN = "246813"  # the kiosk takes 6 to 12 digits


def _with_pin(driver: Any) -> None:
    """A PIN in memory only (the showcase never writes the kiosk's files)."""
    from kiosk.base import updated
    from kiosk.ops import hash_pin

    services = driver.app.services
    if not services.config.technician.pin_hash:
        services.config = updated(services.config, "technician", pin_hash=hash_pin(SCENE_PIN))


def _wait(driver: Any, predicate: Any, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and not predicate():
        driver.pump(0.1)


@scene("tech_pin")
def pin_pad(driver: Any) -> None:
    _with_pin(driver)
    driver.app.go("tech_pin")
    screen = driver.app.screen("tech_pin")
    screen.pin = "24"


@scene("tech_pin_wrong")
def pin_wrong(driver: Any) -> None:
    _with_pin(driver)
    driver.app.go("tech_pin")
    screen = driver.app.screen("tech_pin")
    screen.say("tech.pin_wrong", "error", left=3)


@scene("tech_dashboard")
def dashboard(driver: Any) -> None:
    _with_pin(driver)
    driver.app.go("tech_dashboard")
    screen = driver.app.screen("tech_dashboard")
    _wait(driver, lambda: not screen.checking)


@scene("tech_printer")
def printer(driver: Any) -> None:
    driver.app.go("tech_printer")
    screen = driver.app.screen("tech_printer")
    screen.scan()
    _wait(driver, lambda: not screen.busy)


@scene("tech_printer_edit")
def printer_edit(driver: Any) -> None:
    driver.app.go("tech_printer")
    driver.pump(0.2)
    driver.app.screen("tech_printer").edit_uri()


@scene("tech_camera")
def camera(driver: Any) -> None:
    driver.app.go("tech_camera")
    screen = driver.app.screen("tech_camera")
    _wait(driver, lambda: bool(screen.found_text) or screen.ids.preview.has_frame is False, timeout=3)
    driver.pump(1.5)


@scene("tech_backend")
def backend(driver: Any) -> None:
    driver.app.go("tech_backend")
    screen = driver.app.screen("tech_backend")
    screen.test_connection()
    _wait(driver, lambda: not screen.busy)


@scene("tech_settings")
def settings(driver: Any) -> None:
    driver.app.go("tech_settings")


@scene("tech_logs")
def logs(driver: Any) -> None:
    """A few invented entries in a throw-away log file (the showcase never shows the machine's real log)."""
    import json

    from kiosk.base import updated

    entries = [
        ("08:02:11", "INFO", "kiosk.app.kiosk_app", "kiosk started, version 0.1.0"),
        ("08:02:16", "INFO", "kiosk.ops.heartbeat", "heartbeat delivered"),
        ("09:12:40", "INFO", "kiosk.queue.service", "ticket A024 issued (elderly)"),
        ("09:12:41", "INFO", "kiosk.queue.slips", "ticket A024 printed on tcp://10.0.0.5:9100"),
        ("09:31:05", "WARNING", "kiosk.backend.client", "POST /dossiers failed (attempt 1): ConnectTimeout"),
        ("09:31:06", "INFO", "kiosk.backend.outbox", "dossier queued in the outbox; provisional receipt printed"),
        ("09:33:10", "INFO", "kiosk.backend.outbox", "outbox drained: 1 sent"),
        ("10:05:52", "ERROR", "devices.printer", "tcp://10.0.0.5:9100: paper_out: out of paper"),
        ("10:07:30", "INFO", "kiosk.ops.technician", "technician audit: entry"),
    ]
    services = driver.app.services
    path = services.config.data_path("scene-log", "kiosk.jsonl")  # inside the showcase's throw-away data dir
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"ts": f"2026-03-02T{t}+07:00", "level": lv, "logger": lg, "msg": m}) + "\n"
                            for t, lv, lg, m in entries), encoding="utf-8")
    services.config = updated(services.config, "logging", file=str(path))
    driver.app.go("tech_logs")

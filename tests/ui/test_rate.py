"""Đánh giá in the real window: the scale, a required reason, sent through the outbox; voice on screen entry."""

from __future__ import annotations

import threading
import wave

import httpx
import pytest
from rapidfuzz import fuzz

pytestmark = pytest.mark.ui


def _crop(frame, widget):
    """The part of a window screenshot (top-left origin) that ``widget`` covers (Kivy: bottom-left origin)."""
    x, y = widget.to_window(widget.x, widget.y)
    return frame.crop((int(x), int(frame.height - y - widget.height), int(x + widget.width), int(frame.height - y)))


def _ocr(image) -> str:
    """What tesseract reads on screen pixels: proof that a text is drawn, not only in the widget tree."""
    import pytesseract

    return " ".join(pytesseract.image_to_string(image.convert("L"), lang="vie", config="--psm 6").split())


@pytest.fixture
def rate_driver(make_driver, kiosk_config, server):
    """The kiosk with its real outbox sending to the real reference server on loopback."""
    kiosk_config.accessibility.voice_player = "none"
    kiosk_config.backend.url = server.url
    return make_driver(config=kiosk_config)


def _report(server) -> dict:
    if not hasattr(server, "supervisor"):  # the figures are for the department's supervisors (issue 13)
        server.supervisor = server.add_officer("truong-bo-phan", "supervisor")
    return httpx.get(f"{server.url}/satisfaction", params={"days": 1},
                     headers={"Authorization": f"Bearer {server.supervisor}"}).json()


def test_full_rating_with_a_required_reason(rate_driver, server, artifacts):
    driver = rate_driver
    services = driver.app.services
    driver.tap("btn_rate")
    driver.wait_screen("rate")
    driver.pump(0.3)
    for level in ("very_satisfied", "satisfied", "unsatisfied"):
        assert driver.app.tr[f"rate.level.{level}"] in driver.texts()
    driver.screenshot(artifacts / "rate.png")
    driver.tap("btn_level_unsatisfied")
    driver.wait_screen("rate_reason")
    driver.pump(0.3)
    screen = driver.app.screen("rate_reason")
    # Sending without a reason explains what is missing and sends nothing.
    driver.tap("btn_send")
    assert screen.message == driver.app.tr["rate.error.reason_required"]
    assert driver.app.current == "rate_reason"
    driver.screenshot(artifacts / "reason_missing.png")
    driver.tap("btn_reason_wait")
    driver.tap("btn_reason_unclear")
    driver.tap("btn_reason_unclear")  # a second tap takes it back
    driver.tap("btn_reason_attitude")
    assert screen.chosen == ["wait", "attitude"] and screen.message == ""
    # An optional comment typed on the kiosk keyboard.
    driver.tap("btn_comment")
    driver.wait_for(lambda: driver.find("txt_entry"), what="comment dialog")
    driver.pump(0.5)
    for key in "cho lau":
        driver.tap("key_space" if key == " " else f"key_{key}", settle=0.02)
    driver.tap("btn_entry_ok")
    assert screen.comment
    driver.screenshot(artifacts / "reasons.png")
    driver.tap("btn_send")
    driver.wait_for(lambda: driver.app.tr["rate.thanks_title"] in driver.texts(), timeout=10, what="thanks")
    driver.screenshot(artifacts / "thanks.png")
    assert [i.kind for i in services.outbox.items()] == ["rating"]
    # The outbox delivers it to the backend, where the department's satisfaction figures count it.
    driver.wait_for(lambda: _report(server)["overall"]["total"] == 1, timeout=30, what="rating on the server")
    report = _report(server)
    assert report["overall"]["levels"]["unsatisfied"] == 1
    assert report["unsatisfied_reasons"] == {"wait": 1, "attitude": 1}
    driver.tap("btn_ok")
    driver.wait_screen("home")
    assert services.visit.is_empty()


def test_satisfied_rating_for_the_visits_ticket_goes_straight_through(rate_driver, server):
    driver = rate_driver
    services = driver.app.services

    class _Ticket:
        number = "B012"

    services.visit.ticket.ticket = _Ticket()  # the ticket this visit took
    driver.app.start_journey("rate")
    driver.wait_screen("rate")
    driver.pump(0.3)
    assert driver.app.tr("rate.ref_from_visit", ref="B012") in driver.texts()
    driver.tap("btn_level_very_satisfied")
    driver.wait_for(lambda: driver.app.tr["rate.thanks_title"] in driver.texts(), timeout=10, what="thanks")
    driver.wait_for(lambda: _report(server)["overall"]["total"] == 1, timeout=30, what="rating on the server")
    report = _report(server)
    assert report["overall"]["levels"]["very_satisfied"] == 1
    assert [g["key"] for g in report["by_service"]] == ["B"]


def test_typed_reference_is_checked(rate_driver):
    driver = rate_driver
    driver.app.start_journey("rate")
    driver.pump(0.3)
    driver.tap("btn_ref")
    driver.pump(0.5)
    for key in "abc":
        driver.tap(f"key_{key}", settle=0.02)
    driver.tap("btn_entry_ok")
    screen = driver.app.screen("rate")
    assert screen.message == driver.app.tr["rate.error.bad_ref"]
    driver.pump(0.3)
    driver.tap("btn_ref")
    driver.pump(0.5)
    driver.find("txt_entry").text = ""
    for key in "a007":
        driver.tap(f"key_{key}", settle=0.02)
    driver.tap("btn_entry_ok")
    assert screen.ref.ticket_number == "A007" and screen.message == ""


def test_voice_prompt_file_is_made_for_the_screen_without_blocking_the_ui(rate_driver, artifacts):
    """espeak-ng is held mid-synthesis: meanwhile the window shows the rate screen and answers a touch."""
    from PIL import Image

    driver = rate_driver
    voice = driver.app.voice
    real = voice.render
    rendering, release = threading.Event(), threading.Event()
    seen_threads: list[str] = []

    def held(text, lang="vi"):
        seen_threads.append(threading.current_thread().name)
        if threading.current_thread() is not threading.main_thread():  # never hang the UI thread itself
            rendering.set()
            release.wait(30)
        return real(text, lang)

    voice.render = held
    try:
        driver.tap("btn_rate")
        driver.wait_screen("rate")
        driver.wait_for(rendering.is_set, timeout=30, what="the prompt's synthesis to start")
        # While the voice worker is inside espeak-ng, the window's pixels show the rate screen's scale ...
        driver.pump(0.5)
        frame = Image.open(driver.screenshot(artifacts / "during-synthesis.png"))
        for level in ("very_satisfied", "satisfied", "unsatisfied"):
            words = driver.app.tr[f"rate.level.{level}"]
            drawn = _ocr(_crop(frame, driver.find(f"btn_level_{level}")))
            assert fuzz.partial_ratio(words, drawn) >= 90, (words, drawn)
        assert not release.is_set()
        # ... and a touch is handled at once (the header's mute toggle).
        driver.tap("btn_mute")
        assert driver.app.voice_muted and voice.muted
    finally:
        release.set()
    path = voice.cache_path(driver.app.tr["voice.rate"], "vi")
    driver.wait_for(lambda: path.exists(), timeout=30, what="voice prompt file")
    assert seen_threads and all(n.startswith("kiosk-voice") for n in seen_threads)
    with wave.open(str(path), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    assert 1.5 <= seconds <= 15
    # Muted from the header: the next screen's prompt is still rendered (cache) but not played.
    driver.tap("btn_finish")
    driver.wait_screen("home")
    assert not driver.app.voice_muted

"""Large-text mode on every registered screen: no text spills out of its widget or off the window.

For each screen of ``screens.registry.SCREENS`` (opened the way ``kiosk screenshots`` opens it)
and the tracking/rating states of ``screens.showcase.scenes.a11y``, in landscape and portrait, with large
text on: every visible label's rendered texture must fit inside the label, and the label inside
the window (unless it scrolls). Screenshots of every screen in both text modes are saved as
test artefacts (``tests/artifacts/…``); ``docs/screenshots`` holds the reviewed copies.
"""

from __future__ import annotations

import pytest
from helpers.layout import SLACK, clipped_labels, visible

from screens import registry

pytestmark = pytest.mark.ui


def _scenes() -> dict:
    from screens.showcase.scenes import a11y, as_opened

    return {**{name: as_opened(name) for name in registry.SCREENS}, **a11y.scenes}


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_screen_keeps_its_text_inside_in_large_text_mode(make_driver, kiosk_config, artifacts, orientation):
    kiosk_config.accessibility.voice_player = "none"
    kiosk_config.camera.uri = "none:"
    driver = make_driver(orientation=orientation, config=kiosk_config)
    failures: dict[str, list[str]] = {}
    for name, show in _scenes().items():
        for large in (False, True):
            driver.dismiss_dialogs()  # a scene's dialog must not stay for the next
            driver.app.finish_visit()
            driver.pump(0.1)
            driver.app.large_text = large
            try:
                show(driver)
            except Exception as e:  # a screen that cannot open without its journey's data
                failures.setdefault(name, []).append(f"could not open: {type(e).__name__}: {e}")
                continue
            driver.pump(0.4)
            suffix = "-large" if large else ""
            driver.screenshot(artifacts / f"{name}-{orientation}{suffix}.png")
            if large:
                problems = clipped_labels(driver)
                if problems:
                    failures[name] = problems
    assert not failures, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in failures.items())


def test_large_text_is_one_tap_away_and_on_by_default_for_a_priority_visit(make_driver, kiosk_config):
    kiosk_config.accessibility.voice_player = "none"
    driver = make_driver(config=kiosk_config)
    welcome = driver.find("lbl_welcome")
    normal, colour = welcome.font_size, list(welcome.color)
    driver.tap("btn_large_text")
    assert driver.app.large_text and welcome.font_size > normal * 1.2  # the widgets follow, not just app.sz
    driver.tap("btn_large_text")
    assert not driver.app.large_text and welcome.font_size == normal
    driver.tap("btn_high_contrast")
    assert driver.app.high_contrast and driver.app.theme.name == "high_contrast"
    assert list(welcome.color) != colour and list(welcome.color) == list(driver.app.theme.text)
    driver.tap("btn_high_contrast")
    # A priority visit switches large text on at its next step; the citizen can still turn it off.
    driver.app.services.visit.ticket.priority = "elderly"
    driver.app.go("rate")
    assert driver.app.large_text
    driver.pump(0.3)
    driver.tap("btn_large_text")
    driver.app.go("track")
    assert not driver.app.large_text
    driver.app.finish_visit()
    driver.pump(0.3)
    assert not driver.app.large_text and not driver.app.high_contrast


def test_touch_targets_are_at_least_2_cm(make_driver, kiosk_config):
    """Every enabled button on the tracking and rating screens is ≥ 2 cm on a 21.5" 1080p kiosk (≥ 85 px)."""
    from kivy.uix.behaviors import ButtonBehavior

    kiosk_config.accessibility.voice_player = "none"
    kiosk_config.camera.uri = "none:"
    driver = make_driver(config=kiosk_config)
    px_per_cm = 1920 / 47.6  # 21.5" 16:9 panel: 47.6 cm wide
    small = []
    for name in ("home", "track", "track_type", "track_result", "rate", "rate_reason"):
        driver.app.go(name)
        driver.pump(0.3)
        for w in driver.walk(driver.app.sm.current_screen):
            if isinstance(w, ButtonBehavior) and not w.disabled and visible(w) and w.opacity > 0:
                if min(w.width, w.height) < 2 * px_per_cm - SLACK and type(w).__name__ != "KeyButton":
                    small.append(f"{name}: {type(w).__name__} {getattr(w, 'text', '')[:30]!r} {w.width:.0f}×{w.height:.0f}")
    assert not small, "\n".join(small)


def test_lower_layout_puts_every_control_in_the_lower_part_of_a_portrait_screen(make_driver, kiosk_config, artifacts):
    from kivy.core.window import Window
    from kivy.uix.behaviors import ButtonBehavior

    kiosk_config.accessibility.voice_player = "none"
    kiosk_config.accessibility.lower_layout = True
    kiosk_config.camera.uri = "none:"
    driver = make_driver(orientation="portrait", config=kiosk_config)
    for name in ("home", "track", "rate"):
        driver.app.go(name)
        driver.pump(0.4)
        driver.screenshot(artifacts / f"{name}-portrait-lower.png")
        for w in driver.walk(driver.app.sm.current_screen):
            if isinstance(w, ButtonBehavior) and visible(w) and not w.disabled:
                top = w.to_window(w.x, w.top)[1]
                assert top <= Window.height * 0.6, f"{name}: {type(w).__name__} reaches {top:.0f}px"
    driver.app.go_home()
    driver.pump(0.3)
    driver.tap("btn_track")  # still works by touch
    assert driver.app.current == "track"

"""The UI tests' blocking-call check itself: a marked call made inside a frame of the real app fails it."""

from __future__ import annotations

import pytest

from kiosk.base import blocking
from helpers.blocking_check import assert_no_blocking_calls

pytestmark = pytest.mark.ui


@blocking.blocking
def _read_a_big_file() -> int:
    return 1


def test_a_blocking_call_in_a_clock_callback_fails_the_check(driver):
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: _read_a_big_file(), 0)
    driver.pump(0.1)
    with pytest.raises(AssertionError, match="_read_a_big_file"):
        assert_no_blocking_calls()


def test_a_blocking_call_in_a_touch_handler_fails_the_check(driver):
    from kivy.core.window import Window

    def on_touch(*_args):
        _read_a_big_file()

    Window.bind(on_touch_down=on_touch)
    try:
        driver.tap("btn_ticket")
    finally:
        Window.unbind(on_touch_down=on_touch)
    with pytest.raises(AssertionError, match="_read_a_big_file"):
        assert_no_blocking_calls()


def test_the_same_call_made_by_the_test_between_frames_is_not_the_kiosks(driver):
    assert _read_a_big_file() == 1
    assert_no_blocking_calls()

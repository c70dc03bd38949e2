"""The real kiosk app in a real Kivy window (Xvfb + Mesa), driven by touch events.

One window per test session (Kivy has one window per process); each test gets
a fresh :class:`~kiosk.app.kiosk_app.KioskApp` with its own services and data folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kiosk.app.kivy_env import ORIENTATION_SIZES

_xvfb: subprocess.Popen[bytes] | None = None


def _ensure_display() -> None:
    """Use $DISPLAY (make test runs under xvfb-run); otherwise start our own Xvfb."""
    global _xvfb
    if os.environ.get("DISPLAY"):
        return
    if not shutil.which("Xvfb"):
        pytest.fail("UI tests need Xvfb (apt-get install xvfb) or a DISPLAY; run them with `make test`")
    r, w = os.pipe()
    _xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", "1920x1920x24", "-nolisten", "tcp"],
        pass_fds=(w,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(w)
    number = b""
    deadline = time.monotonic() + 10
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        number += os.read(r, 16)
    os.close(r)
    os.environ["DISPLAY"] = f":{number.decode().strip()}"


@pytest.fixture(scope="session")
def kivy_window() -> Iterator[Any]:
    _ensure_display()
    from kiosk.app.kivy_env import prepare_kivy

    prepare_kivy("landscape")
    from kivy.core.window import (
        Window,  # creates the window (must exist before any text texture)
    )

    yield Window
    if _xvfb is not None:
        _xvfb.terminate()


def _window_is(window: Any, size: tuple[int, int]) -> bool:
    """Kivy's idea of the window size and SDL's real one both at ``size``."""
    return tuple(window.size) == size and tuple(window._win.window_size) == size


@pytest.fixture
def make_driver(kivy_window: Any, kiosk_config: Any) -> Iterator[Callable[..., Any]]:
    """``make_driver(orientation="portrait", config=…)`` → a KioskDriver on a fresh app."""
    from kiosk.app.kiosk_app import KioskApp
    from kiosk.services import build_services
    from screens.showcase.driver import KioskDriver

    drivers: list[Any] = []

    def make(orientation: str = "landscape", config: Any = None, services: Any = None) -> Any:
        wanted = ORIENTATION_SIZES[orientation]
        kivy_window.size = wanted
        svc = services or build_services(config or kiosk_config)
        driver = KioskDriver(KioskApp(svc))
        drivers.append((driver, svc))
        # SDL resizes the X window asynchronously: a late resize event from the previous test's size
        # would lay the screen out (and place the touches) for the wrong orientation.
        driver.wait_for(lambda: _window_is(kivy_window, wanted), what=f"window at {wanted}")
        driver.pump(0.2)  # Kivy delays its own resize handling by 0.1 s
        driver.wait_for(lambda: driver.app.portrait == (orientation == "portrait"), what="app orientation")
        return driver

    yield make
    for driver, svc in drivers:
        driver.close()
        svc.close()


@pytest.fixture
def driver(make_driver: Callable[..., Any]) -> Any:
    return make_driver()


@pytest.fixture(autouse=True)
def no_blocking_on_the_ui_thread() -> Iterator[None]:
    """Every UI test also checks that nothing marked blocking ran on the UI thread during it."""
    from kiosk.base import blocking

    blocking.reset_violations()
    yield
    from helpers.blocking_check import assert_no_blocking_calls

    assert_no_blocking_calls()

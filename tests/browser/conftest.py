"""Browser tests of the office pages: headless Debian chromium (selenium) against the real server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.browser import chrome, unavailable_reason
from server.testing import DEFAULT_UNIT, ServerThread

KIOSK_TOKEN = "token-kiosk-01-browser"


@pytest.fixture
def office(tmp_path: Path) -> Iterator[ServerThread]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with ServerThread(tmp_path, kiosks=[("KIOSK-01", KIOSK_TOKEN, DEFAULT_UNIT)]) as srv:
        yield srv


@pytest.fixture
def browsers():
    """Opens chromium windows on demand; all closed at the end."""
    opened = []

    def open_(width: int = 1280, height: int = 900, mobile: bool = False):
        d = chrome(width, height, mobile)
        opened.append(d)
        return d

    yield open_
    for d in opened:
        d.quit()

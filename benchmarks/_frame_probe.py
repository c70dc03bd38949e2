"""A pytest plugin for benchmarks/ui_stall.py: every UI test's frame durations, written to a JSON file.

Only the test's own body is measured (not building the app in the fixture: that is the start-up
benchmark's business), and only frames — a turn of Kivy's event loop, where the kiosk's UI work runs —
not the test's code between frames. ``KIOSK_FRAME_REPORT`` names the output file:
``{test node id: [seconds, …]}``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

_frames: dict[str, list[float]] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: Any) -> Iterator[None]:
    from screens.showcase import driver

    driver.frame_times = []
    yield
    _frames[item.nodeid], driver.frame_times = driver.frame_times or [], None


def pytest_sessionfinish(session: Any) -> None:
    path = os.environ.get("KIOSK_FRAME_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(_frames, f)

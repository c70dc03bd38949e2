"""A pytest plugin for benchmarks/ui_stall.py: every UI test's frame durations, written to a JSON file.

Only the test's own body is measured (not building the app in the fixture: that is the start-up
benchmark's business), and only frames — a turn of Kivy's event loop, where the kiosk's UI work runs —
not the test's code between frames. ``KIOSK_FRAME_REPORT`` names the output file:
``{"frames": {test node id: [seconds, …]}, "causes": {cause: count}}``.

The causes: a sampler thread looks at the UI thread's stack once a frame has run 100 ms, and names
what it is doing — drawing (the GL buffer swap: software rendering under Xvfb here), building a
screen or widgets from kv rules, or else the innermost function of the project on the stack.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

STALL_S = 0.1
_frames: dict[str, list[float]] = {}
_causes: Counter[str] = Counter()


def cause_of(stack: list[traceback.FrameSummary]) -> str:
    """What a long frame is busy with, in a few words (see the module's docstring)."""
    names = [f"{f.filename}:{f.name}" for f in stack]
    if any("window_sdl2.py:flip" in n for n in names):
        return "drawing (GL buffer swap)"
    if any(n.endswith(":_make_screen") for n in names):
        return "building a screen"
    if any("lang/builder.py" in n for n in names):
        return "building widgets (kv rules)"
    if any(n.endswith(":_load_module") or "<frozen importlib" in n for n in names):
        return "importing a module"
    root = os.getcwd()
    own = [f for f in stack if f.filename.startswith(root) and "/tests/" not in f.filename
           and "/showcase/" not in f.filename and "/benchmarks/" not in f.filename]
    if own:
        f = own[-1]
        return f"{os.path.relpath(f.filename, root)}:{f.name}"
    return f"{os.path.basename(stack[-1].filename)}:{stack[-1].name}" if stack else "?"


def _sample_long_frames() -> None:
    ui = threading.main_thread().ident
    seen: float | None = None
    while True:
        time.sleep(0.02)
        driver = sys.modules.get("screens.showcase.driver")  # imported by the tests, on the main thread (Kivy's)
        started = driver.frame_started if driver is not None else None
        if started is None or started == seen or time.perf_counter() - started < STALL_S:
            continue
        seen = started
        frame = sys._current_frames().get(ui)
        if frame is not None:
            _causes[cause_of(traceback.extract_stack(frame))] += 1


def pytest_sessionstart(session: Any) -> None:
    threading.Thread(target=_sample_long_frames, name="stall-sampler", daemon=True).start()


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
            json.dump({"frames": _frames, "causes": dict(_causes)}, f)

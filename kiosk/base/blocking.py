"""Blocking functions are marked, and a call of one on the UI thread is caught.

Why: the kiosk's window freezes while its main thread waits on a disk, the network, a device or a
subprocess — a citizen sees a dead screen. Every function of the core that may block carries
:func:`blocking`; the app names its UI thread with :func:`set_ui_thread` at start. On the UI thread a
marked call is recorded (and logged once per function): in production the kiosk keeps running, while
the UI tests turn strict mode on and fail on any record (:func:`violations`). Screens run such work
through ``screens.background.run_in_background``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_ui_thread: threading.Thread | None = None
_strict = False
_turns_only = False  # only inside :func:`ui_turn` (a test thread that also runs test code between frames)
_turn_depth = 0
_seen: list[str] = []
_lock = threading.Lock()


class BlockingOnUIThread(RuntimeError):
    """A blocking function was called on the UI thread (raised in strict mode only)."""


def set_ui_thread(thread: threading.Thread | None, strict: bool | None = None,
                  turns_only: bool | None = None) -> None:
    """Name the thread that draws the window (``None``: no UI, e.g. the CLI).

    ``strict`` raises on a violation. ``turns_only`` counts only calls made inside :func:`ui_turn`: the
    UI tests drive the window from the thread that also runs the test's own code between frames, and
    only what runs inside the event loop's turn is the kiosk's UI work.
    """
    global _ui_thread, _strict, _turns_only
    _ui_thread = thread
    if strict is not None:
        _strict = strict
    if turns_only is not None:
        _turns_only = turns_only


def ui_thread() -> threading.Thread | None:
    return _ui_thread


@contextmanager
def ui_turn() -> Iterator[None]:
    """One turn of the event loop (input, clock callbacks, drawing): what a frame runs."""
    global _turn_depth
    _turn_depth += 1
    try:
        yield
    finally:
        _turn_depth -= 1


def on_ui_thread() -> bool:
    return (_ui_thread is not None and threading.current_thread() is _ui_thread
            and (not _turns_only or _turn_depth > 0))


def violations() -> list[str]:
    """Names of the blocking functions called on the UI thread since the last :func:`reset_violations`."""
    with _lock:
        return list(_seen)


def reset_violations() -> None:
    with _lock:
        _seen.clear()


def check_off_ui_thread(what: str) -> None:
    """Record (and in strict mode refuse) ``what`` when it runs on the UI thread."""
    if not on_ui_thread():
        return
    with _lock:
        first = what not in _seen
        _seen.append(what)
    if first:
        log.warning("blocking call on the UI thread: %s", what)
    if _strict:
        raise BlockingOnUIThread(f"{what} blocks; run it with run_in_background")


def blocking(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark ``fn`` as blocking (disk, network, device, subprocess): never to be called on the UI thread."""
    what = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        check_off_ui_thread(what)
        return fn(*args, **kwargs)

    wrapper.__blocking__ = True  # type: ignore[attr-defined]
    return wrapper

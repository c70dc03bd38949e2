"""Kiosk lockdown in the running app: no traceback for the citizen, the systemd watchdog, the hidden entry.

* A Kivy :class:`~kivy.base.ExceptionHandler` logs any error escaping a callback, wipes the
  visit, returns home and shows a friendly message. If errors keep coming (a loop of
  failures), it lets the app crash instead, and systemd (``Restart=always``) starts it afresh.
* ``sys.excepthook`` / ``threading.excepthook`` only log (masked, via :mod:`kiosk.base.logs`).
* The watchdog is pinged from the UI's Clock, so a hung UI thread stops the pings.
* Five taps in the top-left corner of the home screen within 3 s, or Ctrl+Alt+T, open the PIN pad.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.ops import CornerTaps, notify, watchdog_interval

log = logging.getLogger(__name__)

MAX_BURST = 5  # this many UI errors …
BURST_WINDOW_S = 30.0  # … within this long → crash on purpose and let systemd restart the app
TECH_KEY = "t"


class FriendlyExceptionHandler(ExceptionHandler):
    """Turns an error in the UI into "Xin lỗi…" and the home screen."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app
        self._recent: list[float] = []

    def handle_exception(self, exception: BaseException) -> int:
        if isinstance(exception, (KeyboardInterrupt, SystemExit)):
            return ExceptionManager.RAISE
        log.error("unhandled error in the UI: %s", type(exception).__name__,
                  exc_info=(type(exception), exception, exception.__traceback__))
        now = time.monotonic()
        self._recent = [t for t in self._recent if now - t < BURST_WINDOW_S] + [now]
        if len(self._recent) >= MAX_BURST:
            log.critical("%d UI errors in %.0f s: exiting so the service manager restarts the kiosk", MAX_BURST, BURST_WINDOW_S)
            return ExceptionManager.RAISE
        Clock.schedule_once(lambda _dt: self.recover(), 0)
        return ExceptionManager.PASS

    def recover(self) -> None:
        """Wipe the visit and go home; never raises."""
        try:
            self.app.finish_visit()
        except Exception:
            log.exception("recovery: finish_visit failed")
        try:
            from screens.widgets import show_message

            show_message(self.app.tr["tech.crash_title"], self.app.tr["tech.crash_body"], kind="warn")
        except Exception:
            log.exception("recovery: message failed")


def _log_excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    log.critical("uncaught %s", exc_type.__name__, exc_info=(exc_type, exc, tb))


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    name = args.thread.name if args.thread else "?"
    log.error("uncaught %s in thread %s", args.exc_type.__name__, name,
              exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def open_technician(app: Any) -> None:
    if app.has_screen("tech_pin") and not app.current.startswith("tech_"):
        log.info("technician entry requested")
        app.go("tech_pin")


def install_lockdown(app: Any) -> Callable[[], None]:
    """Install everything above for ``app``; returns the function that undoes it (``on_stop``)."""
    handler = FriendlyExceptionHandler(app)
    ExceptionManager.add_handler(handler)
    previous_hooks = (sys.excepthook, threading.excepthook)
    sys.excepthook = _log_excepthook
    threading.excepthook = _log_thread_exception
    taps = CornerTaps()
    app.corner_taps = taps

    def on_touch_down(_window: Any, touch: Any) -> None:
        corner = max(app.sz.touch, 80)
        if app.current == "home" and touch.x <= corner and touch.y >= Window.height - corner:
            if taps.tap():
                Clock.schedule_once(lambda _dt: open_technician(app), 0)

    def on_key_down(_window: Any, key: int, _scancode: int, codepoint: str | None, modifiers: list[str]) -> None:
        if {"ctrl", "alt"} <= set(modifiers or ()) and key == ord(TECH_KEY):
            Clock.schedule_once(lambda _dt: open_technician(app), 0)

    def on_request_close(*_args: Any, **_kw: Any) -> bool:
        return bool(app.services.config.ui.fullscreen)  # True = ignore (Alt+F4 on a kiosk)

    Window.bind(on_touch_down=on_touch_down, on_key_down=on_key_down, on_request_close=on_request_close)
    events = []
    if notify("READY=1"):
        interval = watchdog_interval()
        if interval:
            events.append(Clock.schedule_interval(lambda _dt: notify("WATCHDOG=1"), interval))
            log.info("systemd watchdog: pinging every %.1f s from the UI clock", interval)

    def uninstall() -> None:
        for ev in events:
            ev.cancel()
        Window.unbind(on_touch_down=on_touch_down, on_key_down=on_key_down, on_request_close=on_request_close)
        if handler in ExceptionManager.handlers:
            ExceptionManager.remove_handler(handler)
        sys.excepthook, threading.excepthook = previous_hooks

    return uninstall

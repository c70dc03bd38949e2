"""Drive the real kiosk window: pump the event loop, tap widgets by id, type on the kiosk keyboard, take screenshots.

Used by the UI tests and by ``kiosk screenshots``. Taps are real touch events
(``UnitTestTouch``) that travel through Kivy's event loop like a finger's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.base import EventLoop, runTouchApp, stopTouchApp
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.widget import Widget

from kiosk.base import blocking

# Keys of the kiosk keyboard (screens/keyboard.kv) whose id is not the character itself.
KEY_NAMES = {" ": "space", ",": "comma", ".": "dot", "-": "dash", "/": "slash", "@": "at"}


class WidgetNotFound(LookupError):
    pass


class KioskDriver:
    """Start a :class:`~kiosk.app.kiosk_app.KioskApp` embedded in this process and drive it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        forget_app_in_kv()  # kv's ``app`` is this app from now on, whatever the last one left behind
        app._run_prepare()
        # This thread also runs the test's (or the scene's) own code between frames: only what a frame
        # runs is the kiosk's UI work, for the blocking-call guard.
        blocking.set_ui_thread(blocking.ui_thread(), turns_only=True)
        runTouchApp(embedded=True)
        self.pump(0.3)

    # -------------------------------------------------------- event loop

    def pump(self, seconds: float = 0.1) -> None:
        """Run the event loop for ``seconds`` (at least one frame)."""
        end = time.monotonic() + seconds
        while True:
            _frame()
            if time.monotonic() >= end:
                break

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
        """Pump until ``predicate()`` is truthy; AssertionError after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = predicate()
            if value:
                return value
            self.pump(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    def wait_screen(self, name: str, timeout: float = 10.0) -> None:
        """Pump until screen ``name`` is shown and laid out (a screen built just now takes a few frames)."""
        self.wait_for(lambda: self.app.current == name, timeout, f"screen {name!r} (now {self.app.current!r})")
        self.settle()

    def settle(self, timeout: float = 3.0, frames: int = 2) -> bool:
        """Pump frame by frame until no widget in the window moved or resized for ``frames`` frames.

        Kivy lays out over several frames (labels measure their text, boxes then their children), so a
        screen built a moment ago still has its widgets at provisional places: a touch aimed there
        misses, and a size read there is wrong. False when it did not settle within ``timeout``
        (something on screen keeps moving); the caller goes on, as a finger would.
        """
        end = time.monotonic() + timeout
        last: tuple[tuple[float, ...], ...] | None = None
        stable = 0
        while time.monotonic() < end:
            _frame()
            now = self._geometry()
            stable = stable + 1 if now == last else 0
            if stable >= frames:
                return True
            last = now
        return False

    def _geometry(self) -> tuple[tuple[float, ...], ...]:
        """Where every widget in the window is, and how large (to see whether the layout has converged)."""
        return tuple((id(w), *w.pos, *w.size) for root in Window.children for w in self.walk(root))

    # -------------------------------------------------------- widgets

    def walk(self, root: Widget | None = None) -> Iterator[Widget]:
        root = root or Window
        stack = [root]
        while stack:
            w = stack.pop()
            yield w
            stack.extend(reversed(w.children))

    def find(self, widget_id: str, root: Widget | None = None) -> Widget:
        """The visible widget with kv id ``widget_id`` on the open dialog or the current screen."""
        roots: list[Widget] = []
        if root is not None:
            roots.append(root)
        else:
            roots.extend(c for c in Window.children if c is not self.app.root)  # modal dialogs on top
            roots.append(self.app.sm.current_screen)
        for r in roots:
            for w in self.walk(r):
                ids = getattr(w, "ids", None)
                if ids and widget_id in ids:
                    return ids[widget_id]
        raise WidgetNotFound(f"no widget with id {widget_id!r} on screen {self.app.current!r}")

    def has(self, widget_id: str) -> bool:
        """Whether a widget with kv id ``widget_id`` is on the open dialog or the current screen."""
        try:
            self.find(widget_id)
        except WidgetNotFound:
            return False
        return True

    def tap(self, target: str | Widget, settle: float = 0.15) -> Widget:
        """Touch down and up at the centre of the widget (by id or object), once the layout has settled."""
        self.settle()
        widget = self.find(target) if isinstance(target, str) else target
        if widget.disabled:
            raise AssertionError(f"widget {target!r} is disabled")
        x, y = widget.to_window(*widget.center)
        self.tap_at(x, y, settle)
        return widget

    def tap_at(self, x: float, y: float, settle: float = 0.15) -> None:
        """A finger's touch at window coordinates: down, a frame or three, up."""
        touch = UnitTestTouch(x, y)
        with blocking.ui_turn():  # UnitTestTouch dispatches at once, not in the next frame: the handlers run here
            touch.touch_down()
        self.pump(0.05)
        with blocking.ui_turn():
            touch.touch_up()
        self.pump(settle)

    def type_keys(self, keys: str, settle: float = 0.02) -> None:
        """Tap the kiosk keyboard's key for each character (``key_<char>``; shift before a capital)."""
        for ch in keys:
            if ch.isupper():
                self.tap("key_shift", settle=settle)
            self.tap(f"key_{KEY_NAMES.get(ch, ch.lower())}", settle=settle)

    def texts(self, root: Widget | None = None) -> list[str]:
        """Every non-empty label text visible on the current screen and dialogs."""
        from kivy.uix.label import Label

        roots = [root] if root else [*(c for c in Window.children if c is not self.app.root), self.app.sm.current_screen]
        out = []
        for r in roots:
            for w in self.walk(r):
                if isinstance(w, Label) and w.text and w.opacity > 0:
                    out.append(w.text)
        return out

    def dismiss_dialogs(self) -> int:
        """Close every dialog on top of the app (a scene must not show the last one's); returns how many."""
        from kivy.uix.modalview import ModalView

        dialogs = [c for c in Window.children if c is not self.app.root]
        for dialog in dialogs:
            if isinstance(dialog, ModalView):
                dialog.dismiss(animation=False)
            else:
                Window.remove_widget(dialog)
        if dialogs:
            self.pump(0.05)
        return len(dialogs)

    # -------------------------------------------------------- screenshots

    def screenshot(self, path: str | Path) -> Path:
        """Save the window as PNG at exactly ``path`` (Kivy appends a counter; undo that)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pump(0.1)
        save_window_png(path)
        return path

    def close(self) -> None:
        """Take the app out of the window without closing the event loop (the next test reuses it)."""
        from kivy.app import App

        self.app.dispatch("on_stop")
        for child in list(Window.children):
            Window.remove_widget(child)
        # Callbacks already scheduled (a TextInput's refresh, kv rules that read ``app``) run now, while this
        # app is still the running one; cleared first, they would fail on ``app`` being None.
        self.pump(0.05)
        App._running_app = None
        forget_app_in_kv()


def forget_app_in_kv() -> None:
    """Make kv's ``app`` find the next app.

    kv rules read ``app`` through one proxy that keeps the first app it resolves and forgets it only on
    that app's ``on_stop``. A kv expression evaluated after ``on_stop`` (a callback still scheduled while
    closing) makes it keep the stopped app for good: the next app's screens would then bind
    ``app.portrait``, ``app.tr``… to the old app and never follow the new one (a portrait screen laid
    out as landscape, a language switch that changes nothing).
    """
    from kivy.lang.parser import global_idmap

    object.__setattr__(global_idmap["app"], "_obj", None)


# Set to a list to have every frame's duration appended (seconds): benchmarks/ui_stall.py reads it.
frame_times: list[float] | None = None


# When the frame now running started (perf_counter), or None between frames: a benchmark's sampler reads it.
frame_started: float | None = None


def _frame() -> None:
    """One turn of Kivy's event loop (touches, clock callbacks, a redraw), seen by the blocking-call guard."""
    global frame_started
    start = frame_started = time.perf_counter()
    try:
        with blocking.ui_turn():
            EventLoop.idle()
    finally:
        frame_started = None
    if frame_times is not None:
        frame_times.append(time.perf_counter() - start)


def save_window_png(path: Path) -> None:
    """Read the window's frame buffer and save it as PNG (what the citizen sees)."""
    from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
    from PIL import Image

    width, height = Window.size
    data = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
    image = Image.frombytes("RGBA", (width, height), data).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    tmp = path.with_name(f".{path.name}.tmp")
    image.convert("RGB").save(tmp, format="PNG", optimize=True)
    os.replace(tmp, path)


def stop_event_loop() -> None:
    stopTouchApp()

"""The base of every kiosk screen: access to the services, navigation, kv loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

_loaded_kv: set[str] = set()


def load_kv(py_file: str) -> None:
    """Load the ``.kv`` next to a screen module once per process (safe to call again)."""
    kv = str(Path(py_file).with_suffix(".kv"))
    if kv not in _loaded_kv and Path(kv).exists():
        Builder.load_file(kv)
        _loaded_kv.add(kv)


class KioskScreen(Screen):
    """A screen with the services and the journeys handed to it by the app.

    A journey's screen renders its journey's state and forwards the citizen's touches to it
    (``self.journeys.ticket.choose_priority(…)``); it never names the next screen nor changes the
    visit itself. Subclasses override :meth:`prepare` (called before the screen is shown) to read
    that state, :meth:`on_journeys` to watch it, and :meth:`reset` to drop widgets holding
    anything of the citizen's when the visit is wiped.
    """

    services = ObjectProperty(None, allownone=True)
    journeys = ObjectProperty(None, allownone=True)  # kiosk.journeys.Journeys
    journey = StringProperty("")  # which home journey this screen belongs to

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Bound, not overridden: subclasses' own on_pre_enter / on_leave need not call super().
        self.fbind("on_pre_enter", self._want_keys, True)
        self.fbind("on_leave", self._want_keys, False)

    def _want_keys(self, wanted: bool, *_args: Any) -> None:
        """On-screen keyboards hold their keys only while their screen is shown (screens/keyboard.py)."""
        for w in self.walk(restrict=True):
            if hasattr(w, "want_keys"):
                w.want_keys(wanted)

    @property
    def app(self) -> Any:
        return App.get_running_app()

    @property
    def visit(self) -> Any:
        return self.services.visit

    @property
    def is_current(self) -> bool:
        return self.manager is not None and self.manager.current == self.name

    def prepare(self, **params: Any) -> None:
        """Called before the screen is shown (by a journey's step, or ``app.go`` with params)."""

    def reset(self) -> None:
        """Forget anything of the current visit (called on wipe)."""

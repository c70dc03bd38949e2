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
    """A screen with the services handed to it by the app.

    Subclasses override :meth:`prepare` to receive navigation parameters
    (``app.go("ticket_priority", service="A")``) and :meth:`reset` to drop
    anything of the citizen's when the visit is wiped.
    """

    services = ObjectProperty(None, allownone=True)
    journey = StringProperty("")  # which home journey this screen belongs to

    @property
    def app(self) -> Any:
        return App.get_running_app()

    @property
    def visit(self) -> Any:
        return self.services.visit

    def prepare(self, **params: Any) -> None:
        """Called by ``app.go`` before the screen is shown, with the navigation params."""

    def reset(self) -> None:
        """Forget anything of the current visit (called on wipe)."""

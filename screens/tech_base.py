"""What every technician screen shares: saving a change, a status line, the text-edit dialog.

Why a dialog for text: a kiosk has no keyboard; the dialog brings the on-screen keyboard
with plain letters (no Telex: URLs and tokens are not Vietnamese words) and the symbols
URLs need. Saving goes through :mod:`kiosk.ops.settings`, so the screen can never put an
invalid value on disk: a refused change is shown in the status line and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from screens.base import KioskScreen, load_kv

load_kv(__file__)

def alive(fn: Callable[..., Any]) -> Callable[..., Any]:
    """For results of background work: drop them when the app stopped meanwhile (nothing to show them on)."""

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.app is None:
            return None
        return fn(self, *args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("colon", ":"), ("underscore", "_"), ("question", "?"), ("equals", "="), ("amp", "&"), ("tilde", "~"),
)


class TechScreen(KioskScreen):
    """A technician screen: ``status`` / ``status_kind`` feed the Banner at its bottom."""

    status = StringProperty("")
    status_kind = StringProperty("info")

    def t(self, key: str, **values: Any) -> str:
        return self.app.tr(key, **values)

    def say(self, key: str, kind: str = "info", **values: Any) -> None:
        self.status, self.status_kind = self.t(key, **values), kind

    def save(self, changes: dict[str, Any]) -> bool:
        """Validate, write atomically to the site file, apply to the running kiosk; say what happened."""
        from kiosk.base import ConfigError
        from kiosk.ops import apply_changes, apply_to_services

        try:
            new = apply_changes(self.services.config, changes, self.services.config_file)
        except ConfigError as e:
            self.say("tech.save_failed", "error", error=str(e))
            return False
        pending = apply_to_services(self.services, new, changes)
        self.say("tech.restart_needed" if pending else "tech.saved", "warn" if pending else "ok")
        return True

    def go_dashboard(self) -> None:
        self.app.go("tech_dashboard", remember=False)

    def reset(self) -> None:
        self.status = ""


class TechNavBar(BoxLayout):
    """Back to the dashboard and exit technician mode."""


class EditDialog(ModalView):
    """A value editor: text field, on-screen keyboard (plain letters + URL symbols), OK / Cancel."""

    title = StringProperty("")
    value = StringProperty("")
    layout = StringProperty("text")
    ok_callback = ObjectProperty(None, allownone=True)

    def on_open(self) -> None:
        ti = self.ids.ti_value
        ti.text = self.value
        ti.cursor = ti.get_cursor_from_index(len(ti.text))
        kb = self.ids.keyboard
        kb.method = "off"
        kb.layout = self.layout

    def press_extra(self, ch: str) -> None:
        self.ids.keyboard.press(ch)

    def ok(self) -> None:
        text = self.ids.ti_value.text.strip()
        self.dismiss()
        if self.ok_callback:
            self.ok_callback(text)


def edit_text(title: str, value: str, on_ok: Callable[[str], Any], layout: str = "text") -> EditDialog:
    """Open the editor; ``on_ok(new_text)`` runs when the technician confirms."""
    import screens.keyboard  # noqa: F401 - registers VirtualKeyboard for the kv rule

    dialog = EditDialog(title=title, value=value, ok_callback=on_ok, layout=layout)
    dialog.open()
    return dialog

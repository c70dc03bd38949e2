"""What every technician screen shares: saving a change, a status line, the text-edit dialog.

Why a dialog for text: a kiosk has no keyboard; the dialog brings the on-screen keyboard
with plain letters (no Telex: URLs and tokens are not Vietnamese words) and the symbols
URLs need. Saving goes through :mod:`kiosk.ops.settings`, so the screen can never put an
invalid value on disk: a refused change is shown in the status line and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from screens.background import run_in_background
from screens.base import KioskScreen, load_kv

load_kv(__file__)

def alive(fn: Callable[..., Any]) -> Callable[..., Any]:
    """For results of background work: drop them when the app stopped meanwhile (nothing to show them on)."""

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        app = self.app
        if app is None or getattr(app, "services", None) is not getattr(self, "services", None):
            return None  # the app stopped, or this screen belongs to one that did (tests start many)
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
    saving = BooleanProperty(False)  # a change is being written (tests wait for it; the screen may show it)
    _saves_pending = 0

    def t(self, key: str, **values: Any) -> str:
        return self.app.tr(key, **values)

    def say(self, key: str, kind: str = "info", **values: Any) -> None:
        self.status, self.status_kind = self.t(key, **values), kind

    def save(self, change: Change, then: Callable[[], Any] | None = None) -> None:
        """Validate, write atomically to the site file, apply to the running kiosk — on a worker.

        The write is fsync'd and audited, and swapping a camera stops its reader thread: time the window
        must not freeze for. Saves run one after another, in the order tapped, each on the config the
        one before left: ``change`` may be a function of that config (``+``/``−`` steps, toggles), so
        quick taps all count. ``then()`` runs on the UI thread once this change is saved.
        """
        self._saves_pending += 1
        self.saving = True
        self.say("tech.saving")
        run_in_background(_save_and_apply, self.services, change, pool=_SAVES,
                          on_result=lambda pending: self._saved(pending, then), on_error=self._save_failed)

    @alive
    def _saved(self, pending: list[str], then: Callable[[], Any] | None) -> None:
        self._save_done()
        self.say("tech.restart_needed" if pending else "tech.saved", "warn" if pending else "ok")
        if then is not None:
            then()

    @alive
    def _save_failed(self, exc: BaseException) -> None:
        from kiosk.base import ConfigError

        self._save_done()
        if isinstance(exc, ConfigError):
            self.say("tech.save_failed", "error", error=str(exc))
        else:  # never a traceback on screen: the log has it
            self.say("tech.save_failed", "error", error=type(exc).__name__)

    def _save_done(self) -> None:
        self._saves_pending = max(0, self._saves_pending - 1)
        self.saving = self._saves_pending > 0

    def go_dashboard(self) -> None:
        self.app.go("tech_dashboard", remember=False)

    def reset(self) -> None:
        self.status = ""


# A change to save: the sections and keys to set, or a function of the config in effect when it is saved.
Change = dict[str, Any] | Callable[[Any], dict[str, Any]]
_SAVES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-save")  # one at a time, in order


def _save_and_apply(services: Any, change: Change) -> list[str]:
    """The worker's half of :meth:`TechScreen.save`: what still needs a restart (ConfigError if refused)."""
    from kiosk.ops import apply_changes, apply_to_services

    changes = change(services.config) if callable(change) else change
    new = apply_changes(services.config, changes, services.config_file)
    return apply_to_services(services, new, changes)


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

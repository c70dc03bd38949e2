"""A modal to type one short text with the kiosk's own keyboard (optional comment, a reference).

Why a dialog: a rating or a reference is optional, so the keyboard should not take
half of the screen for everyone — only for the citizen who chooses to type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

from screens.base import load_kv
from screens.keyboard import VirtualKeyboard  # noqa: F401  (used in the kv rule)

load_kv(__file__)


class TextEntryDialog(ModalView):
    """Title, one text field bound to a :class:`VirtualKeyboard`, and OK / Cancel."""

    title = StringProperty("")
    text = StringProperty("")
    layout = StringProperty("text")  # keyboard layout: text | numeric
    method = StringProperty("telex")  # telex | vni | off (codes: off)
    max_chars = NumericProperty(300)
    done_cb = ObjectProperty(None, allownone=True)  # not on_…: Kivy binds on_* kwargs as events

    def on_kv_post(self, base_widget: Any) -> None:
        self.ids.txt_entry.text = self.text  # before opening: on_open comes only after the animation

    def on_open(self) -> None:
        field = self.ids.txt_entry
        Clock.schedule_once(lambda _dt: setattr(field, "focus", True), 0)

    def finish(self, ok: bool) -> None:
        value = self.ids.txt_entry.text.strip()
        self.dismiss()
        if ok and self.done_cb is not None:
            self.done_cb(value)


def ask_text(
    title: str,
    on_done: Callable[[str], Any],
    text: str = "",
    layout: str = "text",
    method: str = "telex",
    max_chars: int = 300,
) -> TextEntryDialog:
    dialog = TextEntryDialog(title=title, text=text, layout=layout, method=method, max_chars=max_chars,
                             done_cb=on_done)
    dialog.open()
    return dialog

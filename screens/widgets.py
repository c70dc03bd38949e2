"""Shared widgets: header bar, big tiles and buttons, labels that wrap, dialogs.

Sizes and colours come from ``app.sz`` and ``app.theme`` so that large-text
and high-contrast modes change every screen at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

from screens.icons import ICON_FONT, icon


class KLabel(Label):
    """A label that wraps to its width and grows in height with its text."""

    auto_height = BooleanProperty(True)


class IconLabel(Label):
    """One icon of the bundled icon font, by name (``icon_name: "ticket"``)."""

    icon_name = StringProperty("")
    font_name = StringProperty(ICON_FONT)

    def on_icon_name(self, _inst: Any, value: str) -> None:
        self.text = icon(value)


class KButton(Button):
    """A large button: ≥ 2 cm tall, bold text, optional icon before the text."""

    icon_name = StringProperty("")
    style = StringProperty("primary")  # primary | secondary | danger | quiet
    bg_color = ListProperty([0, 0, 0, 1])
    fg_color = ListProperty([1, 1, 1, 1])
    border_color = ListProperty([0, 0, 0, 0])

    def icon_markup(self, text: str) -> str:
        """Text preceded by its icon (icon font via markup)."""
        glyph = icon(self.icon_name) if self.icon_name else ""
        if not glyph:
            return text
        return f"[font={ICON_FONT}]{glyph}[/font]  {text}"


class ToolButton(KButton):
    """A compact header toggle: its icon above a short label (large text, contrast, sound, language)."""

    label = StringProperty("")

    def tool_markup(self, label: str, icon_name: str, font_size: float) -> str:
        glyph = icon(icon_name) if icon_name else ""
        if not glyph:
            return label
        return f"[font={ICON_FONT}][size={int(font_size * 1.5)}]{glyph}[/size][/font]\n{label}"


class Tile(ButtonBehavior, BoxLayout):
    """A big touch tile: icon, title and a short line under it (home, service choice)."""

    icon_name = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")
    tile_color = ListProperty([0.04, 0.31, 0.61, 1])
    selected = BooleanProperty(False)


class KioskHeader(BoxLayout):
    """Top bar on every screen: back, title, the accessibility toggles, finish.

    The toggles (large text, high contrast, sound, language) sit in the title row in
    landscape and move to a second row in portrait, where one row is too narrow.
    """

    title = StringProperty("")
    show_back = BooleanProperty(True)
    show_finish = BooleanProperty(True)
    back_action = ObjectProperty(None, allownone=True)

    def on_kv_post(self, base_widget: Any) -> None:
        app = App.get_running_app()
        if app is not None and hasattr(app, "portrait"):
            app.bind(portrait=self._place_tools)
            self._place_tools(app)

    def _place_tools(self, app: Any, *_args: Any) -> None:
        """Second row in portrait (one row is too narrow for them and the title)."""
        two_rows = bool(app.portrait)
        tools = self.ids.get("tools")
        target = self.ids.get("row_tools" if two_rows else "row_main")
        if tools is None or target is None or tools.parent is target:
            return
        if tools.parent is not None:
            tools.parent.remove_widget(tools)
        target.add_widget(tools, index=0 if two_rows else 1)  # one row: just before "Kết thúc"


class Banner(BoxLayout):
    """A coloured message strip: kind is info | ok | warn | error."""

    text = StringProperty("")
    kind = StringProperty("info")
    icon_name = StringProperty("information")


class MessageDialog(ModalView):
    """A modal message with one or two big buttons."""

    title = StringProperty("")
    body = StringProperty("")
    kind = StringProperty("info")
    ok_text = StringProperty("")
    cancel_text = StringProperty("")
    on_ok_cb = ObjectProperty(None, allownone=True)
    on_cancel_cb = ObjectProperty(None, allownone=True)

    def press_ok(self) -> None:
        self.dismiss()
        if self.on_ok_cb:
            self.on_ok_cb()

    def press_cancel(self) -> None:
        self.dismiss()
        if self.on_cancel_cb:
            self.on_cancel_cb()


class IdleDialog(ModalView):
    """"Bạn còn ở đó không?" with a countdown; the app decides what happens at zero."""

    seconds_left = NumericProperty(0)
    stay_cb = ObjectProperty(None, allownone=True)
    leave_cb = ObjectProperty(None, allownone=True)


def show_message(
    title: str,
    body: str,
    kind: str = "info",
    ok_text: str | None = None,
    cancel_text: str = "",
    on_ok: Callable[[], Any] | None = None,
    on_cancel: Callable[[], Any] | None = None,
) -> MessageDialog:
    """Open a :class:`MessageDialog` (texts already translated by the caller)."""
    app = App.get_running_app()
    dialog = MessageDialog(
        title=title,
        body=body,
        kind=kind,
        ok_text=ok_text or (app.tr["common.ok"] if app else "OK"),
        cancel_text=cancel_text,
    )
    # Set after construction: Widget() binds any "on_*" keyword as an event handler (None → AssertionError).
    dialog.on_ok_cb = on_ok
    dialog.on_cancel_cb = on_cancel
    Clock.schedule_once(lambda _dt: dialog.open(), 0)
    return dialog

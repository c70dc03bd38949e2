"""On-screen keyboard bound to a Kivy ``TextInput``: Vietnamese text or numbers.

Usage (kv)::

    VirtualKeyboard:
        id: keyboard
        target: txt_name          # any TextInput
        layout: "text"            # or "numeric" (dates, phone), "digits" (a CAN: no "/" key)

Text layout types through :mod:`kiosk.base.vnkeys` (Telex, VNI, or plain letters,
switched by the ``key_method`` button); the row of big accent buttons above it
(``tone_1`` … ``mark_dyet``) puts a mark on the word just typed, for people who
know neither Telex nor VNI. Every key is a :class:`KeyButton` with an id
(``key_a``, ``key_1``, ``key_space``, ``key_backspace``, ``key_shift``,
``key_done``…), so tests and other screens tap it like a finger would.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.base import vnkeys
from screens.base import load_kv
from screens.icons import ICON_FONT, icon
from screens.widgets import KButton

load_kv(__file__)

TEXT_ROWS: tuple[str, ...] = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
NUMERIC_ROWS: tuple[str, ...] = ("123", "456", "789", "/0")
DIGIT_ROWS: tuple[str, ...] = ("123", "456", "789", " 0")  # " ": an empty place, so 0 stays under 8
KEYPADS = {"numeric": NUMERIC_ROWS, "digits": DIGIT_ROWS}
# Keys with a name (id key_<name>) → the character they type.
PUNCT = {"comma": ",", "dot": ".", "dash": "-", "slash": "/", "at": "@"}
PICKER: tuple[tuple[str, str], ...] = (
    ("tone_1", "á"),
    ("tone_2", "à"),
    ("tone_3", "ả"),
    ("tone_4", "ã"),
    ("tone_5", "ạ"),
    ("tone_0", "a"),
    ("mark_circumflex", "â ê ô"),
    ("mark_breve", "ă"),
    ("mark_horn", "ơ ư"),
    ("mark_dyet", "đ"),
)
METHODS: tuple[str, ...] = ("telex", "vni", "off")


def _glyph(name: str) -> str:
    """An icon of the bundled icon font as label markup (Noto Sans has no ⌫ or ⇧)."""
    return f"[font={ICON_FONT}]{icon(name)}[/font]"


def configured() -> Any:
    """The ``[keyboard]`` section of the running kiosk's config (None outside the app)."""
    from kivy.app import App

    app = App.get_running_app()
    services = getattr(app, "services", None) if app else None
    return getattr(getattr(services, "config", None), "keyboard", None)


class KeyButton(KButton):
    """One key: ``key`` is what it types (or a command name such as ``backspace``)."""

    key = StringProperty("")


class KioskTextInput(TextInput):
    """A big one-line text box the :class:`VirtualKeyboard` types into (``max_chars`` 0 = no limit)."""

    max_chars = NumericProperty(0)
    invalid = BooleanProperty(False)


class KeyRow(BoxLayout):
    """One row of keys (height from ``app.sz.touch``)."""


class VirtualKeyboard(BoxLayout):
    """Vietnamese text / numeric keyboard typing into ``target``."""

    target = ObjectProperty(None, allownone=True)
    layout = OptionProperty("text", options=["text", "numeric", "digits"])
    method = OptionProperty("telex", options=list(METHODS))
    style = OptionProperty("new", options=["new", "old"])  # hoà (new) or hòa (old)
    shift = BooleanProperty(False)
    hint = StringProperty("")

    __events__ = ("on_done",)
    _built_for: str | None = None
    _keys_wanted: bool | None = None  # None: decided in the first frame (see _first_build)

    def __init__(self, **kwargs: Any) -> None:
        cfg = configured()
        if cfg is not None:  # the kiosk's [keyboard] settings, unless the caller chose
            kwargs.setdefault("method", cfg.method)
            kwargs.setdefault("style", cfg.tone_style)
        super().__init__(**kwargs)
        self.bind(layout=lambda *_: self.build_keys(), shift=lambda *_: self._relabel())

    # ------------------------------------------------------------ building

    def _key(self, name: str, label: str, key: str, **kw: Any) -> KeyButton:
        btn = KeyButton(text=label, key=key, **kw)
        btn.bind(on_release=lambda b: self.press(b.key))
        self.ids[f"key_{name}" if not name.startswith(("tone_", "mark_")) else name] = btn
        return btn

    def _row(self, **kw: Any) -> BoxLayout:
        row = KeyRow(**kw)
        self.ids.rows.add_widget(row)
        return row

    def want_keys(self, wanted: bool) -> None:
        """Keys only while the keyboard can be seen: its screen calls this on enter and on leave.

        Why: the keys are most of a keyboard screen's widgets (56 buttons, each with its label and
        bindings); five keyboard screens holding theirs all day cost ~20 MB of the kiosk's 250 MB
        (benchmarks/startup.py). Building them when the screen is entered takes one frame."""
        self._keys_wanted = wanted
        if wanted:
            self.build_keys()
        elif self._built_for is not None:
            self._drop_keys()
            self._built_for = None

    def _drop_keys(self) -> None:
        for name in [n for n in self.ids if n.startswith(("key_", "tone_", "mark_"))]:
            del self.ids[name]
        self.ids.rows.clear_widgets()

    def _first_build(self, *_args: Any) -> None:
        """A keyboard outside a screen (a dialog, a test) has its keys at once; one on a screen not shown waits."""
        if self._keys_wanted is None:
            screen = next((w for w in self._ancestors() if isinstance(w, Screen)), None)
            self._keys_wanted = screen is None or screen.manager is None or screen.manager.current == screen.name
        self.build_keys()

    def _ancestors(self) -> Any:
        w = self.parent
        while w is not None and w is not w.parent:
            yield w
            w = w.parent

    def build_keys(self) -> None:
        """(Re)create the keys for the current layout (while they are wanted)."""
        if "rows" not in self.ids or self._built_for == self.layout or self._keys_wanted is False:
            return
        self._built_for = self.layout
        self._drop_keys()
        if self.layout in KEYPADS:
            rows = KEYPADS[self.layout]
            for chars in rows:
                row = self._row()
                for ch in chars:
                    row.add_widget(Widget() if ch == " " else self._key("slash" if ch == "/" else ch, ch, ch))
                if chars == rows[-1]:
                    row.add_widget(self._key("backspace", _glyph("backspace"), "backspace", style="secondary"))
            self._row().add_widget(self._key("done", "", "done", style="primary"))
        else:
            picker = self._row()
            for name, label in PICKER:
                picker.add_widget(self._key(name, label, name, style="quiet"))
            for i, chars in enumerate(TEXT_ROWS):
                row = self._row()
                if i == 3:
                    row.add_widget(self._key("shift", _glyph("apple-keyboard-shift"), "shift", style="secondary", size_hint_x=1.5))
                for ch in chars:
                    row.add_widget(self._key(ch, ch, ch))
                if i == 2:
                    row.add_widget(self._key("backspace", _glyph("backspace"), "backspace", style="secondary", size_hint_x=1.5))
                if i == 3:
                    row.add_widget(self._key("comma", ",", ","))
                    row.add_widget(self._key("dot", ".", "."))
            last = self._row()
            last.add_widget(self._key("method", "", "method", style="secondary", size_hint_x=2.2))
            last.add_widget(self._key("dash", "-", "-", size_hint_x=0.8))
            last.add_widget(self._key("slash", "/", "/", size_hint_x=0.8))
            last.add_widget(self._key("space", "", " ", size_hint_x=4))
            last.add_widget(self._key("at", "@", "@", size_hint_x=0.8))
            last.add_widget(self._key("done", "", "done", style="primary", size_hint_x=2.2))
        self._relabel()

    def on_kv_post(self, base_widget: Any) -> None:
        if self._keys_wanted:
            self.build_keys()
        else:  # its parents are known in the next frame: a screen not shown keeps its keys unbuilt
            Clock.schedule_once(self._first_build, 0)

    def _hidden(self) -> bool:
        return self.opacity == 0 or self.height < 2

    def on_touch_down(self, touch: Any) -> bool:
        # A hidden keyboard (height 0) still has its keys laid out above it: never let them catch a touch.
        if self._hidden():
            return False
        return super().on_touch_down(touch)

    def on_touch_up(self, touch: Any) -> bool:
        if self._hidden():
            return False
        return super().on_touch_up(touch)

    def on_method(self, *_args: Any) -> None:
        self._relabel()

    def _relabel(self, *_args: Any) -> None:
        from kivy.app import App

        app = App.get_running_app()
        tr = app.tr if app else None
        for name, btn in self.ids.items():
            if name.startswith("key_") and len(btn.key) == 1 and btn.key.isalpha():
                btn.text = btn.key.upper() if self.shift else btn.key
        if "key_method" in self.ids and tr is not None:
            self.ids.key_method.text = tr[f"keyboard.method_{self.method}"]
        if "key_space" in self.ids and tr is not None:
            self.ids.key_space.text = tr["keyboard.space"]
        if "key_done" in self.ids and tr is not None:
            self.ids.key_done.text = tr["keyboard.done"]
        if "key_shift" in self.ids:
            self.ids.key_shift.style = "primary" if self.shift else "secondary"
        if tr is not None:
            self.hint = "" if self.layout in KEYPADS else tr[f"keyboard.hint_{self.method}"]

    def relabel(self, *_args: Any) -> None:
        """Call after the language changes."""
        self._relabel()

    # ------------------------------------------------------------ typing

    def press(self, key: str) -> None:
        """What a tap on a key does (public so screens can type programmatically)."""
        if key == "done":
            self.dispatch("on_done")
            return
        if key == "shift":
            self.shift = not self.shift
            return
        if key == "method":
            self.method = METHODS[(METHODS.index(self.method) + 1) % len(METHODS)]
            return
        ti = self.target
        if ti is None:
            return
        before, after = self._split(ti)
        if key == "backspace":
            start = vnkeys.current_word_start(before)
            if self.method != "off" and start < len(before):  # a letter: the word keeps its tone
                before = before[:start] + vnkeys.backspace(before[start:], self.style)
            else:  # a digit, a space, a sign: erased as it is
                before = before[:-1]
        elif key.startswith("tone_") or key.startswith("mark_"):
            start = vnkeys.current_word_start(before)
            word = before[start:]
            if key.startswith("tone_"):
                new = vnkeys.apply_tone(word, int(key[5:]), self.style)
            else:
                new = vnkeys.apply_mark(word, key[5:], self.style)
            if new is None:
                return
            before = before[:start] + new
        else:
            ch = key.upper() if self.shift and key.isalpha() else key
            self.shift = False
            if not self._allowed(ti, before + ch + after):
                return
            if vnkeys._is_word_key(ch, self.method) and self.layout == "text":
                start = vnkeys.current_word_start(before)
                before = before[:start] + vnkeys.type_key(before[start:], ch, self.method, self.style)
            else:
                before = before + ch
        self._write(ti, before, after)

    @staticmethod
    def _split(ti: Any) -> tuple[str, str]:
        index = ti.cursor_index() if ti.text else 0
        return ti.text[:index], ti.text[index:]

    @staticmethod
    def _allowed(ti: Any, new_text: str) -> bool:
        limit = getattr(ti, "max_chars", 0) or 0
        if limit and len(new_text) > limit:
            return False
        if ti.input_filter == "int" and not new_text.isdigit():
            return False
        return True

    @staticmethod
    def _write(ti: Any, before: str, after: str) -> None:
        ti.text = before + after
        ti.cursor = ti.get_cursor_from_index(len(before))

    def type_text(self, keys: str) -> None:
        """Press the keys for ``keys`` in order (space = the space bar)."""
        for ch in keys:
            self.press(ch)

    def on_done(self) -> None:
        """Fired by the "Xong" key; the screen decides (next field, close)."""

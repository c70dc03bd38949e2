"""The "lower layout" for wheelchair users: in portrait, every screen lives in the lower part.

Why a wrapper and not a flag in every screen: a portrait kiosk is ~1.9 m tall at its top
edge, out of reach from a wheelchair. Putting the whole screen manager under a calm
information panel moves every control of every screen — present and future — into
the lower ~58 % without each screen knowing. In landscape the panel folds away.
Turned on by ``[accessibility] lower_layout = true``.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from screens.base import load_kv

load_kv(__file__)

PANEL_FRACTION = 0.42


class LowerLayout(BoxLayout):
    """An information panel on top (nothing to touch) and the screens below it."""

    sm = ObjectProperty(None)
    panel_fraction = NumericProperty(PANEL_FRACTION)

    def __init__(self, sm: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sm = sm
        self.add_widget(sm)

"""Đánh giá, step 1: one tap on the configured scale (Rất hài lòng / Hài lòng / Không hài lòng).

The rating journey rates the visit's dossier or ticket when the kiosk knows it (after a
submission, a ticket or a lookup); from the home screen the citizen may type a dossier
code or ticket number, or leave it empty. "Không hài lòng" leads to the reasons step; once the
rating is in the outbox the citizen is thanked and the visit ends.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from screens.base import KioskScreen, load_kv
from screens.widgets import Tile, show_message

load_kv(__file__)
log = logging.getLogger(__name__)

LEVEL_ICONS = {"very_satisfied": "emoticon-happy", "satisfied": "emoticon", "neutral": "emoticon-neutral",
               "unsatisfied": "emoticon-sad"}
LEVEL_COLORS = {"very_satisfied": (0.12, 0.48, 0.20, 1), "satisfied": (0.04, 0.31, 0.61, 1),
                "neutral": (0.45, 0.45, 0.45, 1), "unsatisfied": (0.70, 0.15, 0.12, 1)}


def _rating(screen: KioskScreen) -> Any:
    return screen.services.rating if screen.services else None


class RateStepScreen(KioskScreen):
    """What both rating screens share: the journey's message, busy while sending, the thanks."""

    message = StringProperty("")
    message_kind = StringProperty("info")
    busy = BooleanProperty(False)
    _thanked: Any = None  # the visit part last thanked (one dialog per rating)

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.rate.watch(self.render)

    def render(self) -> None:
        part, app = self.visit.rate, self.app
        if app is None:
            return
        self.busy = part.state == "sending"
        if part.error:
            self.message, self.message_kind = app.tr[f"rate.error.{part.error}"], "error"
        else:
            self.message = ""
        if part.state == "sent" and self.is_current and self._thanked is not part:
            self._thanked = part
            if app.voice is not None:
                app.voice.say("voice.rate_thanks", app.lang)
            show_message(app.tr["rate.thanks_title"], app.tr["rate.thanks_body"], kind="ok", on_ok=app.finish_visit)

    def reset(self) -> None:
        self.message = ""
        self.busy = False


class RateScreen(RateStepScreen):
    """The question and one big tile per level of ``[rating] scale``."""

    ref = ObjectProperty(None, allownone=True)  # kiosk.aftercare.rating.RatingRef
    ref_text = StringProperty("")

    def on_services(self, _inst: Any, _services: Any) -> None:
        self.build_tiles()

    def build_tiles(self) -> None:
        grid = self.ids.levels
        grid.clear_widgets()
        service = _rating(self)
        if service is None:
            return
        for level in service.scale:
            tile = Tile(icon_name=LEVEL_ICONS.get(level, "star"), tile_color=LEVEL_COLORS.get(level, (0.3, 0.3, 0.3, 1)),
                        size_hint_y=1)
            tile.level = level
            tile.bind(on_release=lambda t: self.choose(t.level))
            self.ids[f"btn_level_{level}"] = tile
            grid.add_widget(tile)

    def relabel(self, *_args: Any) -> None:
        if not self.app:
            return
        for key, tile in self.ids.items():
            if key.startswith("btn_level_"):
                tile.title = self.app.tr[f"rate.level.{tile.level}"]
        label = self.ref.label if self.ref else ""
        self.ref_text = self.app.tr("rate.ref_from_visit", ref=label) if label else ""

    def render(self) -> None:
        super().render()
        self.ref = self.visit.rate.ref

    def prepare(self, **_params: Any) -> None:
        self.render()

    def on_pre_enter(self, *args: Any) -> None:
        if self.app and not getattr(self, "_bound", False):
            self.app.bind(tr=self.relabel)
            self._bound = True
        self.relabel()

    def on_ref(self, *_args: Any) -> None:
        self.relabel()

    def enter_ref(self) -> None:
        from screens.text_entry import ask_text

        ask_text(self.app.tr["rate.ref_label"], self.journeys.rate.set_ref, text=self.ref.label if self.ref else "",
                 method="off", max_chars=40)

    def choose(self, level: str) -> None:
        """A tap on the scale (the journey asks for reasons when unsatisfied, else sends)."""
        self.journeys.rate.choose(level)

    def reset(self) -> None:
        super().reset()
        self.ref = None

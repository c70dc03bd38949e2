"""Đánh giá, step 1: one tap on the configured scale (Rất hài lòng / Hài lòng / Không hài lòng).

The rating is about the visit's dossier or ticket when the kiosk knows it (after a
submission, a ticket or a lookup); from the home screen the citizen may type a dossier
code or ticket number, or leave it empty. "Không hài lòng" leads to the reasons screen.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from screens.background import run_in_background
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


def send_rating(screen: Any, rating_in: Any) -> None:
    """Queue the rating in the background; thank the citizen (then end the visit) or say what failed."""
    from kiosk.aftercare import RatingError

    service = _rating(screen)
    screen.busy = True

    def done(_result: Any) -> None:
        screen.busy = False
        app = screen.app
        if app is None:
            return
        if app.voice is not None:
            app.voice.say("voice.rate_thanks", app.lang)
        show_message(app.tr["rate.thanks_title"], app.tr["rate.thanks_body"], kind="ok", on_ok=app.finish_visit)

    def failed(exc: BaseException) -> None:
        screen.busy = False
        if screen.app is None:
            return
        key = exc.key if isinstance(exc, RatingError) else "unavailable"
        screen.message, screen.message_kind = screen.app.tr[f"rate.error.{key}"], "error"

    run_in_background(service.submit, rating_in, on_result=done, on_error=failed)


class RateScreen(KioskScreen):
    """The question and one big tile per level of ``[rating] scale``."""

    ref = ObjectProperty(None, allownone=True)  # kiosk.aftercare.rating.RatingRef
    ref_text = StringProperty("")
    message = StringProperty("")
    message_kind = StringProperty("info")
    busy = BooleanProperty(False)

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

    def prepare(self, **params: Any) -> None:
        from kiosk.aftercare import RatingRef

        self.message = ""
        visit = self.visit
        dossier = params.get("dossier_code") or visit.dossier_code
        ticket = params.get("ticket_number") or getattr(visit.ticket, "number", None)
        if dossier:
            self.ref = RatingRef(dossier_code=dossier)
        elif ticket:
            self.ref = RatingRef(ticket_number=ticket, service=ticket[:1] if ticket[:1].isalpha() else None)
        else:
            self.ref = None

    def on_pre_enter(self, *args: Any) -> None:
        if self.app and not getattr(self, "_bound", False):
            self.app.bind(tr=self.relabel)
            self._bound = True
        self.relabel()

    def on_ref(self, *_args: Any) -> None:
        self.relabel()

    def enter_ref(self) -> None:
        from screens.text_entry import ask_text

        ask_text(self.app.tr["rate.ref_label"], self._set_ref, text=self.ref.label if self.ref else "",
                 method="off", max_chars=40)

    def _set_ref(self, text: str) -> None:
        from kiosk.aftercare import RatingError

        try:
            self.ref = _rating(self).parse_ref(text) if text else None
            self.message = ""
        except RatingError as e:
            self.message, self.message_kind = e.message(self.app.lang), "error"

    def choose(self, level: str) -> None:
        from kiosk.aftercare import RatingError

        service = _rating(self)
        if self.busy or service is None:
            return
        if service.needs_reason(level):
            self.app.go("rate_reason", level=level, ref=self.ref)
            return
        try:
            rating_in = service.build(level, ref=self.ref, procedure_code=self.visit.procedure_code)
        except RatingError as e:
            self.message, self.message_kind = e.message(self.app.lang), "error"
            return
        send_rating(self, rating_in)

    def reset(self) -> None:
        self.ref = None
        self.message = ""
        self.busy = False

"""Đánh giá, step 2 (only for "Không hài lòng"): at least one reason tag, an optional comment.

The reason is required (Decision 766/QĐ-TTg practice): "Gửi đánh giá" without a tag
explains what is missing instead of sending. Tags are toggles — one tap on, one tap off.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    ListProperty,
    ObjectProperty,
    StringProperty,
)

from screens.base import KioskScreen, load_kv
from screens.rate import send_rating
from screens.widgets import Tile

load_kv(__file__)


class RateReasonScreen(KioskScreen):
    """One toggle tile per ``[rating] reasons`` entry, a comment button and "Gửi đánh giá"."""

    level = StringProperty("unsatisfied")
    ref = ObjectProperty(None, allownone=True)
    chosen = ListProperty([])
    comment = StringProperty("")
    message = StringProperty("")
    message_kind = StringProperty("info")
    busy = BooleanProperty(False)

    def on_services(self, _inst: Any, _services: Any) -> None:
        self.build_tiles()

    def _service(self) -> Any:
        return self.services.rating if self.services else None

    def build_tiles(self) -> None:
        grid = self.ids.reasons
        grid.clear_widgets()
        service = self._service()
        if service is None:
            return
        for code, _label in service.reasons():
            tile = Tile(icon_name="checkbox-blank-outline", tile_color=(0.70, 0.15, 0.12, 1), size_hint_y=None)
            tile.reason = code
            tile.bind(on_release=lambda t: self.toggle(t.reason))
            self.ids[f"btn_reason_{code}"] = tile
            grid.add_widget(tile)

    def relabel(self, *_args: Any) -> None:
        service = self._service()
        if service is None or not self.app:
            return
        for code, label in service.reasons(self.app.lang):
            tile = self.ids.get(f"btn_reason_{code}")
            if tile is not None:
                tile.title = label
                tile.selected = code in self.chosen
                tile.icon_name = "checkbox-marked" if tile.selected else "checkbox-blank-outline"

    def prepare(self, **params: Any) -> None:
        self.level = params.get("level", "unsatisfied")
        self.ref = params.get("ref")
        self.chosen = []
        self.comment = ""
        self.message = ""

    def on_pre_enter(self, *args: Any) -> None:
        if self.app and not getattr(self, "_bound", False):
            self.app.bind(tr=self.relabel)
            self._bound = True
        self.relabel()

    def on_chosen(self, *_args: Any) -> None:
        self.relabel()
        if self.chosen and self.message_kind == "error":
            self.message = ""

    def toggle(self, code: str) -> None:
        self.chosen = [c for c in self.chosen if c != code] if code in self.chosen else [*self.chosen, code]

    def write_comment(self) -> None:
        from screens.text_entry import ask_text

        ask_text(self.app.tr["rate.reason_text_label"], self._set_comment, text=self.comment, max_chars=500)

    def _set_comment(self, text: str) -> None:
        self.comment = text

    def send(self) -> None:
        from kiosk.aftercare import RatingError

        service = self._service()
        if self.busy or service is None:
            return
        try:
            rating_in = service.build(self.level, list(self.chosen), self.comment, ref=self.ref,
                                      procedure_code=self.visit.procedure_code)
        except RatingError as e:
            self.message, self.message_kind = e.message(self.app.lang), "error"
            return
        send_rating(self, rating_in)

    def reset(self) -> None:
        self.chosen = []
        self.comment = ""
        self.ref = None
        self.message = ""
        self.busy = False

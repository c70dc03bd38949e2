"""Đánh giá, step 2 (only for "Không hài lòng"): at least one reason tag, an optional comment.

The reason is required (Decision 766/QĐ-TTg practice): "Gửi đánh giá" without a tag
explains what is missing instead of sending (the rate journey checks it). Tags are toggles — one
tap on, one tap off.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import ListProperty, StringProperty

from screens.base import load_kv
from screens.rate import RateStepScreen
from screens.widgets import Tile

load_kv(__file__)


class RateReasonScreen(RateStepScreen):
    """One toggle tile per ``[rating] reasons`` entry, a comment button and "Gửi đánh giá"."""

    level = StringProperty("unsatisfied")
    chosen = ListProperty([])
    comment = StringProperty("")

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

    def render(self) -> None:
        super().render()
        part = self.visit.rate
        self.level = part.level or "unsatisfied"
        self.chosen = list(part.reasons)
        self.comment = part.comment

    def prepare(self, **_params: Any) -> None:
        self.render()

    def on_pre_enter(self, *args: Any) -> None:
        if self.app and not getattr(self, "_bound", False):
            self.app.bind(tr=self.relabel)
            self._bound = True
        self.relabel()

    def on_chosen(self, *_args: Any) -> None:
        self.relabel()

    def toggle(self, code: str) -> None:
        self.journeys.rate.toggle_reason(code)

    def write_comment(self) -> None:
        from screens.text_entry import ask_text

        ask_text(self.app.tr["rate.reason_text_label"], self.journeys.rate.set_comment, text=self.comment, max_chars=500)

    def send(self) -> None:
        """"Gửi đánh giá" (the journey says when a reason is missing)."""
        self.journeys.rate.send()

    def reset(self) -> None:
        super().reset()
        self.chosen = []
        self.comment = ""

"""Ticket journey, step 2: "Bạn thuộc diện ưu tiên?" — one tap on a category (or "no") prints.

Categories come from ``[queue] priority_categories``. When the citizen's ID card was
read earlier in the visit and they are at least ``priority_age``, the ticket journey suggests
"elderly": it is highlighted and explained. Choosing a priority turns large text on (the app, when
``[accessibility] large_text_for_priority`` says so).
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen, load_kv
from screens.widgets import Tile

load_kv(__file__)

ICONS = {"elderly": "walk", "disabled": "wheelchair-accessibility", "pregnant": "human-pregnant",
         "child": "baby", "merit": "star-circle"}
COLORS = [(0.60, 0.36, 0.00, 1), (0.04, 0.31, 0.61, 1), (0.64, 0.09, 0.10, 1), (0.12, 0.48, 0.20, 1), (0.36, 0.20, 0.55, 1)]


class TicketPriorityScreen(KioskScreen):
    """One tile per priority category plus "Không, tôi lấy số thường"."""

    service_code = StringProperty("")
    service_label = StringProperty("")
    suggestion = StringProperty("")  # "" or the code of the suggested category
    suggestion_text = StringProperty("")
    closed_text = StringProperty("")  # the service is outside its opening hours (a ticket is still possible)
    busy = BooleanProperty(False)

    def on_services(self, _inst: object, services: Any) -> None:
        self.build_tiles()

    def build_tiles(self) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        if not self.services:
            return
        for i, cat in enumerate(self.services.config.queue.priority_categories):
            tile = Tile(icon_name=ICONS.get(cat.code, "account-star"), tile_color=COLORS[i % len(COLORS)], size_hint_y=1)
            tile.priority_code = cat.code
            tile.bind(on_release=lambda t: self.choose(t.priority_code))
            self.ids[f"btn_priority_{cat.code}"] = tile
            grid.add_widget(tile)
        self.relabel()

    def relabel(self, *_args: object) -> None:
        if not self.services:
            return
        app = self.app
        lang = app.lang if app else "vi"
        for cat in self.services.config.queue.priority_categories:
            tile = self.ids.get(f"btn_priority_{cat.code}")
            if tile is not None:
                tile.title = cat.name_vi if lang == "vi" else cat.name_en
                tile.selected = cat.code == self.suggestion
                tile.subtitle = ""
        self.closed_text = ""
        if self.service_code:
            try:
                svc = self.services.config.service(self.service_code)
                name = svc.name_vi if lang == "vi" else svc.name_en
                self.service_label = app.tr("ticket.priority.service", service=f"{svc.code} · {name}") if app else name
                if app and self.journeys and not self.journeys.ticket.is_open():
                    self.closed_text = app.tr("ticket.issued.closed", opens=svc.opens, closes=svc.closes)
            except KeyError:
                self.service_label = ""
        if self.suggestion and app:
            self.suggestion_text = app.tr("ticket.priority.suggest_elderly", age=self.services.config.queue.priority_age)
        else:
            self.suggestion_text = ""

    def prepare(self, **_params: Any) -> None:
        part = self.visit.ticket
        self.service_code = part.service_code or ""
        self.suggestion = part.suggestion or ""
        self.busy = self.journeys.ticket.busy if self.journeys else False
        self.relabel()

    def on_pre_enter(self, *args: object) -> None:
        self.relabel()

    def choose(self, priority: str | None) -> None:
        """Issue and print at once (the journey takes no second ticket for a second tap)."""
        self.journeys.ticket.choose_priority(priority)

    def reset(self) -> None:
        self.service_code = ""
        self.suggestion = ""
        self.suggestion_text = ""
        self.closed_text = ""
        self.busy = False

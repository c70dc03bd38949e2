"""Ticket journey, step 1: choose the service area (large tiles with icons)."""

from __future__ import annotations

from kivy.properties import ListProperty

from screens.base import KioskScreen, load_kv
from screens.widgets import Tile

load_kv(__file__)


class TicketServiceScreen(KioskScreen):
    """One tile per service of the config; the tile leads to the priority question."""

    tiles = ListProperty([])

    def on_services(self, _inst: object, services: object) -> None:
        self.build_tiles()

    def build_tiles(self) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        if not self.services:
            return
        colors = [(0.64, 0.09, 0.10, 1), (0.04, 0.31, 0.61, 1), (0.12, 0.48, 0.20, 1), (0.60, 0.36, 0.00, 1), (0.36, 0.20, 0.55, 1)]
        for i, svc in enumerate(self.services.config.services):
            tile = Tile(icon_name=_ICONS.get(svc.icon, "ticket"), tile_color=colors[i % len(colors)], size_hint_y=1)
            tile.service_code = svc.code
            tile.bind(on_release=lambda t: self.choose(t.service_code))
            self.ids[f"btn_service_{svc.code}"] = tile
            grid.add_widget(tile)
        self.relabel()

    def relabel(self, *_args: object) -> None:
        lang = self.app.lang if self.app else "vi"
        for svc in self.services.config.services:
            tile = self.ids.get(f"btn_service_{svc.code}")
            if tile is not None:
                tile.title = f"{svc.code}  ·  {svc.name_vi if lang == 'vi' else svc.name_en}"
                where = svc.where_vi if lang == "vi" else svc.where_en
                tile.subtitle = "  ·  ".join(x for x in (where, f"{svc.opens}–{svc.closes}") if x)

    def on_pre_enter(self, *args: object) -> None:
        self.relabel()

    def choose(self, code: str) -> None:
        self.journeys.ticket.choose_service(code)


_ICONS = {"family": "human-male-female", "stamp": "certificate", "house": "home-modern", "shop": "store", "id": "account-card-details"}

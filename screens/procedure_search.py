"""Submit journey, step 2: find the procedure — by typing (accents and typos forgiven) or by area.

The keyboard opens only when the citizen touches the search box, so the list of
procedures has the whole screen otherwise.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from screens.base import KioskScreen, load_kv
from screens.keyboard import KioskTextInput, VirtualKeyboard  # noqa: F401  (kv rules)
from screens.widgets import KButton, Tile

load_kv(__file__)

FIELD_COLORS = [(0.04, 0.31, 0.61, 1), (0.64, 0.09, 0.10, 1), (0.12, 0.48, 0.20, 1), (0.60, 0.36, 0.00, 1), (0.36, 0.20, 0.55, 1)]
FIELD_ICONS = {"Hộ tịch": "human-male-female", "Chứng thực": "certificate", "Cư trú": "home-modern", "Kinh doanh": "store"}


def code_id(code: str) -> str:
    """A procedure code as part of a kv id: ``1.001193`` → ``1_001193``."""
    return "".join(ch if ch.isalnum() else "_" for ch in code)


def time_text(procedure: Any, tr: Any) -> str:
    days = procedure.legal_time.working_days
    return tr["declare.same_day"] if days == 0 else tr("declare.days", n=days)


def fee_text(procedure: Any, tr: Any) -> str:
    amount = procedure.fee.amount
    return tr["declare.free"] if amount == 0 else f"{amount:,}".replace(",", ".") + " đ"


class ProcedureSearchScreen(KioskScreen):
    """Search box, area chips, and one tile per procedure found."""

    query = StringProperty("")
    field_filter = StringProperty("")
    keyboard_open = BooleanProperty(False)
    count = NumericProperty(0)

    def prepare(self, **params: Any) -> None:
        self.refresh()

    def reset(self) -> None:
        self.query = ""
        self.field_filter = ""
        self.keyboard_open = False
        if "txt_search" in self.ids:
            self.ids.txt_search.text = ""

    def on_kv_post(self, base_widget: Any) -> None:
        self.ids.keyboard.bind(on_done=lambda *_: self.close_keyboard())

    # ------------------------------------------------------------ events

    def on_query_text(self, text: str) -> None:
        self.query = text
        self.refresh()

    def open_keyboard(self) -> None:
        self.keyboard_open = True

    def close_keyboard(self) -> None:
        self.keyboard_open = False
        self.ids.txt_search.focus = False

    def clear(self) -> None:
        self.ids.txt_search.text = ""
        self.field_filter = ""
        self.refresh()

    def choose_field(self, name: str) -> None:
        self.field_filter = "" if name == self.field_filter else name
        self.refresh()

    def choose(self, code: str) -> None:
        self.close_keyboard()
        self.journeys.submit.choose_procedure(code)

    # ------------------------------------------------------------ lists

    def _lang(self) -> str:
        return self.app.lang if self.app else "vi"

    def refresh(self, *_args: Any) -> None:
        catalog = self.services.catalog if self.services else None
        if catalog is None or "results" not in self.ids:
            return
        lang = self._lang()
        self._build_fields(catalog, lang)
        if self.query.strip():
            found = catalog.search(self.query, limit=12)
        else:
            found = list(catalog)
        if self.field_filter:
            found = [p for p in found if p.field_vi == self.field_filter]
        grid = self.ids.results
        for key in [k for k in self.ids if k.startswith(("btn_proc_", "btn_result_"))]:
            del self.ids[key]
        grid.clear_widgets()
        fields = catalog.fields("vi")
        tr = self.app.tr
        for i, p in enumerate(found):
            color = FIELD_COLORS[fields.index(p.field_vi) % len(FIELD_COLORS)] if p.field_vi in fields else FIELD_COLORS[0]
            tile = Tile(
                icon_name=FIELD_ICONS.get(p.field_vi, "file-document"),
                title=p.name(lang),
                subtitle=f"{p.field_name(lang)}  ·  {time_text(p, tr)}  ·  {fee_text(p, tr)}",
                tile_color=color,
            )
            tile.procedure_code = p.code
            tile.bind(on_release=lambda t: self.choose(t.procedure_code))
            self.ids[f"btn_proc_{code_id(p.code)}"] = tile
            self.ids[f"btn_result_{i}"] = tile
            grid.add_widget(tile)
        self.count = len(found)
        self.ids.scroll.scroll_y = 1

    def _build_fields(self, catalog: Any, lang: str) -> None:
        box = self.ids.fields
        for key in [k for k in self.ids if k.startswith("btn_field_")]:
            del self.ids[key]
        box.clear_widgets()
        tr = self.app.tr
        entries = [("", tr["declare.all_fields"])] + list(zip(catalog.fields("vi"), catalog.fields(lang)))
        for i, (vi_name, label) in enumerate(entries):
            btn = KButton(text=label, style="primary" if vi_name == self.field_filter else "secondary",
                          size_hint_x=None, font_size=self.app.sz.small,
)
            # Width from the text length (binding to texture_size would loop: KButton wraps to its width).
            btn.width = max(self.app.sz.header_button * 0.8, len(label) * self.app.sz.small * 0.62 + 2 * self.app.sz.pad)
            btn.field_name = vi_name
            btn.bind(on_release=lambda b: self.choose_field(b.field_name))
            self.ids["btn_field_all" if not vi_name else f"btn_field_{i}"] = btn
            box.add_widget(btn)

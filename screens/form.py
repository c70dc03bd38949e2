"""Submit journey, step 4: the declaration, one group of fields per page, big inputs.

Fields the ID card answered are filled, marked "Lấy từ thẻ căn cước" and locked (shown, not
editable: the applicant is built from the form, and the card's values on it are the card's); the
citizen types the rest on the kiosk's keyboard (Vietnamese text, or digits for dates, numbers,
phones and ID numbers). "Tiếp tục" asks the submit journey, which either names the fields to fix
(shown in plain Vietnamese under them) or moves on. A value read on a scanned paper is offered under its
field ("Đọc từ giấy tờ: … — Dùng?", ``SubmitJourney.offered``): only where the citizen has not answered and the
card did not; "Dùng" fills it. A page whose fields a paper carries offers "Chụp … để ki-ốt điền giúp". The values live in the journey's form
(``visit.submit.form``), wiped with the visit.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.declarations import FieldError, FieldLocked, FormState
from screens.base import KioskScreen, load_kv
from screens.keyboard import KioskTextInput, VirtualKeyboard  # noqa: F401  (kv rules)
from screens.widgets import KButton

load_kv(__file__)

NUMERIC_TYPES = {"date", "number", "phone", "id_number"}
TEXT_TYPES = NUMERIC_TYPES | {"text", "address", "email"}


class FieldRow(BoxLayout):
    """Label, "from your card" badge, help, the input, and the error under it."""

    key = StringProperty("")
    label = StringProperty("")
    help = StringProperty("")
    error = StringProperty("")
    from_card = BooleanProperty(False)
    required = BooleanProperty(False)
    suggestion = StringProperty("")  # "Đọc từ giấy tờ: … — Dùng?" when a scanned paper offers a value
    from_paper = BooleanProperty(False)  # the value is one read on a paper and accepted
    card_text = StringProperty("")  # the badge's words for a card value: from the chip, or the card's but editable


class FormScreen(KioskScreen):
    """One page of the procedure's form at a time, with the keyboard docked at the bottom."""

    procedure = ObjectProperty(None, allownone=True)
    page_index = NumericProperty(0)
    page_count = NumericProperty(1)
    page_title = StringProperty("")
    banner = StringProperty("")
    keyboard_open = BooleanProperty(False)
    scan_to_fill = StringProperty("")  # "Chụp giấy chứng sinh để ki-ốt điền giúp" on a page a paper can fill

    @property
    def state(self) -> FormState | None:
        """The form being filled (the submit journey's)."""
        return self.journeys.submit.form if self.journeys else None

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.submit.watch(self._journey_changed)

    def prepare(self, **_: Any) -> None:
        submit = self.journeys.submit
        self.procedure = submit.procedure if submit.form is not None else None
        self.banner = ""
        if self.procedure is None:
            return
        self.page_count = len(self.procedure.form.pages)
        self.page_index = submit.page
        self.build_page()
        self._show_errors(submit.part.errors)

    def _journey_changed(self) -> None:
        """The journey moved to another page, or named fields to fix."""
        submit = self.journeys.submit
        if not self.is_current or self.procedure is None or submit.step != "form":
            return
        if submit.page != self.page_index:
            self.page_index = submit.page
            self.banner = ""
            self.build_page()
        self._refresh_offers()
        self._show_errors(submit.part.errors)

    def reset(self) -> None:
        self.procedure = None
        self.banner = ""
        self.keyboard_open = False
        if "fields" in self.ids:
            self.ids.fields.clear_widgets()

    def on_kv_post(self, base_widget: Any) -> None:
        self.ids.keyboard.bind(on_done=lambda *_: self.next_input())

    # ------------------------------------------------------------ building a page

    @property
    def lang(self) -> str:
        return self.app.lang if self.app else "vi"

    def build_page(self, *_args: Any) -> None:
        if self.procedure is None or "fields" not in self.ids:
            return
        lang = self.lang
        page = self.procedure.form.pages[self.page_index]
        self.page_title = page.title(lang)
        box = self.ids.fields
        for key in [k for k in self.ids if k.startswith(("in_", "opt_", "chk_", "err_", "row_", "btn_use_"))]:
            del self.ids[key]
        box.clear_widgets()
        self._inputs: list[Any] = []
        state = self.state
        for f in state.page_fields(self.page_index):
            locked = state.locked(f.key)
            row = FieldRow(key=f.key, label=f.label(lang), help=f.help(lang), required=f.required, from_card=locked)
            self.ids[f"row_{f.key}"] = row
            self.ids[f"err_{f.key}"] = row.ids.lbl_error
            self.ids[f"btn_use_{f.key}"] = row.ids.btn_use
            row.ids.btn_use.bind(on_release=lambda _b, k=f.key: self.use_suggestion(k))
            holder = row.ids.holder
            if f.type in TEXT_TYPES:
                ti = KioskTextInput(text=state.get(f.key), max_chars=f.max_length, unfocus_on_touch=False, readonly=locked)
                ti.field_key, ti.field_type = f.key, f.type
                ti.bind(text=lambda w, value: self._typed(w.field_key, value))
                ti.bind(focus=lambda w, focused: self._focused(w) if focused else None)
                self.ids[f"in_{f.key}"] = ti
                self._inputs.append(ti)
                holder.add_widget(ti)
            elif f.type == "select":
                n = len(f.options)
                cols = n if n <= 3 else (2 if self.app.portrait else 3)
                grid = GridLayout(cols=cols, spacing=self.app.sz.pad * 0.4, size_hint_y=None)
                grid.bind(minimum_height=grid.setter("height"))
                for o in f.options:
                    btn = KButton(text=o.label(lang), font_size=self.app.sz.body * 0.9,
                                  disabled=locked and o.value != state.get(f.key))
                    btn.field_key, btn.value = f.key, o.value
                    btn.bind(on_release=lambda b: self.select(b.field_key, b.value))
                    self.ids[f"opt_{f.key}_{o.value}"] = btn
                    grid.add_widget(btn)
                holder.add_widget(grid)
            elif f.type == "checkbox":
                btn = KButton(font_size=self.app.sz.body, size_hint_x=None, width=self.app.sz.header_button * 1.2)
                btn.field_key = f.key
                btn.bind(on_release=lambda b: self.toggle(b.field_key))
                self.ids[f"chk_{f.key}"] = btn
                holder.add_widget(btn)
            box.add_widget(row)
        self._refresh_offers()
        self._restyle()
        self._to_top()
        Clock.schedule_once(lambda _dt: self._to_top(), 0)

    def _to_top(self) -> None:
        """Show the page from its first field (also after another visit left the view scrolled)."""
        scroll = self.ids.scroll
        scroll.scroll_y = 1
        scroll.effect_y.value = scroll.effect_y.min if scroll.effect_y.min is not None else 0
        scroll.update_from_scroll()

    def _restyle(self) -> None:
        tr = self.app.tr
        for f in self.state.page_fields(self.page_index):
            value = self.state.get(f.key)
            if f.type == "select":
                for o in f.options:
                    btn = self.ids.get(f"opt_{f.key}_{o.value}")
                    if btn is not None:
                        btn.style = "primary" if o.value == value else "secondary"
            elif f.type == "checkbox":
                btn = self.ids.get(f"chk_{f.key}")
                if btn is not None:
                    on = value == "1"
                    btn.style = "primary" if on else "secondary"
                    btn.icon_name = "checkbox-marked" if on else "checkbox-blank-outline"
                    btn.text = btn.icon_markup(tr["declare.checkbox_yes"])

    # ------------------------------------------------------------ input

    def _set(self, key: str, value: str) -> bool:
        """Hand a value to the journey; False for a value read from the card (it stays as it was)."""
        try:
            self.journeys.submit.set_value(key, value)
        except FieldLocked:
            return False
        return True

    def _typed(self, key: str, value: str) -> None:
        if not self._set(key, value):
            self.ids[f"in_{key}"].text = self.state.get(key)
            return
        row = self.ids.get(f"row_{key}")
        if row is not None and row.error:
            row.error = ""
            self.ids[f"in_{key}"].invalid = False
        self._refresh_offers()

    def _focused(self, ti: Any) -> None:
        if ti.readonly:  # read from the card: nothing to type
            ti.focus = False
            self.close_keyboard()
            return
        kb = self.ids.keyboard
        kb.target = ti
        kb.layout = "numeric" if ti.field_type in NUMERIC_TYPES else "text"
        if ti.field_type == "email":
            kb.method = "off"
        elif kb.method == "off":
            cfg = self.services.config.keyboard
            kb.method = cfg.method if cfg.method != "off" else "telex"
        self.keyboard_open = True
        # Scroll once the keyboard has taken its room (the scroll view shrinks first).
        for delay in (0.05, 0.3):
            Clock.schedule_once(lambda _dt, k=ti.field_key: self._scroll_to(k), delay)

    def _scroll_to(self, key: str) -> None:
        """Bring a field into view (only when the page is taller than the view: Kivy misplaces it otherwise)."""
        row = self.ids.get(f"row_{key}")
        scroll = self.ids.scroll
        if row is None or row.parent is None:
            return
        if self.ids.fields.height <= scroll.height:
            scroll.scroll_y = 1
            return
        scroll.scroll_to(row, padding=20, animate=False)

    def focus_field(self, key: str) -> None:
        ti = self.ids.get(f"in_{key}")
        if ti is not None and not ti.readonly:
            ti.focus = True
            self._focused(ti)

    def next_input(self) -> None:
        """The keyboard's "Xong": go to the next text field, or close the keyboard after the last."""
        current = self.ids.keyboard.target
        inputs = [ti for ti in getattr(self, "_inputs", []) if not ti.readonly]
        if current in inputs and inputs.index(current) + 1 < len(inputs):
            self.focus_field(inputs[inputs.index(current) + 1].field_key)
        else:
            self.close_keyboard()

    def close_keyboard(self) -> None:
        self.keyboard_open = False
        for ti in getattr(self, "_inputs", []):
            ti.focus = False

    def select(self, key: str, value: str) -> None:
        if not self._set(key, value):
            return
        row = self.ids.get(f"row_{key}")
        if row is not None:
            row.error = ""
        if any(f.show_if and f.show_if.field == key for f in self.procedure.form.pages[self.page_index].fields):
            self.build_page()
        else:
            self._restyle()

    # ------------------------------------------------------------ values read on the papers

    def _refresh_offers(self) -> None:
        """Each field's offer from the papers (or none), whether its value came from one, and the page's
        "Chụp … để điền giúp" button."""
        submit, lang = self.journeys.submit, self.lang
        for f in self.state.page_fields(self.page_index):
            row = self.ids.get(f"row_{f.key}")
            if row is None:
                continue
            sug = submit.offered(f.key)
            row.suggestion = self.app.tr("declare.suggestion", value=sug.display or sug.value) if sug else ""
            taken = submit.part.accepted.get(f.key)
            row.from_paper = taken is not None and self.state.get(f.key) == taken.value
            self._card_badge(row, f.key)
        papers = [] if submit.part.scanned else submit.papers_for_page(self.page_index)
        self.scan_to_fill = (self.app.tr("declare.scan_to_fill", name=papers[0].name(lang).split(" (")[0].lower())
                             if papers else "")

    def _card_badge(self, row: Any, key: str) -> None:
        """"Lấy từ thẻ căn cước" (locked), "… chip …" for what only the chip holds, "… bạn có thể sửa" (editable)."""
        state, tr = self.state, self.app.tr
        source = state.sources.get(key)
        row.from_card = source in ("identity", "card")
        row.card_text = (tr["declare.from_card_editable"] if source == "card" else
                         tr["declare.from_chip"] if state.from_chip(key) else "")

    def use_suggestion(self, key: str) -> None:
        """"Dùng": the value read on the paper fills the field."""
        if not self.journeys.submit.accept_suggestion(key):
            self._refresh_offers()
            return
        ti = self.ids.get(f"in_{key}")
        if ti is not None:
            ti.text = self.state.get(key)
            ti.invalid = False
        row = self.ids.get(f"row_{key}")
        if row is not None:
            row.error = ""
        self._refresh_offers()
        self._restyle()

    def scan_papers(self) -> None:
        """"Chụp … để ki-ốt điền giúp": the scan step, then back to this page with the values read."""
        self.close_keyboard()
        self.journeys.submit.scan_for_form()

    def toggle(self, key: str) -> None:
        self._set(key, "" if self.state.get(key) == "1" else "1")
        self._restyle()

    # ------------------------------------------------------------ pages

    def show_errors(self) -> bool:
        """Check the page shown (the journey keeps the errors); True when it has none."""
        return not self.journeys.submit.check_page()

    def _show_errors(self, errors: dict[str, FieldError]) -> None:
        for f in self.state.page_fields(self.page_index):
            row = self.ids.get(f"row_{f.key}")
            err = errors.get(f.key)
            if row is not None:
                row.error = err.message(self.lang) if err else ""
            ti = self.ids.get(f"in_{f.key}")
            if ti is not None:
                ti.invalid = err is not None
        if errors:
            self.banner = self.app.tr["declare.fix_page"]
            self._scroll_to(next(iter(errors)))
        else:
            self.banner = ""

    def next_page(self) -> None:
        """"Tiếp tục": the journey shows the errors, the next page, or the next step."""
        self.close_keyboard()
        self.journeys.submit.next_page()

    def prev_page(self) -> None:
        self.close_keyboard()
        self.banner = ""
        self.journeys.submit.prev_page()

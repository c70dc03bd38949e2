"""Submit journey, step 4: the declaration, one group of fields per page, big inputs.

Fields the ID card already answered are filled and marked "Lấy từ thẻ căn cước"; the
citizen types the rest on the kiosk's keyboard (Vietnamese text, or digits for dates,
numbers, phones and ID numbers). "Tiếp tục" checks the page and shows plain Vietnamese
messages under the fields to fix. Values live in ``visit.form_values`` (wiped with the visit).
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

from kiosk.declarations import FormState
from screens.base import KioskScreen, load_kv
from screens.keyboard import KioskTextInput, VirtualKeyboard  # noqa: F401  (kv rules)
from screens.widgets import KButton

load_kv(__file__)

NUMERIC_TYPES = {"date", "number", "phone", "id_number"}
TEXT_TYPES = NUMERIC_TYPES | {"text", "address", "email"}


def form_state(visit: Any, procedure: Any) -> FormState:
    """The visit's form for ``procedure`` (started from the ID card the first time)."""
    state = visit.notes.get("form")
    if state is None or state.schema is not procedure.form:
        state = FormState.start(procedure.form, visit.identity)
        visit.form_values.clear()
        visit.form_values.update(state.values)
        state.values = visit.form_values
        visit.notes["form"] = state
    return state


class FieldRow(BoxLayout):
    """Label, "from your card" badge, help, the input, and the error under it."""

    key = StringProperty("")
    label = StringProperty("")
    help = StringProperty("")
    error = StringProperty("")
    from_card = BooleanProperty(False)
    required = BooleanProperty(False)


class FormScreen(KioskScreen):
    """One page of the procedure's form at a time, with the keyboard docked at the bottom."""

    procedure = ObjectProperty(None, allownone=True)
    page_index = NumericProperty(0)
    page_count = NumericProperty(1)
    page_title = StringProperty("")
    banner = StringProperty("")
    keyboard_open = BooleanProperty(False)

    def prepare(self, code: str = "", page: int = 0, **_: Any) -> None:
        catalog = self.services.catalog
        self.procedure = catalog.get(code or self.visit.procedure_code or "")
        if self.procedure is None:
            return
        self.visit.procedure_code = self.procedure.code
        self.state = form_state(self.visit, self.procedure)
        self.page_count = len(self.procedure.form.pages)
        self.page_index = max(0, min(int(page), self.page_count - 1))
        self.banner = ""
        self.build_page()

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
        tr, lang = self.app.tr, self.lang
        page = self.procedure.form.pages[self.page_index]
        self.page_title = page.title(lang)
        box = self.ids.fields
        for key in [k for k in self.ids if k.startswith(("in_", "opt_", "chk_", "err_", "row_"))]:
            del self.ids[key]
        box.clear_widgets()
        self._inputs: list[Any] = []
        for f in self.state.page_fields(self.page_index):
            row = FieldRow(
                key=f.key, label=f.label(lang), help=f.help(lang), required=f.required,
                from_card=self.state.sources.get(f.key) == "identity",
            )
            self.ids[f"row_{f.key}"] = row
            self.ids[f"err_{f.key}"] = row.ids.lbl_error
            holder = row.ids.holder
            if f.type in TEXT_TYPES:
                ti = KioskTextInput(text=self.state.get(f.key), max_chars=f.max_length, unfocus_on_touch=False)
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
                    btn = KButton(text=o.label(lang), font_size=self.app.sz.body * 0.9)
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

    def _typed(self, key: str, value: str) -> None:
        self.state.set(key, value)
        row = self.ids.get(f"row_{key}")
        if row is not None:
            row.from_card = self.state.sources.get(key) == "identity"
            if row.error:
                row.error = ""
                self.ids[f"in_{key}"].invalid = False

    def _focused(self, ti: Any) -> None:
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
        if ti is not None:
            ti.focus = True
            self._focused(ti)

    def next_input(self) -> None:
        """The keyboard's "Xong": go to the next text field, or close the keyboard after the last."""
        current = self.ids.keyboard.target
        inputs = getattr(self, "_inputs", [])
        if current in inputs and inputs.index(current) + 1 < len(inputs):
            self.focus_field(inputs[inputs.index(current) + 1].field_key)
        else:
            self.close_keyboard()

    def close_keyboard(self) -> None:
        self.keyboard_open = False
        for ti in getattr(self, "_inputs", []):
            ti.focus = False

    def select(self, key: str, value: str) -> None:
        self.state.set(key, value)
        row = self.ids.get(f"row_{key}")
        if row is not None:
            row.error = ""
        if any(f.show_if and f.show_if.field == key for f in self.procedure.form.pages[self.page_index].fields):
            self.build_page()
        else:
            self._restyle()

    def toggle(self, key: str) -> None:
        self.state.set(key, "" if self.state.get(key) == "1" else "1")
        self._restyle()

    # ------------------------------------------------------------ pages

    def show_errors(self) -> bool:
        errors = self.state.check_page(self.page_index)
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
            first = next(iter(errors))
            self._scroll_to(first)
        else:
            self.banner = ""
        return not errors

    def next_page(self) -> None:
        self.close_keyboard()
        if not self.show_errors():
            return
        if self.page_index + 1 < self.page_count:
            self.page_index += 1
            self.build_page()
            return
        self.finish()

    def prev_page(self) -> None:
        self.close_keyboard()
        self.banner = ""
        if self.page_index > 0:
            self.page_index -= 1
            self.build_page()
        else:
            self.app.go_back()

    def finish(self) -> None:
        """All pages valid: scan the papers (if the kiosk can and there are any), then review."""
        proc = self.procedure
        if proc.scannable_documents and self.app.has_screen("scan"):
            self.app.go("scan", procedure_code=proc.code, next_screen="review")
        else:
            self.app.go("review")

"""Submit journey, step 6: everything declared and every paper, the consent, and "Nộp hồ sơ".

The submit journey submits off the UI thread (outbox write + up to a few seconds for the backend)
and moves on to the receipt — or back to the form's page with fields to fix, or stays here with a
message. The screen renders the journey's form, papers and consent and forwards the touches.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.declarations import FormState
from screens.base import KioskScreen, load_kv
from screens.icons import ICON_FONT, icon
from screens.procedure_detail import document_status
from screens.widgets import IconLabel, KButton, KLabel, show_message

load_kv(__file__)


class ReviewScreen(KioskScreen):
    """Read-only summary with "Sửa" per page, the documents, consent, and submit."""

    procedure = ObjectProperty(None, allownone=True)
    consent = BooleanProperty(False)
    busy = BooleanProperty(False)
    summary = StringProperty("")

    @property
    def state(self) -> FormState | None:
        return self.journeys.submit.form if self.journeys else None

    _shown_error: Any = None  # the submission error last shown in a dialog

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.submit.watch(self._journey_changed)

    def prepare(self, **_: Any) -> None:
        submit = self.journeys.submit
        self.procedure = submit.procedure if submit.form is not None else None
        self._shown_error = submit.part.error
        self._journey_changed()
        if self.procedure is not None:
            self.rebuild()

    def _journey_changed(self) -> None:
        part = self.visit.submit
        self.consent = part.consent
        self.busy = part.state == "submitting"
        if part.error is not None and part.error is not self._shown_error and self.is_current and self.app:
            self._shown_error = part.error
            show_message(self.app.tr["declare.title"], part.error.message(self.app.lang), kind="error")

    def reset(self) -> None:
        self.procedure = None
        self.consent = False
        self.busy = False
        if "lines" in self.ids:
            self.ids.lines.clear_widgets()

    def rebuild(self, *_args: Any) -> None:
        if self.procedure is None or "lines" not in self.ids or not self.app:
            return
        tr, lang, sz, state = self.app.tr, self.app.lang, self.app.sz, self.state
        r = state.report()
        self.summary = tr("declare.prefill_summary", prefilled=r.from_identity + r.from_default, total=r.total, typed=r.to_declare)
        box = self.ids.lines
        for key in [k for k in self.ids if k.startswith("btn_edit_")]:
            del self.ids[key]
        box.clear_widgets()
        for i, page in enumerate(self.procedure.form.pages):
            head = BoxLayout(size_hint_y=None, height=sz.touch * 0.9, spacing=sz.pad)
            head.add_widget(KLabel(text=f"[b]{page.title(lang)}[/b]", font_size=sz.heading, auto_height=False))
            edit = KButton(style="secondary", icon_name="pencil", size_hint_x=None, width=sz.header_button, height=sz.touch * 0.8)
            edit.text = edit.icon_markup(tr["declare.review_edit"])
            edit.page = i
            edit.bind(on_release=lambda b: self.edit(b.page))
            self.ids[f"btn_edit_{i}"] = edit
            head.add_widget(edit)
            box.add_widget(head)
            for f in state.page_fields(i):
                value = state.display(f, lang) or "—"
                mark = f"  [color=1e7b34][font={ICON_FONT}]{icon('account-card-details')}[/font][/color]" if state.locked(f.key) else ""
                box.add_widget(KLabel(text=f"{f.label(lang)}: [b]{value}[/b]{mark}", font_size=sz.body * 0.9))
        box.add_widget(KLabel(text=f"[b]{tr['declare.review_docs']}[/b]", font_size=sz.heading))
        for n, d in enumerate(self.procedure.documents, 1):
            att = self.visit.submit.attachments.get(d.key)
            if att is not None and getattr(att, "pages", None):
                icon_name, status = "check-circle", tr("declare.pages_scanned", n=len(att.pages))
            else:
                icon_name, status = document_status(d, tr, lang)
            row = BoxLayout(size_hint_y=None, spacing=sz.pad * 0.5)
            ic = IconLabel(icon_name=icon_name, font_size=sz.icon * 0.6, color=self.app.theme.primary)
            lbl = KLabel(text=f"{n}. {d.name(lang)} — {status}", font_size=sz.body * 0.9)
            lbl.bind(height=lambda _w, h, row=row, ic=ic: setattr(row, "height", max(h, ic.height)))
            row.add_widget(ic)
            row.add_widget(lbl)
            box.add_widget(row)
        self.ids.scroll.scroll_y = 1

    def edit(self, page: int) -> None:
        self.journeys.submit.edit_page(page)

    def toggle_consent(self) -> None:
        self.journeys.submit.set_consent(not self.consent)

    def submit(self) -> None:
        """"Nộp hồ sơ" (the journey ignores it without consent or while a submission runs)."""
        self.journeys.submit.submit()

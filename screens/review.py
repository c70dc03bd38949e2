"""Submit journey, step 6: everything declared and every paper, the consent, and "Nộp hồ sơ".

Submission runs off the UI thread (outbox write + up to a few seconds for the backend);
then the receipt screen shows the code (or the provisional receipt) and prints it.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.background import run_in_background
from screens.base import KioskScreen, load_kv
from screens.form import form_state
from screens.icons import ICON_FONT, icon
from screens.procedure_detail import document_status
from screens.widgets import IconLabel, KButton, KLabel, show_message

load_kv(__file__)

SUBMIT_WAIT_S = 8.0


class ReviewScreen(KioskScreen):
    """Read-only summary with "Sửa" per page, the documents, consent, and submit."""

    procedure = ObjectProperty(None, allownone=True)
    consent = BooleanProperty(False)
    busy = BooleanProperty(False)
    summary = StringProperty("")

    def prepare(self, **_: Any) -> None:
        self.procedure = self.services.catalog.get(self.visit.procedure_code or "")
        self.consent = False
        self.busy = False
        if self.procedure is not None:
            self.state = form_state(self.visit, self.procedure)
            self.rebuild()

    def reset(self) -> None:
        self.procedure = None
        self.consent = False
        self.busy = False
        if "lines" in self.ids:
            self.ids.lines.clear_widgets()

    def rebuild(self, *_args: Any) -> None:
        if self.procedure is None or "lines" not in self.ids or not self.app:
            return
        tr, lang, sz = self.app.tr, self.app.lang, self.app.sz
        r = self.state.report()
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
            for f in self.state.page_fields(i):
                value = self.state.display(f, lang) or "—"
                mark = f"  [color=1e7b34][font={ICON_FONT}]{icon('account-card-details')}[/font][/color]" if self.state.sources.get(f.key) == "identity" else ""
                box.add_widget(KLabel(text=f"{f.label(lang)}: [b]{value}[/b]{mark}", font_size=sz.body * 0.9))
        box.add_widget(KLabel(text=f"[b]{tr['declare.review_docs']}[/b]", font_size=sz.heading))
        for n, d in enumerate(self.procedure.documents, 1):
            att = self.visit.attachments.get(d.key)
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
        self.app.go("form", code=self.procedure.code, page=page)

    def toggle_consent(self) -> None:
        self.consent = not self.consent

    def submit(self) -> None:
        if self.busy or not self.consent or self.procedure is None:
            return
        from kiosk.declarations import submit
        self.busy = True
        visit = self.visit
        run_in_background(
            submit, self.services, self.procedure, self.state, visit.identity,
            attachments=dict(visit.attachments), workdir=visit.workdir(), wait_s=SUBMIT_WAIT_S,
            lang=self.app.lang, print_slip=False,
            on_result=self._submitted, on_error=self._failed,
        )

    def _submitted(self, sub: Any) -> None:
        self.busy = False
        self.visit.receipt = sub
        self.visit.dossier_code = sub.code
        self.app.go("receipt", submission=sub, remember=False)

    def _failed(self, exc: BaseException) -> None:
        from kiosk.declarations import DeclarationError, DeclarationInvalid

        self.busy = False
        if isinstance(exc, DeclarationInvalid):
            page = self.state.first_invalid_page() or 0
            self.app.go("form", code=self.procedure.code, page=page)
            self.app.screen("form").show_errors()
            return
        msg = exc.message(self.app.lang) if isinstance(exc, DeclarationError) else self.app.tr["declare.submit_failed"]
        show_message(self.app.tr["declare.title"], msg, kind="error")

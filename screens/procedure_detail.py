"""Submit journey, step 3: what the procedure needs — papers, fee, time, where — before starting.

Each paper says what happens to it here: filled in on screen, scanned by the kiosk,
handed in at the counter, or not needed because the kiosk read the ID card.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import ObjectProperty, StringProperty

from screens.base import KioskScreen, load_kv
from screens.procedure_search import fee_text, time_text
from screens.widgets import IconLabel, KLabel

load_kv(__file__)


def document_status(doc: Any, tr: Any, lang: str = "vi") -> tuple[str, str]:
    """(icon name, what happens to this paper at the kiosk) for the detail and review screens."""
    if doc.from_form:
        return "pencil", tr["declare.doc_form"]
    if doc.skippable:
        return "check-circle", tr["declare.doc_skip"] + (f" — {doc.note_vi if lang == 'vi' else doc.note_en}" if doc.note_vi else "")
    if doc.scannable:
        return "camera", tr["declare.doc_scan"]
    return "file-document", tr["declare.doc_counter"]


class ProcedureDetailScreen(KioskScreen):
    """Name, summary, papers, fee, processing time, agency and where to collect; "Bắt đầu khai"."""

    procedure = ObjectProperty(None, allownone=True)
    code = StringProperty("")
    proc_name = StringProperty("")
    summary = StringProperty("")
    fee = StringProperty("")
    legal_time = StringProperty("")
    agency = StringProperty("")
    where = StringProperty("")

    def prepare(self, **_: Any) -> None:
        self.procedure = self.journeys.submit.procedure
        self.code = self.procedure.code if self.procedure else ""
        self.relabel()

    def reset(self) -> None:
        self.procedure = None
        self.code = ""

    def relabel(self, *_args: Any) -> None:
        p = self.procedure
        if p is None or not self.app:
            return
        lang, tr = self.app.lang, self.app.tr
        self.proc_name = p.name(lang)
        self.summary = p.summary(lang)
        self.fee = p.fee.text(lang) if p.fee.note_vi else fee_text(p, tr)
        self.legal_time = p.legal_time.text(lang) if p.legal_time.note_vi else time_text(p, tr)
        self.agency = p.agency(lang)
        self.where = p.where(lang)
        box = self.ids.docs
        box.clear_widgets()
        for i, d in enumerate(p.documents, 1):
            icon_name, status = document_status(d, tr, lang)
            row = self._doc_row(i, d, icon_name, status, lang)
            box.add_widget(row)

    def _doc_row(self, i: int, d: Any, icon_name: str, status: str, lang: str) -> Any:
        from kivy.uix.boxlayout import BoxLayout

        tr = self.app.tr
        row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=self.app.sz.pad * 0.5)
        ic = IconLabel(icon_name=icon_name, font_size=self.app.sz.icon * 0.75, color=self.app.theme.primary)
        kind = tr["declare.original"] if d.original else tr["declare.copy"]
        optional = f" {tr['declare.doc_optional']}" if not d.required and "(" not in d.name(lang) else ""
        text = f"[b]{i}. {d.name(lang)}[/b]{optional}\n{kind}: {d.count}  ·  {status}"
        lbl = KLabel(text=text, font_size=self.app.sz.body * 0.9)
        row.add_widget(ic)
        row.add_widget(lbl)
        lbl.bind(height=lambda _w, h: setattr(row, "height", max(h, ic.height) + self.app.sz.pad * 0.4))
        return row

    def start(self) -> None:
        """"Bắt đầu khai"."""
        self.journeys.submit.start_form()

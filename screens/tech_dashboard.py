"""Technician dashboard: every doctor check as a green / amber / red row with its reason.

The checks are :func:`kiosk.ops.doctor.run_checks` — the same code as ``kiosk doctor`` — run in
the background with the app's own services (so the printer and cameras in use are asked,
not opened twice).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.utils import escape_markup

from screens.background import run_in_background
from screens.base import load_kv
from screens.tech_base import TechScreen, alive
from screens.widgets import KLabel

load_kv(__file__)


class CheckRow(BoxLayout):
    name = StringProperty("")
    state = StringProperty("green")
    reason = StringProperty("")


class RejectedRow(KLabel):
    """One outbox item the server refused: kind, when, procedure or level, the server's reason."""


class TechDashboardScreen(TechScreen):
    checks = ListProperty([])
    checking = BooleanProperty(False)
    heartbeat_text = StringProperty("")
    rejected_text = StringProperty("")  # "N items refused by the server — …" (empty when none)

    def prepare(self, **params: Any) -> None:
        self.refresh()

    def on_enter(self, *_args: Any) -> None:
        self._heartbeat_line()

    def refresh(self) -> None:
        if self.checking:
            return
        from kiosk.ops import run_checks

        self.checking = True
        self.say("tech.checking")
        run_in_background(run_checks, self.services.config, self.services, on_result=self._show, on_error=self._failed)

    @alive
    def _show(self, report: Any) -> None:
        self.checking = False
        self.status = ""
        self.checks = report.checks
        rows = self.ids.rows
        rows.clear_widgets()
        for c in report.checks:
            row = CheckRow(name=c.name, state=c.state, reason=c.reason)
            rows.add_widget(row)
            self.ids[f"row_{c.name}"] = row
        self._show_rejected(next((c for c in report.checks if c.name == "outbox"), None))
        self._heartbeat_line()

    def _show_rejected(self, check: Any) -> None:
        """The outbox items nothing will send again (4xx): their count and list, for the technician to act on."""
        items = (check.details or {}).get("rejected_items", []) if check is not None else []
        count = (check.details or {}).get("rejected", 0) if check is not None else 0
        self.rejected_text = self.t("outbox.rejected_count", n=count) if count else ""
        rows = self.ids.rejected_rows
        rows.clear_widgets()
        for item in items:
            when = datetime.fromtimestamp(item["created_at"]).strftime("%d/%m %H:%M")
            kind = self.t(f"tech.outbox_kind.{item['kind']}")
            text = f"{kind} · {when} · {item['summary']} · {item['error']}  [{item['id'][:8]}]"
            rows.add_widget(RejectedRow(text=escape_markup(text)))

    @alive
    def _failed(self, exc: BaseException) -> None:
        self.checking = False
        self.say("tech.save_failed", "error", error=f"{type(exc).__name__}: {exc}")

    def _heartbeat_line(self) -> None:
        hb = self.services.heartbeat if self.services else None
        if hb is None:
            self.heartbeat_text = ""
        elif hb.last_sent_at:
            self.heartbeat_text = self.t("tech.heartbeat_ok", time=datetime.fromtimestamp(hb.last_sent_at).strftime("%H:%M:%S"))
        elif hb.last_error:
            self.heartbeat_text = self.t("tech.heartbeat_fail", error=hb.last_error[:120])

    def state_of(self, name: str) -> str:
        return next((c.state for c in self.checks if c.name == name), "")

    def exit(self) -> None:
        from kiosk.ops import gate_for

        run_in_background(gate_for(self.services.config).audit, "exit", source="screen")  # a disk write
        self.app.go_home()

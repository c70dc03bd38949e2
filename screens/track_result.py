"""Tra cứu hồ sơ, step 2: the status in plain words, the appointment date and what happened so far."""

from __future__ import annotations

from typing import Any

from kivy.properties import ObjectProperty, StringProperty

from screens.base import KioskScreen, load_kv
from screens.widgets import KLabel

load_kv(__file__)


def _when(dt: Any) -> str:
    return dt.strftime("%H:%M  %d/%m/%Y") if dt is not None else ""


class TrackResultScreen(KioskScreen):
    """Shows a :class:`kiosk.aftercare.tracking.TrackingResult`; "Đánh giá" rates this dossier."""

    result = ObjectProperty(None, allownone=True, rebind=True)  # kv reads root.result.title
    received_text = StringProperty("")
    appointment_text = StringProperty("")

    def prepare(self, result: Any = None, **_params: Any) -> None:
        """The track journey's result (a scene may hand one to show)."""
        self.result = result or self.journeys.track.result

    def on_result(self, _inst: Any, result: Any) -> None:
        self.received_text = _when(result.received_at) if result else ""
        self.appointment_text = (result.appointment_at.strftime("%d/%m/%Y") if result else "")
        if result is not None and result.status == "waiting":  # the clock stopped: a new date once the papers come
            self.appointment_text = self.app.tr["track.appointment_after_supplement"]
        box = self.ids.history
        box.clear_widgets()
        if result is None:
            return
        for line in list(reversed(result.history))[:6]:  # newest first; no scrolling needed
            text = f"[b]{_when(line.at)}[/b]   {line.title}" + (f" — {line.note}" if line.note else "")
            box.add_widget(KLabel(text=text))

    def rate(self) -> None:
        self.journeys.track.rate()

    def again(self) -> None:
        self.journeys.track.again()

    def reset(self) -> None:
        self.result = None

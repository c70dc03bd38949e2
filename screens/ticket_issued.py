"""Ticket journey, step 3: the number, large — issued and printed by the ticket journey, off the UI thread.

The number is on screen as soon as the ticket exists, with the people ahead, the estimated wait
and where to go. If the print fails, the screen says so in plain Vietnamese, keeps the number and a
QR on screen, and offers "In lại" (the same ticket); the ticket is recorded as not printed. The
screen only renders :class:`kiosk.journeys.TicketPart` and forwards "In lại" and "Xong".
"""

from __future__ import annotations

import io
import logging
from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.printing import PrintOutcome
from kiosk.queue import priority_name, qr_payload
from screens.base import KioskScreen, load_kv

log = logging.getLogger(__name__)

load_kv(__file__)


def qr_texture(payload: str) -> Any:
    """A Kivy texture of a QR code (drawn by the same code as the printed one)."""
    from kivy.core.image import Image as CoreImage

    from kiosk.printing import qr_image

    buf = io.BytesIO()
    qr_image(payload, box=8, border=2).save(buf, format="PNG")
    buf.seek(0)
    texture = CoreImage(buf, ext="png").texture
    texture.mag_filter = "nearest"
    return texture


class TicketIssuedScreen(KioskScreen):
    """States: issuing → printing → printed | print_failed; or issue_failed."""

    state = StringProperty("idle")
    number = StringProperty("")
    service_label = StringProperty("")
    priority_label = StringProperty("")
    ahead_text = StringProperty("")
    wait_text = StringProperty("")
    where_text = StringProperty("")
    status_text = StringProperty("")
    status_kind = StringProperty("info")
    offline = BooleanProperty(False)
    qr = ObjectProperty(None, allownone=True)
    ticket = ObjectProperty(None, allownone=True)
    outcome = ObjectProperty(None, allownone=True)

    def on_kv_post(self, base_widget: object) -> None:
        self.app.bind(lang=self.relabel) if self.app else None

    def on_journeys(self, _inst: object, journeys: Any) -> None:
        journeys.ticket.watch(self.render)

    def prepare(self, **_params: Any) -> None:
        self.render()

    def render(self) -> None:
        """Show the ticket journey's state (called on every change of it)."""
        part = self.visit.ticket
        if part.ticket is not None and part.ticket is not self.ticket:
            self.show(part.ticket)
        elif part.ticket is None:
            self.reset()
        self.outcome = part.outcome
        self.state = "idle" if part.state == "choosing" else part.state
        self.relabel()

    # -- touches ---------------------------------------------------------------

    def reprint(self) -> None:
        self.journeys.ticket.reprint()

    def done(self) -> None:
        self.app.finish_visit()

    # -- display ---------------------------------------------------------------

    def show(self, ticket: Any, outcome: PrintOutcome | None = None) -> None:
        """Put ``ticket`` on screen (and, for scenes and tests, a print outcome)."""
        self.ticket = ticket
        self.number = ticket.number
        self.offline = bool(ticket.offline)
        self.qr = qr_texture(qr_payload(ticket, self.services.config.backend.url))
        if outcome is not None:
            self.outcome = outcome
            self.state = "printed" if outcome.printed else "print_failed"
        self.relabel()

    def relabel(self, *_args: object) -> None:
        app, t = self.app, self.ticket
        if app is None:
            return
        tr, lang = app.tr, app.lang
        config = self.services.config
        if t is not None:
            svc = config.service(t.service)
            self.service_label = f"{svc.code} · {svc.name_vi if lang == 'vi' else svc.name_en}"
            where = svc.where_vi if lang == "vi" else svc.where_en
            self.where_text = tr("ticket.issued.where", where=where) if where else ""
            self.priority_label = (tr("ticket.issued.priority", category=priority_name(config, t.priority, lang))
                                   if t.priority else "")
            self.ahead_text = tr("ticket.issued.ahead", n=t.people_ahead) if t.people_ahead else tr["ticket.issued.next"]
            self.wait_text = tr("ticket.issued.wait", minutes=t.wait_minutes) if t.people_ahead else ""
        texts = {
            "issuing": ("", "info"),
            "printing": (tr["ticket.issued.printing"], "info"),
            "printed": (tr["ticket.issued.printed"], "ok"),
            "print_failed": (tr[self.outcome.message_key()] if self.outcome else tr["ticket.issued.print_failed"], "error"),
            "issue_failed": (tr["ticket.issued.issue_failed"], "error"),
        }
        self.status_text, self.status_kind = texts.get(self.state, ("", "info"))

    def reset(self) -> None:
        self.state = "idle"
        self.ticket = None
        self.outcome = None
        self.qr = None
        self.offline = False
        for name in ("number", "service_label", "priority_label", "ahead_text", "wait_text", "where_text", "status_text"):
            setattr(self, name, "")

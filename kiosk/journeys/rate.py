"""The rate journey: one tap on the scale → (when unsatisfied) at least one reason → sent through the outbox.

The rating is about what the visit knows — the dossier just submitted or looked up, else the ticket
just taken — or what the citizen types; it may be about nothing in particular. The outbox keeps it
durably and sends it exactly once; once it is in the outbox the journey is ``sent`` (the screen
thanks the citizen and the visit ends).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.journeys.base import Journey
from kiosk.journeys.visit import RatePart

if TYPE_CHECKING:
    from kiosk.aftercare import RatingRef
    from kiosk.api import RatingIn
    from kiosk.journeys.visit import Visit

log = logging.getLogger(__name__)


class Rating(Protocol):
    """What the journey needs of ``kiosk.aftercare.RatingService``."""

    def needs_reason(self, level: str) -> bool: ...

    def parse_ref(self, text: str) -> RatingRef: ...

    def build(self, level: str, reasons: list[str] | None = None, text: str = "", ref: RatingRef | None = None,
              procedure_code: str | None = None) -> RatingIn: ...

    def submit(self, rating: RatingIn) -> Any: ...


class RateServices(Protocol):
    @property
    def visit(self) -> Visit: ...

    @property
    def rating(self) -> Rating | None: ...


class RateJourney(Journey[RatePart]):
    name = "rate"
    services: RateServices

    @property
    def busy(self) -> bool:
        return self.part.state == "sending"

    # ------------------------------------------------------------ transitions

    def start(self, dossier_code: str | None = None, ticket_number: str | None = None) -> None:
        """Rate what was given, else what this visit did (its dossier, else its ticket), else nothing."""
        from kiosk.aftercare import RatingRef

        visit = self.visit
        if dossier_code is None and ticket_number is None:
            dossier_code = self._visit_dossier()
            ticket = visit.ticket.ticket
            ticket_number = ticket.number if ticket is not None and dossier_code is None else None
        part = self.part
        part.level, part.reasons, part.comment, part.state, part.error = "", [], "", "choosing", ""
        if dossier_code:
            part.ref = RatingRef(dossier_code=dossier_code)
        elif ticket_number:
            part.ref = RatingRef(ticket_number=ticket_number,
                                 service=ticket_number[:1] if ticket_number[:1].isalpha() else None)
        else:
            part.ref = None
        self._restart("level")

    def _visit_dossier(self) -> str | None:
        sub, found = self.visit.submit.submission, self.visit.track.result
        if self.visit.journey == "track" and found is not None:
            return found.code
        if sub is not None and sub.code:
            return sub.code
        return found.code if found is not None else None

    def set_ref(self, text: str) -> None:
        """The dossier code or ticket number typed (empty = about nothing in particular)."""
        from kiosk.aftercare import RatingError

        rating, part = self.services.rating, self.part
        try:
            part.ref = rating.parse_ref(text) if text.strip() and rating is not None else None
            part.error = ""
        except RatingError as e:
            part.error = e.key
        self.changed()

    def choose(self, level: str) -> None:
        """A tap on the scale: the reasons step for "Không hài lòng", otherwise sent at once."""
        rating, part = self.services.rating, self.part
        if self.busy or rating is None:
            return
        part.level, part.error = level, ""
        if rating.needs_reason(level):
            part.reasons, part.comment = [], ""
            self._go("reason")
            return
        self.send()

    def toggle_reason(self, code: str) -> None:
        part = self.part
        part.reasons = [c for c in part.reasons if c != code] if code in part.reasons else [*part.reasons, code]
        if part.reasons and part.error == "reason_required":
            part.error = ""
        self.changed()

    def set_comment(self, text: str) -> None:
        self.part.comment = text
        self.changed()

    def send(self) -> None:
        """Checked (a reason when unsatisfied), then into the outbox (blocking work)."""
        from kiosk.aftercare import RatingError

        rating, part = self.services.rating, self.part
        if self.busy or rating is None:
            return
        try:
            rating_in = rating.build(part.level, list(part.reasons), part.comment, ref=part.ref,
                                     procedure_code=self.visit.submit.procedure_code)
        except RatingError as e:
            part.error = e.key
            self.changed()
            return
        part.state, part.error = "sending", ""
        self.changed()
        self._work(lambda: rating.submit(rating_in), self._sent, self._failed)

    def _sent(self, _result: Any) -> None:
        self.part.state = "sent"
        self.changed()

    def _failed(self, exc: BaseException) -> None:
        from kiosk.aftercare import RatingError

        part = self.part
        part.state = "choosing"
        part.error = exc.key if isinstance(exc, RatingError) else "unavailable"
        self.changed()

"""The four journeys of one kiosk, and the navigation they drive through the flow table.

:class:`Journeys` builds the controllers over the kiosk's services, hands them the runner for
blocking work, and turns every step change into a screen name (:mod:`kiosk.journeys.flow`) for
``show(screen)`` — the app's screen manager, or a list in a test. A journey that hands over to
another ("Đánh giá" on the receipt) goes through :meth:`Journeys.start`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.journeys import flow
from kiosk.journeys.base import Journey, Runner, run_inline
from kiosk.journeys.rate import RateJourney
from kiosk.journeys.submit import SubmitJourney
from kiosk.journeys.ticket import TicketJourney
from kiosk.journeys.track import TrackJourney
from kiosk.journeys.visit import JourneyName

log = logging.getLogger(__name__)


class Journeys:
    """``Journeys(services, run, show)``: ``ticket``, ``submit``, ``track``, ``rate`` and where they lead."""

    def __init__(self, services: Any, run: Runner = run_inline, show: Callable[[str], None] | None = None) -> None:
        self.services = services
        self.ticket = TicketJourney(services, run)
        self.submit = SubmitJourney(services, run)
        self.track = TrackJourney(services, run)
        self.rate = RateJourney(services, run)
        self._show = show or (lambda _screen: None)
        for journey in self.all:
            journey.navigate = self._navigated
            journey.handoff = self.start

    @property
    def all(self) -> tuple[Journey[Any], ...]:
        return (self.ticket, self.submit, self.track, self.rate)

    def get(self, name: JourneyName) -> Journey[Any]:
        journey: Journey[Any] = getattr(self, name)
        return journey

    @property
    def current(self) -> Journey[Any] | None:
        """The journey the citizen is in, or None at rest."""
        name = self.services.visit.journey
        return self.get(name) if name else None

    def start(self, name: JourneyName, **context: Any) -> None:
        """Begin journey ``name`` at its first step (from the home screen, or handed over by another)."""
        self.get(name).start(**context)  # type: ignore[attr-defined]

    def back(self) -> bool:
        """"Quay lại" within the current journey; False at its first step (the caller goes home)."""
        journey = self.current
        return journey.back() if journey is not None else False

    def set_language(self, lang: str) -> None:
        """Texts the journeys make (receipts, tracking results) follow the screen's language."""
        self.submit.lang = lang
        self.track.lang = lang

    def _navigated(self, journey: JourneyName, step: str) -> None:
        screen = flow.screen_for(journey, step)
        log.debug("journey %s: step %s → screen %s", journey, step, screen)
        self._show(screen)

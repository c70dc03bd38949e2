"""The screen flow as data: which screen shows which step of which journey.

The journey controllers decide which step comes next (an unsatisfied rating asks for a reason, a
procedure without papers to scan goes straight to the review); this table says where each step is
shown. The app's navigation reads it and nothing else, so a screen never names the next screen:
it tells its journey what the citizen did. Steps are listed in their usual order; the first is where
the journey starts from the home screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kiosk.journeys.visit import JourneyName

FLOW: Mapping[JourneyName, Mapping[str, str]] = MappingProxyType({
    "ticket": MappingProxyType({
        "service": "ticket_service",  # choose the service area
        "priority": "ticket_priority",  # "Bạn thuộc diện ưu tiên?" — one tap issues
        "issued": "ticket_issued",  # issuing → printing → printed | print failed (reprint) | not issued
    }),
    "submit": MappingProxyType({
        "identify": "identify",  # the ID card's QR under the camera
        "identify_manual": "manual_id",  # or typed
        "identify_can": "chip_can",  # or the chip first, opened with the CAN typed (with a card reader)
        "procedure": "procedure_search",
        "procedure_detail": "procedure_detail",
        "form": "form",  # one page at a time
        "scan": "scan",  # only when the procedure has papers to scan
        "review": "review",  # + consent, "Nộp hồ sơ"
        "receipt": "receipt",  # acknowledged or queued; printed (reprint)
    }),
    "track": MappingProxyType({
        "scan": "track",  # the receipt's QR under the camera
        "type": "track_type",  # or the code and secret typed
        "result": "track_result",
    }),
    "rate": MappingProxyType({
        "level": "rate",
        "reason": "rate_reason",  # only for "Không hài lòng"
    }),
})


def screen_for(journey: JourneyName, step: str) -> str:
    """The screen that shows ``step`` of ``journey`` (KeyError for a step the table does not know)."""
    return FLOW[journey][step]


def first_step(journey: JourneyName) -> str:
    return next(iter(FLOW[journey]))


def first_screen(journey: JourneyName) -> str:
    return screen_for(journey, first_step(journey))


def step_of(screen: str) -> tuple[JourneyName, str] | None:
    """The (journey, step) a screen shows, or None for a screen outside the journeys (technician, home)."""
    for journey, steps in FLOW.items():
        for step, name in steps.items():
            if name == screen:
                return journey, step
    return None


def journey_screens() -> set[str]:
    return {name for steps in FLOW.values() for name in steps.values()}

"""A citizen's visit and the journeys through it: ticket, submit, track, rate.

- :mod:`~kiosk.journeys.visit`: :class:`Visit` — one citizen's data, a typed part per journey, wiped at the end;
- :mod:`~kiosk.journeys.base`: what every controller shares (step, back, blocking work, watchers);
- :mod:`~kiosk.journeys.ticket`, :mod:`~kiosk.journeys.submit`, :mod:`~kiosk.journeys.track`,
  :mod:`~kiosk.journeys.rate`: the controllers — plain Python, no Kivy, tested without a window;
- :mod:`~kiosk.journeys.chip`: :class:`ChipStep`, the identify step's chip read (``journeys.submit.chip``);
- :mod:`~kiosk.journeys.flow`: the screen flow as data (journey step → screen);
- :mod:`~kiosk.journeys.navigation`: :class:`Journeys`, the four controllers and the navigation they drive.
"""

from kiosk.journeys.base import Journey, Runner, run_inline
from kiosk.journeys.chip import ChipStep
from kiosk.journeys.flow import FLOW, first_screen, first_step, journey_screens, screen_for, step_of
from kiosk.journeys.navigation import Journeys
from kiosk.journeys.rate import RateJourney
from kiosk.journeys.submit import SUBMIT_WAIT_S, SubmitJourney
from kiosk.journeys.ticket import TicketJourney
from kiosk.journeys.track import TrackJourney
from kiosk.journeys.visit import (
    Attachment,
    ChipPart,
    JourneyName,
    RatePart,
    SubmitPart,
    Suggestion,
    TicketPart,
    TrackPart,
    Visit,
)

__all__ = [
    "FLOW", "SUBMIT_WAIT_S", "Attachment", "ChipPart", "ChipStep", "Journey", "JourneyName", "Journeys", "RateJourney", "RatePart", "Runner",
    "SubmitJourney", "SubmitPart", "Suggestion", "TicketJourney", "TicketPart", "TrackJourney", "TrackPart", "Visit",
    "first_screen", "first_step", "journey_screens", "run_inline", "screen_for", "step_of",
]

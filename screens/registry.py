"""Every screen of the kiosk, by name, imported when first needed.

``kiosk/app/kiosk_app.py`` builds the home screen before the first frame and the first screen of
each journey right after it (:data:`KEPT`); every other screen is built when first shown and
dropped after the visit, so a screen module, what it imports and its widgets cost nothing while
the kiosk waits.
``kiosk screenshots`` and the large-text test walk :data:`SCREENS` in order. Which screen shows
which step of a journey is not here but in the flow table, :mod:`kiosk.journeys.flow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.journeys import FLOW, first_screen

if TYPE_CHECKING:
    from screens.base import KioskScreen

SCREENS: tuple[str, ...] = (
    "home",
    "ticket_service",
    "ticket_priority",
    "ticket_issued",
    "identify",
    "manual_id",
    "chip_can",
    "track",
    "track_type",
    "track_result",
    "rate",
    "tech_pin",
    "tech_dashboard",
    "tech_printer",
    "tech_camera",
    "tech_backend",
    "tech_settings",
    "tech_logs",
    "rate_reason",
    "scan",
    "scan_corners",
    "procedure_search",
    "procedure_detail",
    "form",
    "review",
    "receipt",
)
HOME = SCREENS[0]


def screen_class(name: str) -> type[KioskScreen]:
    """The class of screen ``name`` (KeyError for an unknown name), imported on first use."""
    match name:
        case "home":
            from screens.home import HomeScreen as screen
        case "ticket_service":
            from screens.ticket_service import TicketServiceScreen as screen
        case "ticket_priority":
            from screens.ticket_priority import TicketPriorityScreen as screen
        case "ticket_issued":
            from screens.ticket_issued import TicketIssuedScreen as screen
        case "identify":
            from screens.identify import IdentifyScreen as screen
        case "manual_id":
            from screens.manual_id import ManualIdScreen as screen
        case "chip_can":
            from screens.chip_can import ChipCanScreen as screen
        case "track":
            from screens.track import TrackScreen as screen
        case "track_type":
            from screens.track import TrackTypeScreen as screen
        case "track_result":
            from screens.track_result import TrackResultScreen as screen
        case "rate":
            from screens.rate import RateScreen as screen
        case "tech_pin":
            from screens.tech_pin import TechPinScreen as screen
        case "tech_dashboard":
            from screens.tech_dashboard import TechDashboardScreen as screen
        case "tech_printer":
            from screens.tech_printer import TechPrinterScreen as screen
        case "tech_camera":
            from screens.tech_camera import TechCameraScreen as screen
        case "tech_backend":
            from screens.tech_backend import TechBackendScreen as screen
        case "tech_settings":
            from screens.tech_settings import TechSettingsScreen as screen
        case "tech_logs":
            from screens.tech_logs import TechLogsScreen as screen
        case "rate_reason":
            from screens.rate_reason import RateReasonScreen as screen
        case "scan":
            from screens.scan import ScanScreen as screen
        case "scan_corners":
            from screens.scan_corners import ScanCornersScreen as screen
        case "procedure_search":
            from screens.procedure_search import ProcedureSearchScreen as screen
        case "procedure_detail":
            from screens.procedure_detail import ProcedureDetailScreen as screen
        case "form":
            from screens.form import FormScreen as screen
        case "review":
            from screens.review import ReviewScreen as screen
        case "receipt":
            from screens.receipt import ReceiptScreen as screen
        case _:
            raise KeyError(name)
    return screen


# The first screen of each journey on the home screen (the flow table says which).
JOURNEYS: dict[str, str] = {journey: first_screen(journey) for journey in FLOW}

# Built at start-up and kept for good: home and the journeys' first screens (a tap on home is answered
# without building anything). The others live from their first show to the end of the visit.
KEPT: tuple[str, ...] = (HOME, *dict.fromkeys(JOURNEYS.values()))

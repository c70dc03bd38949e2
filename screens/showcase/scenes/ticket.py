"""Screenshot scenes of the ticket journey (``python -m screens.showcase OUT --only …``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from screens.showcase.book import SceneBook

scenes = SceneBook()
scene = scenes.add

# An invented citizen (DOMAIN.md examples), born 1950: 60+, so "elderly" is suggested.
ELDER_QR = "036050001234|163456789|Nguyễn Văn An|15031950|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"


def _ticket(driver: Any, number: str = "A024", priority: str | None = None, offline: bool = False) -> Any:
    from kiosk.queue import Ticket

    q = driver.app.services.queue
    now = q.now() if q else datetime.now()
    return Ticket(number=number, service=number[0], seq=int(number[1:]), day=now.date(),
                  issued_at=now.replace(hour=9, minute=12), priority=priority, people_ahead=4,
                  wait_minutes=12, offline=offline, kiosk_id="KIOSK-01")


def _morning(driver: Any) -> None:
    """Screenshots show a working morning, whatever the time they are taken (no "closed" banner)."""
    q = driver.app.services.queue
    if q is not None:
        day = datetime.now(q.tz).date()
        q._now = lambda: datetime(day.year, day.month, day.day, 9, 12, tzinfo=q.tz)


@scene("ticket_priority")
def priority_with_elderly_suggestion(driver: Any) -> None:
    from kiosk.identity import parse_payload

    app = driver.app
    _morning(driver)
    app.services.visit.identity = parse_payload(ELDER_QR)
    app.journeys.start("ticket")
    app.journeys.ticket.choose_service("A")


@scene("ticket_issued")
def issued_and_printed(driver: Any) -> None:
    from kiosk.printing import PrintOutcome

    app = driver.app
    screen = app.screen("ticket_issued")
    screen.reset()
    app.sm.current = "ticket_issued"
    screen.show(_ticket(driver, "A024", priority="elderly"), PrintOutcome(True, 30000))


@scene("ticket_issued_print_failed")
def issued_print_failed(driver: Any) -> None:
    from kiosk.printing import PrintOutcome

    app = driver.app
    screen = app.screen("ticket_issued")
    screen.reset()
    app.sm.current = "ticket_issued"
    screen.show(_ticket(driver, "B907", offline=True), PrintOutcome(False, error_kind="offline", error="printer gone"))

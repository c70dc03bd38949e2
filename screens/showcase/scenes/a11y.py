"""Screenshot scenes of tracking, rating and the accessibility modes (``python -m screens.showcase``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from screens.showcase.book import SceneBook

scenes = SceneBook()
scene = scenes.add

SAMPLE_CODE = "000.00.01.H22-251120-0007"


def sample_result(status: str = "processing", lang: str = "vi") -> Any:
    """A realistic lookup result without a server (invented dossier)."""
    from kiosk.aftercare import describe
    from kiosk.api import DossierStatus, StatusEvent

    tz = timezone(timedelta(hours=7))
    received = datetime(2026, 11, 20, 9, 12, tzinfo=tz)
    s = DossierStatus(
        code=SAMPLE_CODE, procedure_code="1.004222", procedure_name="Đăng ký thường trú", status=status,
        received_at=received, appointment_at=datetime(2026, 12, 1, 16, 0, tzinfo=tz),
        history=[StatusEvent(at=received, status="received", note="Tiếp nhận tại ki-ốt"),
                 StatusEvent(at=received + timedelta(days=1, hours=2), status="processing")],
    )
    return describe(s, lang, now=datetime(2026, 11, 23, 10, 0, tzinfo=tz))


@scene("track_type-error")
def track_type_error(driver: Any) -> None:
    driver.app.go("track_type")
    screen = driver.app.screen("track_type")
    screen.ids.txt_code.text = "250715-07"
    screen.search()


@scene("track_result")
def track_result(driver: Any) -> None:
    driver.app.go("track_result", result=sample_result("processing", driver.app.lang))


@scene("track_result-waiting")
def track_result_waiting(driver: Any) -> None:
    driver.app.go("track_result", result=sample_result("waiting", driver.app.lang))


@scene("rate-after-ticket")
def rate_after_ticket(driver: Any) -> None:
    driver.app.journeys.start("rate", ticket_number="A007")


@scene("rate_reason-chosen")
def rate_reason_chosen(driver: Any) -> None:
    rate = driver.app.journeys.rate
    rate.start()
    rate.choose("unsatisfied")
    rate.toggle_reason("wait")
    rate.toggle_reason("unclear")
    rate.set_comment("Chờ hơn một tiếng mới đến lượt.")


@scene("rate_reason-missing")
def rate_reason_missing(driver: Any) -> None:
    driver.app.journeys.start("rate")
    driver.app.journeys.rate.choose("unsatisfied")
    driver.app.journeys.rate.send()


@scene("home-high-contrast")
def home_high_contrast(driver: Any) -> None:
    driver.app.high_contrast = True


@scene("rate-high-contrast")
def rate_high_contrast(driver: Any) -> None:
    driver.app.high_contrast = True
    driver.app.go("rate")

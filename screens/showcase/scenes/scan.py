"""Screenshot scenes of the document scan (``python -m screens.showcase OUT --only scan,scan_corners``)."""

from __future__ import annotations

from typing import Any

from kiosk.base import paths
from screens.showcase.book import SceneBook

scenes = SceneBook()
scene = scenes.add

PROCEDURE = "1.004194"  # Đăng ký tạm trú: proof of residence (required) + landlord's consent (if any)


def _sample(n: int) -> Any:
    from kiosk.documents import read_image

    return read_image(paths.ASSETS_DIR / "samples" / "documents" / f"page-{n}.jpg")


def _to_scan(driver: Any) -> None:
    submit = driver.app.journeys.submit
    submit.choose_procedure(PROCEDURE)
    submit.start_form()
    submit.finish_form()


@scene("scan")
def scan_with_two_pages(driver: Any) -> None:
    from kiosk.documents import prepare_page

    app = driver.app
    _to_scan(driver)
    screen = app.screen("scan")
    screen.auto_capture = False
    key = screen.current_key
    for n in (1, 2):
        screen.batch.add(key, prepare_page(_sample(n)))
    screen._refresh()
    screen.set_status(app.tr("scan.captured", n=2), "ok")
    driver.wait_for(lambda: screen.ids.preview.has_frame, timeout=10, what="camera frame")
    driver.pump(0.5)
    driver.wait_for(lambda: screen.ids.preview._overlays, timeout=10, what="the page outline")
    screen.set_status(app.tr("scan.captured", n=2), "ok")


@scene("scan_corners")
def corners_of_a_page(driver: Any) -> None:
    from kiosk.documents import check_frame

    app = driver.app
    _to_scan(driver)
    frame = _sample(3)
    app.go("scan_corners", frame=frame, corners=check_frame(frame).corners, on_done=None)

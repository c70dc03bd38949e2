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


def _doubtful(frame: Any, codes: list[str], corners: Any = None) -> Any:
    """A prepared page the gate called doubtful for ``codes`` (the scene skips the OCR, not the screen's path)."""
    from kiosk.documents import prepare_page, quality_reason

    result = prepare_page(frame, corners=corners)
    result.quality.verdict = "doubtful"
    result.quality.reasons = [quality_reason(c) for c in codes]
    return result


@scene("scan-doubtful")
def scan_page_doubtful(driver: Any) -> None:
    """The gate found part of the page unreadable: the page is kept, marked, and "Chụp lại" is offered."""
    app = driver.app
    _to_scan(driver)
    screen = app.screen("scan")
    screen.auto_capture = False
    frame = _sample(1)
    screen.page_prepared(screen.current_key, frame, _doubtful(frame, ["lines_unreadable"]))
    driver.pump(0.5)


@scene("scan-progress")
def scan_page_in_progress(driver: Any) -> None:
    """A page being read: the progress bar under the preview, the shutter and "Tiếp tục" wait."""
    app = driver.app
    _to_scan(driver)
    screen = app.screen("scan")
    screen.auto_capture = False
    screen._capturing = True
    screen.page_busy, screen.page_progress = True, 35
    screen.page_progress_text = app.tr["scan.reading"]
    screen.set_status(app.tr["scan.checking"], "info")


@scene("scan_corners-gate")
def corners_opened_by_the_gate(driver: Any) -> None:
    """The text lines fanned out after the warp: the gate opens the corner editor on the detected corners."""
    from kiosk.documents import check_frame

    app = driver.app
    _to_scan(driver)
    screen = app.screen("scan")
    screen.auto_capture = False
    frame = _sample(3)
    corners = check_frame(frame).corners.copy()
    corners[1] += (-60, 90)  # one corner off the paper, as a shadow's edge makes it
    screen.page_prepared(screen.current_key, frame, _doubtful(frame, ["lines_bent"], corners))

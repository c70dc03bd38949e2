"""Screenshot scenes of identification (``python -m screens.showcase OUT --only identify,identify_confirm,manual_id``).

``identify`` shows the demo counter without a card (a still camera on one image, so the
screenshot does not depend on timing); ``identify_confirm`` reads the Căn cước card of
DOMAIN.md from a still of the demo camera.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from screens.showcase.book import SceneBook

scenes = SceneBook()
scene = scenes.add


@contextmanager
def _still_camera(driver: Any, image: str) -> Iterator[None]:
    """Show one demo image as the ID camera for the duration of a scene."""
    from kiosk.services import make_camera

    services = driver.app.services
    camera = make_camera(f"files:assets/samples/camera/{image}", 1280, 720, 15)
    original, services.id_camera = services.id_camera, camera
    try:
        yield
    finally:
        services.id_camera = original
        camera.close()


@scene("identify")
def searching(driver: Any) -> None:
    """The live preview with the card guide, before a card is in view."""
    app = driver.app
    with _still_camera(driver, "00_counter.jpg"):
        app.start_journey("submit")
        screen = app.screen("identify")
        driver.wait_for(lambda: screen.ids.preview.has_frame, timeout=10, what="camera frame")
        driver.pump(1.0)
        driver.pump(0.5)


@scene("identify_confirm")
def confirm(driver: Any) -> None:
    """The card read: name, masked number and birth date to confirm."""
    app = driver.app
    with _still_camera(driver, "03_can_cuoc_back.jpg"):
        app.start_journey("submit")
        screen = app.screen("identify")
        driver.wait_for(lambda: screen.found is not None, timeout=30, what="card read")
        driver.pump(0.5)


@scene("manual_id")
def manual(driver: Any) -> None:
    """Typing instead: a birth year that does not match the number, caught with a plain message."""
    app = driver.app
    app.start_journey("submit")
    app.go("manual_id")
    screen = app.screen("manual_id")
    screen.ids.txt_id_number.text = "036089001234"
    screen.ids.txt_full_name.text = "Nguyễn Văn An"
    screen.ids.txt_dob.text = "15/03/1988"
    screen.submit()

"""Screenshot scenes of identification (``python -m screens.showcase OUT --only identify,identify_confirm,manual_id``;
the CAN way in: ``identify_reader,chip_can,chip_can_wrong,chip_can_confirm``).

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
    _searching(driver, with_reader=False)


def _searching(driver: Any, with_reader: bool) -> None:
    app = driver.app
    with _still_camera(driver, "00_counter.jpg"):
        app.start_journey("submit")
        screen = app.screen("identify")
        if with_reader:
            screen.show_can_button(True)  # the showcase has no reader; a kiosk with one shows it by itself
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


# ---------------------------------------------------------------- the chip step (issue 17)

CHIP_QR = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"
CHIP_FIELDS = {"nationality": "Việt Nam", "ethnicity": "Kinh", "religion": "Không",
               "place_of_origin": "Xã Hải Vân, Huyện Hải Hậu, Nam Định", "father_name": "Nguyễn Văn Bình",
               "mother_name": "Trần Thị Cúc", "spouse_name": "Lê Thị Dung"}


def _face_jpeg() -> bytes:
    """A drawn face (a chip's DG2 holds a photo; the showcase never shows a real person)."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (240, 320), (214, 228, 240))
    d = ImageDraw.Draw(img)
    d.ellipse((20, 215, 220, 420), fill=(40, 62, 96))  # shoulders
    d.rectangle((100, 180, 140, 230), fill=(224, 182, 150))  # neck
    d.ellipse((62, 60, 178, 200), fill=(232, 190, 158))  # face
    d.chord((56, 40, 184, 150), 180, 360, fill=(30, 26, 24))  # hair
    for x in (95, 145):
        d.ellipse((x - 6, 118, x + 6, 128), fill=(40, 30, 26))
    d.arc((100, 150, 140, 175), 20, 160, fill=(150, 70, 60), width=3)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _chip_state(driver: Any, state: str, **fields: Any) -> None:
    """The identify screen with the chip step in ``state`` (set as the journey would, no reader needed)."""
    from kiosk.identity import parse_payload

    app = driver.app
    with _still_camera(driver, "00_counter.jpg"):
        app.start_journey("submit")
        screen = app.screen("identify")
        driver.wait_for(lambda: screen.ids.preview.has_frame, timeout=10, what="camera frame")
        qr = parse_payload(CHIP_QR)
        screen.found = qr
        screen.stop_scan()
        screen.hint_text = ""
        part = app.services.visit.submit.chip
        part.qr, part.state = qr, state
        for key, value in fields.items():
            setattr(part, key, value)
        app.journeys.submit.changed()
        driver.pump(0.5)


@scene("identify_chip_place")
def chip_place(driver: Any) -> None:
    """After the QR: "Đặt thẻ lên đầu đọc"."""
    _chip_state(driver, "waiting")


@scene("identify_chip_reading")
def chip_reading(driver: Any) -> None:
    """The chip being read: progress (a read takes about a second with the photo)."""
    _chip_state(driver, "reading", progress=0.6)


@scene("identify_chip_lifted")
def chip_lifted(driver: Any) -> None:
    """The card lifted during the read: "Giữ thẻ trên đầu đọc"; the read starts again when it is back."""
    _chip_state(driver, "lifted", error="card_removed")


@scene("identify_chip_wrong_key")
def chip_wrong_key(driver: Any) -> None:
    """The chip refused the key from the QR: said once, with "Thử lại" and "Chỉ dùng mã QR"."""
    _chip_state(driver, "failed", error="wrong_key")


@scene("identify_chip_refused")
def chip_refused(driver: Any) -> None:
    """The chip names someone else than the QR: refused, the card must be read again."""
    _chip_state(driver, "refused", error="chip_mismatch")


def _chip_identity_with_photo(**extra: Any) -> tuple[Any, Any]:
    """The sample card's identity as the chip gives it (verified, with its face), and the face's pixels."""
    import threading
    from dataclasses import replace

    from kiosk.identity import decode_photo, parse_payload

    face = _face_jpeg()
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(decode_photo(face)))  # decoding is the worker's job
    worker.start()
    worker.join()
    identity = replace(parse_payload(CHIP_QR), **CHIP_FIELDS, photo=face, chip_authenticity="authentic", **extra)
    return identity, out[0]


@scene("identify_chip_confirm")
def chip_confirm(driver: Any) -> None:
    """The chip read and verified: the photo and "Đã xác thực chip" on the confirmation."""
    identity, pixels = _chip_identity_with_photo()
    _chip_state(driver, "read", identity=identity, photo=pixels)


@scene("identify_chip_unverified")
def chip_unverified(driver: Any) -> None:
    """Read, but no CSCA list installed: the honest "chưa kiểm chứng"."""
    from dataclasses import replace

    from kiosk.identity import parse_payload

    identity = replace(parse_payload(CHIP_QR), **CHIP_FIELDS, chip_authenticity="unverified")
    _chip_state(driver, "read", identity=identity)


# ---------------------------------------------------------------- the chip first, with the CAN typed

@scene("identify_reader")
def identify_reader(driver: Any) -> None:
    """The identify screen of a kiosk with a card reader: "Dùng chip: nhập 6 số CAN" beside typing."""
    _searching(driver, with_reader=True)


def _can_screen(driver: Any, typed: str) -> Any:
    app = driver.app
    app.start_journey("submit")
    app.go("chip_can")
    screen = app.screen("chip_can")
    screen.ids.txt_can.text = typed
    return screen


@scene("chip_can")
def chip_can(driver: Any) -> None:
    """The CAN's 6 digits on the keypad, and where they are on the card."""
    _can_screen(driver, "0012")


@scene("chip_can_wrong")
def chip_can_wrong(driver: Any) -> None:
    """The chip refused the CAN (one attempt): said on the field, to be typed again."""
    _can_screen(driver, "123456").show_field_error("wrong_key")


@scene("chip_can_confirm")
def chip_can_confirm(driver: Any) -> None:
    """Read by CAN: the chip's identity alone, with its photo and "Đã xác thực chip"."""
    identity, pixels = _chip_identity_with_photo(source="chip", card_type="unknown")
    screen = _can_screen(driver, "001234")
    part = driver.app.services.visit.submit.chip
    part.state, part.identity, part.photo = "read", identity, pixels
    screen.show_chip_confirm(identity, part)
    driver.pump(0.5)

"""The identify step with a card reader, in the real window: the QR from the ``files:`` camera (real pixels,
real decoding), then the chip on the virtual reader through a real pcscd + vpcd (tests/helpers/chipcard) and
the kiosk's own ``pcsc:`` reader — issue 17's acceptance on the screen."""

from __future__ import annotations

import shutil

import pytest
from helpers.chipcard.cccd import Citizen
from helpers.form_input import choose, fill

from kiosk.base import paths

pytestmark = pytest.mark.ui

SAMPLES = paths.ASSETS_DIR / "samples" / "camera"


def _chip_driver(make_driver, kiosk_config, chip_rig, tmp_path, orientation: str = "landscape",
                 in_view: str = "01_cccd_chip_front.jpg"):
    """A kiosk with the virtual reader, on the identify screen; the camera sees ``in_view`` (by default the QR of
    helpers.cards.CHIP_CCCD)."""
    from helpers.chipcard.rig import READER

    cam = tmp_path / "camera"
    cam.mkdir()
    shutil.copy(SAMPLES / in_view, cam)
    kiosk_config.camera.uri = f"files:{cam}?hold=30"
    kiosk_config.chip.reader = f"pcsc:{READER}"
    kiosk_config.chip.csca_dir = str(chip_rig.csca_dir)
    kiosk_config.chip.wait_card_s = 60
    chip_rig.lift()
    driver = make_driver(orientation=orientation, config=kiosk_config)
    driver.tap("btn_submit")
    driver.wait_screen("identify")
    return driver, driver.app.screen("identify")


def _wait_chip_state(driver, state: str, timeout: float = 30) -> None:
    part = lambda: driver.app.services.visit.submit.chip  # noqa: E731
    driver.wait_for(lambda: part().state == state, timeout=timeout, what=f"chip step {state!r}")
    driver.pump(0.2)


def _assert_chip_confirmed(driver, shot) -> list[str]:
    """The confirmation of a chip read: "Đã xác thực chip", the name, the photo, no full ID number; its texts."""
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=30, what="confirmation with the chip")
    driver.pump(0.3)
    texts = driver.texts()
    assert "Đã xác thực chip" in texts
    assert driver.find("lbl_confirm_name").text == "Nguyễn Văn An"
    photo = driver.find("img_photo")
    assert photo.texture is not None and photo.width > 50 and photo.opacity == 1
    assert "036089001234" not in " ".join(texts)
    driver.screenshot(shot)
    return texts


def test_qr_then_chip_confirm_shows_the_photo_and_verified_then_the_birth_form_is_prefilled(
        make_driver, kiosk_config, chip_rig, tmp_path, artifacts):
    driver, screen = _chip_driver(make_driver, kiosk_config, chip_rig, tmp_path)
    _wait_chip_state(driver, "waiting")
    assert "Đặt thẻ lên đầu đọc" in driver.texts()
    assert driver.app.services.id_camera.latest_frame() is None  # the QR is read: camera off
    driver.screenshot(artifacts / "chip-place.png")
    chip_rig.place(chip_rig.chip(Citizen()))
    _assert_chip_confirmed(driver, artifacts / "chip-confirm.png")
    driver.tap("btn_confirm")
    driver.wait_screen("procedure_search")
    identity = driver.app.services.visit.identity
    assert identity.chip_authenticity == "authentic" and identity.ethnicity == "Kinh"

    # The birth registration form: the chip's fields are there, without typing.
    driver.app.journeys.submit.choose_procedure("1.001193")
    driver.wait_screen("procedure_detail")
    driver.tap("btn_start")
    driver.wait_screen("form")
    driver.pump(0.3)
    choose(driver, "nyc_quan_he", "cha")  # the card holder is the child's father
    fill(driver, "nyc_dien_thoai", "0912345678")
    driver.tap("btn_next")
    driver.pump(0.3)
    # The child's page: the home town and ethnicity follow the father's chip, as usual answers he may change.
    assert driver.find("in_tre_que_quan").text == "Xã Hải Vân, Huyện Hải Hậu, Nam Định"
    assert not driver.find("in_tre_que_quan").readonly
    assert driver.find("row_tre_que_quan").card_text == "Theo thẻ căn cước — có thể sửa"
    fill(driver, "tre_ho_ten", "Nguyeenx Minh Khooi")
    fill(driver, "tre_ngay_sinh", "20/11/2026")
    choose(driver, "tre_gioi_tinh", "nam")
    fill(driver, "tre_noi_sinh", "Beenhj vieenj tinhr Nam DDinhj")
    driver.tap("btn_next")
    driver.pump(0.3)
    # The parents' page: the father is the card holder (his ethnicity and nationality from the chip, locked);
    # the mother's name is the chip's spouse.
    assert driver.find("in_cha_ho_ten").text == "Nguyễn Văn An" and driver.find("in_cha_ho_ten").readonly
    assert driver.find("in_cha_nam_sinh").text == "1989"
    assert driver.find("in_cha_dan_toc").text == "Kinh" and driver.find("in_cha_dan_toc").readonly
    assert driver.find("in_cha_quoc_tich").text == "Việt Nam"
    assert driver.find("row_cha_dan_toc").card_text == "Lấy từ chip thẻ căn cước"
    assert driver.find("in_me_ho_ten").text == "Lê Thị Dung" and not driver.find("in_me_ho_ten").readonly
    assert driver.find("in_cha_noi_cu_tru").text.startswith("Xóm 2, Xã Hải Vân")
    driver.screenshot(artifacts / "chip-form-parents.png")
    sources = driver.app.journeys.submit.field_sources()
    assert sources["cha_dan_toc"] == "chip" and sources["cha_ho_ten"] == "card" and sources["me_ho_ten"] == "chip"


def test_card_lifted_mid_read_says_hold_it_and_the_read_succeeds_when_back(
        make_driver, kiosk_config, chip_rig, tmp_path, artifacts):
    driver, screen = _chip_driver(make_driver, kiosk_config, chip_rig, tmp_path)
    _wait_chip_state(driver, "waiting")
    card = chip_rig.place(chip_rig.chip(Citizen()), remove_after=12)  # lifted while the photo is read
    _wait_chip_state(driver, "lifted")
    assert "Giữ thẻ trên đầu đọc" in driver.texts()
    driver.screenshot(artifacts / "chip-lifted.png")
    card.insert()
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=30, what="confirmation after the retry")
    driver.pump(0.3)
    assert "Đã xác thực chip" in driver.texts()
    assert driver.app.services.visit.submit.chip.reads == 2


def test_a_chip_that_disagrees_with_the_qr_is_refused(make_driver, kiosk_config, chip_rig, tmp_path, artifacts):
    driver, screen = _chip_driver(make_driver, kiosk_config, chip_rig, tmp_path, orientation="portrait")
    _wait_chip_state(driver, "waiting")
    chip_rig.place(chip_rig.chip(Citizen(name="Nguyễn Văn Ba", name_mrz="NGUYEN VAN BA")))
    _wait_chip_state(driver, "refused")
    texts = driver.texts()
    assert "Thông tin chip không khớp với mã QR" in texts
    assert not driver.has("btn_confirm") and driver.find("btn_chip_skip").parent is None  # no way round it
    driver.screenshot(artifacts / "chip-refused.png")
    # The only way on: read the card again (this citizen now shows another QR, so the step stays cleared).
    (tmp_path / "camera" / "01_cccd_chip_front.jpg").unlink()
    shutil.copy(SAMPLES / "04_receipt_qr_not_id.jpg", tmp_path / "camera")
    driver.tap("btn_chip_again")
    driver.wait_for(lambda: driver.app.services.id_camera.running, timeout=5, what="camera on again")
    driver.pump(0.5)
    assert driver.app.services.visit.submit.chip.state == "off" and driver.app.services.visit.identity is None


def test_wrong_key_says_so_once_and_the_qr_alone_can_go_on(make_driver, kiosk_config, chip_rig, tmp_path):
    from datetime import date

    driver, screen = _chip_driver(make_driver, kiosk_config, chip_rig, tmp_path)
    _wait_chip_state(driver, "waiting")
    card = chip_rig.place(chip_rig.chip(Citizen(expiry=date(2031, 3, 15))))  # not the age rule's expiry
    _wait_chip_state(driver, "failed")
    assert any("ngày hết hạn" in t for t in driver.texts())
    assert card.chip.stats.external_authenticates == 1
    assert driver.find("btn_chip_retry").parent is None  # not offered: the same key would be refused again
    driver.tap("btn_chip_skip")
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=10, what="confirmation with the QR only")
    driver.pump(0.2)
    assert "Không đọc chip — chỉ dùng mã QR" in driver.texts()
    driver.tap("btn_confirm")
    driver.wait_screen("procedure_search")
    assert driver.app.services.visit.identity.chip_authenticity is None


def test_without_a_reader_the_qr_is_confirmed_at_once(make_driver, kiosk_config, tmp_path):
    cam = tmp_path / "camera"
    cam.mkdir()
    shutil.copy(SAMPLES / "01_cccd_chip_front.jpg", cam)
    kiosk_config.camera.uri = f"files:{cam}?hold=30"
    driver = make_driver(config=kiosk_config)  # [chip] reader = "none:"
    driver.tap("btn_submit")
    driver.wait_screen("identify")
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=30, what="confirmation")
    assert driver.app.services.visit.submit.chip.state == "off"
    assert driver.find("img_photo").opacity == 0 and driver.find("banner_chip").text == ""
    assert driver.find("btn_use_can").parent is None  # the CAN way needs a reader: not in the row


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_chip_state_keeps_its_text_inside_in_large_text(make_driver, kiosk_config, artifacts, orientation):
    """The chip dialog and the confirmation with the photo, as the showcase sets them, in large text."""
    from helpers.layout import clipped_labels

    from screens.showcase.scenes import identify

    kiosk_config.accessibility.voice_player = "none"
    driver = make_driver(orientation=orientation, config=kiosk_config)
    failures = {}
    for name, show in identify.scenes.items():
        if not name.startswith(("identify_chip", "identify_reader", "chip_can")):
            continue
        driver.dismiss_dialogs()
        driver.app.finish_visit()
        driver.pump(0.1)
        driver.app.large_text = True
        show(driver)
        driver.pump(0.4)
        driver.screenshot(artifacts / f"{name}-{orientation}-large.png")
        problems = clipped_labels(driver)
        if problems:
            failures[name] = problems
    assert not failures, failures


# ---------------------------------------------------------------- the chip first, opened with the CAN typed

CAN = "001234"  # the last 6 digits of helpers.cards.CHIP_CCCD's ID number


def _can_driver(make_driver, kiosk_config, chip_rig, tmp_path, orientation: str = "landscape"):
    """A kiosk with a reader whose camera sees no card: the citizen takes "Dùng chip: nhập 6 số CAN"."""
    driver, _screen = _chip_driver(make_driver, kiosk_config, chip_rig, tmp_path, orientation, in_view="00_counter.jpg")
    driver.pump(0.3)
    assert "Dùng chip: nhập 6 số CAN" in " ".join(driver.texts())
    driver.tap("btn_use_can")
    driver.wait_screen("chip_can")
    driver.pump(0.3)
    return driver


def test_the_can_typed_first_opens_the_chip_and_the_confirm_shows_the_photo_and_verified(
        make_driver, kiosk_config, chip_rig, tmp_path, artifacts):
    driver = _can_driver(make_driver, kiosk_config, chip_rig, tmp_path)
    assert any("6 số cuối của số định danh" in t for t in driver.texts())
    assert driver.app.services.id_camera.latest_frame() is None  # the camera stopped with the identify screen
    driver.screenshot(artifacts / "chip-can-typed.png")
    driver.type_keys(CAN)
    assert driver.find("txt_can").text == CAN
    driver.tap("btn_can_submit")
    _wait_chip_state(driver, "waiting")
    assert "Đặt thẻ lên đầu đọc" in driver.texts()
    assert driver.find("btn_chip_skip").parent is None  # no QR to go on with instead
    chip_rig.place(chip_rig.chip(Citizen(), can=CAN))
    texts = _assert_chip_confirmed(driver, artifacts / "chip-can-confirm.png")
    assert "Thông tin đọc từ chip (mở bằng mã CAN)" in texts
    driver.tap("btn_confirm")
    driver.wait_screen("procedure_search")
    identity = driver.app.services.visit.identity
    assert identity.id_number == "036089001234" and identity.full_name == "Nguyễn Văn An"
    assert identity.chip_authenticity == "authentic" and identity.ethnicity == "Kinh"


def test_a_wrong_can_is_said_on_the_field_once_and_the_right_one_typed_again_opens_the_chip(
        make_driver, kiosk_config, chip_rig, tmp_path, artifacts):
    driver = _can_driver(make_driver, kiosk_config, chip_rig, tmp_path, orientation="portrait")
    card = chip_rig.place(chip_rig.chip(Citizen(), can=CAN))
    driver.type_keys("123456")
    driver.tap("btn_can_submit")
    _wait_chip_state(driver, "failed")
    driver.pump(0.3)
    assert driver.find("banner_can_error").text.startswith("Chip không mở được bằng mã CAN này")
    assert not driver.has("btn_chip_retry") or driver.find("btn_chip_retry").parent is None
    assert card.chip.stats.external_authenticates == 1  # one attempt, no storm
    driver.screenshot(artifacts / "chip-can-wrong.png")
    for _ in range(6):
        driver.tap("key_backspace", settle=0.02)
    driver.type_keys(CAN)
    driver.tap("btn_can_submit")
    driver.wait_for(lambda: driver.has("btn_confirm"), timeout=30, what="confirmation after the right CAN")
    driver.pump(0.3)
    assert "Đã xác thực chip" in driver.texts() and driver.find("banner_can_error").text == ""
    assert card.chip.stats.external_authenticates == 2


def test_a_can_of_five_digits_is_said_on_the_field_and_the_reader_is_not_asked(
        make_driver, kiosk_config, chip_rig, tmp_path):
    driver = _can_driver(make_driver, kiosk_config, chip_rig, tmp_path)
    driver.type_keys("00123")
    driver.tap("btn_can_submit")
    driver.pump(0.3)
    assert driver.find("banner_can_error").text == "Mã CAN gồm đúng 6 chữ số. Vui lòng nhập lại."
    assert driver.app.services.visit.submit.chip.state == "off"

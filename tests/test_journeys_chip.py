"""The identify step's chip read without a window: the submit journey over the real ``pcsc:`` reader,
pcscd + vpcd and the virtual CCCD (tests/helpers/chipcard). Work is run step by step (:class:`Deferred`),
as the app's worker pool would run it, so the test sees every state the screen would show."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.cards import CHIP_CCCD
from helpers.chipcard.cccd import Citizen
from journeys_support import Deferred, journeys_over

from kiosk.identity import parse_payload
from kiosk.services import build_services

TODAY = date(2026, 12, 1)


@pytest.fixture
def chip_services(kiosk_config, chip_rig):
    from helpers.chipcard.rig import READER

    kiosk_config.chip.reader = f"pcsc:{READER}"
    kiosk_config.chip.csca_dir = str(chip_rig.csca_dir)
    kiosk_config.chip.wait_card_s = 10
    services = build_services(kiosk_config)
    yield services
    services.close()


def _at_identify(services):
    runner = Deferred()
    journeys, _shown = journeys_over(services, runner)
    journeys.start("submit")
    return journeys.submit, runner, parse_payload(CHIP_CCCD, today=TODAY)


def test_qr_then_chip_gives_the_merged_identity_with_photo_and_authentic(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    part = chip_services.visit.submit.chip
    chip_rig.place(chip_rig.chip(Citizen()))
    assert submit.chip.offer(qr) and part.state == "waiting"
    assert runner.run_one() and part.state == "reading"  # the card is on the reader
    assert runner.run_one() and part.state == "read" and part.progress == 1.0
    identity = submit.chip.identity
    assert identity.id_number == qr.id_number and identity.chip_authenticity == "authentic"
    assert (identity.ethnicity, identity.nationality, identity.father_name) == ("Kinh", "Việt Nam", "Nguyễn Văn Bình")
    assert part.photo is not None and part.photo.width > 0 and len(part.photo.rgb) == part.photo.width * part.photo.height * 3
    submit.identified(identity)
    assert chip_services.visit.identity is identity and submit.step == "procedure"


def test_without_a_reader_the_qr_alone_goes_on(kiosk_config):
    services = build_services(kiosk_config)  # [chip] reader = "none:" by default
    try:
        submit, runner, qr = _at_identify(services)
        assert not submit.chip.offer(qr) and services.visit.submit.chip.state == "off"
        assert runner.queue == []
    finally:
        services.close()


def test_card_lifted_mid_read_says_hold_it_then_reads_when_back(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    part = chip_services.visit.submit.chip
    card = chip_rig.place(chip_rig.chip(Citizen()), remove_after=12)
    submit.chip.offer(qr)
    runner.run_one()  # placed
    runner.run_one()  # the read: the card leaves after 12 APDUs
    assert part.state == "lifted" and submit.chip.message("vi") == "Giữ thẻ trên đầu đọc"
    assert len(runner.queue) == 1  # waiting for the card again, by itself
    card.insert()
    runner.run_one()
    assert part.state == "reading"
    runner.run_one()
    assert part.state == "read" and part.reads == 2 and part.lifts == 0
    assert submit.chip.identity.chip_authenticity == "authentic"


def test_wrong_key_is_one_attempt_and_offers_retry_or_qr_only(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    part = chip_services.visit.submit.chip
    # The QR's key guesses the expiry by the renewal-age rule; this card expires on another day.
    card = chip_rig.place(chip_rig.chip(Citizen(expiry=date(2031, 3, 15))))
    submit.chip.offer(qr)
    runner.run_all()
    assert part.state == "failed" and part.error == "wrong_key" and runner.queue == []
    assert card.chip.stats.external_authenticates == 1  # no retry storm
    assert "ngày hết hạn" in submit.chip.message("vi")
    assert not submit.chip.can_retry
    submit.chip.retry()  # the same key would be refused again: nothing is sent
    assert runner.queue == [] and card.chip.stats.external_authenticates == 1
    submit.chip.skip()
    assert part.state == "skipped" and submit.chip.identity is qr


def test_another_card_does_not_open_with_the_qr_key(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    part = chip_services.visit.submit.chip
    chip_rig.place(chip_rig.chip(Citizen(id_number="036089005678", name="Nguyễn Văn Ba", name_mrz="NGUYEN VAN BA")))
    # The QR's key opens only the QR's card: the other card answers with a wrong key …
    submit.chip.offer(qr)
    runner.run_all()
    assert part.state == "failed" and part.error == "wrong_key"


def test_a_chip_that_opens_with_the_qr_key_but_names_someone_else_is_refused(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    part = chip_services.visit.submit.chip
    # Same document number and dates (so the QR's key opens it) but another name in DG13: a forged pair.
    chip_rig.place(chip_rig.chip(Citizen(name="Nguyễn Văn Ba", name_mrz="NGUYEN VAN BA")))
    submit.chip.offer(qr)
    runner.run_all()
    assert part.state == "refused" and part.error == "chip_mismatch"
    assert submit.chip.identity is None
    submit.chip.skip()  # no way on with that card
    assert part.state == "refused" and chip_services.visit.identity is None


def test_a_tampered_chip_keeps_only_the_qr_fields_marked_invalid(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    chip_rig.place(chip_rig.chip(Citizen(), tamper=True))
    submit.chip.offer(qr)
    runner.run_all()
    identity = submit.chip.identity
    assert identity.chip_authenticity == "invalid" and identity.ethnicity is None and identity.photo is None
    assert identity.full_name == qr.full_name


def test_no_card_within_the_wait_fails_with_a_retry(chip_services, chip_rig):
    chip_services.config.chip.wait_card_s = 0.6
    submit, runner, qr = _at_identify(chip_services)
    part = chip_services.visit.submit.chip
    chip_rig.lift()
    submit.chip.offer(qr)
    runner.run_all()
    assert part.state == "failed" and part.error == "no_card"
    chip_rig.place(chip_rig.chip(Citizen()))
    submit.chip.retry()
    runner.run_all()
    assert part.state == "read"


def test_a_wipe_drops_a_read_in_flight(chip_services, chip_rig):
    submit, runner, qr = _at_identify(chip_services)
    chip_rig.place(chip_rig.chip(Citizen()))
    submit.chip.offer(qr)
    runner.run_one()
    chip_services.visit.wipe()
    runner.run_all()
    assert chip_services.visit.submit.chip.state == "off" and chip_services.visit.submit.chip.identity is None


def test_a_jpeg_2000_photo_is_decoded_for_the_confirm_screen(chip_services, chip_rig):
    import io

    from PIL import Image

    from kiosk.identity.chip.photo import jpeg2000_supported

    if not jpeg2000_supported():
        pytest.skip("this Pillow has no OpenJPEG")
    buf = io.BytesIO()
    Image.new("RGB", (180, 240), (200, 170, 150)).save(buf, "JPEG2000")
    submit, runner, qr = _at_identify(chip_services)
    chip_rig.place(chip_rig.chip(Citizen(), photo=buf.getvalue()))
    submit.chip.offer(qr)
    runner.run_all()
    part = chip_services.visit.submit.chip
    assert part.state == "read" and (part.photo.width, part.photo.height) == (180, 240)
    assert part.identity.photo == buf.getvalue()


# ---------------------------------------------------------------- the chip first, opened with the CAN typed

CAN = "001234"  # the last 6 digits of helpers.cards.CHIP_CCCD's ID number, as public readers take the CAN


def _at_can(services):
    runner = Deferred()
    journeys, shown = journeys_over(services, runner)
    journeys.start("submit")
    journeys.submit.use_can()
    return journeys.submit, runner, shown


def test_the_can_typed_opens_the_chip_by_pace_and_the_identity_is_the_chips_alone(chip_services, chip_rig):
    submit, runner, shown = _at_can(chip_services)
    part = chip_services.visit.submit.chip
    assert submit.step == "identify_can" and shown[-1] == "chip_can"
    card = chip_rig.place(chip_rig.chip(Citizen(), can=CAN))
    submit.chip.offer_can(CAN)
    assert part.state == "waiting" and part.qr is None and submit.chip.by_can and "001234" not in repr(part)
    assert runner.run_one() and part.state == "reading"
    assert runner.run_one() and part.state == "read" and part.progress == 1.0
    assert card.chip.stats.sessions == 1 and card.chip.stats.external_authenticates == 1  # one PACE, no BAC
    identity = submit.chip.identity
    assert (identity.source, identity.id_number, identity.full_name) == ("chip", "036089001234", "Nguyễn Văn An")
    assert identity.date_of_birth == date(1989, 3, 15) and identity.sex == "male"
    assert identity.address.startswith("Xóm 2, Xã Hải Vân") and identity.chip_authenticity == "authentic"
    assert (identity.ethnicity, identity.nationality, identity.spouse_name) == ("Kinh", "Việt Nam", "Lê Thị Dung")
    assert part.photo is not None and part.photo.width > 0
    submit.identified(identity)
    assert chip_services.visit.identity is identity and submit.step == "procedure"
    # The birth registration prefills as after QR + chip: the father is the card holder, from the chip.
    submit.choose_procedure("1.001193")
    submit.start_form()
    form = submit.form
    form.set("nyc_quan_he", "cha")
    assert (form.get("cha_ho_ten"), form.get("cha_nam_sinh"), form.get("cha_dan_toc")) == ("Nguyễn Văn An", "1989", "Kinh")
    assert form.get("me_ho_ten") == "Lê Thị Dung" and form.from_chip("cha_dan_toc")
    assert submit.field_sources()["cha_dan_toc"] == "chip"


def test_a_wrong_can_is_one_pace_attempt_with_a_clear_message_and_no_retry(chip_services, chip_rig):
    submit, runner, _shown = _at_can(chip_services)
    part = chip_services.visit.submit.chip
    card = chip_rig.place(chip_rig.chip(Citizen(), can=CAN))
    submit.chip.offer_can("123456")
    runner.run_all()
    assert part.state == "failed" and part.error == "wrong_key" and runner.queue == []
    assert card.chip.stats.external_authenticates == 1 and card.chip.stats.sessions == 0  # no retry storm
    assert not submit.chip.can_retry
    submit.chip.retry()  # the same CAN would be refused again: nothing is sent
    assert runner.queue == [] and card.chip.stats.external_authenticates == 1
    submit.chip.skip()  # no QR to fall back on
    assert part.state == "failed" and submit.chip.identity is None and submit.step == "identify_can"
    submit.chip.offer_can(CAN)  # the citizen types it again: a new attempt, on purpose
    runner.run_all()
    assert part.state == "read" and card.chip.stats.external_authenticates == 2


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "12 345"])
def test_a_can_that_is_not_six_digits_is_refused_before_the_reader_is_touched(chip_services, typed):
    from kiosk.identity.chip import ChipError

    submit, runner, _shown = _at_can(chip_services)
    with pytest.raises(ChipError) as e:
        submit.chip.offer_can(typed)
    assert e.value.code == "bad_access_key" and runner.queue == []
    assert chip_services.visit.submit.chip.state == "off"


def test_a_tampered_chip_opened_by_can_is_refused_there_is_no_qr_to_keep(chip_services, chip_rig):
    submit, runner, _shown = _at_can(chip_services)
    part = chip_services.visit.submit.chip
    chip_rig.place(chip_rig.chip(Citizen(), can=CAN, tamper=True))
    submit.chip.offer_can(CAN)
    runner.run_all()
    assert part.state == "refused" and part.error == "chip_invalid" and submit.chip.identity is None
    assert "không hợp lệ" in submit.chip.message("vi") and not submit.chip.can_retry


def test_a_chip_without_pace_says_the_can_cannot_open_it(chip_services, chip_rig):
    submit, runner, _shown = _at_can(chip_services)
    part = chip_services.visit.submit.chip
    card = chip_rig.place(chip_rig.chip(Citizen()))  # BAC only: no EF.CardAccess
    submit.chip.offer_can(CAN)
    runner.run_all()
    assert part.state == "failed" and part.error == "pace_unavailable" and card.chip.stats.external_authenticates == 0


def test_a_card_lifted_during_a_can_read_is_read_again_when_back(chip_services, chip_rig):
    submit, runner, _shown = _at_can(chip_services)
    part = chip_services.visit.submit.chip
    card = chip_rig.place(chip_rig.chip(Citizen(), can=CAN), remove_after=14)
    submit.chip.offer_can(CAN)
    runner.run_one()
    runner.run_one()
    assert part.state == "lifted" and len(runner.queue) == 1
    card.insert()
    runner.run_all()
    assert part.state == "read" and part.reads == 2 and submit.chip.identity.source == "chip"


def test_without_a_reader_the_can_way_is_not_offered(kiosk_config):
    services = build_services(kiosk_config)
    try:
        runner = Deferred()
        journeys, shown = journeys_over(services, runner)
        journeys.start("submit")
        journeys.submit.use_can()
        assert journeys.submit.step == "identify" and shown == ["identify"]
    finally:
        services.close()

"""The ID card's chip end to end: a real pcscd, Debian's vpcd driver, pyscard, and a virtual CCCD.

The kiosk's reader class (``pcsc:``) and ``kiosk.identity.chip.read_chip`` talk to the card exactly
as to a real reader; the card (tests/helpers/chipcard) implements BAC and secure messaging itself.
Acceptance of issue 17: the right key → identity with DG13 fields and "xác thực"; a wrong key → a
clear message, one attempt; card lifted mid-read → "Giữ thẻ trên đầu đọc" and a good retry; a data
group altered after signing → "không hợp lệ"; no CSCA list → "chưa kiểm chứng"; chip ≠ QR → refused.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers.cards import CHIP_CCCD
from helpers.chipcard.cccd import Citizen
from helpers.chipcard.rig import Rig

from kiosk.identity import parse_payload
from kiosk.identity.chip import (
    LABELS_VI,
    AccessKey,
    CardRemovedError,
    ChipError,
    ChipMismatchError,
    WrongKeyError,
    merge_with_qr,
    read_chip,
)

TODAY = date(2026, 12, 1)


@pytest.fixture
def rig(chip_rig: Rig) -> Rig:
    return chip_rig  # tests/conftest.py


def _key(citizen: Citizen) -> AccessKey:
    return AccessKey.from_mrz(citizen.mrz_lines)


def test_right_key_gives_dg13_fields_and_authentic(rig: Rig) -> None:
    citizen = Citizen()
    card = rig.place(rig.chip(citizen))
    reading = read_chip(rig.reader, _key(citizen), rig.csca_dir)
    assert reading.authenticity.status == "authentic" and LABELS_VI["authentic"] == "xác thực"
    assert reading.authenticity.checked == (1, 2, 13, 14, 15)
    assert reading.id_number == citizen.id_number
    d = reading.dg13
    assert d is not None
    assert (d.full_name, d.ethnicity, d.religion, d.nationality) == ("Nguyễn Văn An", "Kinh", "Không", "Việt Nam")
    assert (d.father, d.mother, d.spouse) == ("Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Thị Dung")
    assert d.place_of_origin == "Xã Hải Vân, Huyện Hải Hậu, Nam Định"
    assert d.expiry_date == citizen.expiry and d.date_of_birth == citizen.born and d.old_id_number == "163456789"
    assert reading.photo is not None and reading.photo[:3] == b"\xff\xd8\xff" and reading.photo_format == "jpeg"
    assert set(reading.files) == {"COM", "DG1", "DG2", "DG13", "DG14", "DG15", "SOD"}
    assert card.chip.stats.external_authenticates == 1
    assert reading.apdus == card.chip.stats.apdus  # every APDU we sent reached the card, none more


def test_qr_key_and_merge_give_the_visit_identity(rig: Rig) -> None:
    qr = parse_payload(CHIP_CCCD, today=TODAY)
    rig.place(rig.chip(Citizen()))
    reading = read_chip(rig.reader, AccessKey.from_qr(qr), rig.csca_dir)  # expiry from the age rule
    identity = merge_with_qr(qr, reading)
    assert identity.id_number == qr.id_number and identity.full_name == qr.full_name
    assert (identity.ethnicity, identity.religion, identity.nationality) == ("Kinh", "Không", "Việt Nam")
    assert (identity.father_name, identity.mother_name, identity.spouse_name) == (
        "Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Thị Dung")
    assert identity.expiry_date == date(2029, 3, 15) and identity.chip_authenticity == "authentic"
    assert identity.photo == reading.photo
    assert "036089001234" not in repr(identity) and "Nguyễn" not in repr(reading)


def test_wrong_key_is_one_attempt_and_a_clear_message(rig: Rig) -> None:
    citizen = Citizen()
    card = rig.place(rig.chip(citizen))
    wrong = AccessKey.from_fields(citizen.document_number, citizen.born, date(2031, 3, 15))
    with pytest.raises(WrongKeyError) as e:
        read_chip(rig.reader, wrong, rig.csca_dir)
    assert e.value.code == "wrong_key" and not e.value.retry_helps
    assert "ngày hết hạn" in e.value.message("vi")
    # SELECT, GET CHALLENGE, one EXTERNAL AUTHENTICATE: no retry storm.
    assert card.chip.stats.external_authenticates == 1 and card.chip.stats.apdus == 3


def test_card_lifted_mid_read_says_hold_it_and_a_retry_reads_it(rig: Rig) -> None:
    citizen = Citizen()
    card = rig.place(rig.chip(citizen), remove_after=12)  # lifted while DG2 is being read
    with pytest.raises(CardRemovedError) as e:
        read_chip(rig.reader, _key(citizen), rig.csca_dir)
    assert e.value.message("vi") == "Giữ thẻ trên đầu đọc" and e.value.retry_helps
    assert rig.reader.wait_for_removal(5)
    card.insert()  # the citizen puts it back
    assert rig.reader.wait_for_card(5)
    reading = read_chip(rig.reader, _key(citizen), rig.csca_dir)
    assert reading.authenticity.status == "authentic" and reading.id_number == citizen.id_number


def test_data_group_altered_after_signing_is_invalid(rig: Rig) -> None:
    citizen = Citizen()
    rig.place(rig.chip(citizen, tamper=True))
    reading = read_chip(rig.reader, _key(citizen), rig.csca_dir)
    assert reading.authenticity.status == "invalid" and reading.authenticity.reason == "dg13_hash"
    assert reading.authenticity.label_vi == "không hợp lệ"
    qr = parse_payload(CHIP_CCCD, today=TODAY)
    assert merge_with_qr(qr, reading).chip_authenticity == "invalid"  # kept, never silently absent


def test_no_csca_list_is_unverified(rig: Rig, tmp_path) -> None:
    citizen = Citizen()
    rig.place(rig.chip(citizen))
    for csca in (None, tmp_path / "missing", tmp_path):
        reading = read_chip(rig.reader, _key(citizen), csca)
        assert reading.authenticity.status == "unverified" and reading.authenticity.reason == "no_csca_list"
        assert reading.authenticity.label_vi == "chưa kiểm chứng"


def test_chip_of_another_person_than_the_qr_is_refused(rig: Rig) -> None:
    other = Citizen(id_number="036089005678", name="Nguyễn Văn Ba", name_mrz="NGUYEN VAN BA")
    rig.place(rig.chip(other))
    reading = read_chip(rig.reader, _key(other), rig.csca_dir)
    assert reading.authenticity.status == "authentic"
    qr = parse_payload(CHIP_CCCD, today=TODAY)
    with pytest.raises(ChipMismatchError) as e:
        merge_with_qr(qr, reading)
    assert e.value.fields == ["id_number", "full_name"]
    assert "036089005678" not in str(e.value) and e.value.message("vi").startswith("Thông tin chip không khớp")


def test_no_card_and_a_can_on_a_bac_only_chip_are_clear_errors(rig: Rig) -> None:
    rig.lift()
    citizen = Citizen()
    with pytest.raises(ChipError) as e:
        read_chip(rig.reader, _key(citizen), rig.csca_dir)
    assert e.value.code == "no_card"
    assert not rig.reader.wait_for_card(0.2)
    rig.place(rig.chip(citizen))  # BAC only: no EF.CardAccess
    with pytest.raises(ChipError) as e:
        read_chip(rig.reader, AccessKey.from_can("001234"), rig.csca_dir)
    assert e.value.code == "pace_unavailable" and "MRZ" in e.value.message("vi")


def test_reader_busy_is_its_own_fault(rig: Rig) -> None:
    from smartcard import scard

    citizen = Citizen()
    rig.place(rig.chip(citizen))
    _, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    hresult, card, _p = scard.SCardConnect(ctx, rig.reader.readers()[0], scard.SCARD_SHARE_EXCLUSIVE,
                                           scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
    assert hresult == scard.SCARD_S_SUCCESS
    try:
        with pytest.raises(ChipError) as e:
            read_chip(rig.reader, _key(citizen), rig.csca_dir)
        assert e.value.code == "reader_busy" and e.value.retry_helps
    finally:
        scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        scard.SCardReleaseContext(ctx)
    assert read_chip(rig.reader, _key(citizen), rig.csca_dir).authenticity.status == "authentic"


def test_watcher_reports_card_placed_and_lifted(rig: Rig) -> None:
    import queue

    from devices.card_watch import CardWatcher

    rig.lift()
    events: queue.Queue[str] = queue.Queue()
    watcher = CardWatcher(rig.reader, lambda: events.put("placed"), lambda: events.put("lifted"), slice_s=0.2).start()
    try:
        rig.place(rig.chip(Citizen()))
        assert events.get(timeout=5) == "placed"
        rig.lift()
        assert events.get(timeout=5) == "lifted"
    finally:
        watcher.stop()


def test_doctor_reports_the_reader(rig: Rig, kiosk_config) -> None:
    from kiosk.ops.device_checks import check_card_reader
    from kiosk.ops.health import Context

    rig.place(rig.chip(Citizen()))
    kiosk_config.chip.reader = "pcsc:Virtual PCD 00 00"
    check = check_card_reader(Context(kiosk_config))
    assert (check.state, check.reason) == ("green", "Virtual PCD 00 00, card on it")
    kiosk_config.chip.reader = "pcsc:Omnikey*"
    assert check_card_reader(Context(kiosk_config)).state == "red"
    kiosk_config.chip.reader = "none:"
    assert check_card_reader(Context(kiosk_config)).state == "green"


@pytest.mark.parametrize("parameter_id", [13, 12], ids=["brainpoolP256r1", "P-256"])
def test_pace_with_the_can_reads_the_chip(rig: Rig, parameter_id: int) -> None:
    citizen = Citizen()
    card = rig.place(rig.chip(citizen, can=citizen.id_number[-6:], pace_parameter_id=parameter_id))
    reading = read_chip(rig.reader, AccessKey.from_can(citizen.id_number[-6:]), rig.csca_dir)
    assert reading.authenticity.status == "authentic" and reading.dg13 is not None
    assert reading.dg13.ethnicity == "Kinh" and reading.photo is not None
    assert card.chip.aes and card.chip.stats.sessions == 1


def test_pace_with_a_wrong_can_is_one_attempt(rig: Rig) -> None:
    citizen = Citizen()
    card = rig.place(rig.chip(citizen, can="001234"))
    with pytest.raises(WrongKeyError):
        read_chip(rig.reader, AccessKey.from_can("001235"), rig.csca_dir)
    # READ BINARY EF.CardAccess, MSE:Set AT, four GENERAL AUTHENTICATE: no second try.
    assert card.chip.stats.external_authenticates == 1 and card.chip.stats.apdus == 6

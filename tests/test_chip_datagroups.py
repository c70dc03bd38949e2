"""The LDS parsers (EF.COM, DG1, DG2, DG13) and passive authentication, on files made in the test."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from helpers.chipcard.cccd import Citizen, dg2, jpeg, make_files
from helpers.chipcard.pki import build_sod, make_chain
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card_reader import NoCardReader, NoReaderError
from devices.factory import open_card_reader
from kiosk.identity.chip import AccessKey, ChipError, expiry_by_age_rule, read_chip
from kiosk.identity.chip.datagroups import parse_com, parse_dg1, parse_dg2
from kiosk.identity.chip.dg13 import make_dg13, parse_date, parse_dg13
from kiosk.identity.chip.passive import verify


@pytest.fixture(scope="module")
def chain():
    return make_chain()


@pytest.fixture(scope="module")
def files(chain):
    return make_files(Citizen(), chain)


def test_com_lists_the_cccd_groups(files) -> None:
    com = parse_com(files[0x011E])
    assert com.lds_version == "0107" and com.data_groups == ("DG1", "DG2", "DG13", "DG14", "DG15")


def test_dg1_is_the_td1_mrz(files) -> None:
    mrz = parse_dg1(files[0x0101])
    assert (mrz.issuer, mrz.document_number, mrz.id_number) == ("VNM", "089001234", "036089001234")
    assert mrz.date_of_birth == date(1989, 3, 15) and mrz.date_of_expiry == date(2029, 3, 15)
    assert "089001234" not in repr(mrz) and "NGUYEN" not in repr(mrz)


def test_dg2_gives_the_jpeg_and_jpeg2000_images() -> None:
    image = jpeg(800)
    assert parse_dg2(dg2(image)) == (image, "jpeg")
    jp2 = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(40)
    assert parse_dg2(dg2(jp2)) == (jp2, "jpeg2000")
    with pytest.raises(ChipError):
        parse_dg2(dg2(b"no image here"))


def test_dg13_fields_by_number(files) -> None:
    d = parse_dg13(files[0x010D])
    assert d.id_number == "036089001234" and d.full_name == "Nguyễn Văn An" and d.sex_text == "Nam"
    assert (d.nationality, d.ethnicity, d.religion) == ("Việt Nam", "Kinh", "Không")
    assert d.place_of_origin == "Xã Hải Vân, Huyện Hải Hậu, Nam Định"
    assert d.residence == "Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định"
    assert d.identifying_marks.startswith("Nốt ruồi")
    assert (d.issue_date, d.expiry_date, d.date_of_birth) == (date(2021, 4, 20), date(2029, 3, 15), date(1989, 3, 15))
    assert (d.father, d.mother, d.spouse, d.old_id_number) == ("Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Thị Dung",
                                                                 "163456789")
    assert "Nguyễn" not in repr(d)


def test_dg13_tolerates_missing_fields_and_no_expiry() -> None:
    d = parse_dg13(make_dg13({1: "001305012345", 2: "Trần Thị Bình", 12: "Không thời hạn", 13: ("", "Lê Thị E")}))
    assert d.expiry_date is None and d.religion is None and d.spouse is None
    assert d.father is None and d.mother == "Lê Thị E"  # by position: an empty father does not promote the mother
    assert parse_date("07/09/2005") == date(2005, 9, 7) and parse_date("31/02/2005") is None
    with pytest.raises(ChipError):
        parse_dg13(b"\x6d\x02\x30\x00")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(1, 16), st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                                                      min_size=1, max_size=40).map(str.strip).filter(bool),
                       min_size=1))
def test_dg13_round_trip(fields: dict[int, str]) -> None:
    import unicodedata

    d = parse_dg13(make_dg13(fields))
    assert {n: v[0] for n, v in d.raw.items()} == {n: unicodedata.normalize("NFC", v).strip() for n, v in fields.items()}


def test_passive_authentication_verdicts(chain, files, tmp_path) -> None:
    groups = {n: files[0x0100 + n] for n in (1, 2, 13, 14, 15)}
    sod = files[0x011D]
    assert verify(sod, groups, [chain.csca_cert]).status == "authentic"
    assert verify(sod, groups, []).status == "unverified"
    assert verify(sod, groups, [make_chain(csca_name="Another CSCA").csca_cert]).reason == "csca_not_listed"
    assert verify(sod, groups, [make_chain().csca_cert]).reason == "ds_certificate_signature"  # same name, other key
    altered = groups | {1: groups[1][:-1] + b"Z"}
    assert verify(sod, altered, [chain.csca_cert]).reason == "dg1_hash"
    assert verify(sod, groups | {3: b"\x63\x00"}, [chain.csca_cert]).reason == "dg3_hash"  # not in the SOD
    broken_signature = bytearray(sod)
    broken_signature[-3] ^= 0x01
    assert verify(bytes(broken_signature), groups, [chain.csca_cert]).status == "invalid"
    assert verify(b"\x77\x03\x30\x01\x00", groups, None).reason == "sod_unreadable"


def test_passive_authentication_with_an_rsa_document_signer_and_sha1(tmp_path) -> None:
    rsa_chain = make_chain(ds_rsa=True)
    groups = {1: b"\x61\x01\x00", 13: b"\x6d\x01\x00"}
    assert verify(build_sod(groups, rsa_chain, "sha1"), groups, [rsa_chain.csca_cert]).status == "authentic"
    folder = rsa_chain.write_csca(tmp_path / "der", der=True)
    from kiosk.identity.chip.passive import load_csca

    (folder / "README.txt").write_text("not a certificate")
    assert [c.subject for c in load_csca(folder)] == [rsa_chain.csca_cert.subject]
    assert hashlib.sha1(groups[1]).digest()  # sha1 still used by older issuers


def test_access_keys_from_mrz_qr_and_can() -> None:
    citizen = Citizen()
    assert AccessKey.from_mrz(citizen.mrz_lines).secret == citizen.mrz_information
    assert repr(AccessKey.from_mrz(citizen.mrz_lines)) == "AccessKey(mrz)"
    with pytest.raises(ChipError) as e:
        AccessKey.from_mrz(["IDVNM089001234", "x", "y"])
    assert e.value.code == "bad_access_key"
    with pytest.raises(ChipError):
        AccessKey.from_can("12ab")
    born = date(1989, 3, 15)
    assert expiry_by_age_rule(born, date(2021, 4, 20)) == date(2029, 3, 15)  # next renewal age: 40
    assert expiry_by_age_rule(born, date(2012, 1, 1)) == date(2014, 3, 15)  # 25
    assert expiry_by_age_rule(born, date(2013, 6, 1)) == date(2029, 3, 15)  # within 2 years of 25 → 40
    assert expiry_by_age_rule(born, date(2048, 1, 1)) is None  # from 58: no expiry


def test_no_reader_configured_and_unknown_uri() -> None:
    reader = open_card_reader("none:")
    assert isinstance(reader, NoCardReader) and not reader.is_present and reader.readers() == []
    with pytest.raises(NoReaderError):
        reader.connect()
    with pytest.raises(ChipError) as e:
        read_chip(reader, AccessKey.from_mrz(Citizen().mrz_lines))
    assert e.value.code == "no_reader"
    from devices.card_reader import CardReaderError

    with pytest.raises(CardReaderError):
        open_card_reader("nfc:usb")
    assert open_card_reader("pcsc:ACS ACR1252*").pattern == "ACS ACR1252*"  # type: ignore[attr-defined]

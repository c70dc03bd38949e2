"""Receipt QR / typed code parsing and the plain-words status (pure core, no network)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.aftercare.tracking import (
    TrackingError,
    TrackingRef,
    describe,
    format_payload,
    parse_payload,
)
from kiosk.api import SECRET_ALPHABET, DossierStatus, StatusEvent
from kiosk.base.i18n import Translator

CODE = "000.00.01.H22-250715-0007"
UNIT = "000.00.01.H22"


def test_receipt_payload_round_trips():
    assert parse_payload(format_payload(CODE, "K7P3QX")) == TrackingRef(CODE, "K7P3QX")


@pytest.mark.parametrize(
    "text",
    [
        f"MCHS1|{CODE}|K7P3QX",
        f"  mchs1|{CODE}|k7p3qx\r\n",
        f"{CODE}|K7P3QX",
        f"{CODE} K7P3QX",
        f"https://dichvucong.example.vn/tra-cuu?ma={CODE}&k=K7P3QX",
        f"https://example.vn/track?code={CODE}&secret=k7p3qx",
        "250715-0007 K7P3QX",  # typed short form, completed with this kiosk's unit id
        "２５０７１５０００７ K7P3QX",  # full-width digits from an IME
    ],
)
def test_accepted_forms(text):
    assert parse_payload(text, UNIT) == TrackingRef(CODE, "K7P3QX")


@pytest.mark.parametrize(
    "text,key",
    [
        ("036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Nam Định|20042021", "id_card"),
        ("https://example.vn/", "not_receipt"),
        ("00020101021138570010A000000727", "not_receipt"),  # a VietQR payment string
        ("", "not_receipt"),
        (f"{CODE}|K0", "bad_secret"),
        (f"{CODE}|KOOL11", "bad_secret"),  # O, L, 1 are not in the secret alphabet
        ("ABC-1-2|K7P3QX", "bad_code"),
    ],
)
def test_refused_forms_say_why(text, key):
    with pytest.raises(TrackingError) as e:
        parse_payload(text, UNIT)
    assert e.value.key == key
    assert Translator("vi").has(f"track.error.{key}") and Translator("en").has(f"track.error.{key}")


@pytest.mark.slow
@given(
    day=st.dates(min_value=datetime(2020, 1, 1).date(), max_value=datetime(2099, 12, 31).date()),
    seq=st.integers(1, 9999),
    secret=st.text(alphabet=SECRET_ALPHABET, min_size=4, max_size=8),
)
def test_any_valid_code_and_secret_round_trip(day, seq, secret):
    code = f"{UNIT}-{day:%y%m%d}-{seq:04d}"
    assert parse_payload(format_payload(code, secret)) == TrackingRef(code, secret)


@given(st.text(max_size=80))
def test_parser_never_crashes(text):
    try:
        parse_payload(text, UNIT)
    except TrackingError:
        pass


def _status(name: str, appointment_in_days: float) -> DossierStatus:
    now = datetime.now(timezone.utc)
    return DossierStatus(
        code=CODE,
        procedure_code="1.004222",
        procedure_name="Đăng ký thường trú",
        status=name,
        received_at=now - timedelta(days=3),
        appointment_at=now + timedelta(days=appointment_in_days),
        history=[
            StatusEvent(at=now - timedelta(days=1), status="processing"),
            StatusEvent(at=now - timedelta(days=3), status="received", note="Tiếp nhận tại ki-ốt"),
        ],
    )


@pytest.mark.parametrize("name", ["received", "processing", "waiting", "denied", "releasing", "done"])
def test_every_status_has_plain_words_in_both_languages(name):
    for lang in ("vi", "en"):
        r = describe(_status(name, 4), lang)
        assert r.title == Translator(lang)[f"track.status.{name}"]
        assert r.explanation and not r.overdue
    assert describe(_status("waiting", 4)).kind == "warn"


def test_history_is_in_time_order_with_plain_words():
    r = describe(_status("processing", 4))
    assert [h.title for h in r.history] == ["Đã nhận hồ sơ", "Đang giải quyết"]
    assert r.history[0].note == "Tiếp nhận tại ki-ốt"


def test_past_appointment_is_flagged_overdue_unless_finished():
    assert describe(_status("processing", -2)).overdue
    assert "quá ngày hẹn" in describe(_status("processing", -2)).explanation
    assert not describe(_status("done", -2)).overdue


def test_unknown_status_falls_back_to_the_servers_words():
    s = _status("processing", 2).model_copy(update={"status": "archived", "status_vi": "Đã lưu trữ"})
    assert describe(s).title == "Đã lưu trữ"


def test_an_apologys_new_date_replaces_the_appointment_and_is_explained():
    late = _status("processing", -2)
    new = late.appointment_at + timedelta(days=7)
    s = late.model_copy(update={"due_at": new, "new_appointment_at": new, "apology_reason": "Chờ xác minh."})
    result = describe(s)
    assert result.appointment_at == new and not result.overdue
    assert f"Xin lỗi bạn vì hồ sơ bị chậm (Chờ xác minh). Ngày hẹn trả mới: {new:%d/%m/%Y}." in result.explanation


def test_waiting_for_papers_is_never_overdue_and_a_refusal_gives_its_reason():
    assert not describe(_status("waiting", -5)).overdue
    refused = _status("denied", 2).model_copy(update={"refusal_note": "Không thuộc thẩm quyền"})
    assert describe(refused).explanation.endswith("Lý do: Không thuộc thẩm quyền.")

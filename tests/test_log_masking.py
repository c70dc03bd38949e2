"""The kiosk's log masking covers what a citizen leaves in a message: spaced ID numbers, pydantic's
``input_value``, and the name and address of the visit under way (forgotten again at the wipe)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from kiosk.base.logs import setup_logging
from kiosk.base.privacy import forget_personal, mask_text, remember_personal
from kiosk.identity.payload import parse_payload
from kiosk.journeys.visit import Visit

PAYLOAD = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"


@pytest.fixture(autouse=True)
def _clean_registry():
    forget_personal()
    yield
    forget_personal()


@pytest.mark.parametrize("text", ["036 089 001 234", "0360 8900 1234", "036-089-001-234", "163 456 789",
                                  "số 036 089 001 234 nhé"])
def test_spaced_id_numbers_are_masked(text: str) -> None:
    masked = mask_text(text)
    assert len(re.sub(r"\D", "", masked)) <= 3, masked  # at most the last three digits stay


def test_times_phone_numbers_and_addresses_of_the_network_stay_readable() -> None:
    for text in ("2026-11-23 09:30:00", "0912 345 678", "10.0.0.5:9100", "took 120 ms, 3 of 12"):
        assert mask_text(text) == text


class _Applicant(BaseModel):
    phone: int


def test_pydantic_input_value_is_masked() -> None:
    with pytest.raises(ValidationError) as e:
        _Applicant(phone="Nguyễn Văn An 036089001234 ở Xóm 2")  # type: ignore[arg-type]
    masked = mask_text(str(e.value))
    assert "Nguyễn" not in masked and "Xóm 2" not in masked and "input_value=" in masked
    dumped = mask_text(json.dumps(e.value.errors(include_url=False), ensure_ascii=False))
    assert "Nguyễn" not in dumped and "Xóm 2" not in dumped


def test_the_visits_name_and_address_are_masked_until_the_wipe(tmp_path: Path) -> None:
    ident = parse_payload(PAYLOAD)  # reading the card registers the citizen for masking
    message = f"form saved for {ident.full_name} at {ident.address}; NGUYỄN VĂN AN again"
    masked = mask_text(message)
    assert "Nguyễn Văn An" not in masked and "NGUYỄN VĂN AN" not in masked and "Hải Hậu" not in masked
    assert "N. V. A." in masked
    remember_personal(name="Trần Thị Bình", address="Số 12 ngõ 5 phố Huế")  # typed on the form
    assert "Trần" not in mask_text("applicant Trần Thị Bình, Số 12 ngõ 5 phố Huế")
    Visit(_base_dir=tmp_path).wipe()
    assert mask_text(message) == message  # forgotten: the next citizen's logs are not matched against them


def test_the_kiosk_log_file_holds_no_name_or_address(tmp_path: Path) -> None:
    log_file = tmp_path / "kiosk.jsonl"
    setup_logging(log_file, "INFO", stderr=False)
    try:
        ident = parse_payload(PAYLOAD)
        logging.getLogger("test.masking").info("declaration for %s, %s (036 089 001 234)", ident.full_name,
                                               ident.address)
        try:
            _Applicant(phone=ident.full_name)  # type: ignore[arg-type]
        except ValidationError:
            logging.getLogger("test.masking").exception("bad form")
    finally:
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_kiosk", False):
                logging.getLogger().removeHandler(h)
                h.close()
    text = log_file.read_text(encoding="utf-8")
    assert "Nguyễn" not in text and "Hải Hậu" not in text and "089 001" not in text
    assert "bad form" in text

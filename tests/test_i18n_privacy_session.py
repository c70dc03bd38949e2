"""Strings, masking and the visit wipe (pure core, no Kivy)."""

from __future__ import annotations

import logging

from kiosk.base.i18n import LANGUAGES, Translator, catalog
from kiosk.base.privacy import MaskingFilter, mask_id, mask_name, mask_text
from kiosk.journeys.visit import Attachment, Visit

VIETNAMESE_LETTERS = "aăâeêioôơuưy"


def test_every_string_has_vietnamese_and_english():
    for key, entry in catalog().items():
        for lang in LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} has no {lang}"


def test_translator_falls_back_and_formats():
    t = Translator("en")
    assert t["no.such.key"] == "no.such.key"
    assert "5" in t("idle.body", seconds=5)


def test_masking_keeps_only_the_last_three_digits():
    assert mask_id("036089001234") == "*********234"
    assert mask_name("Nguyễn Văn An") == "N. V. A."
    text = "read 036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Nam Định|20042021 ok"
    masked = mask_text(text)
    assert "036089001234" not in masked and "Nguyễn" not in masked
    assert "id 001305012345 cmnd 163456789" != mask_text("id 001305012345 cmnd 163456789")
    assert "*********345" in mask_text("id 001305012345")


def test_log_filter_masks_arguments(caplog):
    log = logging.getLogger("test.privacy")
    log.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO):
        log.info("citizen %s", "036089001234")
    assert "036089001234" not in caplog.text and "*********234" in caplog.text


def test_wipe_clears_everything_and_deletes_files(tmp_path):
    v = Visit(_base_dir=tmp_path)
    v.identity = object()
    v.submit.procedure_code = "1.001193"
    wd = v.workdir()
    page = wd / "page1.jpg"
    page.write_bytes(b"x")
    v.submit.attachments["giay_chung_sinh"] = Attachment("giay_chung_sinh", [page])
    v.ticket.service_code = "A"
    old_id, old_part = v.visit_id, v.submit
    assert not v.is_empty()
    v.wipe()
    assert v.is_empty()
    assert v.submit is not old_part  # a result for the old visit finds its part gone
    assert not wd.exists()
    assert v.visit_id != old_id

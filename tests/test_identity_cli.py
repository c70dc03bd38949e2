"""``kiosk read-id``: JSON lines, exit codes, masking — on the demo camera's real frames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cards import CHIP_CCCD as CHIP

from kiosk.cli.main import main

SAMPLES = Path(__file__).resolve().parent.parent / "assets" / "samples" / "camera"


def _lines(capsys) -> tuple[list[dict], str]:
    out, err = capsys.readouterr()
    return [json.loads(line) for line in out.splitlines() if line.strip()], err


def test_images_to_json_lines(capsys):
    files = [SAMPLES / "01_cccd_chip_front.jpg", SAMPLES / "03_can_cuoc_back.jpg"]
    assert main(["read-id", "--json", *map(str, files)]) == 0
    lines, _ = _lines(capsys)
    assert [r["ok"] for r in lines] == [True, True]
    chip, can_cuoc = (r["identity"] for r in lines)
    assert chip == {
        "id_number": "036089001234", "old_id_number": "163456789", "full_name": "Nguyễn Văn An",
        "date_of_birth": "1989-03-15", "sex": "male",
        "address": "Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định", "issue_date": "2021-04-20", "card_type": "cccd_chip",
    }
    assert can_cuoc["card_type"] == "can_cuoc" and can_cuoc["sex"] == "female"
    assert all(isinstance(r["ms"], float) and r["file"].endswith(".jpg") for r in lines)


def test_failures_are_typed_and_exit_1(capsys, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    files = [SAMPLES / "00_counter.jpg", SAMPLES / "04_receipt_qr_not_id.jpg", broken, SAMPLES / "01_cccd_chip_front.jpg"]
    assert main(["read-id", "--json", *map(str, files)]) == 1
    lines, _ = _lines(capsys)
    assert [r["ok"] for r in lines] == [False, False, False, True]
    assert [r.get("error", {}).get("code") for r in lines[:3]] == ["no_qr", "not_id_card", "unreadable_image"]
    assert all(r["error"]["message"] for r in lines[:3])


def test_text_payload(capsys):
    assert main(["read-id", "--text", CHIP, "--json"]) == 0
    (line,), _ = _lines(capsys)
    assert line["file"] is None and line["identity"]["full_name"] == "Nguyễn Văn An"
    assert main(["read-id", "--text", CHIP.replace("|Nam|", "|Nữ|"), "--json"]) == 1
    (line,), _ = _lines(capsys)
    assert line["error"]["code"] == "sex_mismatch"
    assert "036089001234" not in line["error"]["message"] + line["error"]["message_en"]


def test_human_output_masks_the_number(capsys):
    assert main(["read-id", "--text", CHIP]) == 0
    out, _ = capsys.readouterr()
    assert "*********234" in out and "036089001234" not in out


def test_no_input_is_bad_usage(capsys):
    assert main(["read-id"]) == 2
    assert "IMAGE" in capsys.readouterr().err


@pytest.mark.parametrize("payload", ["", "https://dichvucong.gov.vn", "|" * 10])
def test_garbage_text_never_crashes(capsys, payload):
    assert main(["read-id", "--text", payload, "--json"]) == 1
    (line,), _ = _lines(capsys)
    assert line["ok"] is False and line["error"]["code"]

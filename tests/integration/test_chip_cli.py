"""``kiosk read-chip`` over pcscd + vpcd + the virtual CCCD: JSON, masking, exit codes."""

from __future__ import annotations

import json

import pytest
from helpers.cards import CHIP_CCCD
from helpers.chipcard.cccd import Citizen
from helpers.chipcard.rig import READER, Rig

from kiosk.cli.main import main


@pytest.fixture
def rig(chip_rig: Rig) -> Rig:
    return chip_rig  # tests/conftest.py


def test_qr_text_json_is_the_merged_identity(rig: Rig, capsys, tmp_path) -> None:
    rig.place(rig.chip(Citizen()))
    photo = tmp_path / "face.jpg"
    code = main(["read-chip", "--reader", READER, "--qr-text", CHIP_CCCD, "--csca-dir", str(rig.csca_dir),
                 "--json", "--photo-out", str(photo)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["ok"]
    assert out["authenticity"]["status"] == "authentic" and out["authenticity"]["label_vi"] == "xác thực"
    ident = out["identity"]
    assert ident["id_number"] == "036089001234" and ident["ethnicity"] == "Kinh" and ident["father_name"] == "Nguyễn Văn Bình"
    assert ident["expiry_date"] == "2029-03-15" and ident["chip_authenticity"] == "authentic"
    assert photo.read_bytes()[:3] == b"\xff\xd8\xff" and out["photo"]["format"] == "jpeg"


def test_mrz_without_json_is_masked(rig: Rig, capsys) -> None:
    citizen = Citizen()
    rig.place(rig.chip(citizen))
    assert main(["read-chip", "--reader", f"pcsc:{READER}", "--mrz", ",".join(citizen.mrz_lines)]) == 0
    out = capsys.readouterr().out
    assert "chưa kiểm chứng" in out and "*********234" in out and "N. V. A." in out
    assert "036089001234" not in out and "Nguyễn" not in out and "Bình" not in out


def test_failures_exit_1_with_the_code(rig: Rig, capsys) -> None:
    other = Citizen(id_number="036089005678", name="Nguyễn Văn Ba", name_mrz="NGUYEN VAN BA")
    rig.place(rig.chip(other))
    assert main(["read-chip", "--reader", READER, "--mrz", ",".join(Citizen().mrz_lines), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "wrong_key"
    assert main(["read-chip", "--reader", READER, "--mrz", ",".join(other.mrz_lines), "--qr-text", CHIP_CCCD]) == 2
    capsys.readouterr()
    rig.lift()
    assert main(["read-chip", "--reader", READER, "--mrz", ",".join(other.mrz_lines), "--wait", "0.2"]) == 1
    assert "no_card" in capsys.readouterr().err
    assert main(["read-chip", "--reader", "none:", "--can", "001234"]) == 1
    assert "no_reader" in capsys.readouterr().err
    rig.place(rig.chip(other))
    assert main(["read-chip", "--reader", READER, "--can", "005678"]) == 1
    assert "pace_unavailable" in capsys.readouterr().err


def test_mrz_image_reads_the_key_from_the_card_back(rig: Rig, capsys, tmp_path) -> None:
    from helpers.chipcard.mrz_image import FONT, card_back

    if not FONT.exists():
        pytest.skip("DejaVu Sans Mono not installed")
    citizen = Citizen()
    rig.place(rig.chip(citizen))
    image = card_back(citizen.mrz_lines, tmp_path / "back.jpg")
    code = main(["read-chip", "--reader", READER, "--mrz-image", str(image), "--csca-dir", str(rig.csca_dir), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["identity"]["id_number"] == citizen.id_number
    assert out["authenticity"]["status"] == "authentic"
    blank = card_back(["", "", ""], tmp_path / "blank.jpg")
    assert main(["read-chip", "--reader", READER, "--mrz-image", str(blank), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_access_key"
    assert main(["read-chip", "--reader", READER, "--mrz-image", str(tmp_path / "none.jpg")]) == 2

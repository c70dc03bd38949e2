"""``kiosk declare`` end to end: answers JSON + ID card text → dossier at the reference server."""

from __future__ import annotations

import json

import pytest
from helpers.cards import CHIP_CCCD as PAYLOAD

from kiosk.cli.main import main


@pytest.fixture
def env(tmp_path, monkeypatch, closed_port):
    monkeypatch.setenv("KIOSK_STORAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_BACKEND_EMBEDDED", "false")
    monkeypatch.setenv("KIOSK_BACKEND_URL", closed_port.url)  # down unless a test gives one
    monkeypatch.setenv("KIOSK_CATALOG_CACHE_FILE", str(tmp_path / "cache.json"))
    monkeypatch.setenv("KIOSK_PRINTER_URI", f"file:{tmp_path / 'printer.bin'}")
    monkeypatch.setenv("KIOSK_LOGGING_FILE", str(tmp_path / "kiosk.jsonl"))
    return monkeypatch


def _answers(tmp_path, data) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_declare_submits_to_the_server_and_prints(env, tmp_path, capsys, server):
    env.setenv("KIOSK_BACKEND_URL", server.url)
    answers = _answers(tmp_path, {"dien_thoai": "0912345678", "dia_chi_moi": "Số 5 ngõ 7, phường Hải Vân"})
    code = main(["declare", "--procedure", "1.004222", "--answers", answers, "--identity-text", PAYLOAD,
                 "--json", "--print", "--receipt-png", str(tmp_path / "r.png")])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert out["status"] == "acknowledged" and out["code"].startswith("000.00.01.H22-")
    assert out["printed"] is True and (tmp_path / "printer.bin").stat().st_size > 1000
    assert (tmp_path / "r.png").exists()
    assert out["prefill"]["from_identity"] == 5  # name, birth date, sex, number, present residence (the QR)


def test_declare_reports_fields_to_fix_with_exit_2(env, tmp_path, capsys):
    answers = _answers(tmp_path, {"dien_thoai": "123"})
    code = main(["declare", "--procedure", "1.004222", "--answers", answers, "--identity-text", PAYLOAD, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and not out["valid"]
    fields = {e["field"]: e["message"] for e in out["errors"]}
    assert fields["dien_thoai"].startswith("Số điện thoại chưa đúng")
    assert "dia_chi_moi" in fields


def test_declare_bad_usage(env, tmp_path, capsys):
    answers = _answers(tmp_path, {"khong_co": 1})
    assert main(["declare", "--procedure", "9.999999", "--answers", answers]) == 2
    assert "unknown procedure" in capsys.readouterr().err
    assert main(["declare", "--procedure", "1.004222", "--answers", answers]) == 2
    assert "not fields of 1.004222: khong_co" in capsys.readouterr().err
    assert main(["declare", "--procedure", "1.004222", "--answers", answers, "--identity-text", "hello"]) == 2


def test_declare_queues_when_the_backend_is_down(env, tmp_path, capsys):
    answers = _answers(tmp_path, {"ten_van_ban": "Giấy ủy quyền"})
    code = main(["declare", "--procedure", "2.000884", "--answers", answers, "--identity-text", PAYLOAD, "--json", "--wait", "1"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["status"] == "queued" and out["code"] is None and out["provisional_ref"]


def test_declare_refuses_to_change_what_the_card_says(env, tmp_path, capsys):
    answers = _answers(tmp_path, {"ho_ten": "Người Khác", "dien_thoai": "0912345678"})
    code = main(["declare", "--procedure", "1.004222", "--answers", answers, "--identity-text", PAYLOAD, "--check"])
    assert code == 2 and "ho_ten is read from the ID card" in capsys.readouterr().err

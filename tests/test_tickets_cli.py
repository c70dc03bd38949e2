"""``kiosk ticket`` and ``kiosk print-test``: the screen's code path from a terminal, JSON contract, exit codes."""

from __future__ import annotations

import json

import pytest

from devices.escpos_decode import decode
from kiosk.cli.main import main


@pytest.fixture
def env(monkeypatch, tmp_path, closed_port):
    monkeypatch.setenv("KIOSK_STORAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_PRINTER_URI", f"file:{tmp_path / 'printer.bin'}")
    monkeypatch.setenv("KIOSK_BACKEND_URL", closed_port.url)  # the backend is down
    monkeypatch.setenv("KIOSK_LOGGING_FILE", str(tmp_path / "kiosk.jsonl"))
    monkeypatch.setenv("KIOSK_BACKEND_EMBEDDED", "false")
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    return tmp_path


def test_ticket_json_over_a_loopback_printer(env, capsys, printer):
    rc = main(["ticket", "--service", "A", "--priority", "elderly", "--printer", printer.uri, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert printer.decoded().cuts == 1
    assert rc == 0
    assert {k: out[k] for k in ("service", "priority", "printed", "printer")} == {
        "service": "A", "priority": "elderly", "printed": True, "printer": printer.uri}
    assert out["number"].startswith("A") and out["people_ahead"] == 0  # the first ticket of the day
    assert out["offline"] is True  # the backend is down: numbered from this kiosk's block


def test_ticket_numbers_continue_across_invocations_and_go_to_the_configured_printer(env, capsys):
    numbers = []
    for _ in range(2):
        assert main(["ticket", "--service", "B", "--json"]) == 0
        numbers.append(json.loads(capsys.readouterr().out)["number"])
    assert numbers[0] != numbers[1] and int(numbers[1][1:]) == int(numbers[0][1:]) + 1
    assert decode((env / "printer.bin").read_bytes()).cuts == 1


def test_ticket_not_printed_exits_1_and_still_gives_the_number(env, capsys, closed_port):
    rc = main(["ticket", "--service", "A", "--printer", closed_port.tcp, "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert rc == 1 and out["printed"] is False and out["number"].startswith("A")
    assert "NOT printed" in captured.err


@pytest.mark.parametrize("args", [
    ["ticket", "--service", "Z"],
    ["ticket", "--service", "A", "--priority", "vip"],
    ["ticket", "--service", "A", "--printer", "lpt://1"],
])
def test_bad_input_exits_2(env, capsys, args):
    assert main(args) == 2
    assert capsys.readouterr().err.strip()


def test_print_test_on_a_loopback_printer(env, capsys, printer, closed_port):
    assert main(["print-test", "--printer", printer.uri]) == 0
    data = printer.job_bytes()
    start = data.index(b"\x1b@")
    page = decode(data[start:]).pages[0]
    assert page.cut and page.image().width == 576
    assert main(["print-test", "--printer", closed_port.tcp]) == 1

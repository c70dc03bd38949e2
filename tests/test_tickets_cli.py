"""``kiosk ticket`` and ``kiosk print-test``: the screen's code path from a terminal, JSON contract, exit codes."""

from __future__ import annotations

import json
import socket

import pytest

from devices.escpos_decode import decode
from devices.loopback_printer import LoopbackPrinter
from kiosk.cli.main import main


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_STORAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_PRINTER_URI", f"file:{tmp_path / 'printer.bin'}")
    monkeypatch.setenv("KIOSK_BACKEND_URL", f"http://127.0.0.1:{_closed_port()}/api/v1")
    monkeypatch.setenv("KIOSK_LOGGING_FILE", str(tmp_path / "kiosk.jsonl"))
    monkeypatch.setenv("KIOSK_BACKEND_EMBEDDED", "false")
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    return tmp_path


def test_ticket_json_over_a_loopback_printer(env, capsys):
    with LoopbackPrinter() as lp:
        rc = main(["ticket", "--service", "A", "--priority", "elderly", "--printer", lp.uri, "--json"])
        out = json.loads(capsys.readouterr().out)
        lp.wait_closed(1)
        assert decode(lp.received()).cuts == 1
    assert rc == 0
    assert {k: out[k] for k in ("service", "priority", "printed", "printer")} == {
        "service": "A", "priority": "elderly", "printed": True, "printer": lp.uri}
    assert out["number"].startswith("A") and isinstance(out["people_ahead"], int)
    assert out["offline"] is True  # the backend is down: numbered from this kiosk's block


def test_ticket_numbers_continue_across_invocations_and_go_to_the_configured_printer(env, capsys):
    numbers = []
    for _ in range(2):
        assert main(["ticket", "--service", "B", "--json"]) == 0
        numbers.append(json.loads(capsys.readouterr().out)["number"])
    assert numbers[0] != numbers[1] and int(numbers[1][1:]) == int(numbers[0][1:]) + 1
    assert decode((env / "printer.bin").read_bytes()).cuts == 1


def test_ticket_not_printed_exits_1_and_still_gives_the_number(env, capsys):
    rc = main(["ticket", "--service", "A", "--printer", f"tcp://127.0.0.1:{_closed_port()}", "--json"])
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


def test_print_test_on_a_loopback_printer(env, capsys):
    with LoopbackPrinter() as lp:
        assert main(["print-test", "--printer", lp.uri]) == 0
        lp.wait_closed(1)
        data = lp.received()
    start = data.index(b"\x1b@")
    page = decode(data[start:]).pages[0]
    assert page.cut and page.image().width == 576
    assert main(["print-test", "--printer", f"tcp://127.0.0.1:{_closed_port()}"]) == 1

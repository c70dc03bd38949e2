"""`kiosk doctor --json` against real things: a loopback TCP printer, a files: camera, a real HTTP backend."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from devices.loopback_printer import LoopbackPrinter
from kiosk.ops.doctor import run_checks
from kiosk.ops.health import Report

ROOT = Path(__file__).resolve().parent.parent


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path.endswith("/api/v1/health"):
            body = json.dumps({"status": "ok", "version": "test", "time": "2026-01-01T00:00:00Z"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def backend_up():
    """A real HTTP server on 127.0.0.1 answering the backend's /health."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def camera_dir(tmp_path) -> Path:
    import cv2

    d = tmp_path / "camera"
    d.mkdir()
    img = np.full((480, 640, 3), 200, np.uint8)
    cv2.rectangle(img, (100, 100), (300, 300), (0, 0, 0), 5)
    cv2.imwrite(str(d / "frame.png"), img)
    return d


def doctor_json(tmp_path: Path, **sections: dict) -> tuple[int, dict]:
    """Run the real CLI with a site file built from ``sections``; return (exit code, report)."""
    base = {
        "storage": {"data_dir": str(tmp_path / "data")},
        "logging": {"file": str(tmp_path / "log.jsonl")},
        "backend": {"embedded": False},
    }
    for k, v in sections.items():
        base.setdefault(k, {}).update(v)
    import tomli_w

    site = tmp_path / "kiosk.toml"
    site.write_text(tomli_w.dumps(base), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(site), "doctor", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert out.stdout, out.stderr
    return out.returncode, json.loads(out.stdout)


def state(report: dict, name: str) -> tuple[str, str]:
    c = next(c for c in report["checks"] if c["name"] == name)
    return c["state"], c["reason"]


def test_doctor_json_missing_printer_missing_camera_backend_down(tmp_path, closed_port):
    rc, report = doctor_json(
        tmp_path,
        printer={"uri": f"tcp://127.0.0.1:{closed_port}", "timeout_s": 1},
        camera={"uri": f"files:{tmp_path / 'no-such-camera'}", "document_uri": "none:"},
        backend={"url": f"http://127.0.0.1:{closed_port}/api/v1", "timeout_s": 1},
    )
    assert rc == 1 and report["overall"] == "red" and report["ok"] is False
    s, why = state(report, "printer")
    assert s == "red" and str(closed_port) in why
    s, why = state(report, "camera")
    assert s == "red" and "not found" in why
    assert state(report, "document_camera") == ("amber", "no camera configured")
    s, why = state(report, "backend")
    assert s == "red" and why.startswith("unreachable")
    for name in ("disk", "tesseract", "zbar", "version", "uptime", "config", "outbox"):
        assert state(report, name)[0] in {"green", "amber", "red"}
    assert state(report, "tesseract")[0] == "green"  # tesseract + vie are installed here


def test_doctor_json_loopback_printer_files_camera_backend_up(tmp_path, camera_dir, backend_up):
    with LoopbackPrinter() as lp:
        rc, report = doctor_json(
            tmp_path,
            printer={"uri": lp.uri, "timeout_s": 2},
            camera={"uri": f"files:{camera_dir}", "document_uri": f"files:{camera_dir / 'frame.png'}"},
            backend={"url": backend_up},
        )
    s, why = state(report, "printer")
    assert s == "green" and "connected" in why
    s, why = state(report, "camera")
    assert s == "green" and "picture" in why
    assert state(report, "document_camera")[0] == "green"
    s, why = state(report, "backend")
    assert s == "green" and "reachable" in why
    backend = next(c for c in report["checks"] if c["name"] == "backend")
    assert backend["details"]["latency_ms"] >= 0
    # Not all green (no PIN set, no outbox yet, maybe a disk) → exit 1 exactly when something is not green.
    assert rc == (0 if report["ok"] else 1)


def test_printer_that_reports_paper_out_is_red(kiosk_config):
    from devices.loopback_printer import STATUS_PAPER_OUT

    with LoopbackPrinter(answer_status=STATUS_PAPER_OUT) as lp:
        kiosk_config.printer.uri = lp.uri
        report = run_checks(kiosk_config, only=["printer"])
    s = report.get("printer")
    assert s.state == "red" and "paper" in s.reason


def test_doctor_exit_code_is_zero_only_when_all_green(tmp_path):
    from kiosk.ops.health import Check

    assert Report([Check("a", "green", "")]).ok
    assert not Report([Check("a", "green", ""), Check("b", "amber", "")]).ok
    assert Report([Check("a", "amber", ""), Check("b", "red", "")]).overall == "red"


def test_a_crashing_check_is_reported_red_not_raised(kiosk_config, monkeypatch):
    import kiosk.ops.doctor as doctor

    def boom(ctx):
        raise RuntimeError("bug")

    monkeypatch.setitem(doctor.CHECKS, "disk", boom)
    report = run_checks(kiosk_config, only=["disk", "version"])
    assert report.get("disk").state == "red" and "bug" in report.get("disk").reason
    assert report.get("version").state == "green"


def test_summary_is_small_and_names_every_check(kiosk_config):
    report = run_checks(kiosk_config, only=["disk", "version", "uptime"])
    summary = report.summary()
    assert set(summary["checks"]) == {"disk", "version", "uptime"}
    assert summary["overall"] in {"green", "amber", "red"} and summary["uptime_s"] >= 0
    json.dumps(summary)

"""`kiosk doctor --json` against real things: a loopback TCP printer, a files: camera, the reference server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from devices.loopback_printer import LoopbackPrinter
from kiosk import __version__
from kiosk.ops import doctor
from kiosk.ops.doctor import run_checks
from kiosk.ops.health import Report, process_uptime

ROOT = Path(__file__).resolve().parent.parent
RANK = {"green": 0, "amber": 1, "red": 2}


@pytest.fixture
def camera_dir(tmp_path) -> Path:
    import cv2

    d = tmp_path / "camera"
    d.mkdir()
    img = np.full((480, 640, 3), 200, np.uint8)
    cv2.rectangle(img, (100, 100), (300, 300), (0, 0, 0), 5)
    cv2.imwrite(str(d / "frame.png"), img)
    return d


def doctor_json(tmp_path: Path, **sections: dict) -> tuple[int, dict, float]:
    """Run the real CLI with a site file built from ``sections``; return (exit code, report, seconds it took)."""
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
    t0 = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(site), "doctor", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    elapsed = time.monotonic() - t0
    assert out.stdout, out.stderr
    return out.returncode, json.loads(out.stdout), elapsed


def check(report: dict, name: str) -> dict:
    return next(c for c in report["checks"] if c["name"] == name)


def state(report: dict, name: str) -> tuple[str, str]:
    c = check(report, name)
    return c["state"], c["reason"]


def test_doctor_json_missing_printer_missing_camera_backend_down(tmp_path, closed_port):
    rc, report, elapsed = doctor_json(
        tmp_path,
        printer={"uri": closed_port.tcp, "timeout_s": 1},
        camera={"uri": f"files:{tmp_path / 'no-such-camera'}", "document_uri": "none:"},
        backend={"url": closed_port.url, "timeout_s": 1},
    )
    assert rc == 1 and report["overall"] == "red" and report["ok"] is False
    s, why = state(report, "printer")
    assert s == "red" and str(closed_port.port) in why
    s, why = state(report, "camera")
    assert s == "red" and "not found" in why
    assert state(report, "document_camera") == ("amber", "no camera configured")
    s, why = state(report, "backend")
    assert s == "red" and why.startswith("unreachable")
    # The checks that do not depend on the broken devices say what this machine has.
    config = check(report, "config")
    assert config["state"] == "amber" and config["reason"] == "valid; technician PIN not set (kiosk set-pin)"
    assert config["details"]["kiosk_id"] == "KIOSK-01"
    assert state(report, "outbox") == ("green", "nothing waiting")  # no outbox file yet
    tesseract = check(report, "tesseract")
    assert tesseract["state"] == "green" and "vie" in tesseract["details"]["languages"]  # installed here
    assert state(report, "zbar") == ("green", "zbar + zxing-cpp")  # libzbar0 and zxing-cpp installed here
    version = check(report, "version")
    assert version["state"] == "green" and version["details"]["kiosk"] == __version__
    assert version["reason"].startswith(f"motcua-kiosk {__version__}, Python ")
    uptime = check(report, "uptime")
    # The doctor's own process started after this test launched it.
    assert uptime["state"] == "green" and uptime["reason"].startswith("app ")
    assert 0 <= uptime["details"]["app_s"] <= elapsed + 1
    disk = check(report, "disk")
    free, total = disk["details"]["free_bytes"], disk["details"]["total_bytes"]
    assert f"{free / 1024**3:.1f} GB free of {total / 1024**3:.0f} GB" in disk["reason"]
    if free < doctor.DISK_RED_BYTES or free < 0.05 * total:
        assert disk["state"] == "red"
    elif free < doctor.DISK_AMBER_BYTES or free < 0.10 * total:
        assert disk["state"] == "amber"
    else:
        assert disk["state"] == "green"
    assert report["overall"] == max((c["state"] for c in report["checks"]), key=RANK.__getitem__)


def test_doctor_json_loopback_printer_files_camera_backend_up(tmp_path, camera_dir, server):
    with LoopbackPrinter() as lp:
        rc, report, elapsed = doctor_json(
            tmp_path,
            printer={"uri": lp.uri, "timeout_s": 2},
            camera={"uri": f"files:{camera_dir}", "document_uri": f"files:{camera_dir / 'frame.png'}"},
            backend={"url": server.url},
        )
    s, why = state(report, "printer")
    assert s == "green" and "connected" in why
    s, why = state(report, "camera")
    assert s == "green" and "picture" in why
    assert state(report, "document_camera")[0] == "green"
    backend = check(report, "backend")
    assert backend["state"] == "green" and backend["details"]["url"] == server.url
    latency = backend["details"]["latency_ms"]
    # One round trip, measured inside a doctor run that took ``elapsed``; the reason shows the same figure.
    assert 0 < latency <= min(doctor.SLOW_BACKEND_MS, elapsed * 1000)
    shown = re.fullmatch(r"reachable, (\d+) ms", backend["reason"])
    assert shown and abs(int(shown[1]) - latency) <= 1
    # It was this server that answered, asked by this kiosk.
    assert server.faults.last_headers["user-agent"].endswith("(kiosk KIOSK-01)")
    assert server.faults.last_headers["authorization"] == "Bearer dev-kiosk-token"
    # Not all green (no PIN set) → exit 1 exactly when something is not green.
    assert state(report, "config")[0] == "amber" and not report["ok"] and rc == 1


def test_a_slow_backend_is_amber_with_its_latency(kiosk_config, server):
    delay_s = doctor.SLOW_BACKEND_MS / 1000 + 0.5
    server.faults.set("slow", path="/health", delay_s=delay_s)
    kiosk_config.backend.url = server.url
    backend = run_checks(kiosk_config, only=["backend"]).get("backend")
    assert backend.state == "amber" and backend.reason.startswith("reachable but slow: ")
    assert backend.details["latency_ms"] >= delay_s * 1000  # the answer was held that long
    assert server.faults.hits == 1


def test_a_backend_answering_500_is_red(kiosk_config, server):
    server.faults.set("error", path="/health")
    kiosk_config.backend.url = server.url
    backend = run_checks(kiosk_config, only=["backend"]).get("backend")
    assert (backend.state, backend.reason) == ("red", "unreachable: GET /health: HTTP 500")
    assert "latency_ms" not in backend.details


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
    def boom(ctx):
        raise RuntimeError("bug")

    monkeypatch.setitem(doctor.CHECKS, "disk", boom)
    report = run_checks(kiosk_config, only=["disk", "version"])
    assert report.get("disk").state == "red" and "bug" in report.get("disk").reason
    assert report.get("version").state == "green"


def test_summary_is_small_and_names_every_check(kiosk_config):
    report = run_checks(kiosk_config, only=["disk", "version", "uptime"])
    summary = report.summary()
    uptime_after = process_uptime()
    assert summary["checks"] == {c.name: {"state": c.state, "reason": c.reason} for c in report.checks}
    assert set(summary["checks"]) == {"disk", "version", "uptime"}
    assert summary["overall"] == max((c.state for c in report.checks), key=RANK.__getitem__)
    assert summary["version"] == __version__
    assert 0 <= summary["uptime_s"] <= round(uptime_after)  # this process's uptime when the summary was made
    assert json.loads(json.dumps(summary)) == summary

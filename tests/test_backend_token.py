"""A kiosk talking to a real (non-loopback) backend needs a strong token: the packaged example token or one
shorter than 32 random bytes (43 URL-safe characters) makes `kiosk doctor` red and stops the kiosk at start
with a message saying how to make one. `make run` (embedded server on loopback) keeps working."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from kiosk.base.config import ConfigError
from kiosk.ops.doctor import run_checks
from kiosk.services import build_services

ROOT = Path(__file__).resolve().parent.parent
REMOTE = "https://motcua.example.gov.vn/api/v1"
WEAK = ["dev-kiosk-token", "x" * 42, "short-token-12345", secrets.token_hex(16), "y" * 60]  # hex(16) = 32 chars


@pytest.mark.parametrize("token", WEAK)
def test_doctor_is_red_for_a_weak_token_on_a_remote_backend(kiosk_config, token):
    kiosk_config.backend.url, kiosk_config.backend.token = REMOTE, token
    check = run_checks(kiosk_config, only=["config"]).checks[0]
    assert check.state == "red" and "token" in check.reason and "secrets.token_urlsafe(32)" in check.reason
    assert token not in check.reason  # never print the secret


def test_a_strong_token_or_a_loopback_backend_is_fine(kiosk_config):
    kiosk_config.backend.url, kiosk_config.backend.token = REMOTE, secrets.token_urlsafe(32)
    assert "token" not in run_checks(kiosk_config, only=["config"]).checks[0].reason
    kiosk_config.backend.url, kiosk_config.backend.token = "http://127.0.0.1:8765/api/v1", "dev-kiosk-token"
    assert run_checks(kiosk_config, only=["config"]).checks[0].state != "red"


@pytest.mark.parametrize("token", WEAK[:2])
def test_the_kiosk_refuses_to_start_with_a_weak_token_on_a_remote_backend(kiosk_config, token):
    kiosk_config.backend.url, kiosk_config.backend.token = REMOTE, token
    with pytest.raises(ConfigError) as e:
        build_services(kiosk_config)
    assert "[backend] token" in str(e.value) and "secrets.token_urlsafe(32)" in str(e.value)
    assert token not in str(e.value)


def test_make_runs_embedded_loopback_setup_still_starts(kiosk_config):
    assert kiosk_config.backend.token == "dev-kiosk-token" and "127.0.0.1" in kiosk_config.backend.url
    build_services(kiosk_config).close()


def test_kiosk_commands_stop_with_a_clear_error(tmp_path):
    site = tmp_path / "kiosk.toml"
    site.write_text(tomli_w.dumps({"storage": {"data_dir": str(tmp_path / "data")},
                                   "backend": {"url": REMOTE, "embedded": False}}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(site), *args], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=120)

    started = kiosk("ticket", "--service", "A")
    assert started.returncode == 2 and "token" in started.stderr and "Traceback" not in started.stderr
    doctor = kiosk("doctor", "--json")
    config = next(c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "config")
    assert doctor.returncode == 1 and config["state"] == "red"

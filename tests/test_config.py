"""Layered configuration: defaults < site file < environment, clear errors, atomic save."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.base import paths
from kiosk.base.config import ConfigError, env_layer, load_config, save_config, updated
from kiosk.base.config_schema import KioskConfig

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_packaged_defaults_load_and_have_the_services():
    c = load_config(environ={}, use_env=False)
    assert c.kiosk.receiving_unit_id == "000.00.01.H22"
    assert [s.code for s in c.services] == ["A", "B", "C", "D", "E"]
    assert c.service("A").name_vi == "Hộ tịch"


def test_site_file_overrides_defaults_and_env_overrides_site(tmp_path):
    site = write(tmp_path, '[printer]\nuri = "tcp://127.0.0.1:9100"\n[ui]\nidle_timeout_s = 30\n')
    c = load_config(site, environ={})
    assert c.printer.uri == "tcp://127.0.0.1:9100"
    assert c.ui.idle_timeout_s == 30
    assert c.camera.uri == "files:assets/samples/camera"  # untouched default
    c = load_config(site, environ={"KIOSK_PRINTER_URI": "dummy:", "KIOSK_UI_LANGUAGES": '["vi"]'})
    assert c.printer.uri == "dummy:"
    assert c.ui.languages == ["vi"]
    assert c.ui.idle_timeout_s == 30


def test_kiosk_config_env_variable_names_the_site_file(tmp_path):
    site = write(tmp_path, '[kiosk]\nid = "K-77"\n')
    assert load_config(environ={"KIOSK_CONFIG": str(site)}).kiosk.id == "K-77"


def test_unrelated_kiosk_variables_are_ignored():
    assert env_layer({"KIOSK_TEST_PG_URL": "postgresql://x", "HOME": "/root"}) == {}


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[printer]\nuri = 42\n", "[printer] uri: Input should be a valid string (got 42)"),
        ('[printer]\nurl = "tcp://x:9100"\n', "[printer] url: unknown key"),
        ('[nosuch]\nx = 1\n', "nosuch: unknown key"),
        ("[ui]\nidle_timeout_s = -5\n", "[ui] idle_timeout_s:"),
        ('[printer]\nuri = "lpt1"\n', "[printer] uri:"),
        ("[ui\nbroken", "not valid TOML"),
        ('[[services]]\ncode = "AA"\nname_vi = "x"\nname_en = "x"\n', "[[services]] #1 code:"),
    ],
)
def test_a_bad_file_gives_one_error_naming_file_and_key(tmp_path, text, needle):
    site = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        load_config(site, environ={})
    msg = str(e.value)
    assert str(site) in msg and needle in msg
    assert "\n" not in msg


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="config file not found: .*nope.toml"):
        load_config(tmp_path / "nope.toml", environ={})


def test_a_bad_environment_value_names_the_variable():
    with pytest.raises(ConfigError, match="KIOSK_UI_IDLE_TIMEOUT_S"):
        load_config(environ={"KIOSK_UI_IDLE_TIMEOUT_S": "soon"})


def test_save_is_atomic_and_round_trips(tmp_path):
    target = tmp_path / "site" / "kiosk.toml"
    c = updated(load_config(environ={}, use_env=False), "printer", uri="tcp://127.0.0.1:9100")
    save_config(c, target)
    again = load_config(target, environ={})
    assert again.printer.uri == "tcp://127.0.0.1:9100"
    assert again == c
    assert [p.name for p in target.parent.iterdir()] == ["kiosk.toml"]  # no temp file left


def test_an_invalid_change_never_reaches_disk(tmp_path):
    target = tmp_path / "kiosk.toml"
    c = load_config(environ={}, use_env=False)
    save_config(c, target)
    before = target.read_bytes()
    with pytest.raises(ConfigError, match=r"\[printer\] timeout_s"):
        updated(c, "printer", timeout_s=-1)
    c2 = c.model_copy(deep=True)
    object.__setattr__(c2.printer, "uri", 42)  # bypass validation on purpose
    with pytest.raises(ConfigError):
        save_config(c2, target)
    assert target.read_bytes() == before


def test_a_crash_during_save_leaves_the_old_file(tmp_path):
    """Kill the writer while it saves in a loop: the file is always one whole valid version."""
    target = tmp_path / "kiosk.toml"
    save_config(load_config(environ={}, use_env=False), target)
    code = f"""
import itertools, sys
from kiosk.base.config import load_config, save_config, updated
c = load_config(environ={{}}, use_env=False)
for i in itertools.count():
    save_config(updated(c, "kiosk", name="Kiosk " + str(i) * 2000), {str(target)!r})
    if i == 0:
        print("saving", flush=True)
"""
    for n in range(5):
        p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE)
        try:
            # Killed while it saves (not while Python starts, which on a busy machine can take longer).
            assert p.stdout.readline().strip() == b"saving"
            time.sleep(0.05 * n)
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
        load_config(target, environ={})  # parses and validates: never a torn file
    assert len(load_config(target, environ={}).kiosk.name) > 2000  # the writer's versions did land


def test_cli_reports_a_bad_config_in_one_line_with_exit_2(tmp_path):
    site = write(tmp_path, "[printer]\nuri = 42\n")
    r = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(site), "run"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "DISPLAY": ""},
    )
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(site) in lines[0] and "[printer] uri" in lines[0]


def test_cli_help_lists_the_commands_of_the_design():
    r = subprocess.run([sys.executable, "-m", "kiosk", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0
    for cmd in ["run", "doctor", "usb", "print-test", "ticket", "read-id", "ocr", "outbox", "screenshots"]:
        assert cmd in r.stdout


def test_defaults_file_is_the_packaged_one():
    assert paths.DEFAULT_CONFIG_FILE.exists()
    assert isinstance(load_config(environ={}, use_env=False), KioskConfig)

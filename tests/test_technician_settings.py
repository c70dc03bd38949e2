"""Technician settings changes: validated before saving, written atomically to the site file only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib

import pytest

from kiosk.base.config import ConfigError, load_config
from kiosk.ops.settings import apply_changes, set_pin
from kiosk.ops.technician import read_audit, verify_pin


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nid = "KIOSK-07"\n', encoding="utf-8")
    return path


def test_valid_change_is_saved_to_the_site_layer_only(kiosk_config, site):
    new = apply_changes(kiosk_config, {"printer": {"uri": "tcp://127.0.0.1:9100"}, "ui": {"idle_timeout_s": 45}}, site, environ={})
    assert new.printer.uri == "tcp://127.0.0.1:9100" and new.ui.idle_timeout_s == 45
    data = tomllib.loads(site.read_text())
    assert data == {"kiosk": {"id": "KIOSK-07"}, "printer": {"uri": "tcp://127.0.0.1:9100"}, "ui": {"idle_timeout_s": 45}}
    loaded = load_config(site, environ={})
    assert loaded.printer.uri == "tcp://127.0.0.1:9100" and loaded.kiosk.id == "KIOSK-07"
    assert read_audit(kiosk_config.data_path("technician", "audit.jsonl"))[-1]["keys"] == ["printer.uri", "ui.idle_timeout_s"]


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"printer": {"uri": "lpt://1"}}, "printer"),
        ({"ui": {"idle_timeout_s": -5}}, "idle_timeout_s"),
        ({"ui": {"default_language": "fr"}}, "default_language"),
        ({"backend": {"url": "ftp://x"}}, "url"),
        ({"services": [{"code": "AA", "name_vi": "x", "name_en": "x"}]}, "services"),
        ({"nosuch": {"a": 1}}, "nosuch"),
        ({"camera": {"nosuchkey": 1}}, "nosuchkey"),
    ],
)
def test_invalid_change_never_reaches_disk(kiosk_config, site, changes, key):
    before = site.read_bytes()
    with pytest.raises(ConfigError) as e:
        apply_changes(kiosk_config, changes, site, environ={})
    assert key in str(e.value)
    assert site.read_bytes() == before


def test_services_list_replaced_as_a_whole(kiosk_config, site):
    services = [{"code": "A", "name_vi": "Hộ tịch", "name_en": "Civil status", "counters": [1, 2]}]
    new = apply_changes(kiosk_config, {"services": services}, site, environ={})
    assert [s.code for s in new.services] == ["A"]
    assert load_config(site, environ={}).services[0].counters == [1, 2]


def test_set_pin_stores_only_the_hash(kiosk_config, site):
    new = set_pin(kiosk_config, "975310", site, environ={})
    text = site.read_text()
    assert "975310" not in text
    assert verify_pin("975310", new.technician.pin_hash)
    assert verify_pin("975310", load_config(site, environ={}).technician.pin_hash)


@pytest.mark.slow
def test_kill_during_save_leaves_old_or_new_file_intact(tmp_path, kiosk_config):
    """SIGKILL a process that keeps saving big changes: the file always parses, old or new."""
    site = tmp_path / "kiosk.toml"
    site.write_text('[kiosk]\nname = "old"\n', encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import sys
        from kiosk.base.config import load_config
        from kiosk.ops.settings import apply_changes
        cfg = load_config(environ={{}}, use_env=False)
        cfg.storage.data_dir = {str(tmp_path / 'data')!r}
        print("ready", flush=True)
        i = 0
        while True:
            i += 1
            apply_changes(cfg, {{"kiosk": {{"name": "new" + str(i), "address": "x" * 200000}}}}, {str(site)!r}, environ={{}})
        """
    )
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=str(tmp_path))
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = tomllib.loads(site.read_text(encoding="utf-8"))
        assert data["kiosk"]["name"] == "old" or data["kiosk"]["name"].startswith("new")
        if data["kiosk"]["name"] != "old":
            assert data["kiosk"]["address"] == "x" * 200000


def test_kiosk_set_pin_cli_writes_only_a_hash(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    site = tmp_path / "kiosk.toml"
    site.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    run = lambda pin: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "kiosk", "--config", str(site), "set-pin", "--pin-stdin"],
        input=pin + "\n", capture_output=True, text=True, env=env, cwd=root, timeout=60,
    )
    bad = run("12")
    assert bad.returncode == 2 and "6 to 12 digits" in bad.stderr and "pin_hash" not in site.read_text()
    ok = run("864200")
    assert ok.returncode == 0, ok.stderr
    assert "864200" not in site.read_text()
    assert verify_pin("864200", load_config(site, environ={}).technician.pin_hash)

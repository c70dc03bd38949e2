"""The diagnostics bundle: config without secrets, masked logs, devices, versions; and the log view."""

from __future__ import annotations

import json
import logging
import zipfile

from kiosk.base.logs import setup_logging
from kiosk.ops.diagnostics import export_bundle, recent_logs
from kiosk.ops.technician import hash_pin


def test_bundle_has_no_secrets_and_masks_id_numbers(kiosk_config, tmp_path):
    kiosk_config.backend.token = "super-secret-token"
    kiosk_config.technician.pin_hash = hash_pin("432100")
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    log_file = kiosk_config.path(kiosk_config.logging.file)
    setup_logging(log_file, "INFO", stderr=False)
    logging.getLogger("test").info("citizen 036089001234 identified")
    for h in list(logging.getLogger().handlers):
        if getattr(h, "_kiosk", False):  # leave the root logger as we found it
            h.flush()
            logging.getLogger().removeHandler(h)
            h.close()
    # A line written before masking existed (or by another tool) gets masked in the bundle too.
    with log_file.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"level": "INFO", "msg": "raw 001305012345"}) + "\n")
    path = export_bundle(kiosk_config, tmp_path / "usb")
    assert path.parent == tmp_path / "usb" and path.name.startswith("diag-KIOSK-01-") and path.suffix == ".zip"
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        assert {"config.toml", "doctor.json", "versions.json", "devices.json", "logs/kiosk.jsonl"} <= names
        everything = "".join(z.read(n).decode() for n in names)
    assert "super-secret-token" not in everything and "scrypt$" not in everything
    assert "036089001234" not in everything and "001305012345" not in everything
    assert "*********234" in everything
    assert not list((tmp_path / "usb").glob(".*tmp"))


def test_recent_logs_newest_first_filtered_by_level(kiosk_config):
    log_file = kiosk_config.path(kiosk_config.logging.file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        {"ts": "1", "level": "DEBUG", "msg": "noise"},
        {"ts": "2", "level": "INFO", "msg": "printed ticket A001"},
        "not json",
        {"ts": "3", "level": "ERROR", "msg": "printer offline"},
    ]
    log_file.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    entries = recent_logs(kiosk_config)
    assert [e["msg"] for e in entries] == ["printer offline", "printed ticket A001"]
    assert [e["msg"] for e in recent_logs(kiosk_config, min_level="ERROR")] == ["printer offline"]

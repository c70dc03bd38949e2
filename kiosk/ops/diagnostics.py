"""The diagnostics bundle a technician hands to support, and the recent-log view.

Why a zip of masked copies: the bundle leaves the kiosk (USB stick, e-mail), so it holds the
config without secrets, logs passed through :func:`kiosk.base.privacy.mask_text` again (older
lines may predate a masking rule), the device list, versions and a doctor report.
"""

from __future__ import annotations

import glob
import json
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.base.blocking import blocking
from kiosk.base.config import strip_none
from kiosk.base.privacy import mask_text

SECRET = "***"
SECRET_KEYS = {("backend", "token"), ("technician", "pin_hash")}
LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


def config_without_secrets(config: Any) -> dict[str, Any]:
    data = config.model_dump(mode="json")
    for section, key in SECRET_KEYS:
        if data.get(section, {}).get(key):
            data[section][key] = SECRET
    return data


def log_files(config: Any) -> list[Path]:
    """The JSON-lines log and its rotations, oldest first."""
    main = config.path(config.logging.file)
    rotated = sorted((Path(p) for p in glob.glob(f"{main}.*")), key=lambda p: -int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    return [p for p in [*rotated, main] if p.exists()]


@blocking
def recent_logs(config: Any, limit: int = 200, min_level: str = "INFO") -> list[dict[str, Any]]:
    """The newest ``limit`` log entries at ``min_level`` or above, newest first, masked."""
    floor = LEVELS.get(min_level, 20)
    out: list[dict[str, Any]] = []
    for path in reversed(log_files(config)):
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in reversed(lines):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if LEVELS.get(str(entry.get("level")), 0) < floor:
                continue
            entry["msg"] = mask_text(str(entry.get("msg", "")))
            out.append(entry)
            if len(out) >= limit:
                return out
    return out


def device_list() -> dict[str, Any]:
    from devices.usb import UsbUnavailable, list_devices

    try:
        usb: Any = [d.as_dict() for d in list_devices()]
    except UsbUnavailable as e:
        usb = {"error": e.kind, "message": e.message}
    return {"usb": usb, "video": sorted(glob.glob("/dev/video*")), "serial": sorted(glob.glob("/dev/ttyUSB*") + glob.glob("/dev/ttyACM*"))}


@blocking
def find_usb_printers() -> tuple[list[Any], str]:
    """(USB printers found, a problem to show or ''): the printer screen's "find" button."""
    from devices.usb import UsbUnavailable, list_devices, permission_problem, printers

    try:
        devices = list_devices()
    except UsbUnavailable as e:
        return [], e.message
    return printers(devices), permission_problem(devices)


@blocking
def removable_mounts() -> list[Path]:
    """Mounted USB sticks (desktop automount places them under /media/USER/… or /run/media/USER/…)."""
    found = []
    for pattern in ("/media/*/*", "/run/media/*/*", "/media/usb*", "/mnt/usb*"):
        for p in glob.glob(pattern):
            path = Path(p)
            if path.is_dir() and os.path.ismount(path) and os.access(path, os.W_OK):
                found.append(path)
    return sorted(set(found))


@blocking
def export_bundle(config: Any, dest_dir: Path | None = None, services: Any = None) -> Path:
    """Write ``diag-<kiosk>-<time>.zip`` into ``dest_dir`` (default ``<data_dir>/diagnostics``) atomically."""
    from kiosk.ops.doctor import check_version, run_checks
    from kiosk.ops.technician import state_dir

    dest = Path(dest_dir) if dest_dir else config.data_path("diagnostics")
    dest.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    safe_id = "".join(c if c.isalnum() or c in "-_" else "_" for c in config.kiosk.id)
    final = dest / f"diag-{safe_id}-{stamp}.zip"
    tmp = dest / f".{final.name}.tmp"
    report = run_checks(config, services)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.toml", tomli_w.dumps(strip_none(config_without_secrets(config))))
        z.writestr("doctor.json", json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        z.writestr("versions.json", json.dumps(check_version(None).details, indent=2))
        z.writestr("devices.json", json.dumps(device_list(), ensure_ascii=False, indent=2))
        for path in log_files(config):
            z.writestr(f"logs/{path.name}", mask_text(path.read_text(encoding="utf-8", errors="replace")))
        audit = state_dir(config) / "audit.jsonl"
        if audit.exists():
            z.writestr("logs/technician-audit.jsonl", mask_text(audit.read_text(encoding="utf-8", errors="replace")))
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, final)
    return final

"""Running a kiosk: technician access, health checks, heartbeats, settings changes, diagnostics, systemd.

- :mod:`~kiosk.ops.technician`: PIN (scrypt), lockout that survives restarts, audit trail, the corner gesture;
- :mod:`~kiosk.ops.health`, :mod:`~kiosk.ops.doctor`, :mod:`~kiosk.ops.device_checks`: green/amber/red checks
  shared by ``kiosk doctor``, the dashboard and the heartbeat;
- :mod:`~kiosk.ops.heartbeat`: the health summary sent to the backend;
- :mod:`~kiosk.ops.settings`: technician changes validated, written atomically, put into effect;
- :mod:`~kiosk.ops.diagnostics`: the masked support bundle, recent logs, USB printers, removable media;
- :mod:`~kiosk.ops.camera_controls`: focus and exposure where the camera driver allows;
- :mod:`~kiosk.ops.sdnotify`: systemd's READY/WATCHDOG pings.
"""

from kiosk.ops import camera_controls
from kiosk.ops.diagnostics import (
    export_bundle,
    find_usb_printers,
    recent_logs,
    removable_mounts,
)
from kiosk.ops.doctor import CHECKS, run_checks
from kiosk.ops.health import Check, Report
from kiosk.ops.heartbeat import Heartbeat, start_heartbeat
from kiosk.ops.sdnotify import notify, watchdog_interval
from kiosk.ops.settings import apply_changes, apply_to_services, set_pin, target_file
from kiosk.ops.technician import (
    CornerTaps,
    PinError,
    TechnicianGate,
    gate_for,
    hash_pin,
    read_audit,
    state_dir,
    verify_pin,
)

__all__ = [
    "CHECKS", "Check", "CornerTaps", "Heartbeat", "PinError", "Report", "TechnicianGate", "apply_changes",
    "apply_to_services", "camera_controls", "export_bundle", "find_usb_printers", "gate_for", "hash_pin", "notify",
    "read_audit", "recent_logs", "removable_mounts", "run_checks", "set_pin", "start_heartbeat", "state_dir",
    "target_file", "verify_pin", "watchdog_interval",
]

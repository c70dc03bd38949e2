"""A health check's result (green / amber / red with a reason a technician can act on) and the report of all."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from kiosk import __version__

State = Literal["green", "amber", "red"]
_RANK = {"green": 0, "amber": 1, "red": 2}
IMPORT_TIME = time.time()


def process_uptime() -> float:
    """Seconds since this process started (from /proc when possible)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        boot_uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, boot_uptime - start)
    except (OSError, ValueError, IndexError):
        return time.time() - IMPORT_TIME


@dataclass
class Check:
    """One subsystem's state and why."""

    name: str
    state: State
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    ms: float = 0.0


@dataclass
class Report:
    checks: list[Check]
    kiosk_id: str = ""
    time: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def overall(self) -> State:
        return max((c.state for c in self.checks), key=_RANK.__getitem__, default="green")

    @property
    def ok(self) -> bool:
        return all(c.state == "green" for c in self.checks)

    def get(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kiosk_id": self.kiosk_id,
            "time": self.time,
            "version": __version__,
            "overall": self.overall,
            "ok": self.ok,
            "checks": [asdict(c) for c in self.checks],
        }

    def summary(self) -> dict[str, Any]:
        """Small enough for every heartbeat: state and reason per check."""
        return {
            "overall": self.overall,
            "version": __version__,
            "uptime_s": round(process_uptime()),
            "checks": {c.name: {"state": c.state, "reason": c.reason} for c in self.checks},
        }


@dataclass
class Context:
    """What a check may look at: the config, and the running app's services when there is one."""

    config: Any
    services: Any = None

    def service(self, name: str) -> Any:
        return getattr(self.services, name, None) if self.services is not None else None

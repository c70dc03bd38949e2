"""Recent log entries (masked), the technician audit trail, and the diagnostics bundle export.

The bundle goes to the first mounted USB stick when there is one, else to the data dir
(``<data_dir>/diagnostics``); the screen says where.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from screens.background import run_in_background
from screens.base import load_kv
from screens.tech_base import TechScreen, alive

load_kv(__file__)

LEVELS = ("INFO", "WARNING", "ERROR")


def _one_line(msg: object, limit: int = 220) -> str:
    """First line of a message, cut short: the screen is for spotting problems, the bundle has the rest."""
    text = str(msg).strip().splitlines()[0] if str(msg).strip() else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TechLogsScreen(TechScreen):
    level = StringProperty("INFO")
    view = StringProperty("logs")  # logs | audit
    text = StringProperty("")
    busy = BooleanProperty(False)

    def prepare(self, **params: Any) -> None:
        self.status = ""
        self.load()

    def set_level(self, level: str) -> None:
        self.level, self.view = level, "logs"
        self.load()

    def show_audit(self) -> None:
        self.view = "audit"
        self.load()

    def load(self) -> None:
        from kiosk.ops import read_audit, recent_logs, state_dir

        if self.view == "audit":
            entries = list(reversed(read_audit(state_dir(self.services.config) / "audit.jsonl", 200)))
            lines = [f"{e.get('ts', '')}  {e.get('event', '')}  " + ", ".join(
                f"{k}={v}" for k, v in e.items() if k not in ("ts", "event")) for e in entries]
        else:
            entries = recent_logs(self.services.config, limit=200, min_level=self.level)
            lines = [f"{str(e.get('ts', ''))[:19]}  {e.get('level', ''):<7}  {e.get('logger', '')}: {_one_line(e.get('msg', ''))}"
                     for e in entries]
        self.text = "\n".join(lines) if lines else self.t("tech.no_logs")

    def export(self) -> None:
        from kiosk.ops import export_bundle, removable_mounts

        self.busy = True
        self.say("tech.exporting")
        mounts = removable_mounts()
        dest = mounts[0] if mounts else None
        run_in_background(export_bundle, self.services.config, dest, self.services,
                          on_result=self._exported, on_error=self._failed)

    @alive
    def _exported(self, path: Any) -> None:
        self.busy = False
        self.exported_path = path
        self.say("tech.exported", "ok", path=str(path))
        from kiosk.ops import gate_for

        gate_for(self.services.config).audit("diagnostics_exported", file=str(path))

    @alive
    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.say("tech.export_failed", "error", error=str(exc)[:200])

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


def _read_lines(config: Any, view: str, level: str) -> list[str]:
    """The lines to show: the audit trail (newest first) or the recent log entries at ``level`` and above."""
    from kiosk.ops import read_audit, recent_logs, state_dir

    if view == "audit":
        entries = list(reversed(read_audit(state_dir(config) / "audit.jsonl", 200)))
        return [f"{e.get('ts', '')}  {e.get('event', '')}  " + ", ".join(
            f"{k}={v}" for k, v in e.items() if k not in ("ts", "event")) for e in entries]
    entries = recent_logs(config, limit=200, min_level=level)
    return [f"{str(e.get('ts', ''))[:19]}  {e.get('level', ''):<7}  {e.get('logger', '')}: {_one_line(e.get('msg', ''))}"
            for e in entries]


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
        """Read the entries on a worker (log files can be large); the text appears when they are read."""
        run_in_background(_read_lines, self.services.config, self.view, self.level,
                          on_result=self._show, on_error=self._load_failed)

    @alive
    def _show(self, lines: list[str]) -> None:
        self.text = "\n".join(lines) if lines else self.t("tech.no_logs")

    def export(self) -> None:
        from kiosk.ops import export_bundle, removable_mounts

        self.busy = True
        self.say("tech.exporting")
        config, services = self.services.config, self.services

        def export_to_stick_or_data_dir() -> Any:
            mounts = removable_mounts()
            return export_bundle(config, mounts[0] if mounts else None, services)

        run_in_background(export_to_stick_or_data_dir, on_result=self._exported, on_error=self._failed)

    @alive
    def _exported(self, path: Any) -> None:
        self.busy = False
        self.exported_path = path
        self.say("tech.exported", "ok", path=str(path))
        from kiosk.ops import gate_for

        run_in_background(gate_for(self.services.config).audit, "diagnostics_exported", file=str(path))

    @alive
    def _load_failed(self, exc: BaseException) -> None:
        self.text = ""
        self.say("tech.logs_failed", "error", error=str(exc)[:200])

    @alive
    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.say("tech.export_failed", "error", error=str(exc)[:200])

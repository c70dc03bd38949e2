"""Tell the backend every ``[backend] heartbeat_s`` that this kiosk is alive, with its health summary.

Why a plain thread: the checks block (HTTP, camera, subprocess) and must never run on the
Kivy main thread; one daemon thread sleeping on an Event costs nothing and stops at once.
The app starts it (``kiosk/app/kiosk_app.py``), not :data:`kiosk.services.container.SERVICE_BUILDERS`, so CLI
commands and tests that build services do not send heartbeats.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kiosk.ops.doctor import run_checks

log = logging.getLogger(__name__)

FIRST_BEAT_DELAY_S = 5.0


class Heartbeat:
    """A background sender; ``last_summary`` / ``last_error`` feed the technician dashboard."""

    def __init__(
        self,
        config: Any,
        services: Any = None,
        send: Callable[[str, dict[str, Any]], Any] | None = None,
        interval_s: float | None = None,
        first_delay_s: float = FIRST_BEAT_DELAY_S,
    ) -> None:
        self._config = config
        self.services = services
        self._send = send
        self.interval_s = interval_s if interval_s is not None else config.backend.heartbeat_s
        self.first_delay_s = first_delay_s
        self.last_summary: dict[str, Any] | None = None
        self.last_sent_at: float | None = None  # wall clock of the last acknowledged beat
        self.last_error: str | None = None
        self.beats = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def config(self) -> Any:
        """The running kiosk's config (technician changes included), else the one given."""
        return getattr(self.services, "config", None) or self._config

    def _sender(self) -> Callable[[str, dict[str, Any]], Any]:
        if self._send is not None:
            return self._send
        client = getattr(self.services, "backend", None)
        if client is None:
            raise RuntimeError("no backend client")
        return client.heartbeat

    def beat_once(self) -> bool:
        """Run the checks and send one heartbeat; True when the backend acknowledged it."""
        summary = run_checks(self.config, self.services).summary()
        self.last_summary = summary
        try:
            self._sender()(self.config.kiosk.id, summary)
        except Exception as e:  # offline is normal for a kiosk; say so once per beat, quietly
            self.last_error = f"{type(e).__name__}: {e}"
            log.info("heartbeat not delivered: %s", self.last_error)
            return False
        self.last_error = None
        self.last_sent_at = time.time()
        self.beats += 1
        return True

    def _run(self) -> None:
        if self._stop.wait(self.first_delay_s):
            return
        while not self._stop.is_set():
            try:
                self.beat_once()
            except Exception:
                log.exception("heartbeat failed")
            if self._stop.wait(self.interval_s):
                return

    def start(self) -> "Heartbeat":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)


def start_heartbeat(services: Any) -> Heartbeat:
    """Start the heartbeat for a running kiosk; kept in ``services.heartbeat``, stopped on close."""
    services.heartbeat = Heartbeat(services.config, services).start()
    return services.heartbeat

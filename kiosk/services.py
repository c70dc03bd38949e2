"""The services a screen may use, built once from the config and handed to the UI.

Screens never reach hardware or HTTP themselves: ``kiosk/app.py`` builds a
:class:`Services` with :func:`build_services` and gives it to every screen.
The CLI builds the same object, so a command and a screen share one code path.
Each feature adds its service here, built from the config, closed in :meth:`Services.close`.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig
from kiosk.session import Visit

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the UI needs, with no Kivy in it."""

    config: KioskConfig
    config_file: Path | None = None
    visit: Visit = field(default_factory=Visit)
    # Features register themselves below as they land (None = not available on this kiosk).
    queue: Any = None  # kiosk.queue.QueueService
    printer: Any = None  # devices.printer.Printer
    id_camera: Any = None  # devices.camera.Camera
    document_camera: Any = None  # devices.camera.Camera
    backend: Any = None  # kiosk.backend.BackendClient
    outbox: Any = None  # kiosk.outbox.Outbox
    catalog: Any = None  # kiosk.catalog.Catalog
    extras: dict[str, Any] = field(default_factory=dict)
    _closers: list[Any] = field(default_factory=list, repr=False)

    def on_close(self, fn: Any) -> None:
        """Register a callable to run at :meth:`close` (last registered runs first)."""
        self._closers.append(fn)

    def close(self) -> None:
        """Stop workers and release devices; never raises."""
        while self._closers:
            fn = self._closers.pop()
            try:
                fn()
            except Exception:  # closing must go on for the others
                log.exception("error while closing a service")


# Each feature contributes one builder "module:function", fn(services) -> None, that sets its
# field (or leaves it None when the config turns the feature off). Called in this order.
SERVICE_BUILDERS: tuple[str, ...] = (
    "kiosk.embedded_server:build",
    "kiosk.backend:build",
    "kiosk.outbox:build",
    "kiosk.catalog:build",
    "kiosk.voice:build",
    "kiosk.tracking:build",
    "kiosk.rating:build",
    "kiosk.tickets:build_printer",
    "kiosk.queue:build",
    "kiosk.cameras:build",
)


def build_services(config: KioskConfig, config_file: Path | None = None) -> Services:
    """Build every service the config asks for. Devices are opened lazily by their users."""
    config.data_path().mkdir(parents=True, exist_ok=True)
    services = Services(config=config, config_file=config_file)
    services.visit = Visit(language=config.ui.default_language, _base_dir=config.data_path("visits"))
    try:
        for spec in SERVICE_BUILDERS:
            module, _, func = spec.partition(":")
            getattr(importlib.import_module(module), func)(services)
    except BaseException:
        services.close()
        raise
    return services

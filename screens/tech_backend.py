"""Backend setup: URL, token, CA file, and a connection test with the values being edited.

The test uses a throw-away :class:`kiosk.backend.client.BackendClient` built from the *edited*
values, so a technician can try a URL before saving it; saving swaps the running client.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from screens.background import run_in_background
from screens.base import load_kv
from screens.tech_base import TechScreen, alive, edit_text

load_kv(__file__)


class TechBackendScreen(TechScreen):
    url = StringProperty("")
    token_shown = StringProperty("")
    ca_file = StringProperty("")
    busy = BooleanProperty(False)

    def prepare(self, **params: Any) -> None:
        self._load()
        self.status = ""

    def _load(self) -> None:
        b = self.services.config.backend
        self.url, self.ca_file = b.url, b.ca_file or "—"
        self.token_shown = (b.token[:4] + "…" + self.t("tech.hidden")) if b.token else "—"

    def edit(self, field: str) -> None:
        b = self.services.config.backend
        current = {"url": b.url, "token": "", "ca_file": b.ca_file}[field]
        title = self.t({"url": "tech.backend_url", "token": "tech.backend_token", "ca_file": "tech.backend_ca"}[field])
        edit_text(title, current, lambda v: self._set(field, v))

    def _set(self, field: str, value: str) -> None:
        if field == "token" and not value:
            return  # an empty edit keeps the secret
        self.save({"backend": {field: value}}, then=self._load)

    def test_connection(self) -> None:
        from kiosk.backend import ping_backend

        self.busy = True
        self.say("tech.checking")
        run_in_background(ping_backend, self.services.config, on_result=self._ok, on_error=self._failed)

    @alive
    def _ok(self, ms: float) -> None:
        self.busy = False
        self.say("tech.connection_ok", "ok", ms=f"{ms:.0f}")

    @alive
    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.say("tech.connection_failed", "error", error=str(exc)[:200] or type(exc).__name__)

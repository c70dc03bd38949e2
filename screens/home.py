"""Home (attract) screen: the four journeys of a visit."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import StringProperty

from screens.base import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    """Lấy số thứ tự, Nộp hồ sơ, Tra cứu hồ sơ, Đánh giá."""

    clock_text = StringProperty("")

    def on_kv_post(self, base_widget: object) -> None:
        self._tick(0)
        Clock.schedule_interval(self._tick, 15)

    def _tick(self, _dt: float) -> None:
        from datetime import datetime

        self.clock_text = datetime.now().strftime("%H:%M  %d/%m/%Y")

    def start(self, journey: str) -> None:
        self.app.start_journey(journey)

"""Kiosk settings a technician changes on site: language, idle timeout, priority rules, service counters.

Every button press is one validated, atomic save (:meth:`TechScreen.save`); a value out of
range is refused by the config schema and shown, never written.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from screens.base import load_kv
from screens.tech_base import TechScreen, edit_text

load_kv(__file__)

STEPS = {"idle_timeout_s": 15, "idle_countdown_s": 5, "priority_age": 5, "max_priority_in_a_row": 1}


class TechSettingsScreen(TechScreen):
    default_language = StringProperty("vi")
    idle_timeout_s = NumericProperty(90)
    idle_countdown_s = NumericProperty(20)
    priority_age = NumericProperty(60)
    max_priority_in_a_row = NumericProperty(2)
    large_text = BooleanProperty(False)
    log_level = StringProperty("INFO")
    categories = ListProperty([])  # [(code, name, enabled)]
    services_text = StringProperty("")

    def prepare(self, **params: Any) -> None:
        self.status = ""
        self._load()

    def _load(self) -> None:
        c = self.services.config
        self.default_language = c.ui.default_language
        self.idle_timeout_s, self.idle_countdown_s = c.ui.idle_timeout_s, c.ui.idle_countdown_s
        self.priority_age, self.max_priority_in_a_row = c.queue.priority_age, c.queue.max_priority_in_a_row
        self.large_text = c.accessibility.large_text
        self.log_level = c.logging.level
        self._build_categories()
        self._build_services()

    def _all_categories(self) -> list[Any]:
        from kiosk.base import QueueSection

        current = list(self.services.config.queue.priority_categories)
        known = {p.code for p in current}
        return current + [p for p in QueueSection().priority_categories if p.code not in known]

    def _build_categories(self) -> None:
        from screens.widgets import KButton

        enabled = {p.code for p in self.services.config.queue.priority_categories}
        box = self.ids.categories
        box.clear_widgets()
        lang = self.app.lang
        for p in self._all_categories():
            on = p.code in enabled
            btn = KButton(text=(p.name_vi if lang == "vi" else p.name_en), style="primary" if on else "quiet",
                          font_size=self.app.sz.small)
            btn.bind(on_release=lambda _b, code=p.code: self.toggle_category(code))
            box.add_widget(btn)
            self.ids[f"cat_{p.code}"] = btn

    def _build_services(self) -> None:
        from screens.widgets import KButton

        box = self.ids.services_box
        box.clear_widgets()
        lang = self.app.lang
        for s in self.services.config.services:
            name = s.name_vi if lang == "vi" else s.name_en
            btn = KButton(text=f"{s.code} · {name} · {', '.join(map(str, s.counters))}", style="quiet",
                          font_size=self.app.sz.small)
            btn.bind(on_release=lambda _b, code=s.code: self.edit_counters(code))
            box.add_widget(btn)
            self.ids[f"svc_{s.code}"] = btn

    # -------------------------------------------------------- changes

    def set_language(self, lang: str) -> None:
        self.save({"ui": {"default_language": lang}}, then=self._load)

    def step(self, key: str, direction: int) -> None:
        section = "ui" if key.startswith("idle") else "queue"

        def stepped(config: Any) -> dict[str, Any]:  # from the value in effect, so quick taps add up
            return {section: {key: getattr(getattr(config, section), key) + direction * STEPS[key]}}

        self.save(stepped, then=self._load)

    def set_log_level(self, level: str) -> None:
        self.save({"logging": {"level": level}}, then=self._load)

    def toggle_large_text(self) -> None:
        self.save(lambda config: {"accessibility": {"large_text": not config.accessibility.large_text}}, then=self._load)

    def toggle_category(self, code: str) -> None:
        known = [p.model_dump() for p in self._all_categories() if p.code == code]

        def toggled(config: Any) -> dict[str, Any]:
            current = [p.model_dump() for p in config.queue.priority_categories]
            if any(p["code"] == code for p in current):
                return {"queue": {"priority_categories": [p for p in current if p["code"] != code]}}
            return {"queue": {"priority_categories": current + known}}

        self.save(toggled, then=self._load)

    def edit_counters(self, code: str) -> None:
        svc = self.services.config.service(code)
        edit_text(f"{code} · {svc.name_vi}", ", ".join(map(str, svc.counters)), lambda v: self.set_counters(code, v))

    def set_counters(self, code: str, text: str) -> None:
        try:
            counters = [int(x) for x in text.replace(" ", "").split(",") if x]
        except ValueError:
            self.say("tech.save_failed", "error", error=f"[[services]] {code} counters: {text!r}")
            return
        def with_counters(config: Any) -> dict[str, Any]:
            services = [s.model_dump() for s in config.services]
            for s in services:
                if s["code"] == code:
                    s["counters"] = counters
            return {"services": services}

        self.save(with_counters, then=self._load)

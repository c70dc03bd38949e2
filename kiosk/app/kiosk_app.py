"""The Kivy application: the composition root that wires services and journeys into screens.

Only this module (and ``screens/``) imports Kivy. It registers the bundled
fonts, builds every screen of :mod:`screens.registry`, hands each the same
:class:`~kiosk.services.container.Services` and :class:`~kiosk.journeys.Journeys`, and owns the
visit-wide behaviour: language, large text / high contrast, the idle wipe — and the navigation,
driven by the journeys through the flow table (:mod:`kiosk.journeys.flow`): a journey's step
change shows that step's screen; "Quay lại" goes to the journey's previous step.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.window import Window
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.base import blocking, paths
from kiosk.base.i18n import Translator
from kiosk.journeys import Journeys, step_of
from kiosk.services import Services
from screens import registry, widgets
from screens.background import run_in_background
from screens.base import KioskScreen, load_kv
from screens.theme import HIGH_CONTRAST, NORMAL, Sizes

log = logging.getLogger(__name__)

LARGE_TEXT_SCALE = 1.3


def run_on_worker(fn: Any, done: Any, failed: Any) -> None:
    """The journeys' runner: blocking work on a worker, its outcome back on the UI thread."""
    run_in_background(fn, on_result=done, on_error=failed)


def register_fonts() -> None:
    """Replace Kivy's Roboto with the bundled Noto Sans (every Vietnamese letter)."""
    LabelBase.register(DEFAULT_FONT, fn_regular=str(paths.FONT_REGULAR), fn_bold=str(paths.FONT_BOLD))
    LabelBase.register("Symbols", fn_regular=str(paths.FONT_SYMBOLS))


class KioskApp(App):
    """The touchscreen app. ``services`` is built by the caller (``kiosk run``, tests)."""

    title = "motcua-kiosk"
    lang = StringProperty("vi")
    tr = ObjectProperty(Translator("vi"))
    large_text = BooleanProperty(False)
    high_contrast = BooleanProperty(False)
    # rebind=True: kv reads these as app.theme.x / app.sz.x, and Kivy only re-binds an intermediate
    # object of such a chain when its property says so (without it, large text and contrast never showed).
    theme = ObjectProperty(NORMAL, rebind=True)
    sz = ObjectProperty(Sizes.compute(1.0, 1.0), rebind=True)
    portrait = BooleanProperty(False)
    idle_seconds = NumericProperty(0)
    voice_muted = BooleanProperty(False)
    lower_layout = BooleanProperty(False)  # portrait: controls in the lower half (wheelchair users)

    def __init__(self, services: Services, **kwargs: Any) -> None:
        self.services = services
        self.journeys = Journeys(services, run_on_worker, self._show_step)
        self._history: list[str] = []  # screens outside the journeys (technician, corner editor)
        self._last_activity = time.monotonic()
        self._idle_dialog: Any = None
        self._idle_deadline: float | None = None
        super().__init__(**kwargs)
        ui = services.config.ui
        acc = services.config.accessibility
        self.lang = ui.default_language
        self.journeys.set_language(self.lang)
        self.large_text = acc.large_text
        self.high_contrast = acc.high_contrast

    # ------------------------------------------------------------ build

    def build(self) -> ScreenManager:
        blocking.set_ui_thread(threading.current_thread())  # marked blocking calls on this thread are caught
        register_fonts()
        load_kv(widgets.__file__)
        self._apply_window_size()
        Window.bind(size=self._on_window_size, on_resize=self._on_window_size)  # on_resize: the size SDL really gave
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        Window.clearcolor = self.theme.bg
        sm = ScreenManager(transition=NoTransition())
        self.sm = sm
        # Only the home screen is built before the first frame; the others right after it
        # (or on first use), so the kiosk shows its face quickly on a small 2-core box.
        self._make_screen(registry.HOME)
        sm.bind(current=self._on_screen_changed)
        self._idle_event = Clock.schedule_interval(self._check_idle, 0.25)
        from screens.tech_lockdown import install_lockdown  # no traceback on screen, watchdog, technician entry

        self._lockdown_off = install_lockdown(self)
        self.lower_layout = self.services.config.accessibility.lower_layout
        if self.lower_layout:
            from screens.lower_layout import LowerLayout

            return LowerLayout(sm)
        return sm

    def on_start(self) -> None:
        if os.environ.get("KIOSK_REPORT_FIRST_FRAME"):
            Window.bind(on_flip=self._report_first_frame)
        Window.bind(on_flip=self._after_first_frame)

    def _after_first_frame(self, *_args: Any) -> None:
        Window.unbind(on_flip=self._after_first_frame)
        Clock.schedule_once(self._build_remaining_screens, 0)

    def _report_first_frame(self, *_args: Any) -> None:
        """One line on stdout after the first frame is on screen (benchmarks/startup.py reads it)."""
        Window.unbind(on_flip=self._report_first_frame)
        print("KIOSK_FIRST_FRAME", flush=True)

    def on_stop(self) -> None:
        blocking.set_ui_thread(None)
        Window.unbind(on_flip=self._after_first_frame)
        if getattr(self, "_building", None):
            self._building.cancel()
            self._building = None
        if getattr(self, "_idle_event", None):
            self._idle_event.cancel()
        if getattr(self, "_lockdown_off", None):
            self._lockdown_off()
            self._lockdown_off = None
        Window.unbind(size=self._on_window_size, on_resize=self._on_window_size)
        Window.unbind(on_touch_down=self._on_activity, on_key_down=self._on_activity)

    def _on_window_size(self, *_args: Any) -> None:
        self._apply_window_size()

    def on_lang(self, _inst: Any, value: str) -> None:
        self.tr = Translator(value)
        self.services.visit.language = value
        if hasattr(self, "journeys"):
            self.journeys.set_language(value)

    def on_large_text(self, *_args: Any) -> None:
        self._apply_window_size()

    def on_high_contrast(self, _inst: Any, value: bool) -> None:
        self.theme = HIGH_CONTRAST if value else NORMAL
        Window.clearcolor = self.theme.bg

    def _apply_window_size(self) -> None:
        w, h = Window.size
        self.portrait = h > w
        ui_scale = max(0.4, min(w, h) / 1080.0)
        self.sz = Sizes.compute(ui_scale, LARGE_TEXT_SCALE if self.large_text else 1.0)

    # ------------------------------------------------------------ navigation

    @property
    def current(self) -> str:
        return self.sm.current

    def _make_screen(self, name: str) -> KioskScreen:
        screen: KioskScreen = registry.screen_class(name)(name=name)
        screen.services = self.services
        screen.journeys = self.journeys
        self.sm.add_widget(screen)
        return screen

    def _build_remaining_screens(self, *_args: Any) -> None:
        """The journeys' first screens, one per frame (a tap between two is served); the others on first use.

        Why not all: every screen holds its widgets, bindings and label textures (~3 MB each, 24 screens);
        the idle kiosk must stay within 250 MB (benchmarks/startup.py). A screen is built in ~10–60 ms
        when first shown."""
        self._building = None
        for name in registry.KEPT:
            if not self.sm.has_screen(name):
                self._make_screen(name)
                self._building = Clock.schedule_once(self._build_remaining_screens, 0)
                return

    def _drop_visit_screens(self, *_args: Any) -> None:
        """After a visit, drop the screens it built (all but :data:`registry.KEPT` and the one shown).

        Their widgets held the citizen's entries until the wipe reset them; dropped, their memory is
        reused by the next visit's screens, so the kiosk's peak is one visit's screens, not all of them."""
        for screen in list(self.sm.screens):
            if screen.name not in registry.KEPT and screen.name != self.sm.current:
                self.sm.remove_widget(screen)

    def screen(self, name: str) -> KioskScreen:
        """The screen ``name``, built now if it has not been yet."""
        if not self.sm.has_screen(name):
            return self._make_screen(name)
        return self.sm.get_screen(name)

    def has_screen(self, name: str) -> bool:
        return name in registry.SCREENS

    def go(self, name: str, remember: bool = True, **params: Any) -> None:
        """Show screen ``name`` after calling its ``prepare(**params)`` (screens outside the journeys' flow:
        technician screens, the corner editor; scenes and tests)."""
        target = self.screen(name)
        target.prepare(**params)
        self._apply_priority_defaults()
        if remember and self.sm.current != name:
            self._history.append(self.sm.current)
        self._set_current(name)

    def _set_current(self, name: str) -> None:
        """Switch screens; a switch still under way is finished first.

        Kivy's ScreenManager stops an unfinished transition without ``on_leave`` / ``on_enter``, so a
        screen left within the same frame it was shown (a journey taking two steps at once) would keep
        its camera and timers running. Finishing it here gives every screen its leave."""
        transition = self.sm.transition
        if transition.is_active and self.sm.current != name:
            screen_in, screen_out = transition.screen_in, transition.screen_out
            transition.stop()
            if screen_in is not None:
                screen_in.dispatch("on_enter")
            if screen_out is not None:
                screen_out.dispatch("on_leave")
        self.sm.current = name

    def _show_step(self, name: str) -> None:
        """A journey moved to a step: show its screen (the flow table named it)."""
        self.screen(name).prepare()
        self._apply_priority_defaults()
        self._history.clear()
        self._set_current(name)

    def go_back(self) -> None:
        """"Quay lại": the journey's previous step; home from its first step."""
        if step_of(self.sm.current) is not None:
            if not self.journeys.back():
                self.go_home()
        elif self._history:
            self.go(self._history.pop(), remember=False)
        else:
            self.go_home()

    def go_home(self) -> None:
        self._history.clear()
        self._set_current("home")

    def start_journey(self, journey: str) -> None:
        self.journeys.start(journey)  # type: ignore[arg-type]

    # ------------------------------------------------------------ visit-wide settings

    def set_language(self, lang: str) -> None:
        if lang in self.services.config.ui.languages:
            self.lang = lang

    def toggle_language(self) -> None:
        langs = self.services.config.ui.languages
        self.set_language(langs[(langs.index(self.lang) + 1) % len(langs)] if self.lang in langs else langs[0])

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self.services.visit.large_text = self.large_text

    # ------------------------------------------------------------ accessibility (issue 9)

    @property
    def voice(self) -> Any:
        """The kiosk's voice guidance (kiosk.voice.Voice), or None when it has none."""
        return self.services.voice

    def _on_screen_changed(self, _sm: Any, name: str) -> None:
        """Read the screen's prompt aloud (``voice.<screen>``), off the UI thread."""
        if self.voice is not None:
            self.voice.stop()
            self.voice.say(f"voice.{name}", self.lang)

    def toggle_mute(self) -> None:
        self.voice_muted = not self.voice_muted
        if self.voice is not None:
            self.voice.set_muted(self.voice_muted)

    def _apply_priority_defaults(self) -> None:
        """A priority visit (elderly, disability…) gets large text once; the citizen may turn it off."""
        visit = self.services.visit
        if (visit.ticket.priority and self.services.config.accessibility.large_text_for_priority
                and getattr(self, "_priority_text_for", None) != visit.visit_id):
            self._priority_text_for = visit.visit_id
            if not self.large_text:
                self.toggle_large_text()

    def toggle_high_contrast(self) -> None:
        self.high_contrast = not self.high_contrast

    def finish_visit(self) -> None:
        """The citizen pressed "Kết thúc" (or the idle countdown ran out): wipe and go home."""
        self._close_idle_dialog()
        self._last_activity = time.monotonic()  # the next citizen's idle time starts now
        self.services.visit.wipe()
        for screen in self.sm.screens:
            try:
                screen.reset()
            except Exception:
                log.exception("screen %s failed to reset", screen.name)
        acc = self.services.config.accessibility
        self.lang = self.services.config.ui.default_language
        self.large_text = acc.large_text
        self.high_contrast = acc.high_contrast
        self.voice_muted = False
        if self.voice is not None:
            self.voice.set_muted(False)
        self.go_home()
        Clock.schedule_once(self._drop_visit_screens, 0)  # after home is shown (a screen being left keeps its leave)

    # ------------------------------------------------------------ idle timeout

    def _on_activity(self, *_args: Any) -> None:
        self._last_activity = time.monotonic()

    def _check_idle(self, _dt: float) -> None:
        ui = self.services.config.ui
        now = time.monotonic()
        if self._idle_deadline is not None:
            self.idle_seconds = max(0.0, self._idle_deadline - now)
            if self._idle_dialog is not None:
                self._idle_dialog.seconds_left = self.idle_seconds
            if now >= self._idle_deadline:
                log.info("idle countdown ended: wiping the visit")
                self.finish_visit()
            return
        at_rest = self.sm.current == "home" and self.services.visit.is_empty()
        if not at_rest and now - self._last_activity >= ui.idle_timeout_s:
            self._open_idle_dialog(ui.idle_countdown_s)

    def _open_idle_dialog(self, countdown: float) -> None:
        from screens.widgets import IdleDialog

        self._idle_deadline = time.monotonic() + countdown
        self.idle_seconds = countdown
        self._idle_dialog = IdleDialog(seconds_left=countdown, stay_cb=self.stay, leave_cb=self.finish_visit)
        self._idle_dialog.open()

    def _close_idle_dialog(self) -> None:
        self._idle_deadline = None
        if self._idle_dialog is not None:
            self._idle_dialog.dismiss()
            self._idle_dialog = None

    @property
    def idle_dialog(self) -> Any:
        return self._idle_dialog

    def stay(self) -> None:
        """The citizen answered "Tôi vẫn ở đây"."""
        self._close_idle_dialog()
        self._last_activity = time.monotonic()


def run_app(config: Any, config_file: Any = None, exit_after: float | None = None) -> int:
    """Build the services and run the app until it is closed (``kiosk run``)."""
    from kiosk.base.logs import setup_logging
    from kiosk.base.privacy import PRIVATE_UMASK
    from kiosk.services import build_services

    os.umask(PRIVATE_UMASK)  # the kiosk's files are its user's only (also when started without `kiosk`)
    setup_logging(config.path(config.logging.file), config.logging.level)
    services = build_services(config, config_file)
    from kiosk.ops.heartbeat import start_heartbeat

    start_heartbeat(services)
    if services.voice is not None:
        services.voice.prerender(langs=config.ui.languages)  # fixed prompts, in the background
    app = KioskApp(services)
    if exit_after:
        Clock.schedule_once(lambda _dt: app.stop(), exit_after)
    try:
        app.run()
    finally:
        services.close()
    return 0

"""A bare Kivy app tapped like a kiosk journey, for benchmarks/ui_stall.py: the frames Kivy itself takes.

Two screens of a ScreenManager, each a big button and a few labels in the kiosk's bundled font; a tap
on the button switches to the other screen. The taps and the frame loop are the UI tests' own
(:class:`screens.showcase.driver.KioskDriver`'s touches, :func:`screens.showcase.driver._frame`), so the
longest frame here is what a kiosk journey's longest frame is measured against. Prints one JSON list
of frame durations (seconds) on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from kiosk.app.kivy_env import prepare_kivy

TAPS = 60


def main(argv: list[str]) -> int:
    prepare_kivy(argv[0] if argv else "landscape")
    from kivy.app import App
    from kivy.base import runTouchApp
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.button import Button
    from kivy.uix.label import Label
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    from kiosk.app.kiosk_app import register_fonts
    from screens.showcase import driver

    class Bare(App):
        def build(self) -> ScreenManager:
            register_fonts()
            sm = ScreenManager(transition=NoTransition())
            for name, other in (("a", "b"), ("b", "a")):
                screen = Screen(name=name)
                box = BoxLayout(orientation="vertical", padding=40, spacing=20)
                for i in range(4):
                    box.add_widget(Label(text=f"Dòng chữ thứ {i + 1} của màn hình {name}", font_size=40))
                button = Button(text="Tiếp tục", font_size=56)
                button.bind(on_release=lambda _b, o=other: setattr(sm, "current", o))
                box.add_widget(button)
                screen.add_widget(box)
                sm.add_widget(screen)
            return sm

    app = Bare()
    app._run_prepare()
    runTouchApp(embedded=True)

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            driver._frame()
            if time.monotonic() >= end:
                return

    pump(0.5)
    driver.frame_times = []
    for _ in range(TAPS):
        button: Any = app.root.current_screen.children[0].children[0]
        x, y = button.to_window(*button.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        pump(0.05)
        touch.touch_up()
        pump(0.15)
    print(json.dumps(driver.frame_times))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A bare Kivy window for benchmarks/startup.py: one Label, the kiosk's window settings, nothing else.

Why: the kiosk's start-up figures mean little without what Kivy itself costs on the same machine in
the same run (SDL2, the GL context under Mesa, the default font). Prints ``BARE_FIRST_FRAME`` on
stdout after its first frame is on screen, as ``kiosk run`` prints ``KIOSK_FIRST_FRAME``.
"""

from __future__ import annotations

import sys
from typing import Any

from kiosk.app.kivy_env import prepare_kivy


def main(argv: list[str]) -> int:
    prepare_kivy(argv[0] if argv else "landscape")  # same size, multisampling and input settings as the kiosk
    from kivy.app import App
    from kivy.core.window import Window
    from kivy.uix.label import Label

    class Bare(App):
        def build(self) -> Label:
            return Label(text="Xin chào", font_size=48)

        def on_start(self) -> None:
            Window.bind(on_flip=self._first)

        def _first(self, *_args: Any) -> None:
            Window.unbind(on_flip=self._first)
            print("BARE_FIRST_FRAME", flush=True)

    Bare().run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

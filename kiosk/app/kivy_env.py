"""Set up Kivy's process-wide settings before Kivy is first imported.

Kivy reads its configuration when ``kivy`` is imported and fixes the window size
when the window is created, so ``kiosk run``, ``kiosk screenshots`` and the UI
tests call :func:`prepare_kivy` first. This module itself imports no Kivy at
module level, so the core stays free of it.
"""

from __future__ import annotations

import os
from pathlib import Path

ORIENTATION_SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def prepare_kivy(
    orientation: str = "landscape",
    fullscreen: bool = False,
    kivy_home: Path | None = None,
    size: tuple[int, int] | None = None,
) -> None:
    """Environment and ``kivy.config.Config`` for a kiosk window (call before creating it)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")  # not xclip/xsel, which a kiosk does not have
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.expanduser("~/.cache/motcua-kiosk/escpos"))
    if kivy_home is not None:
        kivy_home.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("KIVY_HOME", str(kivy_home))
    from kivy.config import Config

    width, height = size or ORIENTATION_SIZES[orientation]
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "1")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    # The kiosk draws its own keyboard; never pop up Kivy's.
    Config.set("kivy", "keyboard_mode", "system")
    # No multisampled framebuffer (Kivy's default is 2 samples): with Mesa's software renderer (and on a
    # small kiosk GPU) it costs tens of MB of RSS at 1080p; rounded shapes are only a little harder-edged.
    Config.set("graphics", "multisamples", "0")

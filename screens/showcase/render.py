"""Render every screen of the kiosk to PNG: ``python -m screens.showcase OUTDIR``.

``kiosk screenshots`` runs this once per orientation (the window size is fixed
when the window opens). A scene prepares a state (e.g. a ticket just issued)
and names the file; screens without a scene are shown as they open.
Feature screens add scenes to :data:`SCENES` with :func:`scene`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# name → function(driver) that brings the app to the state to show; registration order is kept.
SCENES: dict[str, Callable[[Any], None]] = {}
# Modules that register scenes for their screens (imported before rendering).
SCENE_MODULES: tuple[str, ...] = ("screens.scenes_ticket", "screens.scenes_a11y", "screens.scenes_declare", "screens.scenes_tech", "screens.scenes_identify", "screens.scenes_scan")


def scene(name: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    def deco(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        SCENES[name] = fn
        return fn

    return deco


def _default_scene(screen_name: str) -> Callable[[Any], None]:
    def show(driver: Any) -> None:
        driver.app.go(screen_name)

    return show


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m screens.showcase")
    parser.add_argument("outdir")
    parser.add_argument("--orientation", choices=["landscape", "portrait"], default="landscape")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    parser.add_argument("--config")
    parser.add_argument("--large-text", action="store_true")
    parser.add_argument("--only", help="comma-separated scene names")
    args = parser.parse_args(argv)

    from kiosk.app.kivy_env import prepare_kivy
    from kiosk.base import load_config

    config = load_config(args.config)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    # Screenshots never touch the kiosk's real data: a throw-away data dir, printer to a file.
    config = config.model_copy(deep=True)
    config.storage.data_dir = str(tmp / "data")
    config.printer.uri = f"file:{tmp / 'printer.bin'}"
    config.backend.embedded = False
    prepare_kivy(args.orientation, kivy_home=tmp / "kivy")

    import importlib

    from kiosk.app.kiosk_app import KioskApp
    from kiosk.services import build_services
    from screens import registry
    from screens.driver import KioskDriver

    services = build_services(config)
    app = KioskApp(services)
    driver = KioskDriver(app)
    for module in SCENE_MODULES:
        importlib.import_module(module)
    scenes: dict[str, Callable[[Any], None]] = {}
    for screen_name in registry.SCREENS:
        scenes[screen_name] = _default_scene(screen_name)
    scenes.update(SCENES)
    # Run as ``python -m``, this file is __main__ and scene modules register in the imported copy.
    scenes.update(importlib.import_module("screens.showcase").SCENES)
    only = set(args.only.split(",")) if args.only else None

    out = Path(args.outdir)
    suffix = f"{args.orientation}" + ("" if args.lang == "vi" else f"-{args.lang}") + ("-large" if args.large_text else "")
    failures = 0
    for name, prepare in scenes.items():
        if only and name not in only:
            continue
        try:
            app.finish_visit()
            app.set_language(args.lang)
            if args.large_text:
                app.large_text = True
            driver.pump(0.1)
            prepare(driver)
            driver.pump(0.4)
            path = driver.screenshot(out / f"{name}-{suffix}.png")
            print(path)
        except Exception:
            log.exception("scene %s failed", name)
            failures += 1
    services.close()
    return 1 if failures else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    sys.exit(main())

"""Render every screen of the kiosk to PNG: ``python -m screens.showcase OUTDIR``.

``kiosk screenshots`` runs this once per orientation (the window size is fixed when the
window opens). A scene prepares a state (e.g. a ticket just issued) and names the file;
screens without a scene are shown as they open (:func:`screens.showcase.scenes.all_scenes`).
The kiosk's real data is never touched: a throw-away data dir (removed at the end), the printer
to a file, no embedded server and a backend address where nobody answers.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import socket
import sys
import tempfile
from pathlib import Path

from screens import registry
from screens.showcase.book import Scene
from screens.showcase.scenes import all_scenes

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m screens.showcase")
    parser.add_argument("outdir")
    parser.add_argument("--orientation", choices=["landscape", "portrait"], default="landscape")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    parser.add_argument("--config")
    parser.add_argument("--large-text", action="store_true")
    parser.add_argument("--only", help="comma-separated scene names")
    return parser


def chosen_scenes(only: str | None) -> dict[str, Scene]:
    """Every scene, or those named in ``only`` (comma-separated); ValueError names the unknown ones."""
    scenes = all_scenes(registry.SCREENS)
    if not only:
        return scenes
    names = set(only.split(","))
    if names - set(scenes):
        raise ValueError(f"no such scene: {', '.join(sorted(names - set(scenes)))}")
    return {name: fn for name, fn in scenes.items() if name in names}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        scenes = chosen_scenes(args.only)
    except ValueError as e:
        print(f"python -m screens.showcase: {e}", file=sys.stderr)
        return 2
    from kiosk.app.kivy_env import prepare_kivy
    from kiosk.base import load_config

    config = load_config(args.config)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    # A backend nobody answers (a port held, never listened on): the same pictures whatever runs on this machine.
    no_backend = socket.socket()
    try:
        no_backend.bind(("127.0.0.1", 0))
        config = config.model_copy(deep=True)
        config.storage.data_dir = str(tmp / "data")
        config.printer.uri = f"file:{tmp / 'printer.bin'}"
        config.backend.embedded = False
        config.backend.url = f"http://127.0.0.1:{no_backend.getsockname()[1]}/api/v1"
        prepare_kivy(args.orientation, kivy_home=tmp / "kivy")
        return _render(scenes, config, args)
    finally:
        no_backend.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _render(scenes: dict[str, Scene], config: object, args: argparse.Namespace) -> int:
    """Each scene in a fresh visit, saved as ``<scene>-<orientation>[-en][-large].png``; failures logged, counted."""
    from kiosk.app.kiosk_app import KioskApp
    from kiosk.services import build_services
    from screens.showcase.driver import KioskDriver

    services = build_services(config)
    app = KioskApp(services)
    driver = KioskDriver(app)
    out = Path(args.outdir)
    suffix = args.orientation + ("" if args.lang == "vi" else f"-{args.lang}") + ("-large" if args.large_text else "")
    failures = 0
    try:
        for name, prepare in scenes.items():
            try:
                driver.dismiss_dialogs()
                app.finish_visit()
                app.set_language(args.lang)
                if args.large_text:
                    app.large_text = True
                driver.pump(0.1)
                prepare(driver)
                driver.pump(0.4)
                print(driver.screenshot(out / f"{name}-{suffix}.png"))
            except Exception:
                log.exception("scene %s failed", name)
                failures += 1
    finally:
        services.close()
    return 1 if failures else 0

"""``kiosk run`` (the touchscreen app) and ``kiosk screenshots`` (every screen to PNG).

The screenshots run ``python -m screens.showcase`` once per orientation and language, in a child
process: the window's size is fixed when Kivy opens it, and the CLI itself never imports Kivy.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, config_from_args, eprint


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the touchscreen app")
    p.add_argument("--fullscreen", action="store_true", help="fullscreen, borderless (production)")
    p.add_argument("--orientation", choices=["landscape", "portrait"], help="override [ui] orientation")
    p.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("screenshots", help="render every screen to PNG (both orientations)")
    p.add_argument("outdir", metavar="OUTDIR")
    p.add_argument("--orientation", choices=["landscape", "portrait", "both"], default="both")
    p.add_argument("--lang", choices=["vi", "en", "both"], default="vi")
    p.add_argument("--large-text", action="store_true", help="also render every screen in large-text mode")
    p.add_argument("--only", metavar="SCENES", help="comma-separated scene names (default: every screen and scene)")
    p.set_defaults(func=cmd_screenshots)


def cmd_run(args: argparse.Namespace) -> int:
    config = config_from_args(args)  # a bad config stops here, before any window opens
    from kiosk.app.kivy_env import prepare_kivy

    orientation = args.orientation or config.ui.orientation
    prepare_kivy(orientation, fullscreen=args.fullscreen or config.ui.fullscreen, kivy_home=config.data_path("kivy"))
    from kiosk.app.kiosk_app import run_app

    return run_app(config, Path(args.config) if args.config else None, exit_after=args.exit_after)


def cmd_screenshots(args: argparse.Namespace) -> int:
    config_from_args(args)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    orientations = ["landscape", "portrait"] if args.orientation == "both" else [args.orientation]
    langs = ["vi", "en"] if args.lang == "both" else [args.lang]
    failed = 0
    for orientation in orientations:
        for lang in langs:
            for large in ([False, True] if args.large_text else [False]):
                cmd = [sys.executable, "-m", "screens.showcase", str(out), "--orientation", orientation, "--lang", lang]
                if args.config:
                    cmd += ["--config", args.config]
                if large:
                    cmd.append("--large-text")
                if args.only:
                    cmd += ["--only", args.only]
                rc = subprocess.call(cmd)
                if rc == EXIT_USAGE:  # e.g. an unknown scene name: the same for every orientation
                    return EXIT_USAGE
                if rc != 0:
                    eprint(f"kiosk screenshots: {orientation}/{lang} failed (exit {rc})")
                    failed += 1
    return EXIT_FAIL if failed else EXIT_OK

"""The camera checks of a running kiosk, in a short-lived child process.

Why: a camera check imports OpenCV and numpy and grabs frames. In the kiosk's own process that
memory would stay for good (about 70 MB of peak RSS at the first heartbeat, benchmarks/startup.py),
although the idle kiosk on its home screen needs neither. A child process takes it and gives it all
back when it exits. Only a camera the app is not using is checked this way: a camera a screen is
showing is already open (and OpenCV loaded), so it is checked in the app, without a second opener.

The child gets the app's config exactly as it is in memory (technician changes included), as JSON
on its stdin, and answers the report as JSON on its stdout: ``python -m kiosk.ops.isolated_checks
camera document_camera``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any

from kiosk.base.blocking import blocking
from kiosk.ops.health import Check, Context

log = logging.getLogger(__name__)

# check name → the app's service whose idleness lets the check run in a child
ISOLATED = {"camera": "id_camera", "document_camera": "document_camera"}
CHILD_TIMEOUT_S = 40.0  # two camera checks wait up to a few seconds each for a first frame


def isolated_names(ctx: Context, names: list[str]) -> list[str]:
    """The checks among ``names`` to run in a child: only in a running app, only for an idle camera."""
    if ctx.services is None:  # `kiosk doctor` is a short-lived process already
        return []
    out = []
    for name in names:
        service = ISOLATED.get(name)
        cam = ctx.service(service) if service else None
        if cam is not None and not getattr(cam, "running", False):
            out.append(name)
    return out


def _failed(names: list[str], reason: str) -> list[Check]:
    return [Check(n, "red", f"check could not run: {reason}") for n in names]


@blocking
def run_in_child(config: Any, names: list[str]) -> list[Check]:
    """Run ``names`` in ``python -m kiosk.ops.isolated_checks``; a child that fails gives red checks, never raises."""
    if not names:
        return []
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kiosk.ops.isolated_checks", *names],
            input=config.model_dump_json(), capture_output=True, text=True, timeout=CHILD_TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        return _failed(names, f"no answer within {CHILD_TIMEOUT_S:.0f} s")
    except OSError as e:
        return _failed(names, f"{type(e).__name__}: {e}")
    try:
        checks = [Check(**c) for c in json.loads(proc.stdout)["checks"]]
    except (ValueError, KeyError, TypeError):
        last = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        log.warning("isolated checks %s failed: %s", ",".join(names), last[:200])
        return _failed(names, f"exit {proc.returncode}")
    by_name = {c.name: c for c in checks}
    return [by_name.get(n) or Check(n, "red", "check could not run: no answer") for n in names]


def main() -> int:
    """The child: config JSON on stdin, check names as arguments, the report JSON on stdout."""
    from kiosk.base.config_schema import KioskConfig
    from kiosk.ops.doctor import run_checks

    logging.basicConfig(level=logging.ERROR)  # the report says what failed, in one line each
    config = KioskConfig.model_validate_json(sys.stdin.read())
    report = run_checks(config, only=sys.argv[1:])
    json.dump(report.as_dict(), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

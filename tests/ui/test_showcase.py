"""The harness itself in the real window: the driver taps, finds and photographs; ``kiosk screenshots``
renders both orientations. The first test is ``make check``'s UI smoke test (typing on the kiosk
keyboard by ``driver.type_keys`` is exercised by the declaration and tracking UI tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kiosk.app.kivy_env import ORIENTATION_SIZES

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.smoke
def test_smoke_a_journey_by_touch_and_the_window_as_png(driver, artifacts):
    from kivy.core.window import Window

    assert driver.app.current == "home"
    for key in ("home.ticket", "home.submit", "home.track", "home.rate"):
        assert driver.app.tr[key] in driver.texts()
    home = np.asarray(Image.open(driver.screenshot(artifacts / "home.png")))
    assert home.shape == (Window.height, Window.width, 3) and home.std() > 10  # a drawn screen, not a blank
    driver.tap("btn_rate")
    driver.wait_screen("rate")
    assert driver.has("btn_level_satisfied") and not driver.has("btn_ticket")
    rate = np.asarray(Image.open(driver.screenshot(artifacts / "rate.png")))
    assert (np.abs(rate.astype(int) - home.astype(int)) > 32).any(axis=2).mean() > 0.05  # another picture
    driver.tap("btn_finish")
    driver.wait_screen("home")


def test_kiosk_screenshots_renders_scenes_in_both_orientations(tmp_path):
    out, tmp = tmp_path / "shots", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}  # to see that the throw-away data dir is removed
    run = subprocess.run([sys.executable, "-m", "kiosk", "screenshots", str(out), "--orientation", "both",
                          "--only", "home,ticket_issued"], capture_output=True, text=True, cwd=ROOT, env=env,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    for orientation in ("landscape", "portrait"):
        for scene in ("home", "ticket_issued"):
            with Image.open(out / f"{scene}-{orientation}.png") as img:
                assert img.size == ORIENTATION_SIZES[orientation]
                assert np.asarray(img.convert("L")).std() > 10
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{s}-{o}.png" for s in ("home", "ticket_issued") for o in ("landscape", "portrait"))
    assert not [p for p in tmp.iterdir() if p.name.startswith("kiosk-shots-")]

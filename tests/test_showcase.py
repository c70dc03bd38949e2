"""The screenshot harness's catalogue of scenes, without a window: every screen has one, names are unique."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from screens import registry
from screens.showcase.book import SceneBook
from screens.showcase.scenes import AREAS, all_scenes

ROOT = Path(__file__).resolve().parent.parent


def test_every_registered_screen_has_a_scene_and_every_area_adds_its_own():
    scenes = all_scenes(registry.SCREENS)
    assert list(scenes)[: len(registry.SCREENS)] == list(registry.SCREENS)  # screens first, in registry order
    for area, book in AREAS.items():
        assert book, f"area {area} has no scene"
        assert all(scenes[name] is fn for name, fn in book.items())
    assert {"ticket_issued", "identify_confirm", "receipt-queued", "tech_logs", "scan_corners"} <= set(scenes)


def test_a_scene_name_is_defined_once():
    book = SceneBook()
    book.add("home")(lambda driver: None)
    with pytest.raises(ValueError, match="'home' is defined twice"):
        book.add("home")(lambda driver: None)


def test_importing_the_scenes_loads_no_kivy():
    """The catalogue is read (``--only`` checked) before a window exists."""
    code = "import sys, screens.showcase.scenes; print(any(m.split('.')[0] == 'kivy' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                         check=True)
    assert out.stdout.strip() == "False"


def test_an_unknown_scene_is_bad_usage_before_any_window_opens(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    out = subprocess.run([sys.executable, "-m", "kiosk", "screenshots", str(tmp_path / "shots"), "--only",
                          "home,no_such_scene"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
                         check=False)
    assert out.returncode == 2 and "no such scene: no_such_scene" in out.stderr
    assert not list((tmp_path / "shots").glob("*.png"))

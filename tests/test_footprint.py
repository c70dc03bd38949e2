"""What an idle kiosk has loaded: no OpenCV, numpy, OCR, PDF or server libraries before a citizen needs them.

Why: ``kiosk run`` must stay within 250 MB (issue 12 item 6, benchmarks/startup.py); each of these
libraries costs 10–60 MB and is needed only on the camera, scan, search or server paths. A fresh
process runs the real app (the test's Xvfb) until the home screen is shown and every other screen
is built, then reports which of them are in ``sys.modules`` and which project line imported each.
No timing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.ui,
    pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (make test runs under Xvfb)"),
]

# Top-level packages the idle kiosk must not hold (the home screen and every built screen).
NOT_AT_START = (
    "cv2", "numpy", "pytesseract", "pyzbar", "zxingcpp", "holidays", "fastapi", "starlette", "sqlalchemy",
    "uvicorn", "pypdf", "reportlab",
)

# Runs in the child: records who imports a watched package first, runs the app until every kept screen is
# built and the heartbeat's checks have run once, writes {package: "importer:line <- …"} of those loaded
# (and each check's state) to argv[2].
CHILD = r"""
import json, os, sys, traceback
root, out, watched = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))
who = {}

class Recorder:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in watched and top not in who:
            frames = [f for f in traceback.extract_stack()
                      if f.filename.startswith(root) and "site-packages" not in f.filename]
            who[top] = " <- ".join(f"{os.path.relpath(f.filename, root)}:{f.lineno}" for f in reversed(frames[-4:]))
        return None

sys.meta_path.insert(0, Recorder())
from kiosk.base.config import load_config
from kiosk.app.kivy_env import prepare_kivy

config = load_config(None)
prepare_kivy("landscape", kivy_home=config.data_path("kivy"))
from kivy.clock import Clock
from kiosk.app import kiosk_app
from screens import registry

import threading
from kiosk.ops.doctor import run_checks

started = kiosk_app.KioskApp.on_start
beat = {}

def heartbeat_checks(services):
    # what the heartbeat runs (on its own thread, as the heartbeat does)
    report = run_checks(services.config, services)
    beat.update({c.name: f"{c.state}: {c.reason}" for c in report.checks})

def on_start(self):
    started(self)
    worker = []

    def check(_dt):
        if not all(self.sm.has_screen(n) for n in registry.KEPT):
            return True
        if not worker:
            worker.append(threading.Thread(target=heartbeat_checks, args=(self.services,), daemon=True))
            worker[0].start()
        if worker[0].is_alive():
            return True
        loaded = {m: who.get(m, "?") for m in sorted(watched) if m in sys.modules}
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"home": self.sm.current, "loaded": loaded, "checks": beat}, f)
        self.stop()
        return False

    Clock.schedule_interval(check, 0.1)

kiosk_app.KioskApp.on_start = on_start
sys.exit(kiosk_app.run_app(config))
"""


def test_the_idle_kiosk_and_its_heartbeat_load_no_camera_ocr_pdf_or_server_library(tmp_path: Path) -> None:
    out = tmp_path / "loaded.json"
    env = {
        **os.environ,
        "KIOSK_STORAGE_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_BACKEND_EMBEDDED": "false",
        "KIOSK_PRINTER_URI": f"file:{tmp_path}/printer.bin",
        "KIOSK_LOGGING_FILE": f"{tmp_path}/kiosk.jsonl",
        # The packaged cameras (sample images): the heartbeat's checks open both, in a child process.
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(out), ",".join(NOT_AT_START)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0 and out.exists(), proc.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["home"] == "home"
    # The cameras were really checked (a picture from each), and OpenCV stayed out of the kiosk's process.
    assert report["checks"]["camera"].startswith("green: picture"), report["checks"]
    assert report["checks"]["document_camera"].startswith("green: picture"), report["checks"]
    loaded = report["loaded"]
    assert not loaded, "loaded before a citizen needs them:\n" + "\n".join(
        f"  {module}: imported by {importer}" for module, importer in loaded.items()
    )


def test_the_check_names_a_module_and_its_importer(tmp_path: Path) -> None:
    """The recorder itself: a package imported from a project module is reported with that module's line."""
    probe = tmp_path / "probe.py"
    probe.write_text("import colorsys\n", encoding="utf-8")
    script = CHILD.split("from kiosk.base.config")[0] + (
        f"sys.path.insert(0, {str(tmp_path)!r})\nimport probe\njson.dump(who, open(out, 'w'))\n"
    )
    out = tmp_path / "who.json"
    subprocess.run([sys.executable, "-c", script, str(tmp_path), str(out), "colorsys"], check=True, timeout=60)
    assert json.loads(out.read_text(encoding="utf-8")) == {"colorsys": "probe.py:1"}

"""Cold start of ``kiosk run`` to the first frame on screen, and the app's peak RSS.

Each run is a new process (``kiosk run`` on the packaged defaults, embedded backend off so that
only the kiosk is measured), under the current DISPLAY (``make bench`` runs under Xvfb).
Goal from issue 2: < 2 s to the first frame, < 250 MB peak RSS.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._results import median, write_section

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def one_run(orientation: str) -> tuple[float, float]:
    """(seconds to first frame, peak RSS in MB) of one fresh ``kiosk run``."""
    with tempfile.TemporaryDirectory(prefix="kiosk-startup-") as tmp:
        env = {
            **os.environ,
            "KIOSK_REPORT_FIRST_FRAME": "1",
            "KIOSK_STORAGE_DATA_DIR": tmp,
            "KIOSK_BACKEND_EMBEDDED": "false",
            "KIOSK_PRINTER_URI": f"file:{tmp}/printer.bin",
            "KIOSK_LOGGING_FILE": f"{tmp}/kiosk.jsonl",
        }
        cmd = [sys.executable, "-m", "kiosk", "run", "--orientation", orientation]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = None
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("KIOSK_FIRST_FRAME"):
                first = time.perf_counter() - t0
                break
        # Let it settle for a second (idle, home screen shown), then close it.
        time.sleep(1.0)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if first is None:
            raise RuntimeError("kiosk run exited before its first frame")
        # ru_maxrss of children is the max over all waited children: only meaningful if it grew.
        return first, max(peak_kb, before) / 1024


def main(argv: list[str]) -> int:
    if not os.environ.get("DISPLAY"):
        print("startup benchmark needs a display: run it under xvfb-run (make bench)", file=sys.stderr)
        return 2
    rows = []
    for orientation in ("landscape", "portrait"):
        firsts, rss = [], []
        for _ in range(RUNS):
            f, m = one_run(orientation)
            firsts.append(f)
            rss.append(m)
        rows.append((orientation, median(firsts), min(firsts), max(firsts), max(rss)))
        print(f"{orientation}: first frame median {median(firsts):.2f} s, peak RSS {max(rss):.0f} MB")
    body = [
        f"`kiosk run` from process start to the first frame on screen (Xvfb + Mesa llvmpipe), {RUNS} runs each, "
        "embedded backend off. Peak RSS of the kiosk process.",
        "",
        "| orientation | first frame, median | min – max | peak RSS | goal |",
        "|---|---|---|---|---|",
    ]
    for o, med, lo, hi, rss in rows:
        body.append(f"| {o} | {med:.2f} s | {lo:.2f} – {hi:.2f} s | {rss:.0f} MB | < 2 s, < 250 MB |")
    write_section("startup", "Startup (issue 2)", "\n".join(body))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

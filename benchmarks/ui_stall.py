"""The longest frame of each citizen and technician journey, beside a bare Kivy app tapped the same way.

Why: a frame that takes long is a frozen screen — the citizen taps and nothing moves. Issue 12 moved
every blocking call (disk, network, devices, subprocesses, full-resolution images) off the Kivy main
thread; this measures what is left. The journeys are the UI tests' own, run by pytest with
:mod:`benchmarks._frame_probe`, which times every turn of Kivy's event loop during each test's body
(Kivy's own wait for the next frame at 60 fps included, as in the baseline). The baseline is
:mod:`benchmarks._bare_kivy_taps`: two screens of labels and a button, tapped 60 times with the same
touches and frame loop. Rounds alternate baseline and journeys, so the machine's load weighs on both.
Goal (issue 12 item 5): longest frame ≤ 100 ms in every journey.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._results import median, write_section

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
GOAL_MS = 100.0
# journey → the UI tests that walk it (their every test, start to end)
JOURNEYS: dict[str, list[str]] = {
    "ticket (service → priority → printed ticket)": ["tests/ui/test_ticket_flow.py"],
    "submit (ID card → form → papers → review → receipt)": ["tests/ui/test_declare_e2e.py", "tests/ui/test_scan.py"],
    "identify (camera QR, manual entry)": ["tests/ui/test_identify.py"],
    "track (receipt QR → status)": ["tests/ui/test_track.py"],
    "rate (satisfaction)": ["tests/ui/test_rate.py"],
    "technician (PIN, settings, printer, logs, cameras)": ["tests/ui/test_tech_screens.py", "tests/ui/test_tech.py"],
}


def _display_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("KIVY_NO_ARGS", "1")
    return env


def bare_frames() -> list[float]:
    out = subprocess.run([sys.executable, "-m", "benchmarks._bare_kivy_taps"], cwd=ROOT, env=_display_env(),
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def journey_frames(files: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ui-stall-") as tmp:
        report = Path(tmp) / "frames.json"
        env = _display_env() | {"KIOSK_FRAME_REPORT": str(report)}
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "benchmarks._frame_probe",
                        *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False)
        return json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"frames": {}, "causes": {}}


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")


def main() -> int:
    if not os.environ.get("DISPLAY"):
        print("ui_stall needs a display: run it with `make bench` (Xvfb)", file=sys.stderr)
        return 2
    longest: dict[str, list[float]] = {"bare": []}
    p99s: dict[str, list[float]] = {"bare": []}
    worst_test: dict[str, tuple[float, str]] = {}
    frames_seen: dict[str, int] = {}
    causes: dict[str, Counter[str]] = {}
    for _ in range(ROUNDS):
        frames = bare_frames()
        longest["bare"].append(max(frames) * 1000)
        p99s["bare"].append(p99(frames) * 1000)
        frames_seen["bare"] = len(frames)
        for journey, files in JOURNEYS.items():
            report = journey_frames(files)
            per_test = report["frames"]
            causes.setdefault(journey, Counter()).update(report["causes"])
            every = [t for times in per_test.values() for t in times]
            if not every:
                continue
            longest.setdefault(journey, []).append(max(every) * 1000)
            p99s.setdefault(journey, []).append(p99(every) * 1000)
            frames_seen[journey] = len(every)
            test, worst = max(((node, max(times)) for node, times in per_test.items() if times), key=lambda x: x[1])
            if worst * 1000 > worst_test.get(journey, (0.0, ""))[0]:
                worst_test[journey] = (worst * 1000, test)
    rows = ["| journey | frames (last round) | longest frame, median of rounds | p99 frame | goal ≤ 100 ms | the test with the longest frame (any round) |",
            "|---|---:|---:|---:|---|---|"]
    for name in longest:
        label = "**bare Kivy** (two screens, 60 taps)" if name == "bare" else name
        top = median(longest[name])
        ok = "—" if name == "bare" else ("met" if top <= GOAL_MS else "**not met**")
        where = "" if name == "bare" else f"`{worst_test[name][1]}` ({worst_test[name][0]:.0f} ms)"
        rows.append(f"| {label} | {frames_seen[name]} | {top:.0f} ms | {median(p99s[name]):.0f} ms | {ok} | {where} |")
    why = ["", "What the UI thread was doing in frames longer than 100 ms (stack samples, all rounds):", "",
           "| journey | causes (samples) |", "|---|---|"]
    for journey, counter in causes.items():
        why.append(f"| {journey} | " + "; ".join(f"{c} {n}" for c, n in counter.most_common(5)) + " |")
    rows += why
    body = (
        f"{ROUNDS} rounds; each round runs the bare Kivy baseline and then every journey's UI tests under the same "
        "Xvfb. A frame is one turn of Kivy's event loop (input, clock callbacks, layout, drawing, and Kivy's wait "
        "for the next frame at 60 fps); only frames inside a test's body count, not the app's construction. "
        "`python -m benchmarks ui_stall` under Xvfb.\n\n" + "\n".join(rows)
    )
    write_section("ui_stall", "UI stalls: the longest frame per journey (issue 12)", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())

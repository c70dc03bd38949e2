"""Cold start of ``kiosk run`` to the first frame on screen, and the kiosk's peak RSS, beside a bare Kivy window.

Each run is a new process under the current DISPLAY (``make bench`` runs under Xvfb), in rounds that
take one of each kind in turn, so that the machine's load weighs on all of them alike:

- ``bare Kivy``: :mod:`benchmarks._bare_kivy`, one Label in a window of the kiosk's size and settings;
- ``kiosk run``, embedded backend off (the packaged defaults otherwise);
- ``kiosk run``, embedded backend on (the reference server as a child process on a free loopback port,
  SQLite in the run's temporary folder); the child's peak RSS is reported apart, as information.

Peak RSS is the process's ``VmHWM`` (``/proc/PID/status``), read twice: one second after the first frame
(the figure of issue 2; the kiosk is still building its other screens then) and after ``IDLE_S`` idle
seconds, when home and the journeys' first screens are built (the others are built when a citizen first
reaches them and dropped after the visit) and the first heartbeat has run (its doctor checks open both
cameras, in a short-lived child process): the kiosk's steady state on its home screen.
Goal (issue 12 item 6): first frame ≤ 2 s, peak RSS of the kiosk process ≤ 250 MB.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._results import median, write_section

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
SETTLE_S = 1.0
IDLE_S = 9.0  # from the first frame; the first heartbeat starts 5 s after the services
KINDS = ("bare", "kiosk", "kiosk+embedded")
LABELS = {
    "bare": "bare Kivy window (one Label)",
    "kiosk": "`kiosk run`, embedded backend off",
    "kiosk+embedded": "`kiosk run`, embedded backend on",
}


@dataclass
class Run:
    first_s: float
    peak_mb: float  # one second after the first frame
    idle_mb: float  # after IDLE_S
    child_mb: float | None = None  # the embedded server's peak RSS


def vm_hwm_mb(pid: int) -> float | None:
    """Peak resident set of a live process, in MB (None once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def one_run(kind: str, orientation: str) -> Run:
    """One fresh process of ``kind``: seconds to its first frame, its peak RSS (and the embedded child's)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-startup-") as tmp:
        env = {**os.environ, "KIOSK_REPORT_FIRST_FRAME": "1", "KIVY_HOME": f"{tmp}/kivy"}
        port = 0
        if kind == "bare":
            cmd, marker = [sys.executable, "-m", "benchmarks._bare_kivy", orientation], "BARE_FIRST_FRAME"
        else:
            cmd, marker = [sys.executable, "-m", "kiosk", "run", "--orientation", orientation], "KIOSK_FIRST_FRAME"
            env.update({
                "KIOSK_STORAGE_DATA_DIR": tmp,
                "KIOSK_PRINTER_URI": f"file:{tmp}/printer.bin",
                "KIOSK_LOGGING_FILE": f"{tmp}/kiosk.jsonl",
                "KIOSK_BACKEND_EMBEDDED": "true" if kind == "kiosk+embedded" else "false",
            })
            if kind == "kiosk+embedded":
                port = free_port()
                env["KIOSK_BACKEND_URL"] = f"http://127.0.0.1:{port}/api/v1"
                env["KIOSK_BACKEND_EMBEDDED_DB"] = f"sqlite:///{tmp}/server.db"
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = None
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(marker):
                first = time.perf_counter() - t0
                break
        time.sleep(SETTLE_S)  # idle on its first screen; the kiosk builds the other screens now
        peak = vm_hwm_mb(proc.pid)
        time.sleep(max(0.0, t0 + (first or 0) + IDLE_S - time.perf_counter()))
        if port:  # the embedded server starts beside the window: wait until it answers (at most 30 s)
            deadline = time.monotonic() + 30
            while not answers(port) and time.monotonic() < deadline:
                time.sleep(0.2)
        idle = vm_hwm_mb(proc.pid)
        child_peaks = [m for c in children(proc.pid) if (m := vm_hwm_mb(c)) is not None]  # the server (a camera check's child is gone by now)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if first is None or peak is None or idle is None:
            raise RuntimeError(f"{kind} exited before its first frame")
        return Run(first, peak, idle, max(child_peaks) if port and child_peaks else None)


def main(argv: list[str]) -> int:
    if not os.environ.get("DISPLAY"):
        print("startup benchmark needs a display: run it under xvfb-run (make bench)", file=sys.stderr)
        return 2
    runs = int(argv[0]) if argv else RUNS
    rows = []
    for orientation in ("landscape", "portrait"):
        got: dict[str, list[Run]] = {k: [] for k in KINDS}
        for _ in range(runs):
            for kind in KINDS:
                got[kind].append(one_run(kind, orientation))
        for kind in KINDS:
            rs = got[kind]
            firsts = [r.first_s for r in rs]
            peaks = [r.peak_mb for r in rs]
            idles = [r.idle_mb for r in rs]
            childs = [r.child_mb for r in rs if r.child_mb is not None]
            row = (orientation, kind, median(firsts), min(firsts), max(firsts), median(peaks), max(peaks),
                   median(idles), max(idles), median(childs) if childs else None)
            rows.append(row)
            print(f"{orientation} {kind}: first frame median {row[2]:.2f} s, peak RSS median {row[5]:.0f} MB"
                  f" (max {row[6]:.0f}), after {IDLE_S:.0f} s idle {row[7]:.0f} MB (max {row[8]:.0f})"
                  + (f", embedded server {row[9]:.0f} MB" if row[9] else ""), flush=True)
    body = [
        f"From process start to the first frame on screen (Xvfb + Mesa llvmpipe), {runs} runs of each kind per "
        "orientation, taken in turn. Peak RSS: `VmHWM` of the process, read 1 s after its first frame (the "
        f"kiosk is still building its kept screens then) and again {IDLE_S:.0f} s after it (home and the journeys' "
        "first screens built — the others are built on a citizen's first show and dropped after the visit — and the "
        "first heartbeat done: its doctor checks open both cameras in a short-lived child process, whose memory is not "
        "the kiosk's). With the embedded "
        "backend on, the server runs as a child process; its own peak RSS is in the last column, not in the kiosk's.",
        "",
        f"| orientation | process | first frame, median | min – max | peak RSS at +1 s, median (max) "
        f"| peak RSS at +{IDLE_S:.0f} s, median (max) | embedded server | goal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o, kind, med, lo, hi, rss, rss_max, idle, idle_max, child in rows:
        goal = "reference" if kind == "bare" else "≤ 2 s, ≤ 250 MB"
        server = f"{child:.0f} MB" if child is not None else "–"
        body.append(f"| {o} | {LABELS[kind]} | {med:.2f} s | {lo:.2f} – {hi:.2f} s | {rss:.0f} MB ({rss_max:.0f}) "
                    f"| {idle:.0f} MB ({idle_max:.0f}) | {server} | {goal} |")
    write_section("startup", "Startup (issue 2, issue 12 item 6)", "\n".join(body))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

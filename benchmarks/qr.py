"""ID-card QR reading on camera-like 1280×720 frames: decode rate and milliseconds per frame.

Compares, on the generated set of tests/gen_id_frames.py (fixed seed; invented cards on clutter
with scale, rotation, perspective, blur, glare, low light and JPEG; plus negatives):

* raw pyzbar — ``pyzbar.decode(frame)`` as most projects call it (zbar's text, all symbologies);
* raw zxing-cpp — ``zxingcpp.read_barcodes(frame)`` with its defaults;
* OpenCV — ``cv2.QRCodeDetector().detectAndDecode`` and the ArUco-based ``QRCodeDetectorAruco``;
* our pipeline — ``kiosk.identity.qr.read_identity`` (passes of kiosk.identity.qr.DEFAULT_PASSES + payload checks).

A frame counts as read when the decoded text equals the card's payload exactly (zbar's
mojibake counts as a miss). False identities: negatives for which our pipeline returned an
identity. It also measures every pass alone and picks the pass order greedily (reads added per
millisecond), which is how DEFAULT_PASSES was chosen. Issue 5's goal: ≤ 10 ms median per frame
for our pipeline; raw zxing-cpp takes about 1–3 ms.

    python -m benchmarks.qr [--positives 150 --negatives 50 --runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2

from benchmarks._results import median, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _timed(fn: Callable[[Any], Any], frame: Any, runs: int) -> tuple[Any, float, float]:
    """(result, median wall ms, median CPU ms of this thread) over ``runs`` calls.

    The CPU time is what the decoding itself costs; the wall time also holds whatever else the
    shared machine was doing (OpenCV is limited to this thread, see main)."""
    walls, cpus = [], []
    out = None
    for _ in range(runs):
        c0, t0 = time.thread_time(), time.perf_counter()
        out = fn(frame)
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.thread_time() - c0) * 1000)
    return out, statistics.median(walls), statistics.median(cpus)


def methods() -> dict[str, Callable[[Any], list[str]]]:
    import zxingcpp
    from pyzbar import pyzbar

    from kiosk.identity.payload import make_payload
    from kiosk.identity.qr import read_identity

    det = cv2.QRCodeDetector()
    aru = cv2.QRCodeDetectorAruco()

    def ours(frame: Any) -> list[str]:
        ident = read_identity(frame)
        return [make_payload(ident)] if ident else []

    def ocv(d: Any) -> Callable[[Any], list[str]]:
        def run(frame: Any) -> list[str]:
            try:
                text, _pts, _ = d.detectAndDecode(frame)
            except cv2.error:
                return []
            return [text] if text else []

        return run

    return {
        "raw pyzbar": lambda f: [d.data.decode("utf-8", "replace") for d in pyzbar.decode(f)],
        "raw zxing-cpp": lambda f: [b.text for b in zxingcpp.read_barcodes(f)],
        "OpenCV QRCodeDetector": ocv(det),
        "OpenCV QRCodeDetectorAruco": ocv(aru),
        "our pipeline (read_identity)": ours,
    }


def _condition(s: Any) -> list[str]:
    p = s.params
    tags = []
    if p.card_width < 520:
        tags.append("small (QR < 115 px)")
    if p.motion:
        tags.append("motion blur")
    if p.focus:
        tags.append("out of focus")
    if p.glare:
        tags.append("glare")
    if p.dark < 1:
        tags.append("low light")
    if p.jpeg:
        tags.append("JPEG")
    if abs(p.angle) > 30:
        tags.append("rotated > 30°")
    return tags or ["clean"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.qr")
    parser.add_argument("--positives", type=int, default=150)
    parser.add_argument("--negatives", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    import gen_id_frames

    from kiosk.identity.qr import DEFAULT_PASSES, PASSES, _grey, read_identity

    samples = list(gen_id_frames.generate(args.positives, args.negatives, seed=5))
    pos = [s for s in samples if s.positive]
    neg = [s for s in samples if not s.positive]

    cv2.setNumThreads(1)  # every method on one thread, so CPU time is comparable (the kiosk has 2 cores)
    load = os.getloadavg()[0]
    rows = []
    per_frame: dict[str, dict[str, bool]] = {}
    for name, fn in methods().items():
        hits, times, cpu, false_ids = 0, [], [], 0
        per_frame[name] = {}
        for s in samples:
            texts, ms, cpu_ms = _timed(fn, s.frame, args.runs)
            times.append(ms)
            cpu.append(cpu_ms)
            if s.positive:
                ok = s.payload in texts
                hits += ok
                per_frame[name][s.name] = ok
            elif name.startswith("our") and texts:
                false_ids += 1
        rows.append((name, hits, median(cpu), sorted(cpu)[int(len(cpu) * 0.9)], median(times), false_ids))
        print(f"{name:30s} {hits}/{len(pos)}  median {median(cpu):.1f} ms CPU, {median(times):.1f} ms wall", flush=True)

    # A false identity check that does not depend on timing runs.
    false_identities = sum(1 for s in neg if read_identity(s.frame) is not None)

    # Each pass alone, on grey frames, and the greedy order.
    greys = {s.name: _grey(s.frame) for s in pos}
    pass_hits: dict[str, set[str]] = {}
    pass_ms: dict[str, float] = {}
    for name, fn in PASSES.items():
        got, times = set(), []
        for s in pos:
            codes, _wall, cpu_ms = _timed(fn, greys[s.name], 1)
            times.append(cpu_ms)
            if any(c.text == s.payload for c in codes):
                got.add(s.name)
        pass_hits[name], pass_ms[name] = got, median(times)
    order, covered = ["zxing"], set(pass_hits["zxing"])
    while True:
        cands = [n for n in PASSES if pass_hits[n] - covered]
        if not cands:
            break
        best = max(cands, key=lambda n: len(pass_hits[n] - covered) / max(pass_ms[n], 0.1))
        order.append(best)
        covered |= pass_hits[best]

    n = len(pos)
    best_raw = max(r[1] for r in rows if r[0].startswith("raw"))
    ours = next(r for r in rows if r[0].startswith("our"))
    body = [
        f"{n} frames with an ID-card QR and {len(neg)} without (clutter, card sides without QR, URLs, VietQR, "
        f"receipt codes, ID-shaped payloads that break a rule); 1280×720, generated by `tests/gen_id_frames.py` "
        f"(seed 5). Time per frame: median of {args.runs} runs per frame, then median (and 90th percentile) over all "
        f"{len(samples)} frames. CPU ms = this thread's CPU time (OpenCV limited to one thread); wall ms also holds the "
        f"other work of this shared 2-core machine (load average {load:.1f} at the start).",
        "",
        "| method | decode rate (positives) | median CPU ms / frame | p90 CPU ms | median wall ms | false identities |",
        "|---|---|---|---|---|---|",
    ]
    for name, hits, med, p90, wall, _ in rows:
        fi = str(false_identities) if name.startswith("our") else "–"
        body.append(f"| {name} | {hits}/{n} ({100 * hits / n:.1f} %) | {med:.1f} | {p90:.1f} | {wall:.1f} | {fi} |")
    body += [
        "",
        f"Our pipeline vs the better raw decoder: {100 * ours[1] / n:.1f} % vs {100 * best_raw / n:.1f} % "
        f"(+{100 * (ours[1] - best_raw) / n:.1f} points; the issue asks for +10). Goal ≤ 10 ms median: "
        f"{'met' if ours[2] <= 10 else 'NOT met'} ({ours[2]:.1f} ms CPU, {ours[4]:.1f} ms wall).",
        "",
        "Decode rate by condition (a frame can have several):",
        "",
        "| condition | frames | raw pyzbar | raw zxing-cpp | our pipeline |",
        "|---|---|---|---|---|",
    ]
    by_tag: dict[str, list[str]] = {}
    for s in pos:
        for tag in _condition(s):
            by_tag.setdefault(tag, []).append(s.name)
    for tag, names in sorted(by_tag.items()):
        cells = []
        for m in ("raw pyzbar", "raw zxing-cpp", "our pipeline (read_identity)"):
            k = sum(per_frame[m][x] for x in names)
            cells.append(f"{k} ({100 * k / len(names):.0f} %)")
        body.append(f"| {tag} | {len(names)} | " + " | ".join(cells) + " |")
    body += [
        "",
        "Each pass alone (grey frame in, positives read, median CPU ms) and the greedy order by reads added per ms "
        "after plain zxing-cpp:",
        "",
        "| pass | reads alone | median CPU ms | in DEFAULT_PASSES |",
        "|---|---|---|---|",
    ]
    for name in PASSES:
        body.append(f"| {name} | {len(pass_hits[name])} | {pass_ms[name]:.1f} | {'yes' if name in DEFAULT_PASSES else ''} |")
    body += ["", f"Greedy order on this run: `{' → '.join(order)}` ({len(covered)}/{n}); "
             f"DEFAULT_PASSES: `{' → '.join(DEFAULT_PASSES)}`."]
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        write_section("qr", "ID-card QR decoding (issue 5)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

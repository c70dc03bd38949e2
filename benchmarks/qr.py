"""ID-card QR reading on camera-like 1280×720 frames: decode rate and milliseconds per frame.

Compares, on the generated set of tests/gen_id_frames.py (fixed seed; invented cards on clutter
with scale, rotation, perspective, blur, glare, low light and JPEG; plus negatives):

* raw pyzbar — ``pyzbar.decode(frame)`` as most projects call it (zbar's text, all symbologies);
* raw zxing-cpp — ``zxingcpp.read_barcodes(frame)`` with its defaults;
* the retry chain — issue 5's whole-frame passes over zxing-cpp without the locator;
* our pipeline — ``kiosk.identity.qr.read_identity`` (passes of kiosk.identity.qr.DEFAULT_PASSES + payload checks).

Two parts: the set the pipeline was tuned on (seed 5) and a held-out set (seed 17), side by side.

A frame counts as read when the decoded text equals the card's payload exactly (zbar's
mojibake counts as a miss). False identities: negatives for which our pipeline returned an
identity; misreads: an identity other than the card's. Issue 17's goals: ≥ 99 % read, median
≤ 5 ms and p90 ≤ 20 ms of CPU per frame over frames with and without a card.

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


NOTE = (
    "What the pipeline still misses (tuning set, looked at frame by frame): 13 of its 18 misses are codes of 90–170 px with 4–6 px of motion blur (a module is ~2.2 px, so the blur spans two modules), often with noise or JPEG, that zxing-cpp does not even locate on any whole-frame look. Issue 17's second round added, on crops around located codes only: a fixed-threshold read of the locally normalised crop after zxing-cpp's local-average one — it reads a code under 0.94 glare with heavy noise (tried on every crop variant and with GlobalHistogram too: no more frames, more time on frames with no readable code) — and motion deconvolution: the smear's direction from the crop's gradient structure tensor (the least eigenvector), then Richardson–Lucy with a line kernel of 4, 5, 6 px — it reads a 169 px code with 5 px of blur. Tried and not kept, each on seed 5 with crops cut at the true corners (an upper bound, since most of these codes are not located): upscaling ×2/×3/×4 (cubic, Lanczos-4) with the three binarizers, plain, normalised or median-filtered — reads 1 of the 20 (the glare one above); Richardson–Lucy over every angle (5° steps) and lengths L−1…L+1 on a ×2 crop — reads 3 of the 14 motion misses (pos_028, pos_077, pos_121), and with the estimated direction on the ×1 crop 2 (pos_028, pos_077); zxing-cpp 3.1.1 has no `try_denoise`. So even a perfect locator plus deconvolution would add about two frames: the motion class is not recoverable by these means at 2.2 px modules; resampling onto the module grid and combining frames of the live stream were not tried for lack of time. The other 5 misses: two codes under glare in low light (located, not read), three small codes (90–130 px) out of focus (σ 0.9–1.4) in low light (one of them also under glare) or JPEG 31. Time: this run's machine was slower than the previous one for every method (raw zxing-cpp median 11.6 → 13.6 ms, the retry chain's p90 32.2 → 38.8 ms), and the p90 goal that the first round met at 18.5 ms is missed here; an interleaved A/B of the first and second round's located pass on seed 5 (best of 2 per frame) gave the same p90, 21.4 and 21.2 ms — the new passes run only on located codes no other pass read, which are already above the 90th percentile. Third round (2026-12-07), time only: zxing-cpp tries every image a second time inverted (light on dark) when it finds nothing — `try_invert` is on by default — so each whole-frame look and each crop read cost twice what it had to on frames it did not read; now only the plain look tries the inverse (a code shown on a phone in dark mode), and the normalised look comes second and the 1.5× upscaled look is gone (on seed 5 it read no further frame once the normalised look came second). Chosen on seed 5: the same 132 frames read, p90 over both seeds 21.3 → 15.7 ms in back-to-back runs on this machine (best of 3 per frame), frames without a card 9.3 ms median in this run against 13.9 ms in the previous one. The set is harder than the field: issue 5's retry chain reads 79–83 % here against 97.7 % on the field's 129 frames."
)

ISSUE5_PASSES = ("zxing", "zxing_sharpen", "zxing_up15", "zxing_sharpen_strong_up2", "rectify")


def methods() -> dict[str, Callable[[Any], list[str]]]:
    import zxingcpp
    from pyzbar import pyzbar

    from kiosk.identity.payload import IdentityError, make_payload, parse_payload
    from kiosk.identity.qr import decode_qr, read_identity

    def ours(frame: Any) -> list[str]:
        ident = read_identity(frame)
        return [make_payload(ident)] if ident else []

    def chain(frame: Any) -> list[str]:  # issue 5's retry chain of whole-frame passes, no locator
        out = []
        for code in decode_qr(frame, ISSUE5_PASSES):
            try:
                out.append(make_payload(parse_payload(code.raw)))
            except IdentityError:
                continue
        return out

    return {
        "raw pyzbar": lambda f: [d.data.decode("utf-8", "replace") for d in pyzbar.decode(f)],
        "raw zxing-cpp": lambda f: [b.text for b in zxingcpp.read_barcodes(f)],
        "retry chain (issue 5 passes)": chain,
        "our pipeline (read_identity)": ours,
    }


def _condition(s: Any) -> str:
    """The hard class a frame was drawn from, or "ordinary" (random_params)."""
    return s.params.extra.get("hard", "ordinary")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.qr")
    parser.add_argument("--positives", type=int, default=150)
    parser.add_argument("--negatives", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    import gen_id_frames

    from kiosk.identity.payload import parse_payload

    parts = {"tuned on (seed %d)" % gen_id_frames.TUNE_SEED: gen_id_frames.TUNE_SEED,
             "held out (seed %d)" % gen_id_frames.HELD_OUT_SEED: gen_id_frames.HELD_OUT_SEED}
    sets = {label: list(gen_id_frames.generate(args.positives, args.negatives, seed=seed)) for label, seed in parts.items()}

    cv2.setNumThreads(1)  # every method on one thread, so CPU time is comparable (the kiosk has 2 cores)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    load = os.getloadavg()[0]
    # name -> part -> {"hits", "cpu", "false", "misread", "frames": {sample: ok}}
    res: dict[str, dict[str, dict[str, Any]]] = {}
    for name, fn in methods().items():
        res[name] = {}
        for label, samples in sets.items():
            r = res[name][label] = {"hits": 0, "cpu": [], "wall": [], "false": 0, "misread": 0, "frames": {}}
            for s in samples:
                texts, ms, cpu_ms = _timed(fn, s.frame, args.runs)
                r["wall"].append(ms)
                r["cpu"].append(cpu_ms)
                if s.positive:
                    ok = s.payload in texts
                    r["hits"] += ok
                    r["frames"][s.name] = ok
                    want = parse_payload(s.payload)
                    r["misread"] += sum(1 for t in texts if t != s.payload and not name.startswith("raw")
                                        and parse_payload(t) != want)
                elif not name.startswith("raw") and texts:
                    r["false"] += 1
            print(f"{name:30s} {label}: {r['hits']}/{args.positives}  median {median(r['cpu']):.1f} ms CPU", flush=True)

    labels = list(sets)
    n = args.positives
    body = [
        f"Two generated sets of `tests/gen_id_frames.py` (issue 17): {n} frames with an ID-card QR and {args.negatives} "
        f"without each, 1280×720. 40 % of the positives (and every 2nd negative) are drawn from the field's hard "
        f"classes — laminate glare over the code with gain down to 0.1 (`glare_low_light`) or heavy sensor noise "
        f"(`glare_noise`), ~100 px codes with motion blur and noise (`small_motion_noise`), a small code with strong "
        f"glare at 50–58° tilt (`small_glare_tilt`); the rest as issue 5's set. The pipeline was tuned on seed "
        f"{gen_id_frames.TUNE_SEED} only; seed {gen_id_frames.HELD_OUT_SEED} was not looked at while tuning. Time per "
        f"frame: median of {args.runs} runs, then median and 90th percentile over all {2 * (n + args.negatives)} frames "
        f"of both sets (with and without a card). CPU ms = this thread's CPU time (OpenCV limited to one thread); load "
        f"average {load:.1f} at the start on this shared 2-core machine.",
        "",
        f"| method | read, {labels[0]} | read, {labels[1]} | median CPU ms | p90 CPU ms | median wall ms | misreads | false identities |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, per in res.items():
        cpu = sorted(c for r in per.values() for c in r["cpu"])
        wall = [w for r in per.values() for w in r["wall"]]
        cells = [f"{per[lb]['hits']}/{n} ({100 * per[lb]['hits'] / n:.1f} %)" for lb in labels]
        raw = name.startswith("raw")
        mis = "–" if raw else str(sum(r["misread"] for r in per.values()))
        fal = "–" if raw else str(sum(r["false"] for r in per.values()))
        body.append(f"| {name} | {cells[0]} | {cells[1]} | {median(cpu):.1f} | {cpu[int(len(cpu) * 0.9)]:.1f} | "
                    f"{median(wall):.1f} | {mis} | {fal} |")
    ours = res["our pipeline (read_identity)"]
    ocpu = sorted(c for r in ours.values() for c in r["cpu"])
    rates = [100 * ours[lb]["hits"] / n for lb in labels]
    body += [
        "",
        f"Goals of issue 17: ≥ 99 % read — {rates[0]:.1f} % tuned, {rates[1]:.1f} % held out: "
        f"{'met' if min(rates) >= 99 else 'NOT met'}; median ≤ 5 ms CPU: {'met' if median(ocpu) <= 5 else 'NOT met'} "
        f"({median(ocpu):.1f}); p90 ≤ 20 ms: {'met' if ocpu[int(len(ocpu) * 0.9)] <= 20 else 'NOT met'} "
        f"({ocpu[int(len(ocpu) * 0.9)]:.1f}); misreads and false identities 0.",
        "",
        NOTE,
        "",
        "Read by condition class (positives):",
        "",
        "| class | " + " | ".join(f"{m}, {lb}" for lb in labels for m in ("raw zxing-cpp", "ours")) + " |",
        "|---|" + "---|" * (2 * len(labels)),
    ]
    classes = ("ordinary", *gen_id_frames.HARD_CLASSES)
    for c in classes:
        cells = []
        for lb in labels:
            names = [s.name for s in sets[lb] if s.positive and _condition(s) == c]
            for m in ("raw zxing-cpp", "our pipeline (read_identity)"):
                k = sum(res[m][lb]["frames"][x] for x in names)
                cells.append(f"{k}/{len(names)}")
        body.append(f"| {c} | " + " | ".join(cells) + " |")
    neg_cpu = sorted(c for lb in labels for s, c in zip(sets[lb], ours[lb]["cpu"]) if not s.positive)
    body += ["", f"Frames without an ID card, our pipeline: median {median(neg_cpu):.1f} ms CPU, "
             f"p90 {neg_cpu[int(len(neg_cpu) * 0.9)]:.1f} ms (issue 17 measured 43 ms median before the locator)."]
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        write_section("qr", "ID-card QR decoding: the hard set (issues 5 and 17)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

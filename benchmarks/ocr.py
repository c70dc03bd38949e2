"""Document OCR: character error rate and seconds per page, raw tesseract vs our pipeline.

Two sets. **Hard camera set** (issue 16, tests/gen_camera_set.py; :mod:`benchmarks._ocr_hard`):
real papers photographed as in the field, tuning and held-out parts side by side, with the
issue-7 pipeline as the baseline and the true corners as the upper bound. **Generated set**
(issue 7, below): on the generated set (tests/gen_documents.py, fixed seeds): "flat" pages (300-dpi renders,
what a flatbed gives) and "camera" pages (the same pages photographed by an 8 MP document
camera on a desk: perspective, rotation, shadow, blur, JPEG). Baseline: ``tesseract -l vie``
(psm 3) on the unprocessed image. Ours: find → warp → orient → flatten → binarise → OCR.
Also: which page segmentation mode reads the prepared camera pages best.
Tesseract runs with OMP_THREAD_LIMIT=1. Seconds are medians over ``--runs`` runs.
Goal (issue 7): camera CER ≤ 2 %, within 1.5 points of flat; ≤ 3 s per page on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2

from benchmarks._results import median, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def cer(truth: str, read: str) -> float:
    from rapidfuzz.distance import Levenshtein

    t, r = " ".join(truth.split()), " ".join(read.split())
    return Levenshtein.distance(t, r) / max(1, len(t))


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (tesseract): what a page costs, whatever the load."""
    import resource

    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


CPU: dict[int, list[float]] = {}


def timed(fn, runs: int):
    times, cpus, out = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), cpu_seconds()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    CPU[id(out)] = cpus
    return out, median(times)


def main(argv: list[str]) -> int:
    import gen_documents

    from kiosk.documents import enhance, process_image, read_image
    from kiosk.documents.ocr import PSM, ocr_page, raw_ocr

    parser = argparse.ArgumentParser(prog="python -m benchmarks ocr")
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--set", choices=["hard", "generated", "both"], default="both")
    args = parser.parse_args(argv)
    if args.set in ("hard", "both"):
        from benchmarks import _ocr_hard

        body = _ocr_hard.run(args.runs, cer, cpu_seconds)
        print(body)
        write_section("ocr-hard", "Documents under camera conditions: the hard set (benchmarks/ocr.py, issue 16)", body)
    if args.set == "hard":
        return 0

    manifest = gen_documents.build(n_pages=args.pages)
    folder = Path(manifest["dir"])
    rows: dict[tuple[str, str], dict[str, list[float]]] = {}
    psm_cer: dict[int, list[float]] = {3: [], 4: [], 6: []}
    psm_s: dict[int, list[float]] = {3: [], 4: [], 6: []}
    for page in manifest["pages"]:
        for group in ("flat", "camera"):
            image = read_image(folder / page[group])
            raw_text, raw_s = timed(lambda: raw_ocr(image), args.runs)
            ours, ours_s = timed(lambda: process_image(image, pdf_layer=True), args.runs)
            raw_cpu, ours_cpu = median(CPU.pop(id(raw_text), [])), median(CPU.pop(id(ours), []))
            for method, text, s, c in (("raw tesseract -l vie", raw_text, raw_s, raw_cpu), ("pipeline", ours.text, ours_s, ours_cpu)):
                r = rows.setdefault((group, method), {"cer": [], "s": [], "cpu": []})
                r["cer"].append(cer(page["text"], text))
                r["s"].append(s)
                r["cpu"].append(c)
            print(f"page {page['index']} {group}: raw CER {cer(page['text'], raw_text):.3f} ({raw_s:.1f} s), "
                  f"pipeline CER {cer(page['text'], ours.text):.3f} ({ours_s:.1f} s)", flush=True)
            if group == "camera":
                prepared = process_image(image, ocr=False)
                binary = enhance.binarise(cv2.cvtColor(prepared.flat, cv2.COLOR_BGR2GRAY))
                for psm in psm_cer:
                    res, s = timed(lambda: ocr_page(binary, psm=psm, pdf=False), 1)
                    psm_cer[psm].append(cer(page["text"], res.text))
                    psm_s[psm].append(s)

    import os

    load = os.getloadavg()[0]
    lines = [
        f"Load average during the run: {load:.1f} on {os.cpu_count()} cores (other work shares them; "
        "seconds grow with it).",
        "",
        f"{len(manifest['pages'])} pages × 2 groups (generator v{manifest['version']}), {args.runs} runs each; "
        "CER = edit distance / characters, whitespace runs counted as one space.",
        "",
        "| group | method | mean CER | max CER | wall seconds per page (median) | CPU seconds per page (median) |",
        "|---|---|---|---|---|---|",
    ]
    for (group, method), r in rows.items():
        lines.append(f"| {group} | {method} | {100 * statistics.mean(r['cer']):.2f} % | {100 * max(r['cer']):.2f} % | "
                     f"{median(r['s']):.2f} | {median(r['cpu']):.2f} |")
    flat = statistics.mean(rows[("flat", "pipeline")]["cer"])
    cam = statistics.mean(rows[("camera", "pipeline")]["cer"])
    worst_s = max(median(rows[(g, "pipeline")]["s"]) for g in ("flat", "camera"))
    worst_cpu = max(median(rows[(g, "pipeline")]["cpu"]) for g in ("flat", "camera"))
    lines += [
        "",
        f"Goal: camera CER ≤ 2 % → {100 * cam:.2f} %; within 1.5 points of flat → {100 * (cam - flat):+.2f} points; "
        f"≤ 3 s per page → {worst_s:.2f} s wall at this load, {worst_cpu:.2f} s of CPU (one core; the pipeline "
        "includes orientation handling and the PDF text layer). Raw tesseract is also fine on upright camera "
        "pages of this set (8 MP, mild blur); it fails on the turned ones.",
        "",
        "Page segmentation mode on the prepared camera pages (our default is psm "
        f"{PSM}):",
        "",
        "| psm | mean CER | seconds (median) |",
        "|---|---|---|",
    ]
    for psm in psm_cer:
        lines.append(f"| {psm} | {100 * statistics.mean(psm_cer[psm]):.2f} % | {median(psm_s[psm]):.2f} |")
    body = "\n".join(lines)
    print(body)
    write_section("ocr", "Document OCR (benchmarks/ocr.py)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

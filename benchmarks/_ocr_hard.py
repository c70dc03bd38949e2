"""The hard camera set (tests/gen_camera_set.py, issue 16), both parts side by side in one run.

Per photo: raw ``tesseract -l vie`` on the photo; the issue-7 pipeline (its largest-quadrilateral
finder, Otsu binarisation, psm 4) — the baseline, measured in the same run; the pipeline; the
pipeline given the true corners (the upper bound). Also: corner error (the worst corner's
distance to the true one, % of the page diagonal), the gate's verdict, CPU and wall seconds,
and the fields read off the carrying papers against the values printed on them.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks._results import median

GOAL_CER, BAD_CER, GOAL_CORNER = 0.02, 0.05, 0.01


def _corner_error(found: np.ndarray | None, true: np.ndarray) -> float:
    if found is None:
        return 1.0
    diag = float(np.linalg.norm(true[2] - true[0]))
    return max(float(np.min(np.linalg.norm(true - c, axis=1))) for c in np.asarray(found)) / diag


def _legacy(image, corners):
    """The issue-7 reading of a page: Otsu binary, deskew, psm 4."""
    from kiosk.documents import enhance, orient, prepare_page
    from kiosk.documents.ocr import ocr_page

    prepared = prepare_page(image, corners=corners)
    binary = enhance.binarise(cv2.cvtColor(prepared.flat, cv2.COLOR_BGR2GRAY))
    binary = orient.deskew(binary, orient.estimate_skew(binary))
    return ocr_page(binary, psm=4, pdf=False).text, prepared.warnings


def run(runs: int, cer, cpu_seconds) -> str:
    import gen_camera_set

    from kiosk.declarations.catalog import load_catalog
    from kiosk.documents import detect, extract, process_image, read_image
    from kiosk.documents.ocr import raw_ocr
    from kiosk.base.paths import CONFIG_DIR

    catalog = load_catalog(CONFIG_DIR / "procedures")
    manifest = gen_camera_set.build()
    folder = Path(manifest["dir"])
    rows = []
    for p in manifest["photos"]:
        image = read_image(folder / p["file"])
        true = np.array(p["corners"], np.float32)
        raw = raw_ocr(image)
        old = detect.find_page(image)
        legacy_text, legacy_warn = _legacy(image, old.corners) if old.found else ("", ["no_page"])
        walls, cpus, ours = [], [], None
        for _ in range(runs if p["frame"] == "2000x3000" else 1):
            t0, c0 = time.perf_counter(), cpu_seconds()
            ours = process_image(image)
            walls.append(time.perf_counter() - t0)
            cpus.append(cpu_seconds() - c0)
        upper = process_image(image, corners=true)
        row = {
            "p": p, "raw": cer(p["text"], raw), "legacy": cer(p["text"], legacy_text) if old.found else 1.0,
            "ours": cer(p["text"], ours.text), "true": cer(p["text"], upper.text),
            "legacy_corner": _corner_error(old.corners, true), "ours_corner": _corner_error(ours.corners, true),
            "legacy_warned": bool(legacy_warn), "verdict": ours.quality.verdict if ours.quality else "good",
            "reasons": [r.code for r in ours.quality.reasons] if ours.quality else [],
            "wall": median(walls), "cpu": median(cpus), "score": ours.detection.score if ours.detection else 0.0,
        }
        row["fields"] = _fields(p, ours, catalog, extract)
        rows.append(row)
        print(f"{p['index']:2d} {p['kind']:15s} {p['frame']:9s} raw {100 * row['raw']:5.1f} legacy {100 * row['legacy']:5.1f} "
              f"ours {100 * row['ours']:5.1f} true {100 * row['true']:5.1f} corner {100 * row['ours_corner']:.2f}% "
              f"{row['verdict']} {row['reasons']} {row['cpu']:.2f} s CPU", flush=True)
    return _report(rows, runs)


def _fields(p: dict, result, catalog, extract) -> dict:
    if not p.get("document") or not p.get("fields"):
        return {}
    proc = catalog.get(p["procedure"])
    if proc is None:
        return {}
    from datetime import date

    got = {s.field: s.value for s in extract.for_page(proc, p["document"], result, today=date(2026, 12, 31))}
    tp = sum(1 for k, v in got.items() if p["fields"].get(k) == v)
    return {"tp": tp, "fp": len(got) - tp, "fn": sum(1 for k in p["fields"] if k not in got),
            "wrong": [k for k, v in got.items() if p["fields"].get(k) != v]}


def _part(rows: list[dict]) -> list[str]:
    out = []
    for key, name in (("raw", "raw tesseract -l vie (psm 3, the photo as it is)"), ("legacy", "issue-7 pipeline (baseline)"),
                      ("ours", "pipeline (this issue)"), ("true", "pipeline with the true corners (upper bound)")):
        v = [r[key] for r in rows]
        if key == "ours":
            silent = sum(1 for r in rows if r[key] > BAD_CER and r["verdict"] == "good")
        elif key == "legacy":
            silent = sum(1 for r in rows if r[key] > BAD_CER and not r["legacy_warned"])
        else:
            silent = None
        out.append(f"| {name} | {100 * statistics.mean(v):.2f} % | {100 * statistics.median(v):.2f} % | {100 * max(v):.1f} % | "
                   f"{sum(x > BAD_CER for x in v)} | {'' if silent is None else silent} |")
    return out


def _report(rows: list[dict], runs: int) -> str:
    import gen_camera_set

    parts = {name: [r for r in rows if gen_camera_set.part(r["p"]["index"]) == name]
             for name in ("tuning", "held-out", "held-out-2")}
    load = os.getloadavg()[0]
    lines = [
        f"{len(rows)} photos (tests/gen_camera_set.py v{gen_camera_set.VERSION}): "
        f"{len(parts['tuning'])} tuning; {len(parts['held-out'])} held out (photos i % 4 == 3 of 0–31, never tuned on, but "
        f"its photo 23 was looked at to find the cause of its failure); {len(parts['held-out-2'])} in a second held-out "
        "part (photos 32–39, never tuned on; its photo 34 was looked at on 2026-12-07, after it had been reported, "
        "and nothing was changed for it). Load average "
        f"{load:.1f} on "
        f"{os.cpu_count()} cores. CER = edit distance / characters of the truth (whitespace runs = one space; reading "
        "order counts). \"Warned\" = the page came out doubtful (a retake or corner-editor reason).",
        "",
    ]
    base = [r["legacy"] for r in rows]
    wrong = sum(r["legacy_corner"] > GOAL_CORNER for r in rows)
    lines += [f"As hard as the field? The issue's independent field set (16 photos) took the issue-7 pipeline to 16.1 % "
              f"mean CER, 4 pages at 37–84 %, wrong corners on 4; on this set the same pipeline gives "
              f"{100 * statistics.mean(base):.1f} % mean CER, {sum(x > 0.37 for x in base)} pages above 37 %, wrong corners "
              f"(> 1 % of the diagonal) on {wrong} of {len(rows)}.", ""]
    for part, rs in parts.items():
        good = [r for r in rs if r["verdict"] == "good"]
        lines += [f"**{part}** ({len(rs)} photos)", "",
                  "| method | mean CER | median CER | max CER | pages > 5 % | of them not warned |", "|---|---|---|---|---|---|"]
        lines += _part(rs)
        ce_old, ce_new = [r["legacy_corner"] for r in rs], [r["ours_corner"] for r in rs]
        lines += ["",
                  f"Pipeline on the pages the gate passed as good ({len(good)} of {len(rs)}): mean CER "
                  f"{100 * statistics.mean([r['ours'] for r in good]) if good else float('nan'):.2f} %, max "
                  f"{100 * max([r['ours'] for r in good], default=0):.2f} %.",
                  "",
                  "| finder | median corner error (% of diagonal) | max | corners > 1 % |", "|---|---|---|---|",
                  f"| issue-7 (largest quadrilateral) | {100 * statistics.median(ce_old):.2f} % | {100 * max(ce_old):.1f} % | "
                  f"{sum(x > GOAL_CORNER for x in ce_old)} of {len(rs)} |",
                  f"| this issue | {100 * statistics.median(ce_new):.2f} % | {100 * max(ce_new):.2f} % | "
                  f"{sum(x > GOAL_CORNER for x in ce_new)} of {len(rs)} |", "",
                  "Worst pages (pipeline CER):", "",
                  "| photo | paper | frame, desk, conditions | raw | baseline | pipeline | true corners | corner error | gate |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in sorted(rs, key=lambda r: -r["ours"])[:5]:
            p, c = r["p"], r["p"]["conditions"]
            cond = (f"{p['frame']}, {p['desk']}, rot {c['rotation']}°, tilt {c['tilt']}°, fill {c['fill']}, shadow {c['shadow']}, "
                    f"spot {c['hot_spot']}{', edge outside' if c['outside'] else ''}, {p['fonts'].split('-')[0].split('.')[0]} {p['pt']:g} pt")
            lines.append(f"| {p['index']} | {p['kind']} | {cond} | {100 * r['raw']:.1f} % | {100 * r['legacy']:.1f} % | "
                         f"{100 * r['ours']:.1f} % | {100 * r['true']:.1f} % | {100 * r['ours_corner']:.2f} % | "
                         f"{r['verdict']}{' (' + ', '.join(r['reasons']) + ')' if r['reasons'] else ''} |")
        lines.append("")
    big = [r for r in rows if r["p"]["frame"] == "2000x3000"]
    lines += [f"Speed, pipeline (find → warp → flatten → OCR with text layer → gate) on the 2000×3000 photos, {runs} runs each: "
              f"median {median([r['cpu'] for r in big]):.2f} s CPU (max {max(r['cpu'] for r in big):.2f}), "
              f"median {median([r['wall'] for r in big]):.2f} s wall at this load; 1080×1920: median "
              f"{median([r['cpu'] for r in rows if r['p']['frame'] != '2000x3000']):.2f} s CPU. Goal ≤ 3 s per 2000×3000 page.", ""]
    tp = sum(r["fields"].get("tp", 0) for r in rows)
    fp = sum(r["fields"].get("fp", 0) for r in rows)
    fn = sum(r["fields"].get("fn", 0) for r in rows)
    docs = sorted({r["p"]["kind"] for r in rows if r["fields"]})
    lines += [f"Fields offered to the form, from the pipeline's OCR of the carrying papers in this set ({', '.join(docs)}; "
              f"{tp + fn} configured values): precision {100 * tp / max(1, tp + fp):.1f} % ({fp} wrong offers), recall "
              f"{100 * tp / max(1, tp + fn):.1f} %. Goal ≥ 98 % / ≥ 80 %."]
    wrong = [f"{r['p']['index']}:{k}" for r in rows for k in r["fields"].get("wrong", [])]
    if wrong:
        lines.append(f"Wrong offers: {', '.join(wrong)}.")
    return "\n".join(lines)

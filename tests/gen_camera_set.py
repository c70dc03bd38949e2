"""The hard camera set: papers photographed the way citizens lay them under a kiosk's camera.

As hard as the field (issue 16): 1080×1920 and 2000×3000 photos; the page filling 85–95 % of
the frame (its edges close to the image border; some with an edge partly outside it); in-plane
rotation up to 20° and a camera tilt up to 20° (true perspective); wood, laminate, dark and fabric
desks with a pen, a coin, a mug, a phone, a sticky note (some lying over the page's edge); a soft
shadow across part of the page (strength 0.2–0.45), an illumination gradient and a hot spot;
a colour cast; Gaussian blur ≈ 1 px; sensor noise; JPEG quality 80–88. Papers and fonts:
:mod:`gen_hard_pages`. Fixed seeds: the same set on every machine.

Photos 0–31: a quarter (``index % 4 == 3``) is the first **held-out** part, never used to tune
thresholds — but its photo 23 was looked at to understand a failure (issue 16 follow-up), so
photos 32–39 were added as a second held-out part (``held-out-2``), generated only for the
benchmark run that reports it. Its photo 34 was looked at after that report (2026-12-07) and no
change was kept for it; a change made after looking at it needs a third part (photos 40 on).
``benchmarks/ocr.py`` reports the three parts separately.

``build()`` writes ``hard-<i>.jpg`` and ``manifest.json`` (true corners TL, TR, BR, BL in frame
pixels — possibly outside the frame —, truth text, conditions, form values) once per VERSION.
``python -m tests.gen_camera_set`` prints the folder.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import tempfile
from pathlib import Path

import cv2
import gen_hard_pages as hp
import numpy as np

VERSION = 2
N_PHOTOS = 40
HELD_OUT_2 = range(32, 40)  # the second held-out block: never tuned on (photo 34 looked at, nothing kept)
FRAMES = [(1080, 1920), (2000, 3000)]
DESKS = ["wood", "laminate", "dark", "fabric"]
OBJECTS = ["pen", "coin", "mug", "phone", "sticky"]


def held_out(index: int) -> bool:
    return index % 4 == 3 or index in HELD_OUT_2


def part(index: int) -> str:
    """``tuning``, ``held-out`` (photos 0–31; photo 23 looked at) or ``held-out-2`` (32–39; photo 34 looked at)."""
    if index in HELD_OUT_2:
        return "held-out-2"
    return "held-out" if index % 4 == 3 else "tuning"


def desk(kind: str, rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A desk surface (BGR float32)."""
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]

    def noise(cell: int, amp: float) -> np.ndarray:
        n = rng.normal(0, 1, (max(2, h // cell), max(2, w // cell))).astype(np.float32)
        return cv2.resize(cv2.GaussianBlur(n, (0, 0), 1.5), (w, h)) * amp

    if kind == "wood":
        base = np.array([rng.uniform(40, 70), rng.uniform(75, 110), rng.uniform(120, 160)], np.float32)
        f = 1 + 0.10 * np.sin(2 * np.pi * (x * rng.uniform(2, 5) + y * rng.uniform(25, 45) + 0.4 * np.sin(y * 7))) + noise(6, 0.06)
    elif kind == "laminate":  # light grey-beige, close to paper: the low-contrast case
        base = np.array([rng.uniform(150, 175), rng.uniform(160, 185), rng.uniform(170, 195)], np.float32)
        f = 1 + noise(2, 0.03) + noise(40, 0.04)
    elif kind == "dark":
        base = np.array([rng.uniform(20, 35), rng.uniform(20, 35), rng.uniform(22, 40)], np.float32)
        f = 1 + noise(3, 0.15)
    else:  # fabric: a coloured weave
        base = np.array([rng.uniform(60, 140), rng.uniform(50, 110), rng.uniform(30, 90)], np.float32)
        period = rng.uniform(5, 9)
        xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        f = 1 + 0.12 * np.sin(2 * np.pi * xx / period) * np.sin(2 * np.pi * yy / period) + noise(4, 0.05)
    return np.clip(base[None, None, :] * f[:, :, None], 0, 255).astype(np.float32)


def draw_object(img: np.ndarray, kind: str, rng: np.random.Generator, centre: tuple[float, float], scale: float) -> None:
    """A desk object, drawn in place (BGR float32)."""
    cx, cy = int(centre[0]), int(centre[1])
    s = scale
    if kind == "pen":
        ang = rng.uniform(0, math.pi)
        dx, dy = math.cos(ang) * 0.16 * s, math.sin(ang) * 0.16 * s
        colour = [(150, 40, 20), (20, 20, 20), (30, 30, 170)][int(rng.integers(3))]
        cv2.line(img, (int(cx - dx), int(cy - dy)), (int(cx + dx), int(cy + dy)), colour, max(3, int(0.012 * s)), cv2.LINE_AA)
        cv2.line(img, (int(cx + dx * 0.6), int(cy + dy * 0.6)), (int(cx + dx), int(cy + dy)), (200, 200, 200), max(2, int(0.008 * s)))
    elif kind == "coin":
        r = int(0.025 * s)
        cv2.circle(img, (cx, cy), r, (90, 160, 190), -1, cv2.LINE_AA)
        cv2.circle(img, (cx, cy), int(r * 0.8), (120, 190, 215), 2, cv2.LINE_AA)
    elif kind == "mug":
        r = int(0.07 * s)
        cv2.circle(img, (cx, cy), r, (235, 235, 240), -1, cv2.LINE_AA)
        cv2.circle(img, (cx, cy), int(r * 0.8), (30, 50, 70), -1, cv2.LINE_AA)
        cv2.ellipse(img, (cx + r, cy), (int(r * 0.5), int(r * 0.3)), 0, -90, 90, (225, 225, 230), max(4, r // 6))
    elif kind == "phone":
        w2, h2 = int(0.04 * s), int(0.085 * s)
        box = cv2.boxPoints(((cx, cy), (2 * w2, 2 * h2), float(rng.uniform(0, 180)))).astype(np.int32)
        cv2.fillConvexPoly(img, box, (25, 22, 22), cv2.LINE_AA)
        cv2.polylines(img, [box], True, (90, 90, 95), 3, cv2.LINE_AA)
    else:  # sticky note
        a = int(0.04 * s)
        box = cv2.boxPoints(((cx, cy), (2 * a, 2 * a), float(rng.uniform(-20, 20)))).astype(np.int32)
        cv2.fillConvexPoly(img, box, (90, 235, 250), cv2.LINE_AA)


def project(pw: float, ph: float, rot_deg: float, tilt_deg: float, tilt_axis: float) -> np.ndarray:
    """Page corners seen by a pinhole camera: in-plane rotation, then the page plane tilted."""
    pts = np.array([[-pw / 2, -ph / 2, 0], [pw / 2, -ph / 2, 0], [pw / 2, ph / 2, 0], [-pw / 2, ph / 2, 0]], np.float64)
    a = math.radians(rot_deg)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    ax = np.array([math.cos(tilt_axis), math.sin(tilt_axis), 0.0])
    t = math.radians(tilt_deg)
    k = np.array([[0, -ax[2], ax[1]], [ax[2], 0, -ax[0]], [-ax[1], ax[0], 0]])
    rt = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * k @ k
    p = pts @ rz.T @ rt.T
    dist, f = 1.5 * ph, 1.5 * ph
    return (f * p[:, :2] / (dist + p[:, 2:3])).astype(np.float32)


def place(corners: np.ndarray, w: int, h: int, fill: float, rng: np.random.Generator, outside: bool) -> np.ndarray:
    """Scale the projected page so its bounding box fills ``fill`` of the tighter frame side."""
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    size = hi - lo
    s = fill / max(size[0] / w, size[1] / h)
    c = (corners - (lo + hi) / 2) * s
    bw, bh = size * s
    slack = np.array([max(0.0, w - bw), max(0.0, h - bh)]) / 2
    off = rng.uniform(-1, 1, 2) * slack * 0.8
    if outside:  # push one side out of the frame by 2–5 % of the page
        axis = int(rng.integers(2))
        off[axis] = (slack[axis] + rng.uniform(0.02, 0.05) * (bw, bh)[axis]) * rng.choice([-1, 1])
    return (c + np.array([w / 2, h / 2]) + off).astype(np.float32)


def photograph(page: hp.FlatPage, seed: int, frame: tuple[int, int], desk_kind: str, *, outside: bool = False,
               strong_spot: bool = False) -> tuple[np.ndarray, np.ndarray, dict]:
    """(BGR photo, true corners, the conditions drawn)."""
    rng = np.random.default_rng(seed)
    w, h = frame
    fh, fw = page.image.shape[:2]
    cond = {
        "frame": f"{w}x{h}", "desk": desk_kind, "rotation": round(float(rng.uniform(-20, 20)), 1),
        "tilt": round(float(rng.uniform(0, 20)), 1), "fill": round(float(rng.uniform(0.85, 0.95)), 3),
        "shadow": round(float(rng.uniform(0.2, 0.45)), 2), "blur": round(float(rng.uniform(0.8, 1.3)), 2),
        "jpeg": int(rng.integers(80, 89)), "outside": outside, "strong_spot": strong_spot,
    }
    if outside:
        cond["fill"] = round(float(rng.uniform(0.93, 1.0)), 3)
    corners = project(fw / fh, 1.0, cond["rotation"], cond["tilt"], float(rng.uniform(0, 2 * math.pi)))
    corners = place(corners, w, h, cond["fill"], rng, outside)
    img = desk(desk_kind, rng, w, h)
    objs = list(rng.choice(OBJECTS, size=int(rng.integers(2, 4)), replace=False))
    cond["objects"] = [str(o) for o in objs]
    scale = float(max(w, h))
    centre = corners.mean(axis=0)

    def spot_off_page() -> tuple[float, float]:
        k, t = int(rng.integers(4)), rng.uniform(0, 1)
        edge = corners[k] * (1 - t) + corners[(k + 1) % 4] * t
        p = edge + (edge - centre) * rng.uniform(0.05, 0.35)
        return float(np.clip(p[0], 0, w - 1)), float(np.clip(p[1], 0, h - 1))

    over = [o for o in objs if o in ("pen", "sticky") and rng.random() < 0.5]
    for o in objs:
        if o not in over:
            draw_object(img, o, rng, spot_off_page(), scale)
    # the paper: its tone, slight drop shadow, then the page itself
    paper = np.array([rng.uniform(225, 240), rng.uniform(230, 245), rng.uniform(232, 248)], np.float32)
    ink = np.array([35, 30, 30], np.float32)
    side = float(np.linalg.norm(corners[3] - corners[0]))
    k = min(1.0, 1.3 * side / fh)
    small = cv2.resize(page.image, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else page.image
    sh, sw = small.shape[:2]
    colour = ink + (paper - ink) * (small.astype(np.float32)[:, :, None] / 255.0)
    src = np.array([[0, 0], [sw - 1, 0], [sw - 1, sh - 1], [0, sh - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(colour, m, (w, h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (w, h), flags=cv2.INTER_LINEAR)
    drop = cv2.GaussianBlur(mask, (0, 0), 0.006 * scale)
    img *= (1 - 0.3 * np.roll(drop, (int(0.003 * scale),) * 2, (0, 1)))[:, :, None]
    img = img * (1 - mask[:, :, None]) + warped * mask[:, :, None]
    for o in over:  # lying over the page's edge
        k2 = int(rng.integers(4))
        p = corners[k2] * 0.5 + corners[(k2 + 1) % 4] * 0.5
        draw_object(img, o, rng, (float(np.clip(p[0], 0, w - 1)), float(np.clip(p[1], 0, h - 1))), scale)
    # light: gradient × soft occluding shadow, then a hot spot, then a colour cast
    xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    a = rng.uniform(0, 2 * math.pi)
    light = 1.0 - rng.uniform(0.15, 0.3) * (xx * math.cos(a) + yy * math.sin(a) + 1.4) / 2.8
    a2 = rng.uniform(0, 2 * math.pi)
    d = xx * math.cos(a2) + yy * math.sin(a2) - rng.uniform(0.0, 0.5)
    shadow = 1.0 - cond["shadow"] / (1 + np.exp(-d / rng.uniform(0.03, 0.1)))
    img *= (light * shadow)[:, :, None]
    c = centre + rng.uniform(-0.3, 0.3, 2) * (w, h)
    r = rng.uniform(0.08, 0.15) * scale
    gx, gy = np.arange(w, dtype=np.float32)[None, :], np.arange(h, dtype=np.float32)[:, None]
    spot = np.exp(-((gx - c[0]) ** 2 + (gy - c[1]) ** 2) / (2 * r * r))
    cond["hot_spot"] = int(rng.uniform(200, 320) if strong_spot else rng.uniform(30, 90))
    img += (spot * cond["hot_spot"])[:, :, None]
    cast = rng.uniform([0.8, 0.92, 1.0], [1.0, 1.0, 1.12]) if rng.random() < 0.5 else rng.uniform([1.0, 0.95, 0.82], [1.12, 1.03, 0.98])
    img *= cast.astype(np.float32)[None, None, :]
    cond["cast"] = [round(float(v), 2) for v in cast]
    img = cv2.GaussianBlur(img, (0, 0), cond["blur"])
    img += rng.normal(0, 1, img.shape).astype(np.float32) * (1.5 + 0.12 * np.sqrt(np.maximum(img, 0)))
    out = np.clip(img, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, cond["jpeg"]])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), corners, cond


TABLE_PHOTO_SEED = 50024  # tuning-only (not in the set): a fee table, rotation -16.0°, tilt 18.7°


def table_photo(seed: int = TABLE_PHOTO_SEED) -> tuple[hp.FlatPage, np.ndarray, np.ndarray]:
    """A tuning-only photo of the table paper at a large rotation and tilt, 2000×3000 on wood.

    It reproduces held-out photo 23's failure class on a photo that is no part of the set: the
    finder's corners are right (0.01 %), yet tesseract dropped the table's narrow columns
    (11.6 % CER against 0.5 % with the true corners, the gate saying "good").
    """
    fonts, pt = hp.FONT_STYLES[0]
    page = hp.fee_table(random.Random(seed), fonts, pt)
    photo, corners, _cond = photograph(page, seed, (2000, 3000), "wood")
    return page, photo, corners


def default_cache_dir() -> Path:
    base = os.environ.get("KIOSK_TEST_CACHE") or os.path.join(tempfile.gettempdir(), "motcua-kiosk-cache")
    return Path(base) / f"camera-hard-v{VERSION}"


def photo_spec(i: int) -> dict:
    """What photo ``i`` is: paper, font, frame, desk, special conditions (every hard condition recurs)."""
    template = hp.TEMPLATES[i % len(hp.TEMPLATES)]
    fonts, pt = hp.FONT_STYLES[(i // len(hp.TEMPLATES) + i) % len(hp.FONT_STYLES)]
    return {
        "index": i, "template": template.__name__, "fonts": fonts[0], "pt": pt,
        "frame": FRAMES[(i // 2) % 2], "desk": DESKS[i % 4 if (i // 4) % 2 == 0 else (i + 1) % 4],
        "outside": i % 8 == 5, "strong_spot": i % 8 == 2, "held_out": held_out(i),
        "part": part(i),
    }


def make_photo(i: int) -> tuple[hp.FlatPage, np.ndarray, np.ndarray, dict]:
    spec = photo_spec(i)
    template = getattr(hp, spec["template"])
    fonts, pt = next((f, p) for f, p in hp.FONT_STYLES if f[0] == spec["fonts"] and p == spec["pt"])
    page = template(random.Random(7000 + i), fonts, pt)
    photo, corners, cond = photograph(page, 9000 + i, spec["frame"], spec["desk"], outside=spec["outside"],
                                      strong_spot=spec["strong_spot"])
    return page, photo, corners, cond


def build(cache_dir: Path | None = None, n: int = N_PHOTOS) -> dict:
    """Write the set once (per VERSION and size) and return the manifest."""
    cache_dir = Path(cache_dir or default_cache_dir())
    path = cache_dir / "manifest.json"
    if path.exists():
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("n") == n and manifest.get("version") == VERSION:
            return manifest
    cache_dir.mkdir(parents=True, exist_ok=True)
    photos = []
    for i in range(n):
        page, photo, corners, cond = make_photo(i)
        name = f"hard-{i:02d}.jpg"
        cv2.imwrite(str(cache_dir / name), photo, [cv2.IMWRITE_JPEG_QUALITY, 97])
        spec = photo_spec(i)
        photos.append({**spec, "frame": cond["frame"], "file": name, "kind": page.kind, "text": page.text,
                       "corners": corners.tolist(), "conditions": cond, "fields": page.fields,
                       "document": page.document, "procedure": page.procedure})
    manifest = {"version": VERSION, "n": n, "dir": str(cache_dir), "photos": photos}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return manifest


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.gen_camera_set")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("-n", type=int, default=N_PHOTOS)
    args = parser.parse_args(argv)
    print(build(args.cache, args.n)["dir"])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())

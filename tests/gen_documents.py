"""The generated document test set: Vietnamese administrative pages, flat and photographed-like.

Everything comes from fixed seeds, so the set is the same on every machine:

* **flat** — A4 pages rendered at 300 dpi with several fonts (what a flatbed gives);
* **camera** — the same pages photographed-like by an 8 MP document camera: on a desk, in
  perspective, rotated, with a shadow, blur, sensor noise and JPEG;
* **quality** — photos that must be refused with a reason: blurred, dark, cut off, glare, no page.

The pages are written here (headings, the national motto, names, dates, ID numbers, addresses);
the names and numbers are invented. ``build(cache_dir)`` writes the images and a ``manifest.json``
once per :data:`VERSION` and reuses them afterwards (tests, the benchmark).

``python -m tests.gen_documents --samples assets/samples/documents`` writes the demo camera's frames.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

VERSION = 3
DPI = 300
A4_PX = (2480, 3508)  # 210 × 297 mm at 300 dpi
FRAME = (3264, 2448)  # an 8 MP document camera
MARGIN = (260, 220)  # left/right, top in px (≈ 2.2 cm, 1.9 cm)

FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu")]
FONTS: list[tuple[str, str]] = [
    ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Ngọc", "Thanh", "Quang", "Thu", "Bảo"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Quý", "Sơn", "Tâm", "Yến", "Khang"]
COMMUNES = [
    ("xã Hải Vân", "tỉnh Ninh Bình", "Xóm 2"),
    ("phường Hoàn Kiếm", "thành phố Hà Nội", "Số 12 ngõ 5 phố Huế"),
    ("phường Sài Gòn", "Thành phố Hồ Chí Minh", "Tổ 3, khu phố 4"),
    ("xã Tân Phú", "tỉnh Đồng Nai", "Ấp Bàu Sen"),
    ("phường Thuận Hóa", "thành phố Huế", "Số 27 đường Lê Lợi"),
    ("xã Quảng Điền", "tỉnh Quảng Ngãi", "Thôn Phú Lễ"),
]
PROVINCE_CODES = ["001", "031", "036", "038", "046", "048", "075", "079", "092"]


@dataclass
class Line:
    text: str
    bold: bool = False
    center: bool = False
    size: float = 13.5  # points


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _date(rng: random.Random, y0: int, y1: int) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), rng.randint(y0, y1)


def _id_number(rng: random.Random, year: int, female: bool) -> str:
    century = 0 if year < 2000 else 2
    return f"{rng.choice(PROVINCE_CODES)}{century + int(female)}{year % 100:02d}{rng.randint(0, 999999):06d}"


def _motto() -> list[Line]:
    return [
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True),
        Line("Độc lập - Tự do - Hạnh phúc", bold=True, center=True),
        Line(""),
    ]


def page_birth(rng: random.Random) -> list[Line]:
    parent, child = _name(rng), _name(rng)
    d, m, y = _date(rng, 1975, 1999)
    commune, province, street = rng.choice(COMMUNES)
    cd, cm, cy = _date(rng, 2024, 2025)
    return _motto() + [
        Line("TỜ KHAI ĐĂNG KÝ KHAI SINH", bold=True, center=True, size=15),
        Line(f"Kính gửi: Ủy ban nhân dân {commune}", center=True),
        Line(""),
        Line(f"Họ, chữ đệm, tên người yêu cầu: {parent}"),
        Line(f"Số định danh cá nhân: {_id_number(rng, y, False)}"),
        Line(f"Nơi cư trú: {street}, {commune}, {province}"),
        Line("Quan hệ với người được khai sinh: Cha"),
        Line("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:"),
        Line(f"Họ, chữ đệm, tên: {child}"),
        Line(f"Ngày, tháng, năm sinh: {cd:02d}/{cm:02d}/{cy}"),
        Line("Giới tính: Nam. Dân tộc: Kinh. Quốc tịch: Việt Nam"),
        Line(f"Nơi sinh: Bệnh viện Đa khoa {province}"),
        Line("Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là"),
        Line("đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan"),
        Line("của mình."),
        Line(f"Làm tại {commune}, ngày {cd + 1} tháng {cm} năm {cy}", center=True),
        Line("Người yêu cầu", bold=True, center=True),
        Line(parent, center=True),
    ]


def page_residence(rng: random.Random) -> list[Line]:
    person = _name(rng)
    d, m, y = _date(rng, 1960, 2004)
    commune, province, street = rng.choice(COMMUNES)
    owner = _name(rng)
    return _motto() + [
        Line("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ", bold=True, center=True, size=15),
        Line("Kính gửi: Công an " + commune, center=True),
        Line(""),
        Line(f"1. Họ, chữ đệm và tên: {person}"),
        Line(f"2. Ngày, tháng, năm sinh: {d:02d}/{m:02d}/{y}"),
        Line(f"3. Số định danh cá nhân: {_id_number(rng, y, rng.random() < 0.5)}"),
        Line(f"4. Số điện thoại liên hệ: 09{rng.randint(10000000, 99999999)}"),
        Line(f"5. Nơi thường trú: {street}, {commune}, {province}"),
        Line("6. Nội dung đề nghị: Đăng ký tạm trú tại chỗ ở hợp pháp"),
        Line(f"7. Họ và tên chủ hộ: {owner}"),
        Line("8. Quan hệ với chủ hộ: Người thuê nhà"),
        Line(f"9. Thời hạn tạm trú: từ {d:02d}/{m:02d}/2025 đến {d:02d}/{m:02d}/2027"),
        Line("Ý kiến của chủ hộ: Đồng ý cho đăng ký tạm trú."),
        Line(""),
        Line(f"{province[0].upper() + province[1:]}, ngày {d} tháng {m} năm 2025", center=True),
        Line("Người kê khai", bold=True, center=True),
    ]


def page_business(rng: random.Random) -> list[Line]:
    head = _name(rng)
    d, m, y = _date(rng, 1970, 2000)
    commune, province, street = rng.choice(COMMUNES)
    capital = rng.choice([50, 80, 120, 200, 350])
    return _motto() + [
        Line("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH", bold=True, center=True, size=15),
        Line(f"Kính gửi: Phòng Kinh tế {commune}", center=True),
        Line(""),
        Line(f"Tôi là: {head}. Giới tính: Nữ"),
        Line(f"Sinh ngày: {d:02d}/{m:02d}/{y}. Dân tộc: Kinh"),
        Line(f"Số định danh cá nhân: {_id_number(rng, y, True)}"),
        Line(f"Địa chỉ liên lạc: {street}, {commune}, {province}"),
        Line("Đăng ký hộ kinh doanh với các nội dung sau:"),
        Line(f"1. Tên hộ kinh doanh: Cửa hàng tạp hóa {head.split()[-1]}"),
        Line(f"2. Địa chỉ trụ sở: {street}, {commune}"),
        Line("3. Ngành, nghề kinh doanh: Bán lẻ lương thực, thực phẩm"),
        Line(f"4. Vốn kinh doanh: {capital}.000.000 đồng"),
        Line(f"5. Số lượng lao động: {rng.randint(1, 9)} người"),
        Line("Tôi cam kết chịu trách nhiệm trước pháp luật về tính hợp pháp,"),
        Line("chính xác, trung thực của nội dung đăng ký trên."),
        Line(f"Ngày {d} tháng {m} năm 2025", center=True),
        Line("Chủ hộ kinh doanh", bold=True, center=True),
    ]


def page_certificate(rng: random.Random) -> list[Line]:
    person = _name(rng)
    d, m, y = _date(rng, 1950, 1990)
    commune, province, street = rng.choice(COMMUNES)
    return [
        Line(f"ỦY BAN NHÂN DÂN {commune.upper()}", bold=True, center=True),
    ] + _motto() + [
        Line(f"Số: {rng.randint(10, 999)}/UBND-TP", center=True),
        Line("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", bold=True, center=True, size=15),
        Line(""),
        Line(f"Xét đề nghị của ông/bà: {person}"),
        Line(f"Ủy ban nhân dân {commune} xác nhận:"),
        Line(f"Họ, chữ đệm, tên: {person}"),
        Line(f"Ngày, tháng, năm sinh: {d:02d}/{m:02d}/{y}"),
        Line(f"Số định danh cá nhân: {_id_number(rng, y, False)}"),
        Line(f"Nơi cư trú: {street}, {commune}, {province}"),
        Line("Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai."),
        Line("Giấy này có giá trị sử dụng trong thời hạn 6 tháng kể từ"),
        Line("ngày cấp, để làm thủ tục đăng ký kết hôn."),
        Line(f"Ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2025", center=True),
        Line("TM. ỦY BAN NHÂN DÂN", bold=True, center=True),
        Line("CHỦ TỊCH", bold=True, center=True),
    ]


TEMPLATES = [page_birth, page_residence, page_business, page_certificate]


# ---------------------------------------------------------------- flat rendering


def _font(name: str, size_pt: float) -> ImageFont.FreeTypeFont:
    px = round(size_pt * DPI / 72)
    for d in FONT_DIRS:
        if (d / name).exists():
            return ImageFont.truetype(str(d / name), px)
    raise FileNotFoundError(f"font {name} not found (apt-get install fonts-noto-core fonts-dejavu-core)")


def render_flat(lines: list[Line], font_pair: tuple[str, str]) -> tuple[np.ndarray, str]:
    """A 300-dpi white A4 page (grey uint8) and its ground-truth text (one line per text line)."""
    img = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN[1]
    width = A4_PX[0] - 2 * MARGIN[0]
    truth: list[str] = []
    for line in lines:
        font = _font(font_pair[1] if line.bold else font_pair[0], line.size)
        step = round(line.size * DPI / 72 * 1.55)
        if line.text:
            w = draw.textlength(line.text, font=font)
            if w > width:  # shrink to fit rather than wrap: keeps the truth one line per line
                font = _font(font_pair[1] if line.bold else font_pair[0], line.size * width / w * 0.98)
                w = draw.textlength(line.text, font=font)
            x = MARGIN[0] + (width - w) / 2 if line.center else MARGIN[0]
            draw.text((x, y), line.text, font=font, fill=0)
            truth.append(line.text)
        y += step
    return np.array(img), "\n".join(truth)


# ---------------------------------------------------------------- photographing


def _desk(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A wooden-ish desk: a brown base, grain stripes, noise."""
    base = np.array([rng.uniform(40, 80), rng.uniform(70, 110), rng.uniform(110, 150)], np.float32)  # BGR
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    grain = 0.08 * np.sin(2 * np.pi * (x * rng.uniform(3, 7) + yy * 40 + 0.3 * np.sin(yy * 9)))
    noise = cv2.GaussianBlur(rng.normal(0, 1, (h // 8, w // 8)).astype(np.float32), (0, 0), 2)
    noise = cv2.resize(noise, (w, h)) * 0.08
    f = 1 + grain + noise
    return np.clip(base[None, None, :] * f[:, :, None], 0, 255).astype(np.float32)


def _illumination(rng: np.random.Generator, w: int, h: int, strength: float) -> np.ndarray:
    """A smooth light falloff plus a soft shadow edge (a hand, the camera arm)."""
    ang = rng.uniform(0, 2 * np.pi)
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    ramp = (x * np.cos(ang) + y * np.sin(ang) + 1.4) / 2.8  # 0..1
    light = 1.0 - strength * 0.5 * ramp
    a2 = rng.uniform(0, 2 * np.pi)
    d = x * np.cos(a2) + y * np.sin(a2) - rng.uniform(0.3, 0.7)
    shadow = 1.0 - strength * 0.45 / (1 + np.exp(-d * 14))
    return (light * shadow).astype(np.float32)


def page_corners_in_frame(rng: np.random.Generator, w: int, h: int, *, quarter_turns: int = 0, cut: bool = False) -> np.ndarray:
    """Where the page's TL, TR, BR, BL land in the frame: rotated, in perspective."""
    ph = rng.uniform(0.74, 0.84) * h
    if quarter_turns % 2:
        ph = min(ph, 0.8 * w)
    pw = ph / math.sqrt(2)
    cx, cy = w / 2 + rng.uniform(-0.05, 0.05) * w, h / 2 + rng.uniform(-0.03, 0.03) * h
    if cut:
        cx += 0.42 * w
    angle = math.radians(rng.uniform(-9, 9) + 90 * quarter_turns)
    pts = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]], np.float32)
    keystone = rng.uniform(0.02, 0.07)  # the camera looks a little from the citizen's side
    pts[0, 0] += keystone * pw
    pts[1, 0] -= keystone * pw
    pts += rng.uniform(-0.015, 0.015, pts.shape).astype(np.float32) * ph
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    return (pts @ rot.T + np.array([cx, cy], np.float32)).astype(np.float32)


def photograph(
    flat: np.ndarray,
    seed: int,
    *,
    frame: tuple[int, int] = FRAME,
    quarter_turns: int = 0,
    blur: float | None = None,
    exposure: float = 1.0,
    cut: bool = False,
    glare: bool = False,
    page: bool = True,
    jpeg_quality: int = 88,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The flat page as a camera above a desk would see it: (BGR frame, true corners or None)."""
    rng = np.random.default_rng(seed)
    w, h = frame
    img = _desk(rng, w, h)
    corners = None
    if page:
        corners = page_corners_in_frame(rng, w, h, quarter_turns=quarter_turns, cut=cut)
        side = float(np.linalg.norm(corners[3] - corners[0]))
        scale = side / flat.shape[0]
        small = cv2.resize(flat, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        sh, sw = small.shape[:2]
        paper = np.array([rng.uniform(215, 232), rng.uniform(225, 238), rng.uniform(228, 242)], np.float32)
        ink = np.array([40, 35, 35], np.float32)
        t = small.astype(np.float32)[:, :, None] / 255.0
        colour = ink + (paper - ink) * t
        src = np.array([[0, 0], [sw - 1, 0], [sw - 1, sh - 1], [0, sh - 1]], np.float32)
        m = cv2.getPerspectiveTransform(src, corners)
        warped = cv2.warpPerspective(colour, m, (w, h), flags=cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (w, h), flags=cv2.INTER_LINEAR)
        # a faint drop shadow under the sheet
        drop = cv2.GaussianBlur(cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (w, h)), (0, 0), 12)
        img *= (1 - 0.35 * np.roll(drop, (8, 8), (0, 1)))[:, :, None]
        img = img * (1 - mask[:, :, None]) + warped * mask[:, :, None]
    else:  # a pen and a phone on the desk, nothing else
        cv2.rectangle(img, (int(w * 0.3), int(h * 0.3)), (int(w * 0.42), int(h * 0.62)), (25, 25, 30), -1)
        cv2.line(img, (int(w * 0.6), int(h * 0.2)), (int(w * 0.75), int(h * 0.7)), (140, 40, 20), 18)
    img *= _illumination(rng, w, h, rng.uniform(0.25, 0.45))[:, :, None] * exposure
    if glare and corners is not None:
        c = corners.mean(axis=0) + rng.uniform(-0.1, 0.1, 2) * h
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        spot = np.exp(-(((xx - c[0]) ** 2 + (yy - c[1]) ** 2) / (2 * (0.09 * h) ** 2)))
        img += (spot * 400)[:, :, None]
    sigma = blur if blur is not None else rng.uniform(0.6, 1.1)
    img = cv2.GaussianBlur(img, (0, 0), sigma)
    img += rng.normal(0, 2.5, img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), corners


# ---------------------------------------------------------------- the set on disk


def default_cache_dir() -> Path:
    base = os.environ.get("KIOSK_TEST_CACHE") or os.path.join(tempfile.gettempdir(), "motcua-kiosk-cache")
    return Path(base) / f"documents-v{VERSION}"


def build(cache_dir: Path | None = None, n_pages: int = 4) -> dict:
    """Write the set once (per VERSION) and return the manifest."""
    cache_dir = Path(cache_dir or default_cache_dir())
    manifest_path = cache_dir / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("n_pages") == n_pages:
            return manifest
    cache_dir.mkdir(parents=True, exist_ok=True)
    pages = []
    turns = [0, 0, 1, 2, 0, 3, 0, 1]
    for i in range(n_pages):
        rng = random.Random(1000 + i)
        lines = TEMPLATES[i % len(TEMPLATES)](rng)
        font = FONTS[i % len(FONTS)]
        flat, truth = render_flat(lines, font)
        flat_path = cache_dir / f"flat-{i}.png"
        cv2.imwrite(str(flat_path), flat)
        photo, corners = photograph(flat, 2000 + i, quarter_turns=turns[i % len(turns)])
        photo_path = cache_dir / f"camera-{i}.jpg"
        cv2.imwrite(str(photo_path), photo, [cv2.IMWRITE_JPEG_QUALITY, 95])
        pages.append({
            "index": i,
            "font": font[0],
            "template": TEMPLATES[i % len(TEMPLATES)].__name__,
            "text": truth,
            "flat": flat_path.name,
            "camera": photo_path.name,
            "corners": corners.tolist(),
            "quarter_turns": turns[i % len(turns)],
        })
    # Quality cases, all from page 0.
    flat0 = cv2.imread(str(cache_dir / "flat-0.png"), cv2.IMREAD_GRAYSCALE)
    cases = {
        "blurred": dict(blur=7.0),
        "dark": dict(exposure=0.22),
        "cut_off": dict(cut=True),
        "glare": dict(glare=True),
        "no_page": dict(page=False),
    }
    quality = {}
    for j, (name, kw) in enumerate(cases.items()):
        img, corners = photograph(flat0, 3000 + j, **kw)
        path = cache_dir / f"quality-{name}.jpg"
        cv2.imwrite(str(path), img, [cv2.IMWRITE_JPEG_QUALITY, 92])
        quality[name] = {"file": path.name, "corners": None if corners is None else corners.tolist()}
    manifest = {"version": VERSION, "n_pages": n_pages, "dir": str(cache_dir), "pages": pages, "quality": quality}
    tmp = manifest_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, manifest_path)
    return manifest


def write_samples(out: Path, n: int = 3) -> list[Path]:
    """Frames for the demo document camera (``files:assets/samples/documents``), 1920×1440 JPEG."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        rng = random.Random(1000 + i)
        flat, _ = render_flat(TEMPLATES[i % len(TEMPLATES)](rng), FONTS[i % len(FONTS)])
        photo, _ = photograph(flat, 5000 + i, frame=(1920, 1440))
        path = out / f"page-{i + 1}.jpg"
        cv2.imwrite(str(path), photo, [cv2.IMWRITE_JPEG_QUALITY, 82])
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.gen_documents")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--samples", type=Path, help="write demo camera frames here instead")
    args = parser.parse_args(argv)
    if args.samples:
        for p in write_samples(args.samples):
            print(p)
        return 0
    manifest = build(args.cache, args.pages)
    print(manifest["dir"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the office pages for docs/screenshots (headless chromium against a seeded server).

    .venv/bin/python tests/browser/shots.py docs/screenshots [desk]   # "desk": the dossier desk's only
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from helpers.browser import chrome  # noqa: E402
from server.testing import TEST_PASSWORD, MovableClock, ServerThread  # noqa: E402

UNIT = "000.00.01.H22"
TOKEN = "token-kiosk-01-screenshots"
KIOSK = {"Authorization": f"Bearer {TOKEN}"}


def _seed(srv: ServerThread, clock: MovableClock) -> tuple[str, str]:
    with srv.app.state.db.write() as s:
        from server.models import Department

        s.query(Department).filter(Department.unit_id == UNIT).update({"name": "Bộ phận Một cửa UBND phường Hải Vân"})
    sup = srv.add_officer("truong-bo-phan", "supervisor", full_name="Trần Thị Mai")
    srv.add_officer("can-bo-2", "officer", full_name="Nguyễn Văn Bình")
    h = {"Authorization": f"Bearer {sup}"}
    for n, services, name in ((1, ["A"], "Hộ tịch"), (2, ["A", "B"], "Hộ tịch, Đất đai"), (3, ["B"], "Đất đai"),
                              (4, ["C"], "Tư pháp")):
        httpx.put(f"{srv.url}/counters/{n}/services", json={"services": services, "name": name}, headers=h)
    today = datetime.now(srv.settings.tz).replace(hour=8, minute=0, second=0, microsecond=0)  # the department's day
    start = today.astimezone(timezone.utc) - timedelta(days=4)
    for day in range(5):
        clock.set(start + timedelta(days=day))
        for i in range(14 + 3 * day):
            httpx.post(f"{srv.url}/tickets", json={"service": "ABC"[i % 3], "priority": "elderly" if i % 5 == 2 else None},
                       headers=KIOSK)
        served = 10 + 2 * day if day < 4 else 6
        for i in range(served):
            clock.shift(minutes=3 + (i * 7) % 11)
            counter = (1, 2, 3, 4)[i % 4]
            r = httpx.post(f"{srv.url}/counters/{counter}/call", headers=h)
            if r.status_code != 200:
                continue
            httpx.post(f"{srv.url}/counters/{counter}/start", headers=h)
            clock.shift(minutes=2 + i % 5)
            if day < 4 or i < served - 4:
                httpx.post(f"{srv.url}/counters/{counter}/finish", headers=h)
    clock.set(today.astimezone(timezone.utc) + timedelta(hours=2, minutes=30))
    lines = httpx.get(f"{srv.url}/counters/2", headers=h).json()["lines"]
    waiting = [t["number"] for line in lines.values() for t in line]
    number = waiting[len(waiting) // 2]
    return sup, number


def main(out: str, only: str = "") -> int:
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    import shots_desk

    shots_desk.main(outdir)  # the dossier desk: list, a dossier, the report
    if only == "desk":
        print(f"screenshots in {outdir}")
        return 0
    clock = MovableClock()
    with tempfile.TemporaryDirectory() as tmp, \
            ServerThread(Path(tmp), kiosks=[("KIOSK-01", TOKEN, UNIT)], clock=clock) as srv:
        _, number = _seed(srv, clock)
        base = srv.url.removesuffix("/api/v1")
        d = chrome(1920, 1080)
        try:
            d.get(f"{base}/display")
            WebDriverWait(d, 15).until(lambda x: x.execute_script("return window.displayState.connected"))
            d.save_screenshot(str(outdir / "office-display-1920x1080.png"))
            from helpers.browser import size

            size(d, 1080, 1920)
            d.get(f"{base}/display")
            WebDriverWait(d, 15).until(lambda x: x.execute_script("return window.displayState.connected"))
            d.save_screenshot(str(outdir / "office-display-1080x1920.png"))
        finally:
            d.quit()
        day = srv.settings.local_now().strftime("%Y%m%d")
        m = chrome(390, 844, mobile=True)
        try:
            m.get(f"{base}/q/{day}/{number}")
            WebDriverWait(m, 15).until(lambda x: x.execute_script("return window.followState !== undefined"))
            m.save_screenshot(str(outdir / "office-follow-390x844.png"))
        finally:
            m.quit()
        b = chrome(1280, 900)
        try:
            b.get(f"{base}/desk?counter=2")
            b.find_element(By.ID, "username").send_keys("can-bo-2")
            b.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
            b.find_element(By.ID, "login-btn").click()
            WebDriverWait(b, 15).until(lambda x: x.execute_script("return window.deskState && window.deskState.loads > 0"))
            b.save_screenshot(str(outdir / "office-desk-1280x900.png"))
            from helpers.browser import size

            size(b, 800, 480)  # a small touchscreen at the counter
            b.refresh()
            WebDriverWait(b, 15).until(lambda x: x.execute_script("return window.deskState && window.deskState.loads > 0"))
            b.save_screenshot(str(outdir / "office-desk-800x480.png"))
            size(b, 1280, 900)
            b.get(f"{base}/desk")
            b.delete_all_cookies()
            b.get(f"{base}/desk?counter=2")
            b.save_screenshot(str(outdir / "office-desk-login.png"))
            b.get(f"{base}/desk?counter=2")
            b.find_element(By.ID, "username").send_keys("truong-bo-phan")
            b.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
            b.find_element(By.ID, "login-btn").click()
            WebDriverWait(b, 15).until(lambda x: x.execute_script("return window.deskState && window.deskState.loads > 0"))
            b.get(f"{base}/stats")
            b.save_screenshot(str(outdir / "office-stats-1280x900.png"))
        finally:
            b.quit()
    print(f"screenshots in {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots", sys.argv[2] if len(sys.argv) > 2 else ""))

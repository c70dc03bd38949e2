"""Headless Debian chromium driven by selenium (no browser downloads: /usr/bin/chromedriver)."""

from __future__ import annotations

import shutil

CHROMEDRIVER = "/usr/bin/chromedriver"


def unavailable_reason() -> str | None:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        return "chromium and chromium-driver are not installed (the Makefile's system packages)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def chrome(width: int = 1280, height: int = 900, mobile: bool = False):
    """A headless chromium window of that size; sounds may play without a click (a hall display's kiosk mode)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--autoplay-policy=no-user-gesture-required",
                "--mute-audio", "--lang=vi", "--force-device-scale-factor=1", "--hide-scrollbars"):
        opts.add_argument(arg)
    if mobile:
        opts.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_window_size(width, height)
    size(driver, width, height, mobile)
    return driver


def size(driver, width: int, height: int, mobile: bool = False) -> None:
    """The page's viewport exactly ``width``×``height`` CSS pixels (screenshots of a TV or a phone)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

"""The kiosk shell in a real window: journeys, language switch, idle wipe, screenshots."""

from __future__ import annotations

import pytest

from screens.registry import JOURNEYS

pytestmark = pytest.mark.ui


def test_home_shows_the_four_journeys(driver, artifacts):
    assert driver.app.current == "home"
    texts = driver.texts()
    for key in ("home.ticket", "home.submit", "home.track", "home.rate"):
        assert driver.app.tr[key] in texts
    driver.screenshot(artifacts / "home.png")


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_each_journey_opens_its_first_screen_and_back_returns_home(driver, artifacts, journey):
    driver.tap(f"btn_{journey}")
    driver.wait_screen(JOURNEYS[journey])
    driver.screenshot(artifacts / f"{journey}.png")
    driver.tap("btn_back")
    driver.wait_screen("home")


def test_language_switch_changes_every_visible_string(driver):
    before = set(driver.texts())
    driver.tap("btn_language")
    assert driver.app.lang == "en"
    after = set(driver.texts())
    # Every translated string on the screen changed language (the clock and the department name don't translate).
    vi_keys = ["home.welcome", "home.ticket", "home.submit", "home.track", "home.rate", "home.hint", "app.title"]
    from kiosk.base.i18n import Translator

    vi, en = Translator("vi"), Translator("en")
    for key in vi_keys:
        assert vi[key] in before and vi[key] not in after
        assert en[key] in after
    driver.tap("btn_language")
    assert driver.app.lang == "vi"


def test_idle_timeout_asks_then_wipes_the_visit_and_returns_home(make_driver, kiosk_config, artifacts):
    kiosk_config.ui.idle_timeout_s = 0.5
    kiosk_config.ui.idle_countdown_s = 1.0
    driver = make_driver(config=kiosk_config)
    driver.tap("btn_ticket")
    visit = driver.app.services.visit
    visit.submit.procedure_code = "1.004222"
    visit.workdir()
    assert not visit.is_empty()
    driver.wait_for(lambda: driver.app.idle_dialog is not None, timeout=5, what="idle dialog")
    assert driver.app.tr["idle.title"] in driver.texts()
    driver.screenshot(artifacts / "idle.png")
    driver.wait_screen("home", timeout=5)
    assert visit.is_empty()
    assert driver.app.idle_dialog is None


def test_idle_dialog_stay_keeps_the_visit(make_driver, kiosk_config):
    kiosk_config.ui.idle_timeout_s = 0.4
    kiosk_config.ui.idle_countdown_s = 5
    driver = make_driver(config=kiosk_config)
    driver.tap("btn_ticket")
    driver.app.services.visit.ticket.service_code = "A"
    driver.wait_for(lambda: driver.app.idle_dialog is not None, timeout=5, what="idle dialog")
    driver.tap("btn_stay")
    assert driver.app.idle_dialog is None
    assert driver.app.current == "ticket_service"
    assert driver.app.services.visit.ticket.service_code == "A"


def test_finish_button_wipes_the_visit(driver):
    driver.tap("btn_ticket")
    driver.app.services.visit.ticket.service_code = "B"
    driver.tap("btn_finish")
    driver.wait_screen("home")
    assert driver.app.services.visit.is_empty()


def test_portrait_layout_stacks_the_tiles(make_driver, artifacts):
    driver = make_driver(orientation="portrait")
    assert driver.app.portrait
    grid = driver.find("grid")
    assert grid.cols == 1
    driver.screenshot(artifacts / "home-portrait.png")


def test_a_kv_read_after_an_app_stopped_does_not_tie_the_next_app_to_it(make_driver):
    """kv's ``app`` proxy kept a stopped app when a late callback read it: the next app's screens then
    followed the old app (a portrait screen laid out as landscape — the flaky ticket tests of CI)."""
    from kivy.app import App
    from kivy.lang.parser import global_idmap

    from kivy.core.window import Window

    first = make_driver()
    first.app.dispatch("on_stop")  # what closing an app does, with a late kv read in the middle
    for child in list(Window.children):
        Window.remove_widget(child)
    assert global_idmap["app"].lang  # a kv expression evaluated after on_stop: the proxy takes this app
    App._running_app = None
    second = make_driver(orientation="portrait")
    assert second.app.portrait
    assert second.find("grid").cols == 1  # bound to the new app, which is in portrait

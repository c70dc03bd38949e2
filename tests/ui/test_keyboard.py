"""The on-screen keyboard in a real window: every letter comes from a tapped key."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


@pytest.fixture
def kb(driver):
    """A TextInput and a VirtualKeyboard in a dialog over the home screen."""
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.modalview import ModalView
    from kivy.uix.textinput import TextInput

    from screens.keyboard import VirtualKeyboard

    view = ModalView(size_hint=(1, 0.9), auto_dismiss=False)
    box = BoxLayout(orientation="vertical")
    ti = TextInput(font_size=40, size_hint_y=None, height=90, multiline=False)
    keyboard = VirtualKeyboard(target=ti)
    box.add_widget(ti)
    box.add_widget(keyboard)
    view.add_widget(box)
    view.open()
    driver.pump(0.3)
    yield driver, ti, keyboard
    view.dismiss()
    driver.pump(0.1)


def tap_keys(driver, keys: str) -> None:
    names = {" ": "space", ",": "comma", ".": "dot", "-": "dash", "/": "slash", "@": "at"}
    for ch in keys:
        if ch.isupper():
            driver.tap("key_shift", settle=0.02)
        driver.tap(f"key_{names.get(ch, ch.lower())}", settle=0.02)


def test_telex_keys_type_vietnamese(kb, artifacts):
    driver, ti, keyboard = kb
    tap_keys(driver, "Nguyeenx Vawn Awn")
    assert ti.text == "Nguyễn Văn Ăn"
    driver.screenshot(artifacts / "keyboard-telex.png")


def test_backspace_keeps_the_tone_on_the_word(kb):
    driver, ti, _ = kb
    tap_keys(driver, "hoafn")
    assert ti.text == "hoàn"
    driver.tap("key_backspace")
    assert ti.text == "hoà"
    driver.tap("key_backspace")
    assert ti.text == "ho"


def test_vni_after_switching_method(kb):
    driver, ti, keyboard = kb
    driver.tap("key_method")
    assert keyboard.method == "vni"
    assert driver.app.tr["keyboard.method_vni"] == driver.find("key_method").text
    tap_keys(driver, "Vie65t Nam")
    assert ti.text == "Việt Nam"


def test_diacritics_picker_for_people_who_know_neither(kb):
    driver, ti, keyboard = kb
    driver.tap("key_method")
    driver.tap("key_method")
    assert keyboard.method == "off"
    tap_keys(driver, "duong")
    driver.tap("mark_dyet")
    driver.tap("mark_horn")
    driver.tap("tone_2")
    assert ti.text == "đường"
    driver.tap("tone_0")
    assert ti.text == "đương"


def test_numeric_layout_types_digits_and_slashes(kb):
    driver, ti, keyboard = kb
    keyboard.layout = "numeric"
    driver.pump(0.2)
    with pytest.raises(Exception):
        driver.find("key_a")
    tap_keys(driver, "15/03/1989")
    assert ti.text == "15/03/1989"
    done = []
    keyboard.bind(on_done=lambda *_: done.append(True))
    driver.tap("key_done")
    assert done


def test_backspace_erases_digits_spaces_and_signs_with_telex_on(kb):
    """Backspace used to erase only letters while Telex was on: a date typed on a form's numeric
    keypad (Telex stays on for its text fields) could not be corrected."""
    driver, ti, keyboard = kb
    assert keyboard.method != "off"
    keyboard.layout = "numeric"
    driver.pump(0.2)
    tap_keys(driver, "15/03/1989")
    for _ in range(3):
        driver.tap("key_backspace", settle=0.02)
    assert ti.text == "15/03/1"
    keyboard.layout = "text"
    driver.pump(0.2)
    ti.text = ""
    tap_keys(driver, "Awn ")
    driver.tap("key_backspace", settle=0.02)
    assert ti.text == "Ăn"
    driver.tap("key_backspace", settle=0.02)
    assert ti.text == "Ă"


def test_digits_layout_has_only_digits(kb):
    """The CAN keypad: ten digits, backspace and done, no "/" that would type nothing a CAN holds."""
    driver, ti, keyboard = kb
    keyboard.layout = "digits"
    driver.pump(0.2)
    for absent in ("key_slash", "key_a"):
        with pytest.raises(Exception):
            driver.find(absent)
    tap_keys(driver, "123406")
    driver.tap("key_backspace")
    assert ti.text == "12340"
    assert driver.find("key_0").center_x == pytest.approx(driver.find("key_8").center_x)


def test_configured_method_and_tone_style(make_driver, kiosk_config):
    kiosk_config.keyboard.method = "vni"
    kiosk_config.keyboard.tone_style = "old"
    driver = make_driver(config=kiosk_config)
    from kivy.uix.textinput import TextInput

    kb = driver.app.screen("form").ids.keyboard  # built by the app from [keyboard]
    assert kb.method == "vni" and kb.style == "old"
    kb.target = TextInput()
    kb.type_text("hoa2")
    assert kb.target.text == "hòa"

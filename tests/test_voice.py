"""Voice prompts: real espeak-ng synthesis into the cache, off the caller's thread, chime, mute."""

from __future__ import annotations

import shutil
import threading
import wave
from pathlib import Path

import pytest

from kiosk.base.i18n import Translator
from kiosk.voice.speaker import Voice, prompt_keys, wav_duration, write_chime

pytestmark = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")


def _voice(tmp_path: Path, **kw) -> Voice:
    return Voice(tmp_path / "voice", player="none", **kw)


def test_every_screen_prompt_exists_in_both_languages():
    keys = prompt_keys()
    assert {"voice.home", "voice.track", "voice.rate", "voice.rate_reason"} <= set(keys)
    for key in keys:
        assert Translator("vi").has(key)
        vi, en = Translator("vi")[key], Translator("en")[key]
        assert vi and en and vi != en


def test_prompt_for_a_screen_is_rendered_to_a_wav_of_plausible_length(tmp_path):
    voice = _voice(tmp_path)
    path = voice.say("voice.track", "vi").result(timeout=60)
    assert path is not None and path.exists() and path.parent == tmp_path / "voice"
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        assert w.getnframes() > 0
    # ~14 Vietnamese words at 140 wpm: a few seconds, not a blip and not a minute.
    assert 2.0 <= wav_duration(path) <= 15.0
    voice.close()


def test_synthesis_runs_on_the_voice_worker_not_the_caller(tmp_path, monkeypatch):
    voice = _voice(tmp_path)
    seen: list[str] = []
    real = voice.render

    def spy(text: str, lang: str = "vi") -> Path:
        seen.append(threading.current_thread().name)
        return real(text, lang)

    monkeypatch.setattr(voice, "render", spy)
    fut = voice.say("voice.rate", "vi")
    assert fut.result(timeout=60) is not None
    assert seen and all(name.startswith("kiosk-voice") for name in seen)
    assert threading.current_thread().name not in seen
    voice.close()


def test_cached_prompt_is_reused_without_espeak(tmp_path):
    voice = _voice(tmp_path)
    first = voice.render_prompt("voice.home", "vi")
    stamp = first.stat().st_mtime_ns
    voice.close()
    offline = Voice(tmp_path / "voice", player="none", espeak="/nonexistent/espeak-ng")
    again = offline.say("voice.home", "vi").result(timeout=30)
    assert again == first and again.stat().st_mtime_ns == stamp
    # A prompt never rendered cannot be produced without espeak-ng: no exception, just None.
    assert offline.say("voice.rate", "vi").result(timeout=30) is None
    offline.close()


def test_english_prompt_differs_from_vietnamese(tmp_path):
    voice = _voice(tmp_path)
    vi = voice.render_prompt("voice.rate", "vi")
    en = voice.render_prompt("voice.rate", "en")
    assert vi != en and vi.read_bytes() != en.read_bytes()
    voice.close()


def test_prerender_fills_the_cache(tmp_path):
    voice = _voice(tmp_path)
    keys = ["voice.home", "voice.track"]
    assert voice.prerender(keys).result(timeout=60) == 2
    assert len(list((tmp_path / "voice").glob("vi-*.wav"))) == 2
    assert (tmp_path / "voice" / "chime.wav").exists()
    voice.close()


def test_chime_is_a_short_wav_made_without_external_tools(tmp_path):
    path = write_chime(tmp_path / "chime.wav")
    assert 0.4 <= wav_duration(path) <= 1.5
    voice = _voice(tmp_path)
    assert voice.chime().result(timeout=10) == tmp_path / "voice" / "chime.wav"
    voice.close()


def test_disabled_or_unknown_prompt_does_nothing(tmp_path):
    off = _voice(tmp_path, enabled=False)
    assert off.say("voice.home").result(timeout=5) is None
    assert off.chime().result(timeout=5) is None
    off.close()
    on = _voice(tmp_path)
    assert on.say("voice.no_such_prompt").result(timeout=5) is None
    on.close()


def test_mute_still_renders_but_does_not_play(tmp_path, monkeypatch):
    voice = Voice(tmp_path / "voice", player="auto")
    played: list[Path] = []
    monkeypatch.setattr(voice, "_player", ["true"])
    import subprocess

    real_popen = subprocess.Popen

    def popen(cmd, *a, **kw):
        if cmd[0] == "true":  # the player, not espeak-ng
            played.append(Path(cmd[-1]))
        return real_popen(cmd, *a, **kw)

    monkeypatch.setattr(subprocess, "Popen", popen)
    voice.set_muted(True)
    assert voice.say("voice.home", "vi").result(timeout=60) is not None
    assert played == []
    voice.set_muted(False)
    path = voice.say("voice.home", "vi").result(timeout=60)
    assert played == [path]
    voice.close()


@pytest.mark.parametrize("enabled", [True, False])
def test_built_services_speak_with_the_configured_voice(kiosk_config, enabled):
    from kiosk.services import build_services

    kiosk_config.accessibility.voice_player = "none"
    kiosk_config.accessibility.voice = enabled
    services = build_services(kiosk_config)
    voice = services.voice
    try:
        spoken = voice.say("voice.home", "vi").result(timeout=60)
        chime = voice.chime().result(timeout=10)
    finally:
        services.close()
    if not enabled:  # [accessibility] voice = false: nothing is synthesised
        assert spoken is None and chime is None and not kiosk_config.data_path("voice").exists()
        return
    # The home prompt's own text, synthesised by espeak-ng into the kiosk's data dir, a real spoken sentence.
    assert spoken == voice.cache_path(Translator("vi")["voice.home"], "vi")
    assert spoken.parent == kiosk_config.data_path("voice")
    with wave.open(str(spoken), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getnframes() > 0
    assert wav_duration(spoken) >= 1.0
    assert chime == kiosk_config.data_path("voice", "chime.wav") and 0.4 <= wav_duration(chime) <= 1.5

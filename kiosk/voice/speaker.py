"""Voice guidance in Vietnamese: espeak-ng prompts rendered once to WAV, played off the UI thread.

Why this shape: TTS that needs the internet fails in the field (DESIGN.md), so
prompts are synthesised offline by ``espeak-ng -v vi`` into a cache under the
data directory, keyed by voice and text, and re-used on every visit. All work
(synthesis and playback) runs on one worker thread, so a screen that calls
:meth:`Voice.say` never waits. Without an audio device the files are still
produced; playback is simply skipped. The chime is synthesised in Python.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kiosk.base.blocking import blocking
from kiosk.base.i18n import Translator, catalog

log = logging.getLogger(__name__)

# espeak-ng voice per UI language; speed in words per minute (slower for clarity).
VOICES: dict[str, str] = {"vi": "vi", "en": "en"}
SPEED_WPM = 140
PLAYERS: tuple[tuple[str, ...], ...] = (("aplay", "-q"), ("paplay",), ("play", "-q"))
PROMPT_PREFIX = "voice."


class VoiceError(Exception):
    """Synthesis failed (espeak-ng missing or broken)."""


def find_player(choice: str = "auto") -> list[str] | None:
    """The command line (without the file) of an audio player, or None for silence."""
    if choice in ("", "none", "off"):
        return None
    if choice != "auto":
        parts = choice.split()
        return parts if shutil.which(parts[0]) else None
    for cmd in PLAYERS:
        if shutil.which(cmd[0]):
            return list(cmd)
    return None


def wav_duration(path: Path) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def write_chime(path: Path, rate: int = 22050) -> Path:
    """Two soft bell tones (E6 then C6) as a 16-bit mono WAV, without any external tool."""
    frames = bytearray()
    for freq, dur in ((1318.5, 0.22), (1046.5, 0.45)):
        n = int(rate * dur)
        for i in range(n):
            t = i / rate
            env = math.exp(-5.0 * t / dur) * min(1.0, i / (0.005 * rate))
            sample = 0.45 * env * (math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t))
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    _atomic_wav(path, bytes(frames), rate)
    return path


def _atomic_wav(path: Path, frames: bytes, rate: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".chime-", suffix=".wav", dir=path.parent)
    os.close(fd)
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    os.replace(tmp, path)


def prompt_keys() -> list[str]:
    """Every fixed prompt (string keys starting with ``voice.``)."""
    return sorted(k for k in catalog() if k.startswith(PROMPT_PREFIX))


class Voice:
    """Speaks fixed prompts by key. Thread-safe; every call returns at once with a Future."""

    @classmethod
    def from_config(cls, config: Any) -> Voice:
        """The kiosk's voice: prompts cached under ``<data>/voice``, ``[accessibility]`` voice and player."""
        acc = config.accessibility
        return cls(cache_dir=config.data_path("voice"), enabled=acc.voice, player=acc.voice_player)

    def __init__(
        self,
        cache_dir: Path,
        enabled: bool = True,
        player: str = "auto",
        espeak: str = "espeak-ng",
        speed: int = SPEED_WPM,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.enabled = enabled
        self.muted = False
        self.speed = speed
        self._espeak = shutil.which(espeak) or espeak
        self._player = find_player(player)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-voice")
        self._playing: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closed = False

    # ------------------------------------------------------------ synthesis (blocking)

    def cache_path(self, text: str, lang: str) -> Path:
        voice = VOICES.get(lang, "vi")
        digest = hashlib.sha1(f"{voice}|{self.speed}|{text}".encode()).hexdigest()[:16]
        return self.cache_dir / f"{lang}-{digest}.wav"

    @blocking
    def render(self, text: str, lang: str = "vi") -> Path:
        """The WAV for ``text`` in ``lang``, synthesised now unless already cached (blocking)."""
        path = self.cache_path(text, lang)
        if path.exists() and path.stat().st_size > 44:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tts-", suffix=".wav", dir=path.parent)
        os.close(fd)
        cmd = [self._espeak, "-v", VOICES.get(lang, "vi"), "-s", str(self.speed), "-w", tmp, "--", text]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            Path(tmp).unlink(missing_ok=True)
            raise VoiceError(f"espeak-ng could not run: {e}") from None
        if proc.returncode != 0 or Path(tmp).stat().st_size <= 44:
            Path(tmp).unlink(missing_ok=True)
            raise VoiceError(f"espeak-ng failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[:200]}")
        os.replace(tmp, path)
        return path

    def render_prompt(self, key: str, lang: str = "vi") -> Path:
        """The cached WAV of the fixed prompt ``key`` (a string key in the locales)."""
        return self.render(Translator(lang)[key], lang)

    def chime_path(self) -> Path:
        path = self.cache_dir / "chime.wav"
        if not path.exists():
            write_chime(path)
        return path

    # ------------------------------------------------------------ off-thread API

    def say(self, key: str, lang: str = "vi") -> Future[Path | None]:
        """Speak prompt ``key`` (e.g. ``"voice.track"``); the Future gives the WAV (None when off)."""
        if not self.enabled or self._closed or not Translator(lang).has(key):
            return _done(None)
        return self._submit(self._render_and_play, key, lang)

    def chime(self) -> Future[Path | None]:
        """The "ticket printed" chime (silent when muted, like every prompt)."""
        if not self.enabled or self._closed:
            return _done(None)
        return self._submit(self._play_file, self.chime_path)

    def prerender(self, keys: Iterable[str] | None = None, langs: Iterable[str] = ("vi",)) -> Future[int]:
        """Synthesise the fixed prompts into the cache in the background; the Future gives the count."""
        keys = list(prompt_keys() if keys is None else keys)
        langs = list(langs)

        def work() -> int:
            n = 0
            for lang in langs:
                for key in keys:
                    if self._closed:
                        return n
                    self.render_prompt(key, lang)
                    n += 1
            self.chime_path()
            return n

        if self._closed:
            return _done(0)
        return self._pool.submit(work)

    def stop(self) -> None:
        """Cut the prompt being played (a new screen starts its own)."""
        with self._lock:
            proc, self._playing = self._playing, None
        if proc is not None and proc.poll() is None:
            proc.terminate()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted:
            self.stop()

    def close(self) -> None:
        self._closed = True
        self.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------ worker side

    def _submit(self, fn: Any, *args: Any) -> Future[Path | None]:
        try:
            return self._pool.submit(fn, *args)
        except RuntimeError:  # pool shut down
            return _done(None)

    def _render_and_play(self, key: str, lang: str) -> Path | None:
        try:
            path = self.render_prompt(key, lang)
        except VoiceError as e:
            log.warning("voice prompt %s not rendered: %s", key, e)
            return None
        self._play(path)
        return path

    def _play_file(self, make_path: Any) -> Path:
        path = make_path()
        self._play(path)
        return path

    def _play(self, path: Path) -> None:
        if self.muted or self._player is None or self._closed:
            return
        self.stop()
        try:
            proc = subprocess.Popen([*self._player, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as e:
            log.info("no audio playback: %s", e)
            return
        with self._lock:
            self._playing = proc
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        with self._lock:
            if self._playing is proc:
                self._playing = None


def _done(value: Any) -> Future[Any]:
    fut: Future[Any] = Future()
    fut.set_result(value)
    return fut


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.voice.speaker [--lang vi] [OUT]``: pre-render every fixed prompt (for an install)."""
    import argparse

    from kiosk.base.config import load_config

    parser = argparse.ArgumentParser(prog="python -m kiosk.voice.speaker")
    parser.add_argument("--lang", action="append", choices=list(VOICES))
    args = parser.parse_args(argv)
    config = load_config()
    voice = Voice(config.data_path("voice"), player="none")
    n = voice.prerender(langs=args.lang or ["vi"]).result()
    voice.close()
    print(f"{n} prompts in {voice.cache_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

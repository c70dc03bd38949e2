"""The hall's Vietnamese call announcements, made offline: "Mời số A không hai bốn đến quầy số hai".

Each word is spoken once by espeak-ng (``vi``, a slow rate, with a short silence after it: espeak-ng
clips the end of "năm" otherwise) and cached as a WAV clip; an announcement is a chime and the clips
joined with Python's ``wave`` (no synthesis per call), cached too. Ticket numbers are read digit by
digit ("A024" → "A không hai bốn"), counters as numbers ("12" → "mười hai").
"""

from __future__ import annotations

import functools
import io
import math
import re
import shutil
import struct
import subprocess
import threading
import wave
from pathlib import Path

RATE = 22050
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "E": "e", "F": "ép", "G": "giê", "H": "hát", "I": "i", "J": "gi",
    "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì",
    "T": "tê", "U": "u", "V": "vê", "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}
PHRASES = ("mời số", "đến quầy số", "mười", "mươi", "mốt", "lăm", "trăm", "linh")
NUMBER = re.compile(r"^([A-Z])([0-9]{1,5})$")
SPEED_WPM = 130
PAUSE_S = 0.15


class VoiceUnavailable(RuntimeError):
    """espeak-ng is not installed: the display shows the call as text only."""


def counter_words(n: int) -> list[str]:
    """1–99 as Vietnamese numbers (mười hai, hai mươi mốt, ba mươi lăm); larger ones digit by digit."""
    if n < 10:
        return [DIGITS[n]]
    if n >= 100:
        return [DIGITS[int(d)] for d in str(n)]
    tens, ones = divmod(n, 10)
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if ones == 1 and tens > 1:
        words.append("mốt")
    elif ones == 5:
        words.append("lăm")
    elif ones:
        words.append(DIGITS[ones])
    return words


def words(number: str, counter: int) -> list[str]:
    """The words of one announcement (ValueError for a number that is not a ticket number)."""
    m = NUMBER.match(number)
    if m is None:
        raise ValueError("not a ticket number")
    letter, digits = m.groups()
    return ["mời số", LETTERS[letter], *(DIGITS[int(d)] for d in digits), "đến quầy số", *counter_words(counter)]


def vocabulary() -> list[str]:
    return sorted(set(DIGITS) | set(LETTERS.values()) | set(PHRASES))


@functools.lru_cache(maxsize=1)
def _chime() -> bytes:
    """Two soft tones (ding-dong), 16-bit mono frames."""
    out = bytearray()
    for freq, dur in ((880.0, 0.35), (660.0, 0.5)):
        n = int(RATE * dur)
        for i in range(n):
            env = math.exp(-4.0 * i / n)
            out += struct.pack("<h", int(9000 * env * math.sin(2 * math.pi * freq * i / RATE)))
    return bytes(out) + b"\0\0" * int(RATE * 0.2)


class Voice:
    """Clips under ``root/clips``, announcements under ``root/calls``; thread-safe, generated on demand."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._frames: dict[str, int] = {}  # word → clip length (frames)

    def clip_path(self, word: str) -> Path:
        return self.root / "clips" / (word.encode("utf-8").hex() + ".wav")

    def clip(self, word: str) -> bytes:
        """The frames of one word (generated once)."""
        path = self.clip_path(word)
        if not path.exists():
            self._speak(word, path)
        with wave.open(str(path), "rb") as w:
            return w.readframes(w.getnframes())

    def _speak(self, word: str, path: Path) -> None:
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise VoiceUnavailable("espeak-ng is not installed")
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = subprocess.run([exe, "-v", "vi", "-s", str(SPEED_WPM), "--stdout", word], check=True,
                             capture_output=True, timeout=30).stdout
        with wave.open(io.BytesIO(raw), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
                raise VoiceUnavailable("unexpected espeak-ng audio format")
            frames = w.readframes(w.getnframes())
        tmp = path.with_suffix(".tmp")
        _write(tmp, _trim(frames) + b"\0\0" * int(RATE * PAUSE_S))
        tmp.replace(path)

    def announcement(self, number: str, counter: int) -> Path:
        """The WAV file of "Mời số … đến quầy số …" with a chime before it (cached)."""
        spoken = words(number, counter)
        path = self.root / "calls" / f"{number}-{counter}.wav"
        if path.exists():
            return path
        with self._lock:
            if not path.exists():
                frames = _chime() + b"".join(self.clip(w) for w in spoken)
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                _write(tmp, frames)
                tmp.replace(path)
        return path

    def duration_s(self, number: str, counter: int) -> float:
        """How long an announcement lasts, from the cached clips' headers alone (cheap for many numbers)."""
        total = len(_chime()) // 2
        for w in words(number, counter):
            if w not in self._frames:
                path = self.clip_path(w)
                if not path.exists():
                    self.clip(w)
                with wave.open(str(path), "rb") as f:
                    self._frames[w] = f.getnframes()
            total += self._frames[w]
        return total / RATE


def _trim(frames: bytes, threshold: int = 250) -> bytes:
    """Without espeak-ng's silence before and after the word (a few milliseconds of margin kept)."""
    samples = memoryview(frames).cast("h")
    loud = [i for i in range(len(samples)) if abs(samples[i]) > threshold]
    if not loud:
        return frames
    margin = int(RATE * 0.02)
    start, end = max(0, loud[0] - margin), min(len(samples), loud[-1] + margin)
    return frames[start * 2:end * 2]


def _write(path: Path, frames: bytes) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)

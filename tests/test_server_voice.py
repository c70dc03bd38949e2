"""The hall's announcements: made offline with espeak-ng, non-empty (sox measures them), for every service
letter and every number 1–999 (built from cached word clips, so the whole range takes seconds)."""

from __future__ import annotations

import shutil
import string
import subprocess
import wave

import pytest

from server.queue.voice import DIGITS, LETTERS, Voice, counter_words, words

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("sox") is None,
                                reason="espeak-ng and sox are in the Makefile's system packages")


@pytest.fixture(scope="module")
def voice(tmp_path_factory):
    return Voice(tmp_path_factory.mktemp("voice"))


def test_a024_at_counter_2_is_a_real_non_empty_wav_that_sox_measures(voice):
    assert words("A024", 2) == ["mời số", "a", "không", "hai", "bốn", "đến quầy số", "hai"]
    path = voice.announcement("A024", 2)
    seconds = float(subprocess.run(["sox", "--i", "-D", str(path)], capture_output=True, text=True, check=True).stdout)
    assert 2.0 < seconds < 12.0
    stat = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True).stderr
    rms = float(next(line.split(":")[1] for line in stat.splitlines() if line.startswith("RMS     amplitude")))
    assert rms > 0.01  # sound, not silence
    assert voice.announcement("A024", 2) == path  # cached


def test_nam_is_not_clipped_each_digit_clip_is_long_enough(voice):
    lengths = {d: len(voice.clip(d)) / 2 / 22050 for d in DIGITS}
    assert min(lengths.values()) > 0.25, lengths
    assert lengths["năm"] > 0.6 * max(lengths.values())


def test_counters_are_read_as_numbers():
    assert counter_words(2) == ["hai"]
    assert counter_words(10) == ["mười"]
    assert counter_words(15) == ["mười", "lăm"]
    assert counter_words(21) == ["hai", "mươi", "mốt"]
    assert counter_words(35) == ["ba", "mươi", "lăm"]
    assert counter_words(120) == ["một", "hai", "không"]


def test_every_service_letter_and_every_number_1_to_999(voice, tmp_path):
    letters = string.ascii_uppercase
    assert set(letters) == set(LETTERS)
    for letter in letters:
        for n in range(1, 1000):
            number = f"{letter}{n:03d}"
            assert voice.duration_s(number, n % 20 + 1) > 1.5
    # and a real file for each letter, with the longest digits
    for letter in letters:
        path = voice.announcement(f"{letter}999", 12)
        with wave.open(str(path)) as w:
            assert w.getnframes() > 22050
    with pytest.raises(ValueError):
        words("a24", 1)

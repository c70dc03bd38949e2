"""Voice guidance: fixed Vietnamese prompts synthesised offline (espeak-ng), cached, played off the UI thread."""

from kiosk.voice.speaker import (
    Voice,
    VoiceError,
    find_player,
    prompt_keys,
    wav_duration,
    write_chime,
)

__all__ = ["Voice", "VoiceError", "find_player", "prompt_keys", "wav_duration", "write_chime"]

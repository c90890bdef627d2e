"""A whole EAS activation as a 22 050 Hz 16-bit mono WAV (47 CFR 11.31(a)).

Three header bursts each followed by a second of silence, the attention signal, the spoken
message (English, then Spanish; at most two minutes), and three end-of-message bursts.
"""

from __future__ import annotations

import io
import wave

import numpy as np

from bluealert.errors import InvalidMessage
from bluealert.formats.context import Speaker
from bluealert.formats.same.afsk import RATE, Samples, attention_signal, modulate, silence
from bluealert.formats.same.wav import read_wav

__all__ = ["activation", "read_wav", "spoken_message", "wav_bytes"]

MAX_MESSAGE_SECONDS = 120.0


def _burst_group(data: bytes) -> list[Samples]:
    return [part for _ in range(3) for part in (modulate(data), silence(1.0))]


def spoken_message(speaker: Speaker, texts: list[tuple[str, str]]) -> Samples:
    parts: list[Samples] = []
    for text, language in texts:
        parts += [speaker.speak(text, language), silence(0.75)]
    message = np.concatenate(parts) if parts else silence(0)
    if len(message) > MAX_MESSAGE_SECONDS * RATE:
        raise InvalidMessage(
            f"the spoken message lasts {len(message) / RATE:.0f} s; EAS allows at most 120 s",
            field="message",
        )
    return message


def activation(header: str, message: Samples | None, attention_seconds: float = 8.0) -> Samples:
    if not 8 <= attention_seconds <= 25:
        raise InvalidMessage(
            "the attention signal lasts 8 to 25 seconds", field="attention_seconds"
        )
    parts = [silence(0.5), *_burst_group(header.encode("ascii"))]
    if message is not None and len(message):
        parts += [attention_signal(attention_seconds), silence(1.0), message, silence(1.0)]
    parts += _burst_group(b"NNNN")
    return np.concatenate(parts)


def wav_bytes(samples: Samples, rate: int = RATE) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()

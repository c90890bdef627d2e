"""Our own SAME decoder: tone energies per bit, byte sync on the 0xAB preamble, 2-of-3 rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bluealert.errors import InvalidMessage
from bluealert.formats.same.afsk import BAUD, MARK, RATE, SPACE

MAX_MESSAGE = 268
SEARCH_STEPS = 8
# The mark tone (2083 1/3 Hz) needs more than twice its frequency; 8 kHz is telephone audio.
MIN_RATE = 8_000
# A whole activation lasts under 3 minutes (25 s attention signal, 2 min message); longer
# recordings would only cost memory (the tone filters hold several copies of the samples).
MAX_SECONDS = 15 * 60


@dataclass
class Decoded:
    headers: list[str] = field(default_factory=list)
    end_of_message: int = 0
    bursts: list[str] = field(default_factory=list)


def _tone_difference(samples: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float64]:
    """Mark energy minus space energy, over a sliding window of one bit."""
    width = round(rate / BAUD)
    t = np.arange(width) / rate
    energies = []
    for frequency in (MARK, SPACE):
        kernel = np.exp(-2j * np.pi * frequency * t)
        energies.append(np.abs(np.convolve(samples, kernel, mode="same")))
    return energies[0] - energies[1]


def _bursts(samples: npt.NDArray[np.float32], rate: int) -> list[tuple[int, int]]:
    """Stretches where a tone is present, separated by at least a few bits of quiet."""
    width = round(rate / BAUD)
    loud = np.convolve(np.abs(samples), np.ones(width) / width, mode="same") > 0.05
    edges = np.flatnonzero(np.diff(loud.astype(np.int8)))
    starts = list(edges[::2] + 1) if loud[0] == 0 else [0, *list(edges[1::2] + 1)]
    ends = list(edges[1::2] + 1) if loud[0] == 0 else list(edges[::2] + 1)
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=False) if e - s > 20 * width]


def _read(difference: npt.NDArray[np.float64], start: float, rate: int, count: int) -> bytes:
    spacing = rate / BAUD
    centres = (start + (np.arange(count * 8) + 0.5) * spacing).astype(np.int64)
    centres = centres[centres < len(difference)]
    bits = (difference[centres] > 0).astype(np.uint8)
    usable = len(bits) // 8 * 8
    return np.packbits(bits[:usable].reshape(-1, 8), axis=1, bitorder="little").tobytes()


def _message(raw: bytes) -> str | None:
    for marker in (b"ZCZC", b"NNNN"):
        at = raw.find(marker)
        if at >= 0 and raw[:at].endswith(b"\xab\xab"):
            body = raw[at:]
            if marker == b"NNNN":
                return "NNNN"
            end = body.rfind(b"-")
            text = body[: end + 1]
            if end > 0 and all(32 <= b < 127 for b in text):
                return text.decode("ascii")
    return None


def _decode_burst(
    difference: npt.NDArray[np.float64], start: int, end: int, rate: int
) -> str | None:
    spacing = rate / BAUD
    count = min(int((end - start) / spacing / 8) + 1, 16 + MAX_MESSAGE)
    best: str | None = None
    for step in range(SEARCH_STEPS):
        found = _message(_read(difference, start + step * spacing / SEARCH_STEPS, rate, count))
        if found and (best is None or len(found) > len(best)):
            best = found
    return best


def _check_decodable(samples: npt.NDArray[np.float32], rate: int) -> None:
    if rate < MIN_RATE:
        raise InvalidMessage(
            f"a sample rate of {rate} Hz cannot carry SAME tones; at least {MIN_RATE} Hz",
            field="rate",
        )
    if len(samples) > MAX_SECONDS * rate:
        raise InvalidMessage(
            f"{len(samples) / rate / 60:.0f} minutes of audio; at most 15 are decoded",
            field="wav",
        )


def decode(samples: npt.NDArray[np.float32], rate: int = RATE) -> Decoded:
    """Headers confirmed by 2 of 3 bursts (47 CFR 11.33), and the end-of-message count."""
    _check_decodable(samples, rate)
    if len(samples) < rate / BAUD:
        return Decoded()
    difference = _tone_difference(samples.astype(np.float32), rate)
    result = Decoded()
    for start, end in _bursts(samples, rate):
        text = _decode_burst(difference, start, end, rate)
        if text == "NNNN":
            result.end_of_message += 1
        elif text:
            result.bursts.append(text)
    counts = Counter(result.bursts)
    result.headers = [text for text, seen in counts.items() if seen >= 2]
    return result

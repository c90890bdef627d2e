"""SAME's AFSK: 520 5/6 baud, mark 2083 1/3 Hz, space 1562.5 Hz, LSB first, continuous phase."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RATE = 22_050
BAUD = 520 + 5 / 6
MARK = 2083 + 1 / 3
SPACE = 1562.5
PREAMBLE = bytes([0xAB] * 16)
AMPLITUDE = 0.5

Samples = npt.NDArray[np.float32]


def bits_of(data: bytes) -> npt.NDArray[np.uint8]:
    """Each byte's bits, least significant first (no start or stop bits)."""
    as_array = np.frombuffer(data, dtype=np.uint8)
    return np.unpackbits(as_array[:, None], axis=1, bitorder="little").ravel()


def modulate(data: bytes, rate: int = RATE) -> Samples:
    """One burst: the preamble, then `data`, as continuous-phase FSK samples in [-1, 1]."""
    bits = bits_of(PREAMBLE + data)
    count = round(len(bits) * rate / BAUD)
    bit_of_sample = np.minimum((np.arange(count) * BAUD / rate).astype(np.int64), len(bits) - 1)
    frequency = np.where(bits[bit_of_sample] == 1, MARK, SPACE)
    phase = 2 * np.pi * np.cumsum(frequency) / rate
    return (AMPLITUDE * np.sin(phase)).astype(np.float32)


def silence(seconds: float, rate: int = RATE) -> Samples:
    return np.zeros(round(seconds * rate), dtype=np.float32)


def attention_signal(seconds: float, rate: int = RATE) -> Samples:
    """853 Hz and 960 Hz together (47 CFR 11.31(a)(2))."""
    t = np.arange(round(seconds * rate)) / rate
    tone = 0.5 * (np.sin(2 * np.pi * 853 * t) + np.sin(2 * np.pi * 960 * t))
    return (AMPLITUDE * tone).astype(np.float32)

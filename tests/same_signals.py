"""SAME audio built for tests from the numbers in 47 CFR 11.31, not with our encoder.

`transmission` writes the AFSK itself (a phase accumulator, bits LSB first from a plain
loop), so a decoder bug that our encoder shares cannot hide. The degradations model what
off-air recordings suffer: a start cut off (a squelch or VOX that opens late), noise, level
steps, clipping, DC offset, a sender whose clock or tones are off, and WAV files written by
hand in every common sample format.
"""

from __future__ import annotations

import struct

import numpy as np
import numpy.typing as npt

Signal = npt.NDArray[np.float64]

BIT_RATE = 520.83  # 47 CFR 11.31(a)(1): 1.92 ms a bit
MARK_HZ = 2083.3
SPACE_HZ = 1562.5
PREAMBLE = bytes([0xAB] * 16)


def lsb_first(data: bytes) -> list[int]:
    return [(byte >> shift) & 1 for byte in data for shift in range(8)]


def afsk(
    data: bytes,
    rate: int,
    *,
    amplitude: float = 0.4,
    speed: float = 1.0,
    tone_shift: float = 0.0,
    drop_bits: float = 0.0,
) -> Signal:
    """One burst, preamble included; `drop_bits` of its start replaced by silence."""
    bits = lsb_first(PREAMBLE + data)
    bit_rate = BIT_RATE * speed
    count = int(len(bits) * rate / bit_rate)
    which = np.minimum((np.arange(count) * bit_rate / rate).astype(int), len(bits) - 1)
    tones = np.where(np.array(bits)[which] == 1, MARK_HZ, SPACE_HZ) * speed + tone_shift
    burst = amplitude * np.sin(2 * np.pi * np.cumsum(tones) / rate + 0.7)
    burst[: int(drop_bits * rate / bit_rate)] = 0
    return burst


def transmission(header: str, rate: int, *, gap: float = 1.0, **burst: float) -> Signal:
    """Half a second of silence, 3 header bursts and 3 end-of-message bursts, each + `gap` s."""
    parts = [np.zeros(rate // 2)]
    for data in [header.encode()] * 3 + [b"NNNN"] * 3:
        parts += [afsk(data, rate, **burst), np.zeros(int(gap * rate))]
    return np.concatenate(parts)


def with_noise(signal: Signal, snr_db: float, seed: int) -> Signal:
    """White noise at `snr_db` below the bursts' power (over the whole band)."""
    power = np.mean(signal[signal != 0] ** 2)
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), len(signal))
    return signal + noise


def pcm16(signal: Signal) -> bytes:
    return (np.clip(signal, -1, 32766 / 32767) * 32767).round().astype("<i2").tobytes()


def wav_file(
    payload: bytes,
    *,
    rate: int,
    channels: int = 1,
    bits: int = 16,
    code: int = 1,
    extensible: bool = False,
    data_size: int | None = None,
    extra_chunks: bytes = b"",
) -> bytes:
    """A RIFF WAVE file around `payload`, written field by field as the format describes."""
    block = channels * bits // 8
    fmt = struct.pack(
        "<HHIIHH", 0xFFFE if extensible else code, channels, rate, rate * block, block, bits
    )
    if extensible:
        subformat = struct.pack("<H", code) + bytes.fromhex("000000001000800000aa00389b71")
        fmt += struct.pack("<HHI", 22, bits, 0) + subformat
    body = b"WAVE" + _chunk(b"fmt ", fmt) + extra_chunks
    body += b"data" + struct.pack("<I", len(payload) if data_size is None else data_size) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)

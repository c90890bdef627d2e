"""Band-limited resampling with numpy's FFT, block by block, for any pair of integer rates.

Each block of `down·k` input samples maps to exactly `up·k` output samples (up/down is the
rate ratio in lowest terms), so blocks join without drift. Each block is transformed with a
margin on both sides, its spectrum cut at a smooth low-pass below both Nyquist frequencies
(no aliasing from a 48 kHz recording's upper band into the SAME tones), and only its middle
kept: the margin absorbs the FFT's wrap-around.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from bluealert.formats.same.afsk import Samples

BLOCK = 1 << 16
MARGIN = 1 << 12
# Pass band up to 80 % of the lower Nyquist frequency, stop band from 95 %: at 8 kHz the cut
# lies between 3.2 and 3.8 kHz, far above the 2083⅓ Hz mark tone.
PASS, STOP = 0.80, 0.95


def resample(samples: Samples, rate: int, target: int) -> Samples:
    """`samples` taken at `rate` Hz, as if taken at `target` Hz."""
    if rate == target or not len(samples):
        return samples
    common = math.gcd(rate, target)
    up, down = target // common, rate // common
    block = down * math.ceil(BLOCK / down)
    margin = down * math.ceil(MARGIN / down)
    out_block, out_margin = block * up // down, margin * up // down
    segment, out_segment = block + 2 * margin, (block + 2 * margin) * up // down
    gain = _low_pass(segment, out_segment, rate, target) * (out_segment / segment)
    blocks = math.ceil(len(samples) / block)
    out = np.empty(blocks * out_block, dtype=np.float32)
    bins = len(gain)
    for index in range(blocks):
        spectrum = np.fft.rfft(_segment(samples, index * block - margin, segment))[:bins]
        part = np.fft.irfft(spectrum * gain, n=out_segment)
        out[index * out_block : (index + 1) * out_block] = part[out_margin : out_margin + out_block]
    return out[: len(samples) * up // down]


def _segment(samples: Samples, start: int, length: int) -> Samples:
    """`length` samples from `start`, zeros where that runs past either end (no whole copy)."""
    if start >= 0 and start + length <= len(samples):
        return samples[start : start + length]
    part = np.zeros(length, dtype=np.float32)
    first, last = max(start, 0), min(start + length, len(samples))
    part[first - start : last - start] = samples[first:last]
    return part


def _low_pass(segment: int, out_segment: int, rate: int, target: int) -> npt.NDArray[np.float64]:
    """Raised-cosine low-pass over the FFT bins both segments share (same spacing in Hz)."""
    bins = min(segment, out_segment) // 2 + 1
    frequency = np.arange(bins) * rate / segment
    nyquist = min(rate, target) / 2
    position = np.clip((frequency - PASS * nyquist) / ((STOP - PASS) * nyquist), 0, 1)
    gain: npt.NDArray[np.float64] = 0.5 * (1 + np.cos(np.pi * position))
    return gain

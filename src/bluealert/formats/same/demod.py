"""From 22 050 Hz samples to SAME bits: tone correlation, bit clock recovery, one decision a bit.

Each sample gets the mark tone's amplitude minus the space tone's over a window of one bit
centred on it (the noncoherent matched filter for FSK); its sign is the bit. The bit clock is
recovered from the signal itself: where the tone changes, that difference ramps through zero,
and the ramps' steepness, taken at the bit rate and averaged over a few bits each side, gives
the clock's local phase. The clock thus follows a sender whose bit rate is off by a percent
or two, and needs no particular bit pattern, so a burst that lost its first bits still locks.
Every computation is a whole-array numpy operation (running sums), never a loop per sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bluealert.formats.same.afsk import BAUD, MARK, RATE, SPACE, Samples

SAMPLES_PER_BIT = RATE / BAUD  # 42.336
WINDOW = int(SAMPLES_PER_BIT)
# The clock phase is averaged over this many bits on each side of a sample: long enough to
# smooth the noise, short enough that a 2 % bit-rate error turns the phase only ±60°.
CLOCK_BITS = 8
# Tones more than 80 dB below the block's loudest are taken as silence: the ratio below
# would otherwise hear, at full strength, the faint traces any processing leaves (a running
# mean, the resampler) and decode them as echoes of real bursts.
SILENCE = 10 ** (-80 / 20)
# The clock phase changes slowly: it is computed every 4th sample (about 10 a bit).
CLOCK_STEP = 4

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Bits:
    """One hard decision a bit, and the sample index of each bit's centre."""

    values: npt.NDArray[np.uint8]
    centres: npt.NDArray[np.int64]


def demodulate(samples: Samples) -> Bits:
    """The bits in `samples` (22 050 Hz): one per bit period wherever a clock was found."""
    if len(samples) < 4 * WINDOW:
        return Bits(np.zeros(0, np.uint8), np.zeros(0, np.int64))
    # The block's mean removes a DC offset. A running mean would not do: it keeps a trace of
    # the tones, which after a 40 dB level step outweighed the quiet bits.
    difference = tone_difference(samples - np.mean(samples, dtype=np.float64))
    centres = _bit_centres(difference)
    return Bits((difference[centres] > 0).astype(np.uint8), centres)


def tone_difference(samples: Floats) -> Floats:
    """(mark − space) / (mark + space) amplitude over the bit-long window centred on each sample.

    Dividing by the sum makes it independent of the level, so a level that jumps in the middle
    of a burst neither looks like a tone change to the clock nor drowns the quieter part.
    """
    mark, space = (
        np.abs(_window_sums(samples * _mixer(frequency, len(samples)), WINDOW))
        for frequency in (MARK, SPACE)
    )
    total = mark + space
    audible = total > SILENCE * (np.max(total) if len(total) else 0.0)
    ratio = np.divide(mark - space, total, out=np.zeros_like(total), where=audible)
    return _centred(ratio, WINDOW, len(samples))


def _bit_centres(difference: Floats) -> npt.NDArray[np.int64]:
    half = WINDOW // 4
    steepness = np.abs(difference[2 * half :] - difference[: -2 * half])
    grid = np.arange(half, len(difference) - half, CLOCK_STEP)
    if len(grid) < 2:
        return np.zeros(0, np.int64)
    ticks = steepness[grid - half] * _clock(len(difference))[grid]
    # Centred windows, cut short at the block's ends: the last bits of a recording that stops
    # right after a burst still get a clock.
    reach = round(CLOCK_BITS * SAMPLES_PER_BIT / CLOCK_STEP)
    padded = np.concatenate([np.zeros(reach, np.complex128), ticks, np.zeros(reach, np.complex128)])
    phase = np.angle(_window_sums(padded, 2 * reach + 1))
    # Tone changes sit where the clock phase is 0 (mod 2π); bit centres half a bit later.
    # Noise between bursts can turn the phase back; a clock never runs backwards.
    cycles = np.maximum.accumulate(grid / SAMPLES_PER_BIT + np.unwrap(phase) / (2 * np.pi) - 0.5)
    wanted = np.arange(np.ceil(cycles[0]), np.floor(cycles[-1]) + 1)
    centres = np.round(np.interp(wanted, cycles, grid)).astype(np.int64)
    return np.unique(centres)


def _clock(length: int) -> npt.NDArray[np.complex128]:
    """A unit phasor turning once a bit (any start phase: only phase differences count)."""
    phasor: npt.NDArray[np.complex128] = np.exp(-2j * np.pi * np.arange(length) / SAMPLES_PER_BIT)
    return phasor


def _mixer(frequency: float, length: int) -> npt.NDArray[np.complex128]:
    phasor: npt.NDArray[np.complex128] = np.exp(-2j * np.pi * frequency * np.arange(length) / RATE)
    return phasor


def _window_sums(values: npt.NDArray[np.complex128], width: int) -> npt.NDArray[np.complex128]:
    """Sums over every run of `width` values (len(values) - width + 1 of them)."""
    totals = np.concatenate([np.zeros(1, np.complex128), np.cumsum(values)])
    sums: npt.NDArray[np.complex128] = totals[width:] - totals[:-width]
    return sums


def _centred(values: npt.NDArray[np.generic], width: int, length: int) -> Floats:
    """Window results placed at each window's centre sample, zero where no window fits."""
    out = np.zeros(length, dtype=values.dtype)
    start = width // 2
    out[start : start + len(values)] = values
    return out

"""SAME bursts in a bit stream: byte sync at every bit offset, then the burst's text.

A burst is `ZCZC` (a header) or `NNNN` (end of message) after the 0xAB preamble, each byte
sent least significant bit first (47 CFR 11.31(a)(1), (b)). Every bit position is tried as
the start of a byte, so a burst that lost any number of its first bits still synchronises:
the marker counts when all four of its characters match, or three of them right after a
whole preamble byte (one damaged character does not lose the burst).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from bluealert.formats.same.demod import Bits

PREAMBLE_BYTE = 0xAB
HEADER_MARKER, END_MARKER = b"ZCZC", b"NNNN"
# multimon-ng keeps at most 268 characters after the marker; so do we.
MAX_MESSAGE = 268
BURST_BYTES = len(HEADER_MARKER) + MAX_MESSAGE
# What a header looks like, loosely (any text between the fields), up to its station id.
HEADER_END = re.compile(r"ZCZC-[^+]*\+[0-9]{4}-[0-9]{7}-[^-+]{1,8}-")


@dataclass(frozen=True, slots=True)
class Burst:
    """A burst's bytes from its marker on, and the sample where its marker starts."""

    position: int
    raw: bytes

    @property
    def end_of_message(self) -> bool:
        return _marker_score(self.raw, END_MARKER) > _marker_score(self.raw, HEADER_MARKER)

    @property
    def text(self) -> str:
        return burst_text(self.raw)


def find_bursts(bits: Bits) -> list[Burst]:
    """Every burst in the bits, at whatever bit offset its bytes start."""
    if len(bits.values) < 8 * len(HEADER_MARKER):
        return []
    byte_at = sliding_window_view(bits.values, 8) @ (1 << np.arange(8))
    bursts: list[Burst] = []
    heard_until = 0
    for start in _marker_starts(byte_at):
        if start < heard_until:
            continue  # inside the burst just found (a station id may read NNNN)
        raw = byte_at[start : start + 8 * BURST_BYTES : 8].astype(np.uint8).tobytes()
        bursts.append(Burst(int(bits.centres[start]), raw))
        heard_until = start + 8 * max(len(HEADER_MARKER), message_length(raw))
    return bursts


def _marker_starts(byte_at: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    count = len(byte_at) - 8 * (len(HEADER_MARKER) - 1)
    # A damaged marker counts right after a preamble byte, and never starts with one: NNNN
    # read a byte early ("\xabNNN") also matches three characters.
    after_preamble = np.zeros(count, dtype=bool)
    after_preamble[8:] = byte_at[: max(count - 8, 0)] == PREAMBLE_BYTE
    after_preamble &= byte_at[:count] != PREAMBLE_BYTE
    found = np.zeros(count, dtype=bool)
    for marker in (HEADER_MARKER, END_MARKER):
        score = sum(
            (byte_at[8 * k : 8 * k + count] == character).astype(np.int8)
            for k, character in enumerate(marker)
        )
        found |= (score == len(marker)) | ((score == len(marker) - 1) & after_preamble)
    return np.flatnonzero(found)


def _marker_score(raw: bytes, marker: bytes) -> int:
    return sum(a == b for a, b in zip(raw[: len(marker)], marker, strict=False))


def message_length(raw: bytes) -> int:
    """Bytes up to the first NUL or non-ASCII one, where multimon-ng ends a message."""
    return next((i for i, byte in enumerate(raw) if byte == 0 or byte >= 0x80), len(raw))


def burst_text(raw: bytes) -> str:
    """A burst's text as multimon-ng reports it: up to a NUL or non-ASCII byte, and then up
    to its last '-' (a header ends with one; what follows is the noise after the burst)."""
    message = raw[: message_length(raw)]
    if b"-" in message:
        message = message[: message.rindex(b"-") + 1]
    return message.decode("ascii")


def header_start(text: str) -> str | None:
    """The part of `text` up to a header's station id, if it starts like a header."""
    match = HEADER_END.match(text)
    return match.group() if match else None

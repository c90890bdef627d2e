"""Our own SAME decoder: what multimon-ng hears in a recording, and more.

Audio at any rate from 8 kHz is resampled to 22 050 Hz, demodulated block by block with a
recovered bit clock (`demod`), and searched for bursts at every bit offset (`bursts`).
A header counts when two bursts heard it exactly alike (47 CFR 11.33(a)(10), multimon-ng's
rule); when no two bursts of a transmission's three agree on a well-formed header, their
bitwise majority counts if it is one (each bit as two of the three heard it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from bluealert.errors import InvalidInput, InvalidMessage
from bluealert.formats.same.afsk import RATE, Samples
from bluealert.formats.same.bursts import Burst, burst_text, find_bursts, header_start
from bluealert.formats.same.demod import demodulate
from bluealert.formats.same.header import parse_header
from bluealert.formats.same.resample import resample

# The mark tone (2083 1/3 Hz) needs more than twice its frequency; 8 kHz is telephone audio.
MIN_RATE = 8_000
# A whole activation lasts under 3 minutes (25 s attention signal, 2 min message); longer
# recordings would only cost memory and time.
MAX_SECONDS = 15 * 60
# Blocks of about 48 s bound the memory a long recording needs. A burst lasts at most 4.2 s
# from its marker (272 bytes at 520 5/6 bit/s); consecutive blocks overlap by 6 s and each
# keeps the bursts starting in its own stretch (from 1 s after its start), so every burst is
# decoded whole, once.
BLOCK = 1 << 20
LEAD = RATE
OVERLAP = 6 * RATE
STEP = BLOCK - OVERLAP
# The three bursts of a transmission are about a second apart (11.31(a)(1)); bursts whose
# starts lie further apart than this are never voted together.
ONE_TRANSMISSION = 8 * RATE


@dataclass
class Decoded:
    headers: list[str] = field(default_factory=list)
    end_of_message: int = 0
    bursts: list[str] = field(default_factory=list)


def decode(samples: Samples, rate: int = RATE) -> Decoded:
    """Headers (2 of 3 bursts, or a vote of three), end-of-message bursts and every header burst."""
    _check_decodable(samples, rate)
    bursts = heard_bursts(resample(samples.astype(np.float32), rate, RATE))
    headers = [burst for burst in bursts if not burst.end_of_message]
    texts = [burst.text for burst in headers]
    counts = Counter(texts)
    agreed: dict[str, int] = {}
    for burst, text in zip(headers, texts, strict=True):
        agreed.setdefault(text, burst.position)
    found = [(agreed[text], text) for text, seen in counts.items() if seen >= 2]
    found += _votes(headers, texts)
    return Decoded(
        headers=_without_fragments([text for _, text in sorted(found)]),
        end_of_message=len(bursts) - len(headers),
        bursts=texts,
    )


def heard_bursts(audio: Samples) -> list[Burst]:
    """Every burst in 22 050 Hz audio, in order, with its position in the whole recording."""
    bursts: list[Burst] = []
    start = 0
    while True:
        final = start + BLOCK >= len(audio)
        keep_from = start + LEAD if start else 0
        keep_to = len(audio) if final else start + STEP + LEAD
        for burst in find_bursts(demodulate(audio[start : start + BLOCK])):
            if keep_from <= start + burst.position < keep_to:
                bursts.append(Burst(start + burst.position, burst.raw))
        if final:
            return bursts
        start += STEP


def _votes(headers: list[Burst], texts: list[str]) -> list[tuple[int, str]]:
    """Headers voted from three consecutive header bursts of one transmission."""
    votes = []
    for first in range(len(headers) - 2):
        trio = headers[first : first + 3]
        if trio[2].position - trio[0].position <= ONE_TRANSMISSION:
            voted = _vote(trio, texts[first : first + 3])
            if voted is not None:
                votes.append((trio[0].position, voted))
    return votes


def _vote(trio: list[Burst], said: list[str]) -> str | None:
    if any(said.count(text) >= 2 and _well_formed(text) for text in said):
        return None  # two bursts agree on a header: the exact rule decides
    text = burst_text(_majority(*(burst.raw for burst in trio)))
    if said.count(text) >= 2:
        return None  # the vote says what two bursts said: the exact rule reports it
    # Noise after the bursts can leave a '-' in the vote: then the header ends earlier.
    for candidate in (text, header_start(text)):
        if candidate is not None and _well_formed(candidate):
            return candidate
    return None


def _without_fragments(headers: list[str]) -> list[str]:
    """Drop a malformed text that is the start of a header also heard (a burst cut short)."""
    unique = list(dict.fromkeys(headers))
    return [
        text
        for text in unique
        if _well_formed(text) or not any(o != text and o.startswith(text) for o in unique)
    ]


def _majority(a: bytes, b: bytes, c: bytes) -> bytes:
    """Each bit as two of the three have it."""
    size = min(len(a), len(b), len(c))
    x, y, z = (np.frombuffer(raw[:size], dtype=np.uint8) for raw in (a, b, c))
    return bytes((x & y) | (x & z) | (y & z))


def _well_formed(text: str) -> bool:
    try:
        parse_header(text)
    except InvalidInput:
        return False
    return True


def _check_decodable(samples: Samples, rate: int) -> None:
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

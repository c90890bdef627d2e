"""WAV files of every common kind are read to the same samples; broken ones name the rule."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from bluealert.errors import InvalidMessage
from bluealert.formats.same.wav import read_wav
from tests.same_signals import wav_file

# Known values as each format stores them: half scale, minus quarter scale, zero, most negative.
EXPECTED = [0.5, -0.25, 0.0, -1.0]
PAYLOADS = {
    "pcm 8-bit unsigned": (1, 8, bytes([192, 96, 128, 0])),
    "pcm 16-bit": (1, 16, struct.pack("<4h", 16384, -8192, 0, -32768)),
    "pcm 24-bit": (1, 24, bytes.fromhex("0000400000e0000000000080")),
    "pcm 32-bit": (1, 32, struct.pack("<4i", 2**30, -(2**29), 0, -(2**31))),
    "float 32-bit": (3, 32, struct.pack("<4f", *EXPECTED)),
    "float 64-bit": (3, 64, struct.pack("<4d", *EXPECTED)),
}


@pytest.mark.parametrize("extensible", [False, True], ids=["plain", "extensible"])
@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_every_sample_format_reads_to_the_same_values(kind: str, extensible: bool) -> None:
    code, bits, payload = PAYLOADS[kind]
    data = wav_file(payload, rate=44_100, bits=bits, code=code, extensible=extensible)
    samples, rate = read_wav(data)
    assert rate == 44_100
    assert samples.dtype == np.float32
    assert samples.tolist() == EXPECTED


@pytest.mark.parametrize(
    ("code", "stored", "expected"),
    [
        # What sox 14.4.2 converts these G.711 bytes to (`sox -t raw -e u-law … -e signed`).
        (7, [0x00, 0x80, 0xFF, 0x7F, 0xEF, 0xE0], [-32124, 32124, 0, 0, 132, 372]),
        (6, [0xAA, 0x2A, 0xD5, 0x55, 0xC5, 0xA0], [32256, -32256, 8, -8, 264, 22016]),
    ],
    ids=["mu-law", "a-law"],
)
def test_g711_companded_samples(code: int, stored: list[int], expected: list[int]) -> None:
    samples, rate = read_wav(wav_file(bytes(stored), rate=8_000, bits=8, code=code))
    assert rate == 8_000
    assert (samples * 32768).round().tolist() == expected


def _stereo(left: list[float], right: list[float]) -> bytes:
    frames = [value for pair in zip(left, right, strict=True) for value in pair]
    return wav_file(
        struct.pack(f"<{len(frames)}f", *frames), rate=48_000, channels=2, code=3, bits=32
    )


def test_stereo_is_mixed() -> None:
    samples, _ = read_wav(_stereo([0.5, 0.25, -0.5], [0.25, 0.25, 0.0]))
    assert samples.tolist() == [0.375, 0.25, -0.25]


def test_a_silent_channel_halves_the_mix_but_keeps_every_sample() -> None:
    samples, _ = read_wav(_stereo([0.5, -0.5, 0.5], [0.0, 0.0, 0.0]))
    assert samples.tolist() == [0.25, -0.25, 0.25]


def test_channels_that_cancel_give_the_louder_channel() -> None:
    # A channel wired inverted: the mix would be silence.
    samples, _ = read_wav(_stereo([0.5, -0.5, 0.5], [-0.5, 0.5, -0.375]))
    assert samples.tolist() == [0.5, -0.5, 0.5]


def test_six_channels_extensible() -> None:
    frame = struct.pack("<6h", 16384, 16384, 16384, 16384, 16384, 16384)
    data = wav_file(frame * 3, rate=48_000, channels=6, bits=16, extensible=True)
    samples, _ = read_wav(data)
    assert samples.tolist() == [0.5, 0.5, 0.5]


def test_other_chunks_are_skipped_with_their_padding() -> None:
    odd = b"LIST" + struct.pack("<I", 5) + b"INFOx" + b"\0"
    data = wav_file(struct.pack("<2h", 16384, -16384), rate=22_050, extra_chunks=odd)
    assert read_wav(data)[0].tolist() == [0.5, -0.5]


@pytest.mark.parametrize("declared", [0x7FFFF000, 0xFFFFFFFF, 9])
def test_a_data_chunk_longer_than_the_file_is_read_to_its_end(declared: int) -> None:
    # espeak-ng --stdout and interrupted recorders leave such sizes; a half frame is dropped.
    payload = struct.pack("<5h", 16384, -16384, 0, 8192, 0)[:9]
    data = wav_file(payload, rate=22_050, data_size=declared)
    assert read_wav(data)[0].tolist() == [0.5, -0.5, 0.0, 0.25]


def test_a_recording_longer_than_the_limit_is_refused_before_it_is_converted() -> None:
    data = wav_file(bytes(8_000 * 61), rate=8_000, bits=8)
    with pytest.raises(InvalidMessage, match="at most 1 are decoded") as raised:
        read_wav(data, max_seconds=60)
    assert raised.value.field == "wav"
    assert len(read_wav(data, max_seconds=62)[0]) == 8_000 * 61


GOOD = wav_file(struct.pack("<2h", 1, 2), rate=22_050)
FMT_AT = GOOD.index(b"fmt ")
BROKEN = {
    "empty": (b"", "ends before its RIFF header"),
    "not RIFF": (b"ID3\x04" + bytes(40), "does not start with RIFF…WAVE"),
    "RIFF but AVI": (b"RIFF\x00\x00\x00\x00AVI " + bytes(40), "does not start with RIFF…WAVE"),
    "big-endian RIFX": (b"RIFX" + GOOD[4:], "RIFX WAV files are not read"),
    "RF64": (b"RF64" + GOOD[4:], "RF64 WAV files are not read"),
    "no fmt chunk": (
        b"RIFF\x10\x00\x00\x00WAVEdata\x04\x00\x00\x00\x01\x00\x02\x00",
        "data chunk comes before the fmt",
    ),
    "no chunk at all": (b"RIFF\x04\x00\x00\x00WAVE", "it has no fmt chunk"),
    "no data chunk": (GOOD[: GOOD.index(b"data")], "it has no data chunk"),
    "cut inside fmt": (GOOD[: FMT_AT + 12], "ends inside its fmt chunk"),
    "short fmt": (
        wav_file(b"", rate=1).replace(b"fmt \x10", b"fmt \x0e", 1)[:36],
        "a WAV format needs 16",
    ),
    "MP3": (wav_file(bytes(4), rate=22_050, code=0x55), "0x0055 (MP3) is not read"),
    "ADPCM": (wav_file(bytes(4), rate=22_050, code=0x02), "0x0002 (MS ADPCM) is not read"),
    "zero channels": (wav_file(bytes(4), rate=22_050, channels=0), "declares no channels"),
    "12-bit in 1.5 bytes": (wav_file(bytes(6), rate=22_050, channels=2, bits=12), "do not divide"),
    "20-bit float": (
        wav_file(bytes(6), rate=22_050, code=3, bits=24),
        "samples of 24 bits in format 0x0003",
    ),
    "extensible cut short": (
        wav_file(bytes(4), rate=22_050, code=0xFFFE),
        "WAVE_FORMAT_EXTENSIBLE fmt chunk holds 40 bytes, this one 16",
    ),
    "extensible unknown GUID": (
        wav_file(bytes(4), rate=22_050, extensible=True).replace(
            bytes.fromhex("0000001000800000aa00389b71"), bytes(13)
        ),
        "sub-format 0100",
    ),
    "no audio": (wav_file(b"", rate=22_050), "holds no audio"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_name_the_rule(case: str) -> None:
    data, says = BROKEN[case]
    with pytest.raises(InvalidMessage) as raised:
        read_wav(data)
    assert raised.value.field == "wav"
    assert says in str(raised.value)

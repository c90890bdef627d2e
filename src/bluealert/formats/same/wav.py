"""WAV files as recorders write them, read into one channel of float samples.

PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE float of 32 and 64 bits, G.711 µ-law and
A-law, plain or WAVE_FORMAT_EXTENSIBLE, any number of channels. Chunks other than `fmt ` and
`data` are skipped. A `data` chunk whose declared size runs past the end of the file (a
recording cut short, or a streaming writer such as `espeak-ng --stdout` that never filled the
size in) is read to the end of the file, as sox does; a file cut inside its header is refused.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bluealert.errors import InvalidMessage
from bluealert.formats.same.afsk import Samples

PCM, IEEE_FLOAT, A_LAW, MU_LAW, EXTENSIBLE = 0x0001, 0x0003, 0x0006, 0x0007, 0xFFFE
# KSDATAFORMAT_SUBTYPE_PCM, _IEEE_FLOAT, …: the format code, then this fixed tail (mmreg.h).
SUBFORMAT_TAIL = bytes.fromhex("000000001000800000aa00389b71")
CONTAINER_BYTES = {PCM: (1, 2, 3, 4), IEEE_FLOAT: (4, 8), A_LAW: (1,), MU_LAW: (1,)}
FORMAT_NAMES = {0x0002: "MS ADPCM", 0x0011: "IMA ADPCM", 0x0031: "GSM 6.10", 0x0055: "MP3"}
READABLE = "PCM 8/16/24/32-bit, IEEE float 32/64-bit, µ-law or A-law"
# When mixing the channels keeps less than a tenth of the loudest one's level, they cancel
# (one is wired inverted) and the loudest channel alone is taken. Anything less cancelling
# is mixed, as sox does: an FM stereo receiver's noise is opposite in L and R, so the mix
# is cleaner than either channel even though it is quieter.
CANCELLED_MIX = 0.1


@dataclass(frozen=True, slots=True)
class WavFormat:
    code: int
    channels: int
    rate: int
    sample_bytes: int


def read_wav(data: bytes, max_seconds: float | None = None) -> tuple[Samples, int]:
    """One channel of float samples (full scale ±1), and the sample rate.

    Stereo and multichannel audio is mixed; when the mix cancels, the loudest channel is
    taken. `max_seconds` refuses longer audio before its samples are converted.
    """
    wav_format, payload = _format_and_payload(data)
    frames = len(payload) // (wav_format.channels * wav_format.sample_bytes)
    if frames == 0:
        raise InvalidMessage("the WAV file holds no audio", field="wav")
    if max_seconds is not None and frames > max_seconds * wav_format.rate:
        minutes = frames / wav_format.rate / 60
        raise InvalidMessage(
            f"{minutes:.0f} minutes of audio; at most {max_seconds / 60:.0f} are decoded",
            field="wav",
        )
    values = _samples(payload, wav_format, frames * wav_format.channels)
    return one_channel(values.reshape(frames, wav_format.channels)), wav_format.rate


def one_channel(frames: npt.NDArray[np.float32]) -> Samples:
    """The mix of all channels, or the loudest channel when mixing cancels the tones."""
    if frames.shape[1] == 1:
        return frames[:, 0]
    mix: Samples = frames.mean(axis=1, dtype=np.float64).astype(np.float32)
    levels = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=0))
    loudest = int(np.argmax(levels))
    if np.sqrt(np.mean(np.square(mix, dtype=np.float64))) < CANCELLED_MIX * levels[loudest]:
        louder: Samples = np.ascontiguousarray(frames[:, loudest])
        return louder
    return mix


def _format_and_payload(data: bytes) -> tuple[WavFormat, memoryview]:
    _check_riff(data)
    wav_format: WavFormat | None = None
    position = 12
    while position + 8 <= len(data):
        name, size = data[position : position + 4], _u32(data, position + 4)
        body = position + 8
        if name == b"data":
            if wav_format is None:
                raise InvalidMessage("the data chunk comes before the fmt chunk", field="wav")
            # A view, not a copy: the payload can be 200 MB.
            return wav_format, memoryview(data)[body : min(body + size, len(data))]
        if name == b"fmt ":
            if body + size > len(data):
                raise InvalidMessage("the file ends inside its fmt chunk", field="wav")
            wav_format = _parse_format(data[body : body + size])
        position = body + size + size % 2  # RIFF pads odd-sized chunks to even length
    missing = "fmt" if wav_format is None else "data"
    raise InvalidMessage(f"not a WAV file: it has no {missing} chunk", field="wav")


def _check_riff(data: bytes) -> None:
    if len(data) < 12:
        raise InvalidMessage("not a WAV file: it ends before its RIFF header does", field="wav")
    kind, form = data[:4], data[8:12]
    if kind in (b"RIFX", b"RF64"):
        raise InvalidMessage(
            f"{kind.decode()} WAV files are not read; convert to a plain RIFF WAV", field="wav"
        )
    if kind != b"RIFF" or form != b"WAVE":
        raise InvalidMessage("not a WAV file: it does not start with RIFF…WAVE", field="wav")


def _parse_format(chunk: bytes) -> WavFormat:
    if len(chunk) < 16:
        raise InvalidMessage(
            f"the fmt chunk holds {len(chunk)} bytes; a WAV format needs 16", field="wav"
        )
    code, channels, rate, _, block_align, _ = struct.unpack_from("<HHIIHH", chunk)
    if code == EXTENSIBLE:
        code = _extensible_code(chunk)
    if code not in CONTAINER_BYTES:
        name = FORMAT_NAMES.get(code, "unknown")
        raise InvalidMessage(
            f"audio format {code:#06x} ({name}) is not read; {READABLE} are", field="wav"
        )
    if channels == 0:
        raise InvalidMessage("the WAV format declares no channels", field="wav")
    if block_align % channels:
        raise InvalidMessage(
            f"{channels} channel(s) in frames of {block_align} bytes do not divide evenly",
            field="wav",
        )
    sample_bytes = block_align // channels
    if sample_bytes not in CONTAINER_BYTES[code]:
        raise InvalidMessage(
            f"samples of {8 * sample_bytes} bits in format {code:#06x} are not read; "
            f"{READABLE} are",
            field="wav",
        )
    return WavFormat(code, channels, rate, sample_bytes)


def _extensible_code(chunk: bytes) -> int:
    if len(chunk) < 40:
        raise InvalidMessage(
            f"a WAVE_FORMAT_EXTENSIBLE fmt chunk holds 40 bytes, this one {len(chunk)}",
            field="wav",
        )
    subformat = chunk[24:40]
    if subformat[2:] != SUBFORMAT_TAIL:
        raise InvalidMessage(
            f"the extensible sub-format {subformat.hex()} is not a WAVE format; {READABLE} are",
            field="wav",
        )
    return int.from_bytes(subformat[:2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _samples(payload: memoryview, wav_format: WavFormat, count: int) -> npt.NDArray[np.float32]:
    raw = np.frombuffer(payload, dtype=np.uint8, count=count * wav_format.sample_bytes)
    if wav_format.code == IEEE_FLOAT:
        kind = "<f4" if wav_format.sample_bytes == 4 else "<f8"
        values = raw.view(kind).astype(np.float32)
        return np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0)
    if wav_format.code == MU_LAW:
        return _mu_law(raw)
    if wav_format.code == A_LAW:
        return _a_law(raw)
    return _pcm(raw, wav_format.sample_bytes)


def _pcm(raw: npt.NDArray[np.uint8], width: int) -> npt.NDArray[np.float32]:
    if width == 1:  # 8-bit WAV is unsigned, centred on 128
        return (raw.astype(np.float32) - np.float32(128)) / np.float32(128)
    if width == 3:
        triples = raw.reshape(-1, 3).astype(np.int32)
        joined = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = (joined << 8) >> 8  # sign-extend the 24-bit value
        return (values * (1 / 2**23)).astype(np.float32)
    integers = raw.view("<i2" if width == 2 else "<i4")
    scaled: npt.NDArray[np.float32] = (integers * (1 / 2 ** (8 * width - 1))).astype(np.float32)
    return scaled


def _mu_law(raw: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """ITU-T G.711 µ-law: bits are stored inverted; 8 segments with a bias of 33 (132/4)."""
    code = (~raw).astype(np.int32) & 0xFF
    magnitude = ((((code & 0x0F) << 3) + 0x84) << ((code >> 4) & 0x07)) - 0x84
    return (np.where(code & 0x80, -magnitude, magnitude) / 32768).astype(np.float32)


def _a_law(raw: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """ITU-T G.711 A-law: even bits are inverted (XOR 0x55); segment 0 is linear."""
    code = raw.astype(np.int32) ^ 0x55
    segment, mantissa = (code >> 4) & 0x07, code & 0x0F
    linear = np.where(
        segment == 0, (mantissa << 4) + 8, ((mantissa << 4) + 0x108) << np.maximum(segment - 1, 0)
    )
    return (np.where(code & 0x80, linear, -linear) / 32768).astype(np.float32)

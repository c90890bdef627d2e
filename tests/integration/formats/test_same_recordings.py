"""`same decode` hears at least what multimon-ng hears, on recordings damaged on purpose.

multimon-ng is the reference: each recording goes through sox to 22 050 Hz signed 16-bit
mono raw audio and `multimon-ng -t raw -a EAS`, as its manual says. Whatever header it
prints, our decoder reports too, with the same text; whatever end-of-message bursts it
counts, ours counts at least. (When multimon-ng loses the bit clock of a sender that runs
fast, it prints the burst cut short, e.g. `ZCZC-CIV-BLU-`: then ours must report the whole
header that starts so.) Independently, ours must return the header the recording carries.

Recordings come from three sources, so the test is not circular: the published spec vector,
our encoder (`activation`), and an AFSK writer in `tests.same_signals` built from the numbers
in 47 CFR 11.31. Many files are converted by sox, so our WAV reader meets a writer we did not
write. A missing sox or multimon-ng fails these tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bluealert.cli.main import app
from bluealert.formats.same.audio import activation, wav_bytes
from bluealert.formats.same.decoder import Decoded, decode
from bluealert.formats.same.header import parse_header
from bluealert.formats.same.wav import read_wav
from tests import factories as f
from tests.integration.formats.conftest import run_tool
from tests.same_signals import pcm16, transmission, wav_file, with_noise

HEADER = "ZCZC-CIV-BLU-048113-048439-048085+0130-3281500-WTSP/TV -"
VECTOR_HEADER = "ZCZC-CIV-BLU-048201-048157+0600-3251830-KXYZ/FM -"
RATE = 22_050


def _multimon(path: Path, tmp: Path) -> tuple[list[str], int]:
    raw = tmp / "reference.raw"
    converted = run_tool(
        "sox", str(path), "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1",
        str(raw),
    )  # fmt: skip
    assert converted.returncode == 0, converted.stderr
    done = run_tool("multimon-ng", "-q", "-t", "raw", "-a", "EAS", str(raw))
    assert done.returncode == 0, done.stderr
    lines = [line.removeprefix("EAS: ") for line in done.stdout.splitlines()]
    return [line for line in lines if line.startswith("ZCZC")], lines.count("NNNN")


def _ours(path: Path) -> Decoded:
    samples, rate = read_wav(path.read_bytes())
    return decode(samples, rate)


def _hears_at_least_multimon(path: Path, tmp: Path) -> tuple[Decoded, list[str]]:
    their_headers, their_ends = _multimon(path, tmp)
    ours = _ours(path)
    for header in their_headers:
        cut_short = any(mine.startswith(header) for mine in ours.headers)
        assert header in ours.headers or cut_short, (header, ours)
    assert ours.end_of_message >= their_ends, (their_ends, ours)
    return ours, their_headers


def _assert_carries(ours: Decoded, header: str = HEADER) -> None:
    assert ours.headers == [header]
    assert ours.end_of_message == 3


def _write(tmp: Path, signal: np.ndarray, rate: int = RATE, name: str = "recording.wav") -> Path:
    path = tmp / name
    path.write_bytes(wav_file(pcm16(signal), rate=rate))
    return path


def _sox(tmp: Path, source: Path, *options: str, effects: tuple[str, ...] = ()) -> Path:
    target = tmp / "converted.wav"
    done = run_tool("sox", str(source), *options, str(target), *effects)
    assert done.returncode == 0, done.stderr
    return target


def _independent(rate: int = RATE, **burst: float) -> np.ndarray:
    return transmission(HEADER, rate, **burst)


# --- first bits lost: every bit offset within a byte, and half a bit --------------------

CUTS = [8 * 15 + bit for bit in range(8)] + [8 * 15 + 3.5, 8 * 6 + 5, 8 * 6 + 5.5, 2.5]


@pytest.mark.parametrize("cut", CUTS)
def test_bursts_cut_at_any_bit_offset(tmp_path: Path, cut: float) -> None:
    path = _write(tmp_path, _independent(drop_bits=cut))
    ours, theirs = _hears_at_least_multimon(path, tmp_path)
    _assert_carries(ours)
    if cut > 8 * 15:  # less than a whole 0xAB byte left: multimon-ng cannot byte-sync
        assert theirs == []


def _vector() -> tuple[np.ndarray, int]:
    samples, rate = read_wav(f.testdata("blu_test_header_22050hz.wav"))
    return samples.astype(np.float64), rate


def _vector_bursts() -> list[int]:
    """Where each of the vector's six bursts starts, found from its level (not our decoder)."""
    samples, _ = _vector()
    loud = np.convolve(np.abs(samples) > 0.01, np.ones(200), mode="same") > 0
    starts = np.flatnonzero(np.diff(loud.astype(np.int8)) == 1) + 1
    assert len(starts) == 7  # 3 headers, the attention signal, 3 ends of message
    return [int(s) for s in np.delete(starts, 3)]


@pytest.mark.parametrize("cut", [3, 8 * 15 + 1, 8 * 15 + 6.5])
def test_the_spec_vector_with_every_burst_cut(tmp_path: Path, cut: float) -> None:
    samples, rate = _vector()
    for start in _vector_bursts():
        samples[start - 100 : start + round(cut * rate / 520.83)] = 0
    ours, _ = _hears_at_least_multimon(_write(tmp_path, samples), tmp_path)
    _assert_carries(ours, VECTOR_HEADER)


# --- noise, level, clipping, DC --------------------------------------------------------


@pytest.mark.parametrize(("snr_db", "seed"), [(10, 1), (3, 2), (0, 3), (0, 4), (-2, 5)])
def test_white_noise(tmp_path: Path, snr_db: float, seed: int) -> None:
    signal = with_noise(_independent(amplitude=0.15), snr_db, seed)
    ours, _ = _hears_at_least_multimon(_write(tmp_path, signal), tmp_path)
    _assert_carries(ours)


def test_white_noise_on_the_spec_vector(tmp_path: Path) -> None:
    samples, rate = _vector()
    noisy = with_noise(0.3 * samples, 0, seed=11)
    ours, _ = _hears_at_least_multimon(_write(tmp_path, noisy, rate), tmp_path)
    _assert_carries(ours, VECTOR_HEADER)


def _level_steps(signal: np.ndarray) -> np.ndarray:
    return signal * np.where((np.arange(len(signal)) // (RATE // 5)) % 2 == 0, 1.0, 0.01)


def _fading(signal: np.ndarray) -> np.ndarray:
    return signal * (0.55 + 0.45 * np.sin(2 * np.pi * 1.3 * np.arange(len(signal)) / RATE))


DAMAGE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "-60 dBFS": lambda s: s * 0.0025,
    "40 dB level steps five times a second": _level_steps,
    "fading": _fading,
    "clipped hard (20 dB over full scale)": lambda s: np.clip(10 * s, -1, 1),
    "DC offset": lambda s: 0.5 * s + 0.45,
    "DC offset and clipping": lambda s: np.clip(2 * s + 0.6, -1, 1),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("source", ["independent", "our encoder"])
def test_level_clipping_and_dc(tmp_path: Path, damage: str, source: str) -> None:
    signal = _independent() if source == "independent" else activation(HEADER, None).astype(float)
    ours, _ = _hears_at_least_multimon(_write(tmp_path, DAMAGE[damage](signal)), tmp_path)
    _assert_carries(ours)


# --- resampling, sample formats, channels (converted by sox) ---------------------------

CONVERSIONS = {
    "44.1 kHz": ("-r", "44100"),
    "48 kHz": ("-r", "48000"),
    "96 kHz float": ("-r", "96000", "-e", "floating-point", "-b", "32"),
    "8 kHz": ("-r", "8000"),
    "8 kHz mu-law": ("-r", "8000", "-e", "u-law"),
    "8 kHz A-law": ("-r", "8000", "-e", "a-law"),
    "11.025 kHz 8-bit": ("-r", "11025", "-b", "8", "-e", "unsigned"),
    "24-bit": ("-b", "24"),
    "32-bit integer at 32 kHz": ("-r", "32000", "-b", "32", "-e", "signed"),
    "16 kHz float64": ("-r", "16000", "-e", "floating-point", "-b", "64"),
    "192 kHz 24-bit": ("-r", "192000", "-b", "24"),
    "stereo": ("-c", "2"),
    "5.1 channels 48 kHz": ("-r", "48000", "-c", "6"),
}


@pytest.mark.parametrize("conversion", list(CONVERSIONS))
def test_rates_sample_formats_and_channels(tmp_path: Path, conversion: str) -> None:
    source = _write(tmp_path, _independent(), name="source.wav")
    path = _sox(tmp_path, source, *CONVERSIONS[conversion])
    ours, theirs = _hears_at_least_multimon(path, tmp_path)
    _assert_carries(ours)
    assert theirs == [HEADER]  # the reference works on these: the comparison is not empty


def test_the_spec_vector_at_96_khz_float(tmp_path: Path) -> None:
    source = tmp_path / "vector.wav"
    source.write_bytes(f.testdata("blu_test_header_22050hz.wav"))
    path = _sox(tmp_path, source, "-r", "96000", "-e", "floating-point", "-b", "32")
    ours, theirs = _hears_at_least_multimon(path, tmp_path)
    _assert_carries(ours, VECTOR_HEADER)
    assert theirs == [VECTOR_HEADER]


def _stereo_file(tmp: Path, left: np.ndarray, right: np.ndarray) -> Path:
    frames = np.stack([left, right], axis=1).astype("<f4")
    path = tmp / "stereo.wav"
    path.write_bytes(wav_file(frames.tobytes(), rate=48_000, channels=2, bits=32, code=3))
    return path


def test_stereo_with_one_channel_inverted(tmp_path: Path) -> None:
    signal = _independent(48_000)
    ours, theirs = _hears_at_least_multimon(_stereo_file(tmp_path, signal, -signal), tmp_path)
    _assert_carries(ours)
    assert theirs == []  # sox mixes the channels to silence


def test_stereo_with_noise_that_cancels_in_the_mix(tmp_path: Path) -> None:
    # An FM stereo receiver's noise sits in L-R: L = M + n, R = M - n.
    signal = _independent(48_000, amplitude=0.1)
    noise = np.random.default_rng(3).normal(0, 0.25, len(signal))
    path = _stereo_file(tmp_path, signal + noise, signal - noise)
    ours, theirs = _hears_at_least_multimon(path, tmp_path)
    _assert_carries(ours)
    assert theirs == [HEADER]


def test_stereo_with_the_tones_on_one_channel(tmp_path: Path) -> None:
    signal = _independent(48_000)
    path = _stereo_file(tmp_path, np.zeros(len(signal)), signal)
    _assert_carries(_hears_at_least_multimon(path, tmp_path)[0])


# --- a sender whose clock or tones are off ---------------------------------------------


@pytest.mark.parametrize("speed", ["0.98", "0.99", "1.01", "1.02"])
def test_tape_speed_off_by_a_percent_or_two(tmp_path: Path, speed: str) -> None:
    # sox's `speed` changes tones and bit rate together, as a tape or sound card clock does.
    source = _write(tmp_path, _independent(), name="source.wav")
    path = _sox(tmp_path, source, effects=("speed", speed))
    _assert_carries(_hears_at_least_multimon(path, tmp_path)[0])


@pytest.mark.parametrize(
    "burst",
    [{"speed": 1.02}, {"speed": 0.98}, {"tone_shift": 45.0}, {"tone_shift": -45.0}],
    ids=["bits 2 % fast", "bits 2 % slow", "tones 45 Hz high", "tones 45 Hz low"],
)
def test_sender_off_specification(tmp_path: Path, burst: dict[str, float]) -> None:
    path = _write(tmp_path, _independent(**burst))
    _assert_carries(_hears_at_least_multimon(path, tmp_path)[0])


def test_wow_a_time_base_that_swings(tmp_path: Path) -> None:
    signal = _independent(48_000)
    time = np.arange(len(signal), dtype=np.float64)
    warped = time + 0.012 * 48_000 / (2 * np.pi * 1.5) * np.sin(2 * np.pi * 1.5 * time / 48_000)
    path = _write(tmp_path, np.interp(warped, time, signal), 48_000)
    _assert_carries(_hears_at_least_multimon(path, tmp_path)[0])


# --- the command line ------------------------------------------------------------------


def test_same_decode_reads_an_off_air_style_float_wav(tmp_path: Path) -> None:
    # The recording: IEEE float at 96 kHz, refused before as "unknown format: 3".
    source = _write(tmp_path, with_noise(_independent(amplitude=0.2), 6, seed=9), name="in.wav")
    path = _sox(tmp_path, source, "-r", "96000", "-e", "floating-point", "-b", "32")
    result = CliRunner().invoke(app, ["same", "decode", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert f'"text": "{HEADER}"' in result.stdout
    assert '"end_of_message": 3' in result.stdout


def test_same_decode_shows_a_header_heard_that_breaks_the_grammar(tmp_path: Path) -> None:
    odd = HEADER.replace("+0130", "+0140")  # not a legal valid period, but heard twice
    path = _write(tmp_path, transmission(odd, RATE))
    assert [odd] == _multimon(path, tmp_path)[0]
    result = CliRunner().invoke(app, ["same", "decode", str(path)])
    assert result.exit_code == 0, result.output
    assert f"EAS: {odd}" in result.stdout
    with pytest.raises(ValueError, match="legal valid period"):
        parse_header(odd)
    assert "not a valid header: +0140 is not a legal valid period" in result.stdout


def test_a_station_id_with_a_dash_reads_as_multimon_ng_reads_it(tmp_path: Path) -> None:
    odd = HEADER.replace("WTSP/TV ", "WTSP-TV")  # the rule says WTSP/TV; some send this
    ours, theirs = _hears_at_least_multimon(_write(tmp_path, transmission(odd, RATE)), tmp_path)
    assert theirs == [odd]
    assert ours.headers == [odd]


def test_same_decode_refuses_a_wav_cut_inside_its_header(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    path.write_bytes(wav_bytes(activation(HEADER, None))[:30])
    result = CliRunner().invoke(app, ["same", "decode", str(path)])
    assert result.exit_code == 2
    assert "wav: the file ends inside its fmt chunk" in result.output

"""Our SAME decoder on damaged audio: lost first bits, quiet and uneven levels, noise, voting."""

from __future__ import annotations

import numpy as np
import pytest

from bluealert.formats.same import decoder
from bluealert.formats.same.afsk import RATE, modulate, silence
from bluealert.formats.same.decoder import decode
from bluealert.formats.same.resample import resample
from tests.same_signals import afsk, transmission, with_noise

HEADER = "ZCZC-CIV-BLU-048113-048121+0600-3281500-KXYZ/FM -"


def _float32(signal: np.ndarray) -> np.ndarray:
    return signal.astype(np.float32)


def _assert_heard(found: decoder.Decoded, header: str = HEADER) -> None:
    assert (found.headers, found.end_of_message, found.bursts) == ([header], 3, [header] * 3)


# Every bit offset within a byte, on a bit boundary and half way through a bit, early in the
# preamble and in its last byte (which leaves fewer than 8 preamble bits before ZCZC).
CUTS = [8 * byte + bit + part for byte in (3, 15) for bit in range(8) for part in (0.0, 0.5)]


@pytest.mark.parametrize("cut", CUTS)
def test_bursts_that_lost_their_first_bits_still_decode(cut: float) -> None:
    found = decode(_float32(transmission(HEADER, RATE, drop_bits=cut)))
    _assert_heard(found)


@pytest.mark.parametrize("bit", range(8))
def test_our_own_encoder_cut_in_the_last_preamble_byte(bit: int) -> None:
    samples_per_bit = RATE / 520.83
    parts = []
    for data in [HEADER.encode()] * 3 + [b"NNNN"] * 3:
        burst = modulate(data)
        burst[: round((120 + bit) * samples_per_bit)] = 0
        parts += [burst, silence(1.0)]
    _assert_heard(decode(np.concatenate(parts)))


@pytest.mark.parametrize("amplitude", [0.9, 0.01, 0.0005])
def test_quiet_and_loud_recordings_decode_alike(amplitude: float) -> None:
    # 0.0005 of full scale is -66 dBFS: a few LSB of 16-bit audio still carry it.
    signal = transmission(HEADER, RATE, amplitude=amplitude)
    quantised = np.round(signal * 32767) / 32767
    _assert_heard(decode(_float32(quantised)))


def test_each_burst_at_its_own_level() -> None:
    levels = [(HEADER.encode(), 0.8), (HEADER.encode(), 0.002), (HEADER.encode(), 0.05)]
    levels += [(b"NNNN", 0.003), (b"NNNN", 0.9), (b"NNNN", 0.02)]
    parts = [
        part
        for data, level in levels
        for part in (afsk(data, RATE, amplitude=level), np.zeros(RATE))
    ]
    _assert_heard(decode(_float32(np.concatenate(parts))))


def test_a_level_step_in_the_middle_of_each_burst() -> None:
    signal = transmission(HEADER, RATE)
    envelope = np.where((np.arange(len(signal)) // (RATE // 3)) % 2 == 0, 1.0, 0.01)
    _assert_heard(decode(_float32(signal * envelope)))


@pytest.mark.parametrize("snr_db", [10, 3, 0])
def test_white_noise(snr_db: float) -> None:
    signal = with_noise(transmission(HEADER, RATE, amplitude=0.2), snr_db, seed=7)
    _assert_heard(decode(_float32(signal)))


def test_dc_offset_and_clipping() -> None:
    signal = np.clip(3 * transmission(HEADER, RATE) + 0.6, -1, 1)
    _assert_heard(decode(_float32(signal)))


@pytest.mark.parametrize("speed", [0.98, 0.99, 1.01, 1.02])
def test_a_sender_whose_clock_runs_fast_or_slow(speed: float) -> None:
    _assert_heard(decode(_float32(transmission(HEADER, RATE, speed=speed))))


@pytest.mark.parametrize("shift", [-50.0, 40.0])
def test_tones_off_frequency(shift: float) -> None:
    _assert_heard(decode(_float32(transmission(HEADER, RATE, tone_shift=shift))))


def test_a_clock_that_wanders_during_the_bursts() -> None:
    # Wow: the recording's time base swings ±1.5 % twice a second (a tape or a drifting clock).
    signal = transmission(HEADER, RATE)
    time = np.arange(len(signal), dtype=np.float64)
    warped = time + 0.015 * RATE / (2 * np.pi * 2) * np.sin(2 * np.pi * 2 * time / RATE)
    _assert_heard(decode(_float32(np.interp(warped, time, signal))))


def _bursts(texts: list[str] | list[bytes], gap: float = 1.0) -> np.ndarray:
    parts = [np.zeros(RATE // 2)]
    for text in texts:
        data = text.encode() if isinstance(text, str) else text
        parts += [afsk(data, RATE), np.zeros(int(gap * RATE))]
    return _float32(np.concatenate(parts))


def _damaged(position: int, flip: int) -> str:
    """HEADER with one bit of one character flipped, still printable ASCII."""
    character = chr(ord(HEADER[position]) ^ flip)
    return HEADER[:position] + character + HEADER[position + 1 :]


def test_three_bursts_that_all_differ_are_voted_bit_by_bit() -> None:
    damaged = [_damaged(14, 0x01), _damaged(30, 0x02), _damaged(45, 0x10)]
    assert len(set(damaged)) == 3
    found = decode(_bursts(damaged))
    assert found.bursts == damaged
    assert found.headers == [HEADER]


def test_votes_stay_within_one_transmission() -> None:
    damaged = [_damaged(14, 0x01), _damaged(30, 0x02), _damaged(45, 0x10)]
    assert decode(_bursts(damaged, gap=5.0)).headers == []


def test_a_vote_that_is_not_a_header_is_not_reported() -> None:
    # Two bursts damaged at the same bit: the majority keeps the damage (+0601 is illegal).
    damaged = [_damaged(30, 0x01), _damaged(30, 0x01).replace("KXYZ", "KXYY"), _damaged(20, 0x01)]
    assert decode(_bursts(damaged)).headers == []


def test_two_bursts_cut_short_alike_do_not_hide_the_vote() -> None:
    # A non-ASCII byte ends a message (multimon-ng's rule): both damaged bursts read
    # "ZCZC-CIV-BLU-", which multimon-ng would report; the bitwise vote restores the header.
    first, second = bytearray(HEADER.encode()), bytearray(HEADER.encode())
    first[15] |= 0x80
    second[17] |= 0x80
    found = decode(_bursts([bytes(first), bytes(second), HEADER.encode()]))
    assert found.bursts == ["ZCZC-CIV-BLU-", "ZCZC-CIV-BLU-", HEADER]
    assert found.headers == [HEADER]


def test_two_bursts_alike_decide_even_when_the_third_differs() -> None:
    other = HEADER.replace("048121", "048439")
    assert decode(_bursts([other, HEADER, HEADER])).headers == [HEADER]
    assert decode(_bursts([HEADER, other, other, HEADER])).headers == [HEADER, other]


def test_two_bursts_alike_are_reported_even_if_not_a_well_formed_header() -> None:
    # multimon-ng reports what it hears; so do we (the command line says it is malformed).
    odd = "ZCZC-CIV-BLU-048113+0610-3281500-KXYZ/FM -"
    assert decode(_bursts([odd, odd])).headers == [odd]


def test_a_station_called_nnnn_is_not_an_end_of_message() -> None:
    header = HEADER.replace("KXYZ/FM ", "NNNN    ")
    _assert_heard(decode(_float32(transmission(header, RATE))), header)


def test_bursts_around_the_edges_of_decoding_blocks_are_heard_once() -> None:
    # The second header burst's ZCZC starts 2.74 s into the transmission.
    for edge in (decoder.STEP, decoder.STEP + decoder.LEAD):
        for seconds_before in (0.5, 2.7, 2.76, 5.0, 7.6):
            start = edge - round(seconds_before * RATE)
            signal = np.concatenate([np.zeros(start), transmission(HEADER, RATE)])
            _assert_heard(decode(_float32(signal)))


def test_resampling_keeps_the_band_and_drops_what_would_alias() -> None:
    time = np.arange(48_000) / 48_000
    in_band = resample(_float32(np.sin(2 * np.pi * 2083.3 * time)), 48_000, RATE)
    assert len(in_band) == RATE
    spectrum = np.abs(np.fft.rfft(in_band[1000:-1000]))
    peak_hz = np.argmax(spectrum) * RATE / (RATE - 2000)
    assert abs(peak_hz - 2083.3) < 2
    assert np.sqrt(np.mean(in_band[1000:-1000] ** 2)) == pytest.approx(np.sqrt(0.5), rel=1e-3)
    # 20 kHz at 48 kHz would fold onto 2050 Hz, next to the mark tone, if sampled naively.
    above = resample(_float32(np.sin(2 * np.pi * 20_000 * time)), 48_000, RATE)
    assert np.sqrt(np.mean(above**2)) < 1e-3


@pytest.mark.parametrize("rate", [8_000, 11_025, 16_000, 32_000, 44_100, 48_000, 96_000])
def test_recordings_at_other_rates(rate: int) -> None:
    _assert_heard(decode(_float32(transmission(HEADER, rate)), rate))

"""Our SAME decoder on damaged audio: lost first bits, quiet and uneven levels, noise, voting."""

from __future__ import annotations

import numpy as np
import pytest

from bluealert.formats.same import decoder
from bluealert.formats.same.afsk import RATE, modulate, silence
from bluealert.formats.same.bursts import burst_text, find_bursts
from bluealert.formats.same.decoder import decode, heard_bursts
from bluealert.formats.same.demod import Bits
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


def test_bursts_start_at_their_marker() -> None:
    found = heard_bursts(_float32(transmission(HEADER, RATE)))
    assert [burst.raw[:4] for burst in found] == [b"ZCZC"] * 3 + [b"NNNN"] * 3
    # Each burst: 16 preamble bytes, then the marker; 0.5 s lead-in, 1 s after each burst.
    bit = RATE / 520.83
    starts, at = [], RATE / 2
    for length in [len(HEADER)] * 3 + [4] * 3:
        starts.append(at + 128.5 * bit)
        at += int((16 + length) * 8 * bit) + RATE
    assert np.allclose([burst.position for burst in found], starts, atol=bit / 4)


def test_a_marker_with_one_damaged_character_needs_the_preamble_before_it() -> None:
    damaged = "ZCXC" + HEADER[4:]
    found = decode(_bursts([damaged, HEADER, HEADER]))
    assert (found.bursts, found.headers) == ([damaged, HEADER, HEADER], [HEADER])
    no_preamble = afsk(damaged.encode(), RATE, drop_bits=128)
    found = decode(np.concatenate([_float32(no_preamble), _bursts([HEADER, HEADER])]))
    assert found.bursts == [HEADER, HEADER]


def test_three_bursts_that_all_differ_are_voted_bit_by_bit() -> None:
    damaged = [_damaged(14, 0x01), _damaged(30, 0x02), _damaged(45, 0x10)]
    assert len(set(damaged)) == 3
    found = decode(_bursts(damaged))
    assert found.bursts == damaged
    assert found.headers == [HEADER]


@pytest.mark.parametrize(("first_to_third", "voted"), [(7.6, [HEADER]), (8.4, [])])
def test_votes_stay_within_one_transmission(first_to_third: float, voted: list[str]) -> None:
    # Three bursts vote when the third starts within 8 s of the first.
    damaged = [_damaged(14, 0x01), _damaged(30, 0x02), _damaged(45, 0x10)]
    burst_seconds = (16 + len(HEADER)) * 8 / 520.83
    gap = first_to_third / 2 - burst_seconds
    assert decode(_bursts(damaged, gap=gap)).headers == voted


def test_a_fourth_burst_does_not_join_the_vote() -> None:
    damaged = [_damaged(14, 0x01), _damaged(30, 0x02), _damaged(45, 0x10)]
    fourth = _damaged(20, 0x01)
    assert decode(_bursts([*damaged, fourth])).headers == [HEADER]


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


def test_a_recording_that_stops_right_after_a_burst() -> None:
    # A recorder that stops on silence: not a sample after the last header burst.
    signal = _bursts([HEADER, HEADER])[:-RATE]
    assert decode(signal).bursts == [HEADER, HEADER]
    ends = transmission(HEADER, RATE)[: -RATE + 1]
    _assert_heard(decode(_float32(ends)))


@pytest.mark.parametrize("length", [0, 1, 100, 168, 169, 400, 2_000, 20_000])
def test_clips_too_short_for_a_burst_hold_nothing(length: int) -> None:
    noise = np.random.default_rng(length).normal(0, 0.3, length)
    found = decode(_float32(noise))
    assert (found.headers, found.end_of_message, found.bursts) == ([], 0, [])


def test_fewer_bits_than_a_marker_hold_no_burst() -> None:
    for count in range(33):
        bits = Bits(np.ones(count, np.uint8), np.arange(count, dtype=np.int64))
        assert find_bursts(bits) == []


def test_a_burst_text_ends_where_multimon_ng_ends_it() -> None:
    assert burst_text(b"ZCZC-CIV-BLU-\x80" + HEADER[13:].encode()) == "ZCZC-CIV-BLU-"
    assert burst_text(b"ZCZC-CIV-BLU-\x7f-\x00-") == "ZCZC-CIV-BLU-\x7f-"
    assert burst_text(HEADER.encode() + b"7-Q") == HEADER + "7-"  # multimon-ng keeps it too


def test_a_burst_is_read_for_272_characters_at_most() -> None:
    text = "ZCZC-" + "".join(f"{n:03d}-" for n in range(80))
    kept = text[:272]
    found = decode(_bursts([text, text]))
    assert found.bursts == [kept[: kept.rindex("-") + 1]] * 2


def test_a_vote_ends_the_header_at_its_station_id() -> None:
    # Noise right after each burst: every text differs (multimon-ng would hear none alike).
    noisy = [HEADER + tail for tail in ("7-", "Q-", "k-")]
    found = decode(_bursts(noisy))
    assert found.bursts == noisy
    assert found.headers == [HEADER]


def test_a_station_id_with_a_dash_is_reported_as_multimon_ng_hears_it() -> None:
    odd = HEADER.replace("KXYZ/FM ", "WTSP-TV")
    assert decode(_bursts([odd, odd])).headers == [odd]
    assert decode(_bursts([odd, odd, odd])).headers == [odd]  # no vote cuts it to "-WTSP-"
    assert decode(_bursts([odd, odd, HEADER])).headers == [odd]

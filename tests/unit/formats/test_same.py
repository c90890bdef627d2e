"""SAME headers: encoding rules, the grammar, and our own decoder on generated audio."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bluealert.errors import InvalidMessage
from bluealert.formats.same.afsk import modulate, silence
from bluealert.formats.same.audio import activation, read_wav, wav_bytes
from bluealert.formats.same.decoder import decode
from bluealert.formats.same.header import (
    TooManyLocations,
    encode_header,
    parse_header,
    valid_period,
)
from tests import factories as f

ISSUED = datetime(2026, 11, 21, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("minutes", "period"),
    [
        (1, "0015"),
        (15, "0015"),
        (16, "0030"),
        (44, "0045"),
        (60, "0100"),
        (61, "0130"),
        (90, "0130"),
        (91, "0200"),
        (359, "0600"),
        (24 * 60, "2400"),
        (99 * 60 + 30, "9930"),
    ],
)
def test_valid_periods_round_up_to_legal_values(minutes: int, period: str) -> None:
    assert valid_period(timedelta(minutes=minutes)) == period


@pytest.mark.parametrize("minutes", [0, -5, 100 * 60])
def test_impossible_valid_periods_are_refused(minutes: int) -> None:
    with pytest.raises(InvalidMessage) as raised:
        valid_period(timedelta(minutes=minutes))
    assert raised.value.field == "valid_period"


def test_header_matches_the_testdata_wav_header() -> None:
    header = encode_header(
        locations=["048201", "048157"],
        issued=ISSUED,
        duration=timedelta(hours=6),
        station="KXYZ/FM",
    )
    assert header.text == "ZCZC-CIV-BLU-048201-048157+0600-3251830-KXYZ/FM -"


def test_more_than_31_locations_offers_whole_state_codes() -> None:
    codes = [f"0{48000 + n:05d}" for n in range(1, 40)] + ["040001"]
    with pytest.raises(TooManyLocations) as raised:
        encode_header(locations=codes, issued=ISSUED, duration=timedelta(hours=1), station="TXDPS")
    assert raised.value.whole_states == ["040000", "048000"]
    assert "at most 31" in str(raised.value)


def test_station_ids_are_padded_and_dashes_become_slashes() -> None:
    header = encode_header(
        locations=["048113"], issued=ISSUED, duration=timedelta(hours=1), station="WTSP-TV"
    )
    assert header.text.endswith("-WTSP/TV -")


@pytest.mark.parametrize("station", ["KXYZ\x07", "KXYZ/FMé", "WTSP+TV", ""])
def test_station_ids_are_printable_ascii(station: str) -> None:
    with pytest.raises(InvalidMessage) as raised:
        encode_header(
            locations=["048113"], issued=ISSUED, duration=timedelta(hours=1), station=station
        )
    assert raised.value.field == "station"


def _examples() -> list[str]:
    lines = f.testdata("same_header_examples.txt").decode().splitlines()
    return [line for line in lines if line.startswith("ZCZC")]


@pytest.mark.parametrize("line", _examples())
def test_every_example_header_parses_and_round_trips(line: str) -> None:
    assert parse_header(line).text == line


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("ZCZC-CIV-BLU-048113+0600-3251830-KXYZ/FM", "header"),
        ("NNNN", "header"),
        ("ZCZC-EAN-BLU-048113+0600-3251830-KXYZ/FM -", "originator"),
        ("ZCZC-CIV-BLU-048113+0610-3251830-KXYZ/FM -", "valid_period"),
        ("ZCZC-CIV-BLU-048113+0600-3992530-KXYZ/FM -", "issued"),
        ("ZCZC-CIV-BLU" + "-048113" * 32 + "+0600-3251830-KXYZ/FM -", "header"),
        ("ZCZC-CIV-blu-048113+0600-3251830-KXYZ/FM -", "header"),
        ("ZCZC-CIV-BLU-048113+0600-3251830-KXYZ/FM -\n", "header"),
        ("ZCZC-CIV-BLU-048113+0600-3251830-KXYZ/FMé-", "header"),
        ("ZCZC-CIV-BLU-048113+0600-3251830-KXYZ\x01FM-", "header"),
    ],
)
def test_broken_headers_name_the_field(text: str, field: str) -> None:
    with pytest.raises(InvalidMessage) as raised:
        parse_header(text)
    assert raised.value.field == field


def test_our_decoder_reads_the_testdata_wav() -> None:
    samples, rate = read_wav(f.testdata("blu_test_header_22050hz.wav"))
    found = decode(samples, rate)
    assert found.headers == ["ZCZC-CIV-BLU-048201-048157+0600-3251830-KXYZ/FM -"]
    assert found.end_of_message == 3


def test_our_decoder_refuses_what_cannot_carry_same_and_shrugs_at_silence() -> None:
    with pytest.raises(InvalidMessage, match="at least 8000 Hz") as raised:
        decode(np.zeros(100, dtype=np.float32), rate=1)
    assert raised.value.field == "rate"
    with pytest.raises(InvalidMessage, match="at most 15"):
        decode(np.zeros(8_000 * 60 * 16, dtype=np.float32), rate=8_000)
    assert decode(np.zeros(0, dtype=np.float32)).headers == []
    assert decode(np.zeros(10, dtype=np.float32)).end_of_message == 0


def test_a_wav_without_audio_is_refused() -> None:
    with pytest.raises(InvalidMessage, match="no audio"):
        read_wav(wav_bytes(np.zeros(0, dtype=np.float32)))
    with pytest.raises(InvalidMessage, match="not a WAV file"):
        read_wav(b"")


def test_our_decoder_needs_two_of_three_bursts() -> None:
    header = "ZCZC-CIV-BLU-048113+0100-3251830-TXDPS   -"
    other = header.replace("048113", "048439")
    one_each = [modulate(header.encode()), silence(1), modulate(other.encode()), silence(1)]
    assert decode(np.concatenate(one_each)).headers == []
    full = activation(header, None)
    assert decode(full).headers == [header]

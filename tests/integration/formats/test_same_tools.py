"""Every SAME header we produce comes back exactly from multimon-ng, and from our decoder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bluealert.app.espeak import EspeakSpeaker
from bluealert.domain.alert import sample_alert
from bluealert.formats.context import RenderContext
from bluealert.formats.same.audio import activation, read_wav, wav_bytes
from bluealert.formats.same.decoder import decode
from bluealert.formats.same.header import encode_header
from bluealert.formats.same.render import same_audio
from tests import factories as f
from tests.integration.formats.conftest import run_tool

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _multimon(path: Path) -> list[str]:
    done = run_tool("multimon-ng", "-q", "-t", "wav", "-a", "EAS", str(path))
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith("EAS:")]


HEADERS = [
    (["048113"], timedelta(minutes=10), "TXDPS"),
    (["048113", "048439", "048085"], timedelta(hours=5, minutes=1), "KXYZ/FM"),
    ([f"0{48001 + 2 * n:05d}" for n in range(31)], timedelta(hours=24), "WTSP-TV"),
    (["012000"], timedelta(hours=99, minutes=30), "FDLE"),
]


@pytest.mark.parametrize(("locations", "duration", "station"), HEADERS)
def test_multimon_and_our_decoder_return_the_header_exactly(
    tmp_path: Path, locations: list[str], duration: timedelta, station: str
) -> None:
    header = encode_header(locations=locations, issued=NOW, duration=duration, station=station)
    path = tmp_path / "header.wav"
    path.write_bytes(wav_bytes(activation(header.text, None)))
    assert _multimon(path) == [f"EAS: {header.text}", "EAS: NNNN", "EAS: NNNN", "EAS: NNNN"]
    samples, rate = read_wav(path.read_bytes())
    assert (rate, decode(samples, rate).headers) == (22_050, [header.text])


def test_a_whole_activation_with_espeak_speech(tmp_path: Path) -> None:
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0042")
    ctx = RenderContext(now=NOW, station_id="TXDPS")
    data = same_audio(alert, ctx, EspeakSpeaker())
    path = tmp_path / "activation.wav"
    path.write_bytes(data)
    samples, rate = read_wav(data)
    seconds = len(samples) / rate
    assert 3 * 2 + 8 < seconds < 3 * 2 + 25 + 120 + 3 * 2 + 5
    expected = "ZCZC-CIV-BLU-048113-048121+2400-3280900-TXDPS   -"
    assert _multimon(path)[0] == f"EAS: {expected}"
    assert decode(samples, rate).headers == [expected]
    info = run_tool("soxi", str(path))
    assert "22050" in info.stdout
    assert "16-bit" in info.stdout
    assert "Channels       : 1" in info.stdout

"""Feeds parse with feedparser; the render, cap and same commands work end to end."""

from __future__ import annotations

import io
import json
import re
import wave
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import numpy as np
import pytest
from typer.testing import CliRunner

from bluealert.cli.main import app
from bluealert.domain.alert import sample_alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.atom import render_atom
from bluealert.formats.feeds.rss import render_rss
from bluealert.formats.same.audio import activation, wav_bytes
from tests import factories as f
from tests.integration.formats.conftest import Identity

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EXAMPLE = str(Path(__file__).parents[3] / "examples" / "alert-tx.yaml")


@pytest.mark.parametrize(("renderer", "version"), [(render_atom, "atom10"), (render_rss, "rss20")])
def test_feeds_parse_without_errors_with_stable_ids(renderer: object, version: str) -> None:
    alerts = [
        sample_alert(f.alert_content(NOW), now=NOW, reference=f"TX-2026-000{n}") for n in (1, 2)
    ]
    exercise = sample_alert(
        f.alert_content(NOW, status="Exercise"), now=NOW, reference="TX-2026-0003"
    )
    data = renderer([*alerts, exercise], RenderContext(now=NOW))  # type: ignore[operator]
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    ids = [e.id for e in parsed.entries]
    assert sorted(ids) == [
        "http://127.0.0.1:8000/alerts/TX-2026-0001",
        "http://127.0.0.1:8000/alerts/TX-2026-0002",
    ]
    links = {link["href"] for e in parsed.entries for link in e.links}
    assert "http://127.0.0.1:8000/cap/BLU-TX-2026-0001-v1.xml" in links


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "name",
    ["cap", "cap-restricted", "same", "wea", "dms", "teletype", "atom", "rss", "geojson", "json"],
)
def test_render_from_a_file_needs_no_database(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUEALERT_DATA_DIR", str(tmp_path / "nowhere"))
    result = _cli("render", "--file", EXAMPLE, "--format", name)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "ABC1??4" in result.stdout or name == "same"  # type: ignore[attr-defined]
    assert not (tmp_path / "nowhere").exists()


def test_render_refuses_bad_arguments_naming_them() -> None:
    result = _cli("render", "--file", EXAMPLE, "--format", "smoke-signal")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "--format" in result.output  # type: ignore[attr-defined]
    result = _cli("render", "--file", EXAMPLE, "--format", "same-audio")
    assert "--out" in result.output  # type: ignore[attr-defined]


def test_cap_commands_sign_verify_and_validate(
    tmp_path: Path, signing: tuple[Identity, Identity, Identity]
) -> None:
    ca, signer, stranger = signing
    plain, signed = tmp_path / "alert.xml", tmp_path / "signed.xml"
    assert _cli("render", "--file", EXAMPLE, "--out", str(plain)).exit_code == 0  # type: ignore[attr-defined]
    assert _cli("cap", "validate", str(plain)).exit_code == 0  # type: ignore[attr-defined]
    assert (
        _cli(
            "cap",
            "sign",
            str(plain),
            "--key",
            str(signer.key_file),
            "--cert",
            str(signer.cert_file),
            "--out",
            str(signed),
        ).exit_code
        == 0
    )  # type: ignore[attr-defined]
    assert _cli("cap", "verify", str(signed), "--trust", str(ca.cert_file)).exit_code == 0  # type: ignore[attr-defined]
    refused = _cli("cap", "verify", str(signed), "--trust", str(stranger.cert_file))
    assert refused.exit_code != 0  # type: ignore[attr-defined]
    assert "not in the trust store" in refused.output  # type: ignore[attr-defined]
    broken = tmp_path / "broken.xml"
    zulu, count = re.subn(rb"[-+]\d\d:\d\d</sent>", b"Z</sent>", plain.read_bytes())
    assert count == 1  # whichever offset the plan's zone has today (CST or CDT)
    broken.write_bytes(zulu)
    result = _cli("cap", "validate", str(broken), "--json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "cap.time.zulu" in result.stdout  # type: ignore[attr-defined]


def test_same_commands_encode_and_decode(tmp_path: Path) -> None:
    result = _cli(
        "same", "encode", "--location", "048113", "--minutes", "50", "--station", "TXDPS", "--json"
    )
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert '"valid_period": "0100"' in result.stdout  # type: ignore[attr-defined]
    decoded = _cli("same", "decode", str(f.TESTDATA / "blu_test_header_22050hz.wav"))
    assert "ZCZC-CIV-BLU-048201-048157+0600-3251830-KXYZ/FM -" in decoded.stdout  # type: ignore[attr-defined]
    bad = _cli("same", "decode", "ZCZC-XXX")
    assert bad.exit_code == 2  # type: ignore[attr-defined]
    assert "header" in bad.output  # type: ignore[attr-defined]
    too_many = ["--location=" + f"0{48001 + 2 * n:05d}" for n in range(40)]
    result = _cli("same", "encode", *too_many)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "048000" in result.output  # type: ignore[attr-defined]


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10))
    + b']><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&l9;</alert>'
)
HOSTILE_CAP = {
    "billion laughs": (BILLION_LAUGHS, "xml.doctype"),
    "external entity": (
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>',
        "xml.doctype",
    ),
    "deeply nested": (b"<a>" * 100_000 + b"</a>" * 100_000, "xml.xml"),
    "invalid UTF-8": (b"<alert>\xff\xfe</alert>", "xml.xml"),
    "huge attribute": (
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2" x="' + b"A" * 900_000 + b'"/>',
        "xsd",
    ),
    "wrong namespace": (b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"/>', "cap.namespace"),
    "30 February": (
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        b"<sent>2026-02-30T03:00:00-06:00</sent></alert>",
        "cap.time.format",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE_CAP))
def test_cap_validate_names_the_rule_for_hostile_files(tmp_path: Path, case: str) -> None:
    data, rule = HOSTILE_CAP[case]
    path = tmp_path / "hostile.xml"
    path.write_bytes(data)
    result = _cli("cap", "validate", str(path), "--json")
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    found = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert found["valid"] is False
    assert rule in {f["rule"] for f in found["findings"]}  # type: ignore[attr-defined]


def test_an_oversize_cap_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as out:
        out.truncate(50_000_000)  # sparse: 50 MB that cost nothing to write
    result = _cli("cap", "validate", str(path))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "is 50,000,000 bytes; at most 1,000,000 are read" in result.output  # type: ignore[attr-defined]


def test_same_decode_says_when_it_hears_no_header(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    path.write_bytes(wav_bytes(np.zeros(22_050, dtype=np.float32)))
    result = _cli("same", "decode", str(path))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "no SAME header found" in result.output  # type: ignore[attr-defined]
    assert "NNNN" not in result.output  # type: ignore[attr-defined]


def _mp3_in_wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22_050)
        wav.writeframes(bytes(1000))
    data = bytearray(out.getvalue())
    data[20:22] = (0x55).to_bytes(2, "little")  # the format tag MP3 (compressed audio)
    return bytes(data)


BROKEN_WAV = {
    "0-byte file": (b"", "wav"),
    "no audio in it": (wav_bytes(np.zeros(0, dtype=np.float32)), "wav"),
    "garbage": (b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(200)), "wav"),
    "RIFF but not WAVE": (b"RIFF" + b"\x00" * 40, "wav"),
    "MP3 inside a WAV": (_mp3_in_wav(), "wav"),
    "1 Hz": (wav_bytes(np.zeros(100, dtype=np.float32), rate=1), "rate"),
}


@pytest.mark.parametrize("case", list(BROKEN_WAV))
def test_same_decode_names_what_is_wrong_with_a_wav(tmp_path: Path, case: str) -> None:
    data, field = BROKEN_WAV[case]
    path = tmp_path / "broken.wav"
    path.write_bytes(data)
    result = _cli("same", "decode", str(path))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{field}:" in result.output  # type: ignore[attr-defined]


def test_same_decode_of_a_wav_at_another_rate(tmp_path: Path) -> None:
    header = "ZCZC-CIV-BLU-048113+0100-3281500-TXDPS   -"
    samples = activation(header, None)
    doubled = np.interp(np.arange(2 * len(samples)) / 2, np.arange(len(samples)), samples)
    path = tmp_path / "44100.wav"
    path.write_bytes(wav_bytes(doubled.astype(np.float32), rate=44_100))
    assert f"EAS: {header}" in _cli("same", "decode", str(path)).stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("ZCZC-CIV-BLU" + "-048113" * 40 + "+0100-3281500-TXDPS   -", "at most 31"),
        ("ZCZC-CIV-BLU-048113+0100-3281500-TXDPS   -\n", "ends with '-'"),
        ("ZCZC-CIV-BLU-048113+0100-3281500-TXDPSé  -", "ZCZC-ORG-EEE"),
        ("ZCZC-" + "A" * 100_000, "header"),
    ],
)
def test_same_decode_names_what_is_wrong_with_a_header(header: str, says: str) -> None:
    result = _cli("same", "decode", header)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert says in result.output  # type: ignore[attr-defined]


def test_configured_signing_key_and_trust_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signing: tuple[Identity, Identity, Identity]
) -> None:
    ca, signer, _ = signing
    monkeypatch.setenv("BLUEALERT_CAP_SIGNING_KEY", str(signer.key_file))
    monkeypatch.setenv("BLUEALERT_CAP_SIGNING_CERT", str(signer.cert_file))
    monkeypatch.setenv("BLUEALERT_CAP_TRUST_STORE", str(ca.cert_file))
    out = tmp_path / "signed.xml"
    result = _cli("render", "--file", EXAMPLE, "--out", str(out), "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert '"signed": true' in result.stdout  # type: ignore[attr-defined]
    assert _cli("cap", "verify", str(out)).exit_code == 0  # type: ignore[attr-defined]
    monkeypatch.delenv("BLUEALERT_CAP_TRUST_STORE")
    unconfigured = _cli("cap", "verify", str(out))
    assert unconfigured.exit_code == 2  # type: ignore[attr-defined]
    assert "BLUEALERT_CAP_TRUST_STORE" in unconfigured.output  # type: ignore[attr-defined]

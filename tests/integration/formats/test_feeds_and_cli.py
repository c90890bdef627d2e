"""Feeds parse with feedparser; the render, cap and same commands work end to end."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from bluealert.cli.main import app
from bluealert.domain.alert import sample_alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.atom import render_atom
from bluealert.formats.feeds.rss import render_rss
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
    broken.write_bytes(plain.read_bytes().replace(b"-06:00</sent>", b"Z</sent>"))
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

"""`bluealert ipaws ping` against the IPAWS stand-in: the ping, the COG's permissions, and the
pre-flight of an alert (cleared, refused by name), with the exit codes docs/cli.md gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bluealert.dispatch.ipaws.standin import IpawsStandIn
from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _people
from tests.ipaws_support import COG_ID, USER, Identity, cog_account, identity


@pytest.fixture
def cog(tmp_path: Path) -> Identity:
    return identity(tmp_path / "certs", COG_ID)


def _configure(monkeypatch: pytest.MonkeyPatch, url: str, cog: Identity) -> None:
    for name, value in {
        "URL": url, "COG_ID": str(COG_ID), "USER": USER,
        "KEY": str(cog.key_file), "CERT": str(cog.cert_file), "TIMEOUT_SECONDS": "5",
    }.items():  # fmt: skip
        monkeypatch.setenv(f"BLUEALERT_IPAWS_{name}", value)


@pytest.fixture
def texas(tmp_path: Path, cog: Identity, monkeypatch: pytest.MonkeyPatch) -> Iterator[IpawsStandIn]:
    with IpawsStandIn([cog_account(cog)], tmp_path / "stand-in") as running:
        _configure(monkeypatch, running.url, cog)
        yield running


def test_ping_shows_the_answer_and_what_the_cog_may_send(cli: Cli, texas: IpawsStandIn) -> None:
    result = cli("ipaws", "ping")
    assert result.exit_code == 0, result.output
    assert f"IPAWS-OPEN at {texas.url}: PONG in " in result.stdout
    for words in (
        "120999 Texas DPS (fictional)",
        "BLU, LAE",
        "048000",
        "EAS, WEA, NWEM, public feed",
    ):
        assert words in result.stdout
    assert [r["operation"] for r in texas.requests()] == ["getRequest", "getRequest"]


def test_an_alert_the_cog_may_send_clears_its_preflight(cli: Cli, texas: IpawsStandIn) -> None:
    _people(cli)
    reference = _active(cli)
    result = cli("ipaws", "ping", "--alert", reference)
    assert result.exit_code == 0, result.output
    assert f"{reference}: IPAWS would take it" in result.stdout
    assert texas.posts() == []  # a check, never a post


def test_an_alert_outside_the_cogs_areas_is_refused_by_name(
    cli: Cli, tmp_path: Path, cog: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    _people(cli)
    reference = _active(cli)
    oklahoma = cog_account(cog, geo_codes=frozenset({"040000"}), channels=frozenset({"EAS"}))
    with IpawsStandIn([oklahoma], tmp_path / "stand-in") as running:
        _configure(monkeypatch, running.url, cog)
        result = cli("ipaws", "ping", "--alert", reference)
    assert result.exit_code == 1, result.output
    assert "refused (geocode-not-permitted):" in result.stdout
    assert "may not alert SAME area(s) 048113, 048121" in " ".join(result.stdout.split())
    assert "may not send to WEA (cmasAlertAuthorized = N)" in " ".join(result.stdout.split())


def test_not_configured_exits_2_and_no_answer_exits_1(
    cli: Cli, cog: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    unset = cli("ipaws", "ping")
    assert unset.exit_code == 2
    assert "ipaws: not configured: set BLUEALERT_IPAWS_URL" in unset.output
    _configure(monkeypatch, "http://127.0.0.1:9/IPAWS_CAPService/IPAWS", cog)
    closed = cli("ipaws", "ping")
    assert closed.exit_code == 1
    assert "IPAWS at http://127.0.0.1:9/IPAWS_CAPService/IPAWS" in closed.output


def test_json_gives_the_answer_the_permissions_and_the_preflight(
    cli: Cli, texas: IpawsStandIn, tmp_path: Path, cog: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = cli.json("ipaws", "ping")
    assert (plain["url"], plain["answer"], plain["preflight"]) == (texas.url, "PONG", None)
    assert plain["milliseconds"] >= 0
    assert plain["cog"]["cog_id"] == COG_ID
    assert plain["cog"]["event_codes"] == ["BLU", "LAE"]
    assert plain["cog"]["same_areas"] == ["048000"]
    assert plain["cog"]["channels"] == ["EAS", "WEA", "NWEM", "public feed"]
    _people(cli)
    reference = _active(cli)
    cleared = cli.json("ipaws", "ping", "--alert", reference)["preflight"]
    assert cleared == {"alert": reference, "cleared": True, "refusals": [], "warnings": []}
    oklahoma = cog_account(cog, geo_codes=frozenset({"040000"}), channels=frozenset({"EAS"}))
    with IpawsStandIn([oklahoma], tmp_path / "oklahoma") as running:
        _configure(monkeypatch, running.url, cog)
        refused = cli("ipaws", "ping", "--alert", reference, "--json")
    assert refused.exit_code == 1
    found = json.loads(refused.stdout)["preflight"]
    assert found["cleared"] is False
    assert [r["code"] for r in found["refusals"]] == ["geocode-not-permitted"]
    assert any("WEA" in warning for warning in found["warnings"])


def test_a_key_file_that_is_not_pem_exits_2_naming_the_setting_before_any_request(
    cli: Cli, texas: IpawsStandIn, cog: Identity
) -> None:
    cog.key_file.write_bytes(b"Java keystore, not converted\n")
    result = cli("ipaws", "ping")
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"BLUEALERT_IPAWS_KEY: {cog.key_file} is not a PEM private key" in said
    assert "Traceback" not in result.output
    assert texas.requests() == []

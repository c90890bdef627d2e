"""Cross-state alerts through the command line: one per state, following their original."""

from __future__ import annotations

from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _alert_file, _people


def test_a_second_request_to_the_same_state_is_refused_and_changes_nothing(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    first = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    before = cli.snapshot()
    again = cli("activation", "request", reference, "OK", "--as", "tx.patel")
    assert again.exit_code == 1
    assert f"OK was already asked about {reference} (request {first['id']}" in again.output
    assert cli.snapshot() == before
    cli.json("activation", "accept", first["id"], "--as", "ok.lee")
    running = cli("activation", "request", reference, "OK", "--as", "tx.patel", "--json")
    assert running.exit_code == 1
    assert "OK already runs this alert as OK-2026-0001" in running.stdout


def test_the_linked_alert_follows_its_original_to_the_end(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    ask = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    linked = cli.json("activation", "accept", ask["id"], "--as", "ok.lee")["alert"]
    update = _alert_file(cli, "v2.yaml", contact="Call 911 or Texas DPS")
    updated = cli("alert", "update", reference, update, "--as", "tx.patel", "--note", "DPS")
    assert updated.exit_code == 0, updated.output
    seen = cli.json("alert", "show", linked["reference"])
    assert [v["msg_type"] for v in seen["versions"]] == ["Alert", "Update"]
    assert seen["versions"][-1]["content"]["contact"] == "Call 911 or Texas DPS"
    assert seen["versions"][-1]["note"] == f"follows {reference} version 2: DPS"

    # A request still waiting for Kansas is closed when the original ends.
    added = cli(
        "users", "add", "ks.ray", "--role", "state_coordinator", "--state", "KS", "--as", "admin"
    )
    assert added.exit_code == 0, added.output
    waiting = cli.json("activation", "request", reference, "KS", "--as", "tx.kim")
    resolved = cli(
        "alert", "resolve", reference, "--as", "tx.kim", "--resolution", "suspect_apprehended"
    )
    assert resolved.exit_code == 0
    seen = cli.json("alert", "show", linked["reference"])
    assert (seen["state"], seen["resolution"]) == ("resolved", "suspect_apprehended")
    [closed] = cli.json("activation", "list", "KS")["requests"]
    assert (closed["id"], closed["state"]) == (waiting["id"], "withdrawn")
    assert closed["reason"].startswith(f"{reference} was resolved before an answer")
    listed = cli("activation", "list", "KS")
    assert "withdrawn" in listed.stdout
    refused = cli("activation", "accept", waiting["id"], "--as", "ks.ray")
    assert refused.exit_code == 1
    assert "already withdrawn" in refused.output

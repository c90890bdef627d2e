"""Expiry on the command line (issue 8): an approval after the requested expiry is refused by
name with the store unchanged; an expiry the plan caps is said in the output and the JSON."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _alert_file, _attest_args, _people

HOUR = timedelta(hours=1)


def _pending(cli: Cli, hours: float) -> str:
    asked = (cli.clock.now + timedelta(hours=hours)).isoformat()
    made = cli.json("alert", "draft", _alert_file(cli, expires_at=asked), "--as", "dep.odell")
    reference = str(made["reference"])
    submitted = cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args())
    assert submitted.exit_code == 0, submitted.output
    return reference


def test_approving_after_the_requested_expiry_is_refused_naming_the_field(cli: Cli) -> None:
    _people(cli)
    reference = _pending(cli, 2)
    cli.clock.advance(hours=3)
    before = cli.snapshot()
    refused = cli("alert", "approve", reference, "--as", "tx.kim")
    assert refused.exit_code == 1
    assert (
        f"error: expires_at: cannot approve {reference}: its requested expiry "
        "2026-11-24T11:00:00+00:00 has already passed (it is 2026-11-24T12:00:00+00:00)"
    ) in refused.output
    as_json = cli("alert", "approve", reference, "--as", "tx.kim", "--json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stdout)["error"]
    assert error["kind"] == "refused"
    assert error["messages"][0].startswith(f"expires_at: cannot approve {reference}")
    assert cli.snapshot() == before


def test_an_expiry_the_plan_caps_is_said_and_stored_as_it_applies(cli: Cli) -> None:
    _people(cli)
    asked = cli.clock.now + 72 * HOUR
    drafted = cli(
        "alert",
        "draft",
        _alert_file(cli, expires_at=asked.isoformat()),
        "--as",
        "dep.odell",
    )
    assert drafted.exit_code == 0, drafted.output
    assert (
        "note: expires_at: the requested expiry 2026-11-27T09:00:00+00:00 is more than the Texas "
        "Blue Alert's 24 hours away: it will expire 24 hours after its approval at the latest"
    ) in drafted.output
    reference = "TX-2026-0001"
    assert cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args()).exit_code == 0
    cli.clock.advance(hours=1)
    approved = cli("alert", "approve", reference, "--as", "tx.kim")
    assert approved.exit_code == 0, approved.output
    assert (
        "note: expires_at: the requested expiry 2026-11-27T09:00:00+00:00 is later than the Texas "
        "Blue Alert allows (24 hours from 2026-11-24T10:00:00+00:00): it expires at "
        "2026-11-25T10:00:00+00:00"
    ) in approved.output
    shown = cli.json("alert", "show", reference)
    assert shown["expires_at"] == "2026-11-25T10:00:00Z"
    [version] = shown["versions"]
    assert version["content"]["expires_at"] == "2026-11-25T10:00:00Z"
    assert [(n["field"], n["rule"]) for n in version["notices"]] == [
        ("expires_at", "plan_max_duration")
    ]
    assert "Note on version 1: expires_at: the requested expiry" in cli(
        "alert", "show", reference
    ).output.replace("\n", " ")

"""`alert check` gives a verdict in the table, the JSON and the exit code; criteria that could be
gamed (a plate of '?*', placeholders for a description) are not met."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests import factories as f
from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _attest_args, _people


def _draft(cli: Cli, **overrides: Any) -> str:
    data = f.alert_data(cli.clock.now, **overrides)
    made = cli.json("alert", "draft", cli.write("a.yaml", data), "--as", "dep.odell")
    return str(made["reference"])


def _check(cli: Cli, reference: str) -> tuple[int, str, dict[str, Any]]:
    table = cli("alert", "check", reference)
    as_json = cli("alert", "check", reference, "--json")
    assert table.exit_code == as_json.exit_code
    return table.exit_code, table.stdout, json.loads(as_json.stdout)


def test_a_draft_waiting_for_its_attestations_exits_3(cli: Cli) -> None:
    _people(cli)
    reference = _draft(cli)
    code, table, checked = _check(cli, reference)
    assert (code, checked["verdict"]) == (3, "waiting_for_attestations")
    assert "verdict: waiting for attestations" in table
    assert cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args()).exit_code == 0
    code, table, checked = _check(cli, reference)
    assert (code, checked["verdict"]) == (0, "eligible")
    assert "verdict: eligible" in table


PLACEHOLDER_VEHICLE = [{"make": "unknown", "color": "unk", "plate": {"number": "AB*"}}]


@pytest.mark.parametrize(
    ("overrides", "unmet"),
    [
        (
            {"vehicles": PLACEHOLDER_VEHICLE},
            {"requirement.vehicle_description", "requirement.plate_or_partial_plate"},
        ),
        ({"kind": "officer_missing"}, {"trigger", "officer_status"}),
    ],
)
def test_an_alert_a_blocking_criterion_refuses_exits_1(
    cli: Cli, overrides: dict[str, Any], unmet: set[str]
) -> None:
    _people(cli)
    reference = _draft(cli, **overrides)
    code, table, checked = _check(cli, reference)
    assert (code, checked["verdict"]) == (1, "not_eligible")
    assert "verdict: not eligible" in table
    blocking = {r["id"] for r in checked["results"] if r["blocking"] and r["outcome"] == "unmet"}
    assert blocking == unmet


def test_a_plate_with_nothing_known_is_refused_by_name(cli: Cli) -> None:
    _people(cli)
    vehicle = {**f.alert_data(cli.clock.now)["vehicles"][0], "plate": {"number": "?*"}}
    data = f.alert_data(cli.clock.now, vehicles=[vehicle])
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("plate.yaml", data), "--as", "dep.odell")
    assert result.exit_code == 2
    assert "vehicles.0.plate.number: a plate needs at least one known letter or digit" in (
        result.output
    )
    assert cli.snapshot() == before


def test_checking_an_unknown_alert_is_bad_input(cli: Cli) -> None:
    assert cli("alert", "check", "TX-1999-0001").exit_code == 2

"""`alert update --base N` (issue 8): an update from a version that is no longer current is
refused (exit 1) naming the current one, with the store unchanged; without --base the update
is based on the version current when the command starts, and says so. Two processes at once:
test_update_base_processes.py."""

from __future__ import annotations

import json

import pytest

from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _alert_file, _people


def _file(cli: Cli, name: str, contact: str) -> str:
    return _alert_file(cli, name, contact=contact)


def test_an_update_from_the_current_base_publishes_and_says_its_base(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    done = cli("alert", "update", reference, _file(cli, "v2.yaml", "Call 911"), "--as",
               "tx.patel", "--base", "1")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"{reference} updated from version 1 (active, version 2)" in done.output


def test_an_update_from_an_earlier_base_is_refused_naming_the_current_version(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    first = cli("alert", "update", reference, _file(cli, "a.yaml", "Call 911"), "--as",
                "tx.patel", "--base", "1")  # fmt: skip
    assert first.exit_code == 0, first.output
    before = cli.snapshot()
    second = cli("alert", "update", reference, _file(cli, "b.yaml", "Call 911 or DPS"), "--as",
                 "tx.kim", "--base", "1")  # fmt: skip
    assert second.exit_code == 1
    assert (
        f"error: base: {reference} is at version 2 (written by tx.patel at "
        f"{cli.clock.now.isoformat()}), not version 1 that this update was based on: read it "
        "again and base the update on version 2"
    ) in second.output
    as_json = cli("alert", "update", reference, _file(cli, "b.yaml", "Call 911 or DPS"), "--as",
                  "tx.kim", "--base", "1", "--json")  # fmt: skip
    assert as_json.exit_code == 1
    error = json.loads(as_json.stdout)["error"]
    assert error["kind"] == "refused"
    assert error["messages"][0].startswith(f"base: {reference} is at version 2")
    assert cli.snapshot() == before


def test_without_base_the_update_is_based_on_the_version_current_when_it_starts(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    for version in (1, 2):
        done = cli("alert", "update", reference, _file(cli, f"v{version}.yaml", "Call 911"),
                   "--as", "tx.patel")  # fmt: skip
        assert done.exit_code == 0, done.output
        assert f"updated from version {version} (active, version {version + 1})" in done.output


@pytest.mark.parametrize("base", ["0", "-1", "two"])
def test_a_base_that_is_no_version_number_is_a_usage_error(cli: Cli, base: str) -> None:
    _people(cli)
    reference = _active(cli)
    before = cli.snapshot()
    refused = cli("alert", "update", reference, _file(cli, "v.yaml", "Call 911"), "--as",
                  "tx.patel", "--base", base)  # fmt: skip
    assert refused.exit_code == 2
    assert "error: --base:" in refused.output
    assert cli.snapshot() == before

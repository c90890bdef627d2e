"""`users add|change|remove` take an admin; the first admin of an empty store bootstraps."""

from __future__ import annotations

import json

import pytest

from tests import factories as f
from tests.integration.cli.conftest import Cli, add_people


def _audit_actions(cli: Cli) -> list[tuple[str, str]]:
    lines = cli("audit", "export").stdout.splitlines()
    return [(e["action"], e["actor"]) for e in map(json.loads, filter(None, lines))]


@pytest.mark.parametrize(
    "acting",
    [
        ("--as", "anyone"),  # not a user at all
        ("--as", "tx.kim"),  # a user, not an admin
        (),  # nobody said
    ],
)
def test_only_an_admin_adds_people(cli: Cli, acting: tuple[str, ...]) -> None:
    add_people(cli, ("tx.kim", "--role", "state_coordinator", "--state", "TX"))
    before = cli.snapshot()
    result = cli("users", "add", "mallory", "--role", "national_coordinator", *acting)
    assert result.exit_code != 0
    assert "mallory" not in cli("users", "list").stdout
    assert cli.snapshot() == before


def test_the_first_person_must_be_an_admin(cli: Cli) -> None:
    before = cli.snapshot()
    result = cli("users", "add", "sgt.reyes", "--role", "supervisor", "--agency", f.ORI)
    assert result.exit_code == 1
    assert "the first one must be an admin" in result.output
    assert cli.snapshot() == before


def test_an_admin_changes_and_removes_people_and_each_step_is_audited(cli: Cli) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    changed = cli.json(
        "users", "change", "sgt.reyes", "--role", "state_coordinator", "--state", "tx",
        "--as", "admin",
    )  # fmt: skip
    assert (changed["roles"], changed["agency_ori"], changed["states"]) == (
        ["state_coordinator"],
        None,
        ["TX"],
    )
    assert cli("users", "remove", "sgt.reyes", "--as", "admin").exit_code == 0
    assert [u["username"] for u in cli.json("users", "list")["users"]] == ["admin"]
    assert _audit_actions(cli) == [
        ("user.bootstrapped", "admin"),
        ("user.added", "admin"),
        ("user.changed", "admin"),
        ("user.removed", "admin"),
    ]


def test_a_change_that_leaves_a_role_without_its_scope_is_bad_input(cli: Cli) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    before = cli.snapshot()
    result = cli("users", "change", "sgt.reyes", "--role", "state_coordinator", "--as", "admin")
    assert result.exit_code == 2
    assert "states: a state coordinator coordinates at least one state" in result.output
    assert cli.snapshot() == before


def test_the_last_admin_cannot_be_removed(cli: Cli) -> None:
    add_people(cli)
    before = cli.snapshot()
    result = cli("users", "remove", "admin", "--as", "admin")
    assert result.exit_code == 1
    assert "admin is the last admin" in result.output
    assert cli.snapshot() == before

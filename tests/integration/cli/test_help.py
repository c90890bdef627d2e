"""Every command's help follows the rules in docs/cli.md: a new user can read it and trust it."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from bluealert.cli.main import app
from tests.integration.cli.commands import leaf_commands

COMMANDS = leaf_commands()
ALERT_HELP = "The alert: its reference (TX-2026-0007) or id."


def _help(path: str) -> str:
    result = CliRunner().invoke(app, [*path.split(), "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def _arguments(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "argument"]


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_help_describes_every_argument_and_shows_flags_as_flags(path: str) -> None:
    command = COMMANDS[path]
    text = _help(path)
    assert command.help, f"{path}: no description"
    assert "<bool>" not in text
    assert "╭" not in text  # plain help: nothing drawn in boxes that cut at 80 columns
    assert all(len(line) <= 80 for line in text.splitlines()), "help wraps at the terminal"
    for argument in _arguments(command):
        assert argument.help, f"{path}: argument {argument.name} has no description"
        assert (argument.metavar or "").isupper(), f"{path}: {argument.name}"
        assert argument.metavar in text


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_an_alert_is_called_ALERT_everywhere(path: str) -> None:  # noqa: N802
    for argument in _arguments(COMMANDS[path]):
        words = (argument.help or "").lower()
        names_an_alert = argument.name in {"alert", "alert_id"} or "reference" in words
        if names_an_alert or argument.metavar == "ALERT":
            assert (argument.metavar, argument.help) == ("ALERT", ALERT_HELP), path


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_state_always_means_a_us_state(path: str) -> None:
    for param in COMMANDS[path].params:
        if "--state" in param.opts or param.metavar == "STATE":
            assert "USPS" in (param.help or ""), f"{path}: {param.opts} is not a US state"


def test_alert_list_filters_the_lifecycle_by_its_own_name() -> None:
    text = _help("alert list")
    assert "--lifecycle" in text
    assert "--state" not in text


def test_the_root_help_offers_the_version() -> None:
    assert "--version" in _help("")

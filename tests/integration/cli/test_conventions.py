"""The rules every command follows (docs/cli.md): exit codes, one error style, --json, --quiet."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _alert_file, _drafted, _people

BAD_INPUT, REFUSED = 2, 1


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (("alert", "show", "TX-1999-0001"), "no alert"),
        (("alert", "approve", "{ref}", "--as", "nobody"), "no user 'nobody'"),
        (("geo", "zip", "00000"), "no ZIP code 00000"),
        (("plans", "show", "ZZ"), "'ZZ' is not one of the 56"),
        (("activation", "accept", "no-such-request", "--as", "ok.lee"), "no activation request"),
        (("render", "{ref}", "--format", "braille"), "--format: 'braille' is not one of"),
        (("render", "--format", "wea"), "give an ALERT or --file FILE"),
        (("users", "add", "x.y", "--role", "sheriff"), "--role: 'sheriff' is not one of"),
        (("alert", "list", "--lifecycle", "asleep"), "--lifecycle: 'asleep' is not one of"),
        (("geo", "envelope", "--lat", "33", "--lon", "-97", "--seen-at", "noon"), "seen_at"),
    ],
)
def test_bad_input_exits_2_naming_what_is_wrong(
    cli: Cli, command: tuple[str, ...], words: str
) -> None:
    _people(cli)
    reference = _drafted(cli)
    before = cli.snapshot()
    result = cli(*(part.format(ref=reference) for part in command))
    assert result.exit_code == BAD_INPUT, result.output
    assert words in result.stderr
    assert result.stderr.startswith("error: ")
    assert cli.snapshot() == before


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (("alert", "cancel", "{ref}", "--as", "tx.kim", "--reason", "x"), "needs an alert"),
        (("alert", "submit", "{ref}", "--as", "dep.odell"), "criteria not met"),
        (("alert", "submit", "{ref}", "--as", "ok.lee"), "may not request alerts"),
    ],
)
def test_a_refused_step_exits_1(cli: Cli, command: tuple[str, ...], words: str) -> None:
    _people(cli)
    reference = _drafted(cli)
    before = cli.snapshot()
    result = cli(*(part.format(ref=reference) for part in command))
    assert result.exit_code == REFUSED, result.output
    assert words in result.stderr
    assert cli.snapshot() == before


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (("alert", "list", "--bogus"), "No such option: --bogus"),
        (("alert", "frobnicate"), "No such command 'frobnicate'"),
        (("alert", "show"), "Missing argument 'ALERT'"),
        (("alert", "approve", "TX-2026-0001"), "Missing option '--as'"),
        (("geo", "envelope", "--lat", "north", "--lon", "1", "--seen-at", "x"), "--lat:"),
        (("alert", "list", "--lifecycle", "asleep"), "--lifecycle: 'asleep' is not one of"),
    ],
)
def test_usage_errors_look_like_every_other_error_and_honour_json(
    cli: Cli, command: tuple[str, ...], words: str
) -> None:
    plain = cli(*command)
    assert plain.exit_code == BAD_INPUT
    assert plain.stdout == ""
    [line] = plain.stderr.splitlines()
    assert line.startswith("error: ")
    assert words in line
    assert re.search(r"\(see `bluealert [a-z ]+ --help`\)$", line)
    assert "╭" not in plain.stderr

    as_json = cli(*command, "--json")
    assert as_json.exit_code == BAD_INPUT
    error = json.loads(as_json.stdout)["error"]
    assert (error["exit_code"], error["kind"]) == (BAD_INPUT, "bad_input")
    [message] = error["messages"]
    assert words in message


def test_every_error_as_json_is_the_same_object(cli: Cli) -> None:
    _people(cli)
    reference = _drafted(cli)
    refused = cli("alert", "cancel", reference, "--as", "tx.kim", "--reason", "x", "--json")
    assert refused.exit_code == REFUSED
    assert json.loads(refused.stdout)["error"]["kind"] == "refused"
    bad_file = cli("alert", "draft", _alert_file(cli, plan="ZZ"), "--as", "dep.odell", "--json")
    error = json.loads(bad_file.stdout)["error"]
    assert (bad_file.exit_code, error["kind"]) == (BAD_INPUT, "bad_input")
    assert any(m.startswith("plan: ") for m in error["messages"])


def test_quiet_prints_only_what_was_made_and_json_quiet_prints_it_as_an_object(
    cli: Cli,
) -> None:
    _people(cli)
    path = _alert_file(cli)
    year = cli.clock().year
    quiet = cli("alert", "draft", path, "--as", "dep.odell", "--quiet")
    assert quiet.stdout == f"TX-{year}-0001\n"
    both = cli("alert", "draft", path, "--as", "dep.odell", "--quiet", "--json")
    assert json.loads(both.stdout) == {"reference": f"TX-{year}-0002"}
    reference = _active(cli)
    asked = cli("activation", "request", reference, "OK", "--as", "tx.kim", "-q", "--json")
    made = json.loads(asked.stdout)
    assert list(made) == ["id"]
    listed = cli.json("activation", "list", "OK")["requests"]
    assert [r["id"] for r in listed] == [made["id"]]


def test_version_names_the_installed_package(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"bluealert {version('bluealert')}\n"


def test_the_installed_command_reports_usage_errors_the_same_way(tmp_path: Path) -> None:
    env = {**os.environ, "BLUEALERT_DATA_DIR": str(tmp_path), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "bluealert.cli", "alert", "list", "--bogus", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == BAD_INPUT
    assert json.loads(done.stdout)["error"]["kind"] == "bad_input"
    assert "Traceback" not in done.stderr

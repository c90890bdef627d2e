"""A CAP signing key or certificate file that breaks a rule, given to `render` and `cap sign` by
setting or by option: exit 2 and one line naming the setting (or the option) and the rule,
never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.cli.conftest import Cli
from tests.ipaws_support import COG_ID, Identity, identity

BAD_INPUT = 2
EXAMPLE = str(Path(__file__).parents[3] / "examples" / "alert-tx.yaml")
NOT_PEM = b"keytool output: this is a Java keystore, not a PEM file\n"


@pytest.fixture
def pair(tmp_path: Path) -> Identity:
    return identity(tmp_path / "signer", COG_ID)


def _by_settings(pair: Identity, monkeypatch: pytest.MonkeyPatch, cap: Path) -> list[str]:
    monkeypatch.setenv("BLUEALERT_CAP_SIGNING_KEY", str(pair.key_file))
    monkeypatch.setenv("BLUEALERT_CAP_SIGNING_CERT", str(pair.cert_file))
    return ["render", "--file", EXAMPLE]


def _render_options(pair: Identity, _: pytest.MonkeyPatch, cap: Path) -> list[str]:
    return ["render", "--file", EXAMPLE, "--key", str(pair.key_file), "--cert", str(pair.cert_file)]


def _sign_options(pair: Identity, _: pytest.MonkeyPatch, cap: Path) -> list[str]:
    return ["cap", "sign", str(cap), "--key", str(pair.key_file), "--cert", str(pair.cert_file)]


Command = Callable[[Identity, pytest.MonkeyPatch, Path], list[str]]

# (how the files are given, which one is not PEM, the name and the rule the error gives)
CASES: list[tuple[Command, str, str, str]] = [
    (_by_settings, "key", "BLUEALERT_CAP_SIGNING_KEY", "is not a PEM private key"),
    (_by_settings, "cert", "BLUEALERT_CAP_SIGNING_CERT", "is not a PEM certificate"),
    (_render_options, "key", "--key", "is not a PEM private key"),
    (_render_options, "cert", "--cert", "is not a PEM certificate"),
    (_sign_options, "key", "--key", "is not a PEM private key"),
    (_sign_options, "cert", "--cert", "is not a PEM certificate"),
]


@pytest.mark.parametrize(("command", "which", "name", "rule"), CASES)
def test_a_file_that_is_not_pem_is_named_with_its_rule(
    cli: Cli,
    pair: Identity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: Command,
    which: str,
    name: str,
    rule: str,
) -> None:
    cap = tmp_path / "alert.xml"
    cap.write_bytes(cli("render", "--file", EXAMPLE).stdout_bytes)
    spoiled = pair.key_file if which == "key" else pair.cert_file
    spoiled.write_bytes(NOT_PEM)
    result = cli(*command(pair, monkeypatch, cap))
    assert result.exit_code == BAD_INPUT
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {name}: {spoiled} {rule}"), line


def test_a_certificate_of_another_key_is_refused(cli: Cli, pair: Identity, tmp_path: Path) -> None:
    other = identity(tmp_path / "other", COG_ID)
    result = cli(
        "render", "--file", EXAMPLE, "--key", str(pair.key_file), "--cert", str(other.cert_file)
    )
    assert result.exit_code == BAD_INPUT
    assert f"--cert: {other.cert_file} does not certify the key in {pair.key_file}" in result.stderr


def test_the_installed_command_says_one_line(pair: Identity, tmp_path: Path) -> None:
    pair.key_file.write_bytes(NOT_PEM)
    env = {
        **os.environ,
        "BLUEALERT_DATA_DIR": str(tmp_path / "var"),
        "BLUEALERT_CAP_SIGNING_KEY": str(pair.key_file),
        "BLUEALERT_CAP_SIGNING_CERT": str(pair.cert_file),
        "COLUMNS": "200",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bluealert.cli", "render", "--file", EXAMPLE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == BAD_INPUT
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"error: BLUEALERT_CAP_SIGNING_KEY: {pair.key_file} is not a PEM private key "
        "(-----BEGIN PRIVATE KEY-----)"
    ]

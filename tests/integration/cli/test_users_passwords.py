"""`users add --password-stdin` and `users password`: a way to sign in, and for coordinators
and admins a TOTP second factor whose enrolment URI is printed once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from bluealert.cli import context
from bluealert.cli.main import app
from tests.integration.cli.conftest import Cli

PASSPHRASE = "a long enough passphrase"


def _invoke(cli: Cli, *args: str, stdin: str) -> object:
    context.app_context.cache_clear()
    return cli.runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def _stored(cli: Cli, username: str) -> tuple[str, str | None]:
    engine = create_engine(f"sqlite:///{cli.data_dir / 'bluealert.db'}")
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT password_hash, totp_secret FROM credentials WHERE username = :u"),
            {"u": username},
        ).one()
    engine.dispose()
    return row[0], row[1]


def test_a_coordinator_gets_a_password_and_a_totp_enrolment_uri(cli: Cli) -> None:
    assert cli("users", "add", "admin", "--role", "admin").exit_code == 0
    result = _invoke(
        cli,
        "users",
        "add",
        "tx.kim",
        "--role",
        "state_coordinator",
        "--state",
        "TX",
        "--password-stdin",
        "--as",
        "admin",
        stdin=PASSPHRASE + "\n",
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    uri = re.search(r"TOTP enrolment URI: (\S+)", result.output)  # type: ignore[attr-defined]
    assert uri is not None
    totp = pyotp.parse_uri(uri.group(1))
    assert totp.issuer == "bluealert"
    assert totp.name == "tx.kim"
    password_hash, secret = _stored(cli, "tx.kim")
    assert secret == totp.secret  # type: ignore[attr-defined]
    assert password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(password_hash, PASSPHRASE)  # the newline is not part of it
    now = datetime.now(UTC)
    assert pyotp.TOTP(secret).verify(totp.at(now), for_time=now)


def test_an_originator_gets_no_second_factor(cli: Cli) -> None:
    assert cli("users", "add", "admin", "--role", "admin").exit_code == 0
    args = ("users", "add", "dep.odell", "--role", "originator", "--agency", "TX0579900")
    result = _invoke(cli, *args, "--password-stdin", "--as", "admin", stdin=PASSPHRASE + "\n")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "TOTP" not in result.output  # type: ignore[attr-defined]
    assert _stored(cli, "dep.odell")[1] is None


@pytest.mark.parametrize("weak", ["short", "tx.kim-is-my-password", "passwordpassword"])
def test_a_weak_password_is_refused_and_nothing_is_added(cli: Cli, weak: str) -> None:
    args = ("users", "add", "tx.kim", "--role", "state_coordinator", "--state", "TX")
    result = _invoke(cli, *args, "--password-stdin", stdin=weak + "\n")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "password" in result.output  # type: ignore[attr-defined]
    assert cli.json("users", "list") == {"users": []}


def test_users_password_sets_a_new_one_for_someone_who_had_none(cli: Cli) -> None:
    assert cli("users", "add", "admin", "--role", "admin").exit_code == 0
    result = _invoke(cli, "users", "password", "admin", stdin=PASSPHRASE + "\n")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "TOTP enrolment URI: otpauth://totp/" in result.output  # type: ignore[attr-defined]
    assert _stored(cli, "admin")[0].startswith("$argon2id$")

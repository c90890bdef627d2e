"""Bad configuration gets a clear error naming the setting, never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bluealert.cli import context
from bluealert.cli.main import app


@pytest.mark.parametrize(
    ("env", "args", "words"),
    [
        ({"BLUEALERT_DATABASE_URL": "foo:bar"}, ["db", "upgrade"], "BLUEALERT_DATABASE_URL"),
        (
            {"BLUEALERT_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"},
            ["alert", "list"],
            "cannot reach the database",
        ),
        ({"BLUEALERT_PHOTO_MAX_BYTES": "lots"}, ["alert", "list"], "BLUEALERT_PHOTO_MAX_BYTES"),
        (
            {"BLUEALERT_DATABASE_URL": "mysql://root@localhost/x"},
            ["alert", "list"],
            "BLUEALERT_DATABASE_URL: bluealert runs on SQLite or PostgreSQL, not 'mysql'",
        ),
        ({}, ["alert", "list"], "run `bluealert db upgrade` first"),
        (
            {"BLUEALERT_CAP_SIGNING_KEY": "/etc/bluealert/cap-key.pem"},
            ["alert", "list"],
            "BLUEALERT_CAP_SIGNING_CERT: BLUEALERT_CAP_SIGNING_KEY is set: set its certificate too",
        ),
        (
            {"BLUEALERT_IPAWS_CERT": "/etc/bluealert/cog-cert.pem"},
            ["alert", "list"],
            "BLUEALERT_IPAWS_CERT: set BLUEALERT_IPAWS_KEY too",
        ),
    ],
)
def test_configuration_errors_are_named(
    env: dict[str, str],
    args: list[str],
    words: str,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BLUEALERT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BLUEALERT_DATABASE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    context.app_context.cache_clear()
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code in (1, 2)
    assert words in result.output
    assert "Traceback" not in result.output

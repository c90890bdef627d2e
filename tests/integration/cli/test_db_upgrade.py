"""`bluealert db upgrade` on PostgreSQL creates a database that does not exist yet."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from typer.testing import CliRunner

from bluealert.cli import context
from bluealert.cli.main import app
from tests.conftest import POSTGRES_ADMIN


@pytest.fixture
def missing_database() -> Iterator[str]:
    name = f"bluealert_new_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _exists(name: str) -> bool:
    with psycopg.connect(POSTGRES_ADMIN) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def test_upgrade_creates_the_postgresql_database_then_migrates_it(
    missing_database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("BLUEALERT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(
        "BLUEALERT_DATABASE_URL", f"postgresql://postgres@127.0.0.1:5432/{missing_database}"
    )
    assert not _exists(missing_database)
    head = ""
    for expected_from in ("empty", "head"):
        context.app_context.cache_clear()
        result = CliRunner().invoke(app, ["db", "upgrade"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        said = result.output.replace("\n", "")
        assert f"{head or expected_from} → " in said  # the second run starts where the first ended
        head = head or said.rsplit("→ ", 1)[1].strip()
    assert head.isdigit()
    assert _exists(missing_database)
    context.app_context.cache_clear()
    listed = CliRunner().invoke(app, ["alert", "list", "--json"], catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.replace(" ", "").replace("\n", "") == '{"alerts":[]}'
    context.app_context().engine.dispose()
    context.app_context.cache_clear()

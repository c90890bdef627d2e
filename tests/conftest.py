"""Shared fixtures: a migrated database on SQLite or PostgreSQL, a clock that tests move."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from bluealert.app.context import AppContext, open_app
from bluealert.config import Settings
from bluealert.store import migrate
from bluealert.store.tables import Base

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"

# `make test` (and so CI) replays the same generated examples every run, so that a red build
# means a change broke something; plain `pytest` explores new random examples each time.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)


@dataclass
class Clock:
    """A clock a test sets and moves; use cases read it through AppContext.clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once, dropped at the end.

    PostgreSQL being down is a failure, never a skip.
    """
    name = f"bluealert_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    ctx = open_app(Settings(database_url=url))
    migrate.upgrade(ctx.engine)
    ctx.engine.dispose()
    yield url
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_postgres(ctx: AppContext) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with ctx.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def ctx(
    backend: str, tmp_path: Path, clock: Clock, request: pytest.FixtureRequest
) -> Iterator[AppContext]:
    """The app on an empty, migrated database of each backend."""
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
        settings = Settings(data_dir=tmp_path, database_url=url)
    else:
        settings = Settings(data_dir=tmp_path)
    app = open_app(settings, clock=clock)
    if backend == "postgresql":
        _empty_postgres(app)
    else:
        migrate.upgrade(app.engine)
    yield app
    app.engine.dispose()


@pytest.fixture
def sqlite_ctx(tmp_path: Path, clock: Clock) -> Iterator[AppContext]:
    app = open_app(Settings(data_dir=tmp_path), clock=clock)
    migrate.upgrade(app.engine)
    yield app
    app.engine.dispose()

"""Alembic migrations, run in code: `bluealert db upgrade` and the schema check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bluealert.errors import StoreUnavailable
from bluealert.store.tables import Base


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("bluealert.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _reachable(engine: Engine) -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreUnavailable(f"cannot reach the database {where}: {error.orig}") from error


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _reachable(engine), engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with _reachable(engine), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_differences(engine: Engine) -> list[Any]:
    """What differs between the migrated database and the models; empty when they agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new revision from the models (a developer's tool, not used at run time)."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)

"""Alembic migrations, run in code: `bluealert db upgrade` and the schema check."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from bluealert.store.tables import Base


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("bluealert.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
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

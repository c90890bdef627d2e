"""Alembic migrations, run in code: `bluealert db upgrade` and the schema check.

Alembic is imported only by the functions that migrate: with every SQL dialect it supports it
costs about 170 ms, and every other command only needs to read the revision.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError

from bluealert.errors import StoreUnavailable
from bluealert.store.tables import Base

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"


def _config(connection: Any) -> Config:
    from alembic.config import Config

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
    from alembic import command

    with _reachable(engine), engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema's revision; None for an empty database."""
    with _reachable(engine), engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        return str(found) if found is not None else None


def schema_differences(engine: Engine) -> list[Any]:
    """What differs between the migrated database and the models; empty when they agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new revision from the models (a developer's tool, not used at run time)."""
    from alembic import command

    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)

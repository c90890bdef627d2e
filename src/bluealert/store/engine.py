"""Engines and sessions for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bluealert.errors import InvalidInput, StoreUnavailable


def make_engine(url: str) -> Engine:
    try:
        return _engine(make_url(url))
    except (ArgumentError, NoSuchModuleError) as error:
        raise InvalidInput(
            f"not a database URL bluealert can use ({error}); e.g. sqlite:///var/bluealert.db or "
            "postgresql+psycopg://user@host:5432/name",
            field="BLUEALERT_DATABASE_URL",
        ) from error


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})
    _make_sqlite_transactions_immediate(engine)
    return engine


def _make_sqlite_transactions_immediate(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE: one writer at a time, no upgrade deadlocks."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def create_database_if_missing(engine: Engine) -> bool:
    """Create the PostgreSQL database the engine names; True when it had to be created.

    SQLite creates its file on first connection, so there is nothing to do for it.
    """
    url = engine.url
    if url.get_backend_name() != "postgresql" or not url.database:
        return False
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if exists:
                return False
            quoted = connection.dialect.identifier_preparer.quote(url.database)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    except OperationalError as error:
        where = url.render_as_string(hide_password=True)
        raise StoreUnavailable(f"cannot create the database {where}: {error.orig}") from error
    finally:
        maintenance.dispose()

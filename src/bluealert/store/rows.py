"""Row helpers that must be race-free on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_if_missing(session: Session, row_class: type[Any], **values: Any) -> None:
    """INSERT … ON CONFLICT DO NOTHING: two first writers may race; neither fails."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(row_class).values(**values).on_conflict_do_nothing())


def locked(session: Session, row_class: type[Any], key: Any) -> Any:
    """The row, read afresh and locked for the rest of the transaction."""
    return session.get(row_class, key, with_for_update=True, populate_existing=True)

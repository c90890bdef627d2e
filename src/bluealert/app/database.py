"""Database set-up and health: bring the schema to the newest migration, read its revision."""

from __future__ import annotations

from bluealert.app.context import AppContext
from bluealert.store import migrate
from bluealert.store.engine import create_database_if_missing


def upgrade_database(ctx: AppContext) -> tuple[str | None, str | None]:
    """Create the database if it is missing, migrate it to head; the revisions before and after."""
    create_database_if_missing(ctx.engine)
    before = migrate.current_revision(ctx.engine)
    migrate.upgrade(ctx.engine)
    return before, migrate.current_revision(ctx.engine)


def schema_revision(ctx: AppContext) -> str | None:
    """The schema's migration revision; None for an empty database (StoreUnavailable if down).

    Front ends (the CLI, the API) ask this, never `store.migrate`, so that they reach storage
    only through `app`.
    """
    return migrate.current_revision(ctx.engine)

"""Database set-up: bring the schema to the newest migration."""

from __future__ import annotations

from bluealert.app.context import AppContext
from bluealert.store import migrate


def upgrade_database(ctx: AppContext) -> tuple[str | None, str | None]:
    """Migrate to head; return the revisions before and after."""
    before = migrate.current_revision(ctx.engine)
    migrate.upgrade(ctx.engine)
    return before, migrate.current_revision(ctx.engine)

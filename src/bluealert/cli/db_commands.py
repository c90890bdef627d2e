"""`bluealert db upgrade`: create or migrate the database."""

from __future__ import annotations

import typer

from bluealert.app.context import open_app
from bluealert.app.database import upgrade_database
from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.config import load_settings

app = typer.Typer(help="The database.", no_args_is_help=True)


@app.command()
def upgrade(as_json: JsonFlag = False) -> None:
    """Create the database or migrate it to the newest schema."""
    with reported_errors(as_json):
        ctx = open_app(load_settings())
        try:
            before, after = upgrade_database(ctx)
        finally:
            ctx.engine.dispose()
        where = ctx.engine.url.render_as_string(hide_password=True)
        emit(
            {"database": where, "from": before, "to": after},
            as_json,
            lambda: console.print(f"database {where}: {before or 'empty'} → {after}"),
        )

"""`bluealert users …`: people, their roles and their agency or state scope."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bluealert.app.users import add_user, list_users
from bluealert.cli.context import app_context
from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role

app = typer.Typer(help="People and their roles.", no_args_is_help=True)


@app.command()
def add(
    username: str,
    role: Annotated[list[Role], typer.Option(help="A role (repeat for several).")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    agency: Annotated[
        str | None, typer.Option(help="Agency ORI (originators, supervisors).")
    ] = None,
    state: Annotated[list[str] | None, typer.Option(help="State coordinated (repeat).")] = None,
    actor: Annotated[str, typer.Option("--as", envvar="BLUEALERT_USER")] = "admin",
    as_json: JsonFlag = False,
) -> None:
    """Add a person with roles and a scope."""
    with reported_errors(as_json):
        user = User(
            username=username,
            display_name=name or username,
            roles=frozenset(role),
            agency_ori=agency,
            states=frozenset(s.upper() for s in state or []),
        )
        add_user(app_context(), actor=actor, user=user)
        emit(user, as_json, lambda: console.print(f"added {username}: {', '.join(role)}"))


@app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """List people."""
    with reported_errors(as_json):
        users = list_users(app_context())

        def human() -> None:
            table = Table(title="users")
            for column in ("username", "name", "roles", "agency", "states"):
                table.add_column(column)
            for u in users:
                table.add_row(
                    u.username,
                    escape(u.display_name),
                    ", ".join(sorted(u.roles)),
                    u.agency_ori or "",
                    ", ".join(sorted(u.states)),
                )
            console.print(table)

        emit(users, as_json, human)

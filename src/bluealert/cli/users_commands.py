"""`bluealert users …`: people, their roles and their agency or state scope."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bluealert.app.users import add_user, list_users
from bluealert.cli.context import app_context
from bluealert.cli.output import JsonFlag, console, emit, one_of, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role

app = typer.Typer(help="People and their roles.", no_args_is_help=True)


@app.command()
def add(
    username: Annotated[
        str, typer.Argument(metavar="USERNAME", help="The login name, e.g. tx.kim.")
    ],
    role: Annotated[
        list[Role],
        typer.Option(metavar="ROLE", help=f"A role (repeat for several), {one_of(Role)}."),
    ],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    agency: Annotated[
        str | None, typer.Option(help="Agency ORI (originators, supervisors).")
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(help="A US state this person coordinates (USPS code; repeat)."),
    ] = None,
    actor: Annotated[
        str, typer.Option("--as", envvar="BLUEALERT_USER", help="Who is acting (a username).")
    ] = "admin",
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
            print_table(
                "users",
                [
                    Col("username"),
                    Col("name", prose=True),
                    Col("roles", prose=True),
                    Col("agency"),
                    Col("states", prose=True),
                ],
                [
                    (
                        u.username,
                        escape(u.display_name),
                        ", ".join(sorted(u.roles)),
                        u.agency_ori or "",
                        ", ".join(sorted(u.states)),
                    )
                    for u in users
                ],
            )

        emit({"users": users}, as_json, human)

"""The `bluealert` command. Each group lives in its own module, registered here explicitly."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

import typer

from bluealert.cli import (
    activation_commands,
    alert_commands,
    audit_commands,
    cap_commands,
    db_commands,
    deliveries_commands,
    demo_commands,
    dispatch_commands,
    geo_commands,
    ipaws_commands,
    partners_commands,
    plans_commands,
    render_commands,
    same_commands,
    serve_commands,
    subscriptions_commands,
    tips_commands,
    users_commands,
)
from bluealert.cli.output import BlueAlertGroup
from bluealert.logs import configure_logging

app = typer.Typer(
    name="bluealert",
    help="Blue Alert network: draft, approve and disseminate alerts for officers in danger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=BlueAlertGroup,
    # Plain Click help: flags show no `<bool>` placeholder and nothing is drawn in boxes that
    # cut option names at 80 columns. Sub-groups inherit it from here.
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        print(f"bluealert {version('bluealert')}")
        raise typer.Exit(0)


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Blue Alert network: draft, approve and disseminate alerts for officers in danger."""


# Command groups (one module each); keep this list sorted.
app.add_typer(activation_commands.app, name="activation")
app.add_typer(alert_commands.app, name="alert")
app.add_typer(audit_commands.app, name="audit")
app.add_typer(cap_commands.app, name="cap")
app.add_typer(db_commands.app, name="db")
app.add_typer(deliveries_commands.app, name="deliveries")
app.command("demo")(demo_commands.demo)
app.command("dispatch")(dispatch_commands.dispatch)
app.add_typer(geo_commands.app, name="geo")
app.add_typer(ipaws_commands.app, name="ipaws")
app.add_typer(partners_commands.app, name="partners")
app.add_typer(plans_commands.app, name="plans")
app.command("render")(render_commands.render_command)
app.add_typer(same_commands.app, name="same")
app.command("serve")(serve_commands.serve)
app.add_typer(subscriptions_commands.app, name="subscriptions")
app.add_typer(tips_commands.app, name="tips")
app.add_typer(users_commands.app, name="users")
app.command("worker")(dispatch_commands.worker)


def run() -> None:
    configure_logging()
    app()

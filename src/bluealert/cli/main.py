"""The `bluealert` command. Each group lives in its own module, registered here explicitly."""

from __future__ import annotations

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
    partners_commands,
    plans_commands,
    render_commands,
    same_commands,
    serve_commands,
    subscriptions_commands,
    users_commands,
)
from bluealert.logs import configure_logging

app = typer.Typer(
    name="bluealert",
    help="Blue Alert network: draft, approve and disseminate alerts for officers in danger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

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
app.add_typer(partners_commands.app, name="partners")
app.add_typer(plans_commands.app, name="plans")
app.command("render")(render_commands.render_command)
app.add_typer(same_commands.app, name="same")
app.command("serve")(serve_commands.serve)
app.add_typer(subscriptions_commands.app, name="subscriptions")
app.add_typer(users_commands.app, name="users")
app.command("worker")(dispatch_commands.worker)


def run() -> None:
    configure_logging()
    app()

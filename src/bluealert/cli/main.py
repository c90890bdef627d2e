"""The `bluealert` command. Each group lives in its own module, registered here explicitly."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="bluealert",
    help="Blue Alert network: draft, approve and disseminate alerts for officers in danger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Command groups (one module each); keep this list sorted.


def run() -> None:
    app()

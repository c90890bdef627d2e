"""`bluealert activation …`: ask another state to activate, and answer such requests."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bluealert.app import cross_state
from bluealert.cli.context import ActorOption, app_context
from bluealert.cli.output import JsonFlag, QuietFlag, console, emit, reported_errors

app = typer.Typer(help="Cross-state activation requests.", no_args_is_help=True)


@app.command()
def request(
    key: Annotated[str, typer.Argument(help="Your active alert.")],
    to_state: Annotated[str, typer.Argument(help="The state asked to activate (USPS code).")],
    actor: ActorOption,
    note: Annotated[str, typer.Option(help="A note to the other coordinator.")] = "",
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Ask another state's coordinator to activate this alert under their plan."""
    with reported_errors(as_json):
        made = cross_state.request_activation(
            app_context(), actor=actor, key=key, to_state=to_state, note=note
        )
        emit(
            made,
            as_json,
            lambda: console.print(f"asked {made.to_state}: request {made.id}"),
            quiet=made.id if quiet else None,
        )


@app.command()
def suggest(
    key: Annotated[str, typer.Argument(help="Alert reference or id.")],
    as_json: JsonFlag = False,
) -> None:
    """Which other states to ask, by the plan's neighbour policy, and why."""
    with reported_errors(as_json):
        found = cross_state.suggest_states(app_context(), key)

        def human() -> None:
            table = Table(title=f"states to ask for {key}")
            for column in ("state", "why", "asked"):
                table.add_column(column)
            for s in found.states:
                table.add_row(s.state, escape(s.reason), s.asked or "not yet")
            console.print(table)
            if found.note:
                console.print(f"[yellow]note:[/] {escape(found.note)}")
            for s in found.states:
                if s.asked is None:
                    console.print(f"  bluealert activation request {key} {s.state} --as YOU")

        emit({"states": [vars(s) for s in found.states], "note": found.note}, as_json, human)


@app.command()
def accept(request_id: str, actor: ActorOption, as_json: JsonFlag = False) -> None:
    """Accept: a linked alert goes active under your state's plan."""
    with reported_errors(as_json):
        answered, linked = cross_state.accept_activation(
            app_context(), actor=actor, request_id=request_id
        )
        emit(
            {"request": answered, "alert": linked},
            as_json,
            lambda: console.print(f"accepted; linked alert [bold]{linked.reference}[/] active"),
        )


@app.command()
def decline(
    request_id: str,
    actor: ActorOption,
    reason: Annotated[str, typer.Option(help="Why (required).")],
    as_json: JsonFlag = False,
) -> None:
    """Decline with a reason."""
    with reported_errors(as_json):
        answered = cross_state.decline_activation(
            app_context(), actor=actor, request_id=request_id, reason=reason
        )
        emit(answered, as_json, lambda: console.print(f"declined request {answered.id}"))


@app.command("list")
def list_(
    state: Annotated[str, typer.Argument(help="Requests addressed to this state.")],
    as_json: JsonFlag = False,
) -> None:
    """List requests addressed to a state."""
    with reported_errors(as_json):
        found = cross_state.requests_for_state(app_context(), state)

        def human() -> None:
            table = Table(title=f"activation requests to {state.upper()}")
            for column in ("id", "from", "alert", "asked by", "state", "reason"):
                table.add_column(column)
            for r in found:
                table.add_row(
                    r.id,
                    r.from_state,
                    r.source_reference,
                    r.requested_by,
                    r.state.value,
                    escape(r.reason),
                )
            console.print(table)

        emit(found, as_json, human)

"""`bluealert activation …`: ask another state to activate, and answer such requests."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bluealert.app import cross_state
from bluealert.cli.context import ActorOption, AlertArg, app_context
from bluealert.cli.output import JsonFlag, QuietFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.cli.views import print_notices

app = typer.Typer(help="Cross-state activation requests.", no_args_is_help=True)

RequestArg = Annotated[
    str,
    typer.Argument(
        metavar="REQUEST", help="The activation request's id (`activation list STATE`)."
    ),
]


@app.command()
def request(
    key: AlertArg,
    to_state: Annotated[
        str, typer.Argument(metavar="STATE", help="The US state asked to activate (USPS code).")
    ],
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
            quiet={"id": made.id} if quiet else None,
        )


@app.command()
def suggest(
    key: AlertArg,
    as_json: JsonFlag = False,
) -> None:
    """Which other states to ask, by the plan's neighbour policy, and why."""
    with reported_errors(as_json):
        found = cross_state.suggest_states(app_context(), key)

        def human() -> None:
            if not found.states:
                console.print(f"no other state to ask for {escape(key)}: {escape(found.note)}")
                console.print(
                    f"  to ask one anyway: bluealert activation request {key} STATE --as YOU",
                    soft_wrap=True,
                )
                return
            print_table(
                f"states to ask for {key}",
                [Col("state"), Col("why", prose=True), Col("asked")],
                [(s.state, escape(s.reason), s.asked or "not yet") for s in found.states],
            )
            if found.note:
                console.print(f"[yellow]note:[/] {escape(found.note)}")
            for s in found.states:
                if s.asked is None:
                    console.print(
                        f"  bluealert activation request {key} {s.state} --as YOU", soft_wrap=True
                    )

        emit({"states": [vars(s) for s in found.states], "note": found.note}, as_json, human)


@app.command()
def accept(request_id: RequestArg, actor: ActorOption, as_json: JsonFlag = False) -> None:
    """Accept: a linked alert goes active under your state's plan."""
    with reported_errors(as_json):
        answered, linked = cross_state.accept_activation(
            app_context(), actor=actor, request_id=request_id
        )

        def human() -> None:
            console.print(f"accepted; linked alert [bold]{linked.reference}[/] active")
            print_notices(linked)

        emit({"request": answered, "alert": linked}, as_json, human)


@app.command()
def decline(
    request_id: RequestArg,
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
    state: Annotated[
        str, typer.Argument(metavar="STATE", help="Requests addressed to this US state (USPS).")
    ],
    as_json: JsonFlag = False,
) -> None:
    """List requests addressed to a state."""
    with reported_errors(as_json):
        found = cross_state.requests_for_state(app_context(), state)

        def human() -> None:
            columns = [
                Col("id"),
                Col("from"),
                Col("alert"),
                Col("asked by"),
                Col("state"),
                Col("reason", prose=True),
            ]
            rows = [
                (r.id, r.from_state, r.source_reference, r.requested_by, r.state.value, r.reason)
                for r in found
            ]
            print_table(
                f"activation requests to {state.upper()}",
                columns,
                [(*row[:-1], escape(row[-1])) for row in rows],
            )

        emit({"requests": found}, as_json, human)

"""`bluealert alert …`: draft, submit, approve, update, cancel, resolve, show, list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bluealert.app import alerts as use_cases
from bluealert.cli.context import ActorOption, AlertArg, app_context, read_alert_file
from bluealert.cli.output import (
    JsonFlag,
    QuietFlag,
    console,
    emit,
    one_of,
    print_json,
    reported_errors,
)
from bluealert.cli.views import alert_panel, alert_table, evaluation_table, print_notices
from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.domain.criteria import Verdict
from bluealert.domain.vocabulary import AlertState, Claim, Resolution

CHECK_EXIT_CODES = {Verdict.NOT_ELIGIBLE: 1, Verdict.WAITING_FOR_ATTESTATIONS: 3}

app = typer.Typer(help="Draft, approve, update and end alerts.", no_args_is_help=True)

FileArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="An alert file, JSON or YAML (`alert schema`).")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (required).")]


def _done(alert: Alert, as_json: bool, message: str, quiet: bool = False) -> None:
    def human() -> None:
        console.print(
            f"[bold]{alert.reference}[/] {message} ([cyan]{alert.state.value}[/], "
            f"version {alert.current.number})"
        )
        print_notices(alert)

    emit(alert, as_json, human, quiet={"reference": alert.reference} if quiet else None)


@app.command()
def schema(as_json: JsonFlag = False) -> None:
    """Print the JSON Schema of an alert file (JSON with or without --json)."""
    print_json(AlertContent.model_json_schema())


@app.command()
def draft(
    path: FileArg, actor: ActorOption, as_json: JsonFlag = False, quiet: QuietFlag = False
) -> None:
    """Create a draft from an alert file (--quiet prints only its reference, for scripts)."""
    with reported_errors(as_json):
        file = read_alert_file(path)
        alert = use_cases.draft_alert(
            app_context(), actor=actor, content=file.content, photos=file.photos
        )
        _done(alert, as_json, "drafted", quiet)


@app.command()
def submit(
    key: AlertArg,
    actor: ActorOption,
    attest: Annotated[
        list[Claim] | None,
        typer.Option(metavar="CLAIM", help=f"A claim you attest (repeat), {one_of(Claim)}."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Submit a draft for approval, attesting the plan's claims; criteria are checked."""
    with reported_errors(as_json):
        alert, evaluation = use_cases.submit_alert(
            app_context(), actor=actor, key=key, attest=attest
        )
        emit(
            {"alert": alert, "criteria": evaluation}, as_json, lambda: evaluation_table(evaluation)
        )
        if not as_json:
            _done(alert, False, "submitted for approval")


@app.command()
def check(key: AlertArg, as_json: JsonFlag = False) -> None:
    """Evaluate an alert against its plan's criteria and give a verdict.

    Exit 0 when it is eligible, 1 when a blocking criterion is unmet, 3 when only claims
    nobody has attested yet stand in the way (waiting for attestations)."""
    with reported_errors(as_json):
        evaluation = use_cases.check_alert(app_context(), key)
        emit(evaluation, as_json, lambda: evaluation_table(evaluation))
        if evaluation.verdict is not Verdict.ELIGIBLE:
            raise typer.Exit(CHECK_EXIT_CODES[evaluation.verdict])


@app.command()
def approve(key: AlertArg, actor: ActorOption, as_json: JsonFlag = False) -> None:
    """Approve and activate a pending alert (a second person: the two-person rule)."""
    with reported_errors(as_json):
        _done(
            use_cases.approve_alert(app_context(), actor=actor, key=key),
            as_json,
            "approved and ACTIVE",
        )


@app.command()
def reject(
    key: AlertArg, actor: ActorOption, reason: ReasonOption, as_json: JsonFlag = False
) -> None:
    """Reject a pending alert for good."""
    with reported_errors(as_json):
        _done(
            use_cases.reject_alert(app_context(), actor=actor, key=key, reason=reason),
            as_json,
            "rejected",
        )


@app.command("return")
def return_(
    key: AlertArg, actor: ActorOption, reason: ReasonOption, as_json: JsonFlag = False
) -> None:
    """Return a pending alert to its author with a reason."""
    with reported_errors(as_json):
        _done(
            use_cases.return_alert(app_context(), actor=actor, key=key, reason=reason),
            as_json,
            "returned to its author",
        )


@app.command()
def update(
    key: AlertArg,
    path: FileArg,
    actor: ActorOption,
    note: Annotated[str, typer.Option(help="What changed.")] = "updated",
    base: Annotated[
        int | None,
        typer.Option(
            min=1,
            metavar="N",
            help="The version your file was based on (`alert show` prints it): refused if "
            "another was published since. Default: the version current when the command starts.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Revise a draft, or publish a new version of an active alert.

    Refused (exit 1, naming the current version) when the alert is no longer at the version
    the update is based on: two updates from the same version never both publish."""
    with reported_errors(as_json):
        ctx = app_context()
        # Read before the file, so that an update published while this one runs is caught too.
        based_on = base if base is not None else use_cases.get_alert(ctx, key).current.number
        file = read_alert_file(path)
        alert = use_cases.update_alert(
            ctx,
            actor=actor,
            key=key,
            content=file.content,
            note=note,
            base=based_on,
            photos=file.photos,
        )
        _done(alert, as_json, f"updated from version {based_on}")


@app.command()
def renew(key: AlertArg, actor: ActorOption, as_json: JsonFlag = False) -> None:
    """Extend an active alert by its plan's maximum duration."""
    with reported_errors(as_json):
        _done(use_cases.renew_alert(app_context(), actor=actor, key=key), as_json, "renewed")


@app.command()
def cancel(
    key: AlertArg, actor: ActorOption, reason: ReasonOption, as_json: JsonFlag = False
) -> None:
    """Cancel an active alert (it is no longer effective)."""
    with reported_errors(as_json):
        _done(
            use_cases.cancel_alert(app_context(), actor=actor, key=key, reason=reason),
            as_json,
            "cancelled",
        )


@app.command()
def resolve(
    key: AlertArg,
    actor: ActorOption,
    resolution: Annotated[
        Resolution,
        typer.Option(metavar="RESOLUTION", help=f"How it ended, {one_of(Resolution)}."),
    ],
    note: Annotated[str, typer.Option(help="Details.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Resolve an active alert: suspect apprehended, officer located, …"""
    with reported_errors(as_json):
        _done(
            use_cases.resolve_alert(
                app_context(), actor=actor, key=key, resolution=resolution, note=note
            ),
            as_json,
            "resolved",
        )


@app.command()
def show(key: AlertArg, as_json: JsonFlag = False) -> None:
    """Show one alert with its versions."""
    with reported_errors(as_json):
        alert = use_cases.get_alert(app_context(), key)
        emit(alert, as_json, lambda: alert_panel(alert))


@app.command("list")
def list_(
    lifecycle: Annotated[
        list[AlertState] | None,
        typer.Option(
            metavar="LIFECYCLE",
            help=f"Only alerts at this point of their lifecycle (repeat), {one_of(AlertState)}.",
        ),
    ] = None,
    plan: Annotated[
        str | None, typer.Option(help="Only alerts under this US state's plan (USPS code).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List alerts, newest first."""
    with reported_errors(as_json):
        found = use_cases.list_alerts(app_context(), states=lifecycle or [], plan=plan)
        emit({"alerts": found}, as_json, lambda: alert_table(found))

"""`bluealert tips …`: what the public told about an alert, for law enforcement to review."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from bluealert.app.tips import list_tips, review_tip
from bluealert.cli.context import ActorOption, AlertArg, app_context
from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.domain.tips import Tip

app = typer.Typer(help="Tips from the public about an alert: list them, mark them reviewed.")

TipArg = Annotated[
    str, typer.Argument(metavar="TIP", help="The tip's id (from tips list).", show_default=False)
]


def tip_record(tip: Tip) -> dict[str, Any]:
    return {
        "id": tip.id,
        "alert": tip.reference,
        **tip.submission.model_dump(mode="json"),
        "received_at": tip.received_at.isoformat(),
        "reviewed_at": tip.reviewed_at.isoformat() if tip.reviewed_at else None,
        "reviewed_by": tip.reviewed_by,
        "review_note": tip.review_note,
    }


def _where(tip: Tip) -> str:
    given = tip.submission
    point = f" ({given.lat:.5f}, {given.lon:.5f})" if given.lat is not None else ""
    return escape(given.location) + point


@app.command("list")
def list_(
    alert: AlertArg,
    unreviewed: Annotated[bool, typer.Option(help="Only the tips nobody reviewed yet.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """List an alert's tips, oldest first."""
    with reported_errors(as_json):
        found = list_tips(app_context(), alert_key=alert, reviewed=False if unreviewed else None)
        waiting = sum(1 for t in found if t.reviewed_at is None)

        def human() -> None:
            print_table(
                f"{len(found)} tip(s), {waiting} unreviewed",
                [
                    Col("id"),
                    Col("seen at"),
                    Col("where", prose=True),
                    Col("what", prose=True),
                    Col("contact", prose=True),
                    Col("reviewed"),
                ],
                [
                    (
                        t.id,
                        f"{t.submission.seen_at:%Y-%m-%d %H:%M %z}",
                        _where(t),
                        escape(t.submission.seen),
                        escape(t.submission.contact or "—"),
                        t.reviewed_by or "no",
                    )
                    for t in found
                ],
            )

        emit({"tips": [tip_record(t) for t in found], "unreviewed": waiting}, as_json, human)


@app.command()
def review(
    alert: AlertArg,
    tip: TipArg,
    actor: ActorOption,
    note: Annotated[str, typer.Option(help="What was done with it (500 characters at most).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Mark a tip reviewed (law enforcement of the alert's agency or state, or national)."""
    with reported_errors(as_json):
        reviewed = review_tip(app_context(), actor=actor, alert_key=alert, tip_id=tip, note=note)
        emit(
            tip_record(reviewed),
            as_json,
            lambda: console.print(
                f"tip {reviewed.id} of {reviewed.reference}: reviewed by {actor}"
            ),
        )

"""`bluealert deliveries …`: how an alert's delivery goes, live; dead letters and replay."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bluealert.app.addresses import shown_address
from bluealert.app.deliveries import (
    COLUMNS,
    DeliveryStatus,
    dead_letters,
    delivery_status,
    replay_dead_letters,
)
from bluealert.cli.context import ActorOption, AlertArg, app_context
from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.store.deliveries import Receipt

app = typer.Typer(help="Deliveries of alerts: status, live progress, dead letters, replay.")


def status_json(status: DeliveryStatus) -> dict[str, Any]:
    return {
        "alert": status.reference,
        "channels": [
            {"version": c.version, "event": c.event, "channel": c.channel, **c.counts}
            for c in status.channels
        ],
        "first_sent": status.first_sent.isoformat() if status.first_sent else None,
        "last_sent": status.last_sent.isoformat() if status.last_sent else None,
        "median_latency_ms": status.median_latency_ms,
    }


def status_table(status: DeliveryStatus) -> Table:
    table = Table(title=f"deliveries of {status.reference}")
    for column in ("version", "event", "channel", *COLUMNS):
        table.add_column(column, justify="right" if column in COLUMNS else "left")
    for c in status.channels:
        table.add_row(str(c.version), c.event, c.channel, *(str(c.counts[k]) for k in COLUMNS))
    if status.median_latency_ms is not None:
        table.caption = f"median latency approval → sent: {status.median_latency_ms:.0f} ms"
    return table


@app.command()
def status(key: AlertArg, as_json: JsonFlag = False) -> None:
    """Per channel: planned, sent, retrying, failed (and skipped, superseded)."""
    with reported_errors(as_json):
        found = delivery_status(app_context(), key)
        emit(status_json(found), as_json, lambda: console.print(status_table(found)))


@app.command()
def watch(
    key: AlertArg,
    timeout: Annotated[float, typer.Option(help="Stop watching after this many seconds.")] = 600,
    interval: Annotated[float, typer.Option(help="Seconds between looks.")] = 0.5,
) -> None:
    """Live progress bars per channel until every delivery is settled (or the timeout)."""
    with reported_errors():
        ctx = app_context()
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
        )
        tasks: dict[tuple[int, str, str], Any] = {}
        deadline = time.monotonic() + timeout
        with Live(progress, console=console, refresh_per_second=8):
            while True:
                found = delivery_status(ctx, key)
                for c in found.channels:
                    name = (c.version, c.event, c.channel)
                    detail = _detail(c.counts)
                    if name not in tasks:
                        tasks[name] = progress.add_task(
                            f"v{c.version} {c.event} {c.channel}", total=c.total, detail=detail
                        )
                    progress.update(tasks[name], completed=c.done, total=c.total, detail=detail)
                if (found.channels and found.finished) or time.monotonic() > deadline:
                    break
                time.sleep(interval)


def _detail(counts: dict[str, int]) -> str:
    return f"sent {counts['sent']} · retrying {counts['retrying']} · failed {counts['failed']}"


def receipts_json(found: list[Receipt]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "key": r.key,
            "alert": r.alert_id,
            "version": r.version,
            "event": r.event,
            "recipient": r.recipient,
            "channel": r.channel,
            "address": shown_address(r.channel, r.address),
            "attempts": r.attempts,
            "detail": r.detail,
        }
        for r in found
    ]


@app.command()
def dead(
    key: Annotated[str | None, typer.Option("--alert", help="Only this alert's.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Dead letters: deliveries that failed permanently or ran out of attempts."""
    with reported_errors(as_json):
        found = dead_letters(app_context(), key=key)

        def human() -> None:
            columns = [Col(c) for c in ("id", "version", "event", "channel", "recipient")]
            columns += [Col("address", prose=True), Col("attempts"), Col("why", prose=True)]
            print_table(
                f"{len(found)} dead letter(s)",
                columns,
                [
                    (
                        str(r.id),
                        str(r.version),
                        r.event,
                        r.channel,
                        r.recipient,
                        escape(shown_address(r.channel, r.address)),
                        str(r.attempts),
                        escape(r.detail),
                    )
                    for r in found
                ],
            )

        emit({"dead_letters": receipts_json(found)}, as_json, human)


@app.command()
def replay(
    actor: ActorOption,
    ids: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="ID", help="Dead letters' ids (`deliveries dead`).", show_default=False
        ),
    ] = None,
    key: Annotated[str | None, typer.Option("--alert", help="All of this alert's.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Send dead letters again (attempts counted afresh) at the dispatcher's next turn."""
    with reported_errors(as_json):
        count = replay_dead_letters(app_context(), actor=actor, ids=ids or [], key=key)
        emit(
            {"replayed": count},
            as_json,
            lambda: console.print(
                f"{count} dead letter(s) planned again; the running dispatcher sends them "
                "(or run `bluealert dispatch --once`)"
            ),
        )

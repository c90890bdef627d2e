"""`bluealert audit verify|export`: check and export the hash-chained audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from bluealert.app.audit_log import export_audit, verify_audit
from bluealert.cli.context import app_context
from bluealert.cli.output import JsonFlag, console, emit, err_console, reported_errors

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify(as_json: JsonFlag = False) -> None:
    """Verify the whole chain; exit 1 naming the first event altered, deleted, inserted or moved."""
    with reported_errors(as_json):
        with Progress(transient=True, console=err_console, disable=as_json) as bar:
            task = bar.add_task("verifying the audit chain", total=None)
            result = verify_audit(
                app_context(), lambda done, total: bar.update(task, completed=done, total=total)
            )
        data = {
            "ok": result.ok,
            "checked": result.checked,
            "bad_event": result.bad_seq,
            "problem": result.problem,
        }

        def human() -> None:
            if result.ok:
                console.print(f"[green]audit log verifies[/]: {result.checked} events")
            else:
                err_console.print(
                    f"[bold red]audit log does NOT verify[/] at event "
                    f"{result.bad_seq}: {result.problem}"
                )

        emit(data, as_json, human)
        if not result.ok:
            raise typer.Exit(1)


@app.command()
def export(
    out: Annotated[Path | None, typer.Option(help="Write to this file, not stdout.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only events about this id.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export events as JSON lines (each with its prev_hash and hash)."""
    with reported_errors(as_json):
        lines = export_audit(app_context(), subject)
        if out is None:
            for line in lines:
                print(line)
            return
        with out.open("w", encoding="utf-8") as handle:
            count = sum(handle.write(line + "\n") > 0 for line in lines)
        emit(
            {"out": str(out), "events": count},
            as_json,
            lambda: console.print(f"wrote {count} events to {out}"),
        )

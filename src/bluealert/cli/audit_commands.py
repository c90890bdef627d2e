"""`bluealert audit verify|checkpoint|export`: check, anchor and export the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from bluealert.app.audit_anchoring import AnchoredVerification, make_checkpoint, verify_against
from bluealert.app.audit_log import export_audit, verify_audit
from bluealert.cli.context import app_context
from bluealert.cli.output import JsonFlag, console, emit, err_console, reported_errors
from bluealert.store import audit_checkpoint
from bluealert.store.audit import Head, Verification

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

AgainstOption = Annotated[
    Path | None,
    typer.Option(
        "--against",
        help="A checkpoint (audit checkpoint) or an earlier `audit export` the chain must "
        "still extend.",
        show_default=False,
    ),
]


@app.command()
def verify(against: AgainstOption = None, as_json: JsonFlag = False) -> None:
    """Verify the whole chain and print the head it checked (seq and hash).

    Exit 1 naming the first event altered, deleted, inserted or moved, or where the chain stops
    extending --against FILE; exit 2 if FILE is unreadable or badly signed.
    """
    with reported_errors(as_json):
        ctx = app_context()
        with Progress(transient=True, console=err_console, disable=as_json) as bar:
            task = bar.add_task("verifying the audit chain", total=None)
            if against is None:
                result = verify_audit(
                    ctx, lambda done, total: bar.update(task, completed=done, total=total)
                )
                anchored = None
            else:
                anchored = verify_against(ctx, against, lambda d: bar.update(task, completed=d))
                result = anchored.chain
        data = _chain_json(result)
        if anchored is not None:
            data = {**data, "ok": anchored.ok, "against": _against_json(anchored)}

        def human() -> None:
            _print_chain(result, anchored is not None)
            if anchored is not None:
                _print_anchor(anchored)

        emit(data, as_json, human)
        if not data["ok"]:
            raise typer.Exit(1)


def _head_json(head: Head) -> dict[str, Any]:
    return {"seq": head.seq, "hash": head.hash, "at": head.at.isoformat() if head.at else None}


def _chain_json(result: Verification) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "checked": result.checked,
        "head": _head_json(result.head),
        "bad_event": result.bad_seq,
        "problem": result.problem,
    }


def _against_json(anchored: AnchoredVerification) -> dict[str, Any]:
    anchor, check = anchored.anchor, anchored.check
    return {
        "file": str(anchor.path),
        "kind": anchor.kind,
        "seq": anchor.newest.seq,
        "hash": anchor.newest.hash,
        "events": anchor.events,
        "made_at": anchor.made_at.isoformat() if anchor.made_at else None,
        "key_id": anchor.key_id,
        "extends": check.extends,
        "breaks_at": check.breaks_at,
        "problem": check.problem,
    }


def _print_chain(result: Verification, anchored: bool) -> None:
    if not result.ok:
        err_console.print(
            f"[bold red]audit log does NOT verify[/] at event {result.bad_seq}: {result.problem}",
            soft_wrap=True,
        )
    elif anchored:
        console.print(f"chain intact: {result.checked} events")
    else:
        console.print(f"[green]audit log verifies[/]: {result.checked} events")
    head = result.head
    when = f" at {head.at.isoformat()}" if head.at else ""
    console.print(
        f"head: event {head.seq}{when}, hash {head.hash}", highlight=False, soft_wrap=True
    )


def _print_anchor(anchored: AnchoredVerification) -> None:
    anchor, check = anchored.anchor, anchored.check
    if check.extends:
        console.print(
            f"[green]{'audit log verifies and ' if anchored.ok else ''}extends "
            f"{anchor.described}[/] (event {anchor.newest.seq}, hash {anchor.newest.hash})",
            highlight=False,
            soft_wrap=True,
        )
    else:
        err_console.print(
            f"[bold red]audit log does NOT extend {anchor.described}[/] at event "
            f"{check.breaks_at}: {check.problem}",
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def checkpoint(
    out: Annotated[
        Path | None,
        typer.Option(help="Write here; else into BLUEALERT_AUDIT_CHECKPOINT_DIR, else stdout."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Sign the verified head (seq, hash, time) with this node's key, to keep elsewhere.

    The key is BLUEALERT_AUDIT_SIGNING_KEY, or one made in the data directory on first use.
    `audit verify --against FILE` later proves the chain still extends it. Exit 1 if the chain
    does not verify now.
    """
    with reported_errors(as_json):
        made = make_checkpoint(app_context(), out)
        if made.written_to is None:
            print(audit_checkpoint.render(made.document), end="")
            return
        key = made.document["key"]
        emit(
            {"out": str(made.written_to), "checkpoint": made.document},
            as_json,
            lambda: console.print(
                f"checkpoint of event {made.head.seq} (hash {made.head.hash}) signed with "
                f"{key['algorithm']} key {key['id']}, written to {made.written_to}",
                highlight=False,
                soft_wrap=True,
            ),
        )


@app.command()
def export(
    out: Annotated[Path | None, typer.Option(help="Write to this file, not stdout.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only events about this id.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export events as JSON lines (each with its prev_hash, hash and hash_format)."""
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

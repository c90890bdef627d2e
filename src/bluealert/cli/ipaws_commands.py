"""`bluealert ipaws ping`: is IPAWS-OPEN there, what may our COG send, would it take an alert."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from bluealert.cli.context import app_context, load_alert
from bluealert.cli.output import EXIT_REFUSED, JsonFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.config import load_settings
from bluealert.dispatch.ipaws.client import IpawsAccount, IpawsClient
from bluealert.dispatch.ipaws.cog import CHANNEL_NAMES, CogProfile, Preflight, cap_facts, preflight
from bluealert.dispatch.ipaws.credentials import load_signer
from bluealert.dispatch.rendering import render_context
from bluealert.formats.cap.parse import parse_xml
from bluealert.formats.renderers import RENDERERS

app = typer.Typer(help="FEMA's IPAWS-OPEN: check the connection and the COG.", no_args_is_help=True)


def _profile_rows(profile: CogProfile) -> list[list[str]]:
    codes = "all" if profile.all_event_codes else ", ".join(sorted(profile.event_codes))
    areas = "all" if profile.all_geo_codes else ", ".join(sorted(profile.geo_codes))
    channels = ", ".join(CHANNEL_NAMES[c] for c in CHANNEL_NAMES if c in profile.channels)
    return [
        ["COG", f"{profile.cog_id} {profile.name}".strip()],
        ["enabled", "yes" if profile.enabled else "NO"],
        ["event codes", codes or "none"],
        ["SAME areas", areas or "none"],
        ["channels", channels or "none"],
    ]


def _preflight(key: str, profile: CogProfile) -> Preflight:
    ctx = app_context()
    alert = load_alert(key)
    cap = RENDERERS["cap"](alert, render_context(ctx.settings, ctx.clock(), None))
    return preflight(profile, cap_facts(parse_xml(cap)))


def _profile_json(profile: CogProfile) -> dict[str, Any]:
    return {
        "cog_id": profile.cog_id,
        "name": profile.name,
        "enabled": profile.enabled,
        "event_codes": "all" if profile.all_event_codes else sorted(profile.event_codes),
        "same_areas": "all" if profile.all_geo_codes else sorted(profile.geo_codes),
        "channels": [CHANNEL_NAMES[c] for c in CHANNEL_NAMES if c in profile.channels],
    }


def _preflight_json(key: str, checked: Preflight) -> dict[str, Any]:
    return {
        "alert": key,
        "cleared": checked.cleared,
        "refusals": [{"code": p.code, "message": p.message} for p in checked.refusals],
        "warnings": list(checked.warnings),
    }


@app.command()
def ping(
    alert: Annotated[
        str | None,
        typer.Option(
            "--alert",
            metavar="ALERT",
            help="Also check this alert (reference or id) against the COG's permissions.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Ping IPAWS-OPEN and show what the COG may send (BLUEALERT_IPAWS_* settings).

    With --alert, the pre-flight of that alert: the event code and SAME areas the COG may not
    use. Exit 0 when IPAWS answers (and the alert would be taken), 1 when it does not answer
    or the pre-flight refuses the alert, 2 when IPAWS is not configured or its key or
    certificate file is refused."""
    with reported_errors(as_json):
        account = IpawsAccount.from_settings(load_settings())
        load_signer(account.key_file, account.cert_file)  # what the channel would sign with
        client = IpawsClient(account)
        started = time.perf_counter()
        answer = client.ping()
        elapsed = (time.perf_counter() - started) * 1000
        profile = client.cog_profile()
        client.close()
        checked = _preflight(alert, profile) if alert is not None else None

        def human() -> None:
            console.print(f"IPAWS-OPEN at {client.account.url}: {answer} in {elapsed:.0f} ms")
            print_table(
                "the COG's permissions", [Col("what"), Col("", prose=True)], _profile_rows(profile)
            )
            if checked is None:
                return
            for warning in checked.warnings:
                console.print(f"[yellow]warning:[/] {warning}")
            if checked.cleared:
                console.print(
                    f"[green]{alert}: IPAWS would take it (event code and areas permitted)[/]"
                )
            for problem in checked.refusals:
                console.print(f"[red]refused ({problem.code}):[/] {problem.message}")

        data = {
            "url": client.account.url,
            "answer": answer,
            "milliseconds": round(elapsed),
            "cog": _profile_json(profile),
            "preflight": _preflight_json(alert, checked) if alert and checked else None,
        }
        emit(data, as_json, human)
        if checked is not None and not checked.cleared:
            raise typer.Exit(EXIT_REFUSED)

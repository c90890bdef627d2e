"""`bluealert demo`: seed demo agencies, people and plans, then play a whole scenario.

The demo plays in a store of its own, made afresh in a temporary directory for each run and
deleted after it: it never reads or writes the user's data directory or database, so it
neither grows a real store nor trips over the people a real store already holds.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from bluealert.app import alerts as use_cases
from bluealert.app import cross_state
from bluealert.app.accounts import set_password
from bluealert.app.alerts import list_alerts
from bluealert.app.audit_log import verify_audit
from bluealert.app.context import AppContext, open_app
from bluealert.app.database import upgrade_database
from bluealert.app.demo_data import DEMO_USERS, demo_alert, seed_demo_people
from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.cli.views import alert_panel, evaluation_table
from bluealert.config import Settings, load_settings
from bluealert.domain.alert import Alert
from bluealert.domain.criteria import evaluate
from bluealert.domain.registry import plan_for
from bluealert.domain.vocabulary import Claim
from bluealert.errors import BlueAlertError
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign
from bluealert.formats.same.render import same_header
from bluealert.formats.wea import compose_wea
from bluealert.geo.areas import normalise_area
from bluealert.geo.envelope import parse_heading, travel_envelope
from bluealert.logs import configure_logging
from bluealert.web.server import serve as run_server

if TYPE_CHECKING:
    from bluealert.cli.demo_dissemination import Inbox


def _step(title: str) -> None:
    console.print()
    console.print(f"[bold blue]{title}[/]")  # a Rule would cut a long title at 80 columns


def _refused(action: Callable[[], object]) -> None:
    """Run something the rules must refuse, and show the refusal."""
    try:
        action()
    except BlueAlertError as error:
        console.print(f"[magenta]refused, as it must be:[/] {error}")
    else:
        raise RuntimeError("the demo expected a refusal")


def _seed(ctx: AppContext) -> None:
    _step("1. Set-up: database, demo people, the Texas plan")
    before, after = upgrade_database(ctx)
    console.print(f"database at revision {after} (was {before or 'empty'})")
    for user in seed_demo_people(ctx):
        console.print(f"  {user.username:12} {user.display_name}")
    plan = plan_for("TX")
    console.print(
        f"plan: {plan.name} — issued by {plan.issuing_agency}; at most "
        f"{plan.max_duration_hours} h; channels {', '.join(plan.default_channels)}"
    )


def _show_outputs(ctx: AppContext, alert: Alert) -> None:
    """What the public and the roads would see (rendered, not sent: dissemination comes later)."""
    render_ctx = RenderContext(
        now=ctx.clock(), sender=ctx.settings.cap_sender, station_id=ctx.settings.station_id
    )
    for language in ("en", "es"):
        console.print(
            f"WEA 90 {language}: {compose_wea(alert.content, language, 90).text}", highlight=False
        )
    header = same_header(alert, render_ctx).text
    console.print(f"SAME: {header}", highlight=False, markup=False, soft_wrap=True)  # copied whole
    console.print(
        f"Sign: {compose_sign(alert.content, PROFILES['3x18']).multi}",
        highlight=False,
        markup=False,
    )
    area = normalise_area(alert.content.area)
    console.print(
        f"Area: {area.description}; WEA polygon of {len(area.wea_polygon) - 1} "
        f"vertices, overshoot {area.overshoot:.1%}",
        highlight=False,
    )


def play(ctx: AppContext) -> None:
    # Imported here: the stand-in servers (aiohttp, aiosmtpd) are for the demo only.
    from bluealert.cli.demo_dissemination import stand_ins

    with stand_ins(ctx) as (local, inbox):
        _play(local, inbox)


def _dissemination(ctx: AppContext, alert: Alert, inbox: Inbox, title: str) -> None:
    from bluealert.cli.demo_dissemination import disseminate, retained_signs

    _step(title)
    disseminate(ctx, alert, inbox)
    signs = retained_signs()
    console.print(
        "what a sign controller connecting now receives (retained MQTT): "
        + ("; ".join(signs) if signs else "nothing — no alert in force")
    )


def _play(ctx: AppContext, inbox: Inbox) -> None:
    from bluealert.cli.demo_dissemination import register

    _seed(ctx)
    register(ctx, inbox)
    content = demo_alert(ctx.clock())

    _step("2. A deputy drafts the alert (fictional incident)")
    alert = use_cases.draft_alert(ctx, actor="dep.odell", content=content)
    console.print(f"draft [bold]{alert.reference}[/] created")

    _step("3. Criteria check before the supervisor attests")
    evaluation_table(
        evaluate(alert.content, plan_for("TX"), attestations=alert.current.attestations_in_force)
    )
    _refused(lambda: use_cases.submit_alert(ctx, actor="dep.odell", key=alert.reference))

    _step("4. The sergeant attests and submits")
    claims = [
        Claim.OFFICER_STATUS_CONFIRMED,
        Claim.SUSPECT_NOT_APPREHENDED,
        Claim.SUSPECT_POSES_SERIOUS_RISK,
    ]
    alert, evaluation = use_cases.submit_alert(
        ctx, actor="sgt.reyes", key=alert.reference, attest=claims
    )
    evaluation_table(evaluation)

    _step("5. Approval: the rules refuse the wrong people, then a coordinator approves")
    _refused(lambda: use_cases.approve_alert(ctx, actor="sgt.reyes", key=alert.reference))
    _refused(lambda: use_cases.approve_alert(ctx, actor="ok.lee", key=alert.reference))
    alert = use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    alert_panel(alert)
    _show_outputs(ctx, alert)
    _dissemination(
        ctx, alert, inbox, "5b. Dissemination: partners and subscribers in the area, in seconds"
    )

    _step("6. The two-person rule: a coordinator may not approve an alert she drafted")
    own = use_cases.draft_alert(ctx, actor="tx.patel", content=content)
    _refused(
        lambda: use_cases.submit_alert(ctx, actor="tx.patel", key=own.reference, attest=claims)
    )
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=own.reference, attest=claims)
    _refused(lambda: use_cases.approve_alert(ctx, actor="tx.patel", key=own.reference))
    use_cases.reject_alert(
        ctx, actor="tx.kim", key=own.reference, reason="duplicate of the deputy's alert"
    )
    console.print(f"{own.reference} rejected by tx.kim: duplicate of the deputy's alert")

    _step("7. Update: the full plate is now known")
    vehicle = alert.content.vehicles[0]
    plate = vehicle.plate.model_copy(update={"number": "KZT4781"}) if vehicle.plate else None
    updated = alert.content.model_copy(
        update={"vehicles": [vehicle.model_copy(update={"plate": plate})]}
    )
    alert = use_cases.update_alert(
        ctx,
        actor="tx.patel",
        key=alert.reference,
        content=updated,
        note="full plate KZT4781 confirmed",
        base=alert.current.number,
    )
    console.print(f"version {alert.current.number} published ({alert.current.msg_type.value})")
    console.print("tx.kim, who had also read version 1, sends another update from it:")
    _refused(
        lambda: use_cases.update_alert(
            ctx, actor="tx.kim", key=alert.reference, content=updated, note="plate", base=1
        )
    )
    _dissemination(ctx, alert, inbox, "7b. The update goes first to everyone who got version 1")

    _step("8. The travel envelope: where could the suspect be in an hour?")
    vehicle = alert.content.vehicles[0]
    seen = vehicle.last_seen
    if seen is not None and seen.place.lat is not None and seen.place.lon is not None:
        envelope = travel_envelope(
            lat=seen.place.lat,
            lon=seen.place.lon,
            seen_at=seen.at,
            at=ctx.clock() + timedelta(hours=1),
            heading=parse_heading(
                vehicle.direction_of_travel.split()[0] if vehicle.direction_of_travel else None
            ),
            home_state=alert.plan,
        )
        console.print(
            f"{envelope.radius_km:,.0f} km northbound reaches {len(envelope.counties)} "
            f"counties in {', '.join(envelope.states)}; flagged for a cross-state "
            f"request: {', '.join(envelope.flagged_states) or 'none'}"
        )

    _step("9. The suspect may cross the Red River: Oklahoma is asked to activate")
    for suggestion in cross_state.suggest_states(ctx, alert.reference).states:
        console.print(f"the Texas plan suggests asking {suggestion.state}: {suggestion.reason}")
    request = cross_state.request_activation(
        ctx, actor="tx.kim", key=alert.reference, to_state="OK", note="northbound on I-35 toward OK"
    )
    _, linked = cross_state.accept_activation(ctx, actor="ok.lee", request_id=request.id)
    console.print(f"Oklahoma accepted: linked alert [bold]{linked.reference}[/] is active")

    _step("10. Cancel: the alert is no longer effective")
    alert = use_cases.cancel_alert(
        ctx,
        actor="tx.patel",
        key=alert.reference,
        reason="suspect vehicle found abandoned; search handed to SWAT",
    )
    alert_panel(alert)
    followed = use_cases.get_alert(ctx, linked.reference)
    console.print(
        f"Oklahoma's linked alert [bold]{followed.reference}[/] follows it: {followed.state.value}"
    )
    _dissemination(
        ctx, alert, inbox, "10b. The cancel reaches those who had the alert; signs clear"
    )

    _step("11. The audit log verifies")
    result = verify_audit(ctx)
    console.print(
        f"[green]{result.checked} audit events, hash chain intact[/]"
        if result.ok
        else f"[red]audit log broken at {result.bad_seq}: {result.problem}[/]"
    )


DEMO_PASSWORD = "blue alert demo"  # fictional people on a laptop; never a real deployment's


def _give_logins(ctx: AppContext) -> None:
    """A password for every demo person, and the TOTP secrets coordinators and admins need."""
    _step("12. Sign in to the server: demo logins (fictional people, this laptop only)")
    for user in DEMO_USERS:
        enrolment = set_password(ctx, actor="admin", username=user.username, password=DEMO_PASSWORD)
        roles = ", ".join(sorted(user.roles))
        totp = f"  TOTP secret: {enrolment.secret}" if enrolment else ""
        print(f"{user.username:12} {roles:21} password: {DEMO_PASSWORD}{totp}")
    console.print(
        "A code for a secret: python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\""
    )


def demo_settings(data_dir: Path) -> Settings:
    """The environment's settings, but the demo's own SQLite store under `data_dir`."""
    return load_settings(data_dir=data_dir, database_url=None)


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """SIGTERM as an exception, so the temporary store is deleted: uvicorn stops gracefully on
    SIGTERM, then raises the signal again, which by default kills the process where it stands."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve_with_stand_ins(ctx: AppContext, host: str, port: int) -> None:
    """Serve the demo's store, its stand-ins still listening: an alert approved through the
    API goes out through the embedded dispatcher, and each arrival is printed."""
    from bluealert.cli.demo_dissemination import stand_ins

    with stand_ins(ctx) as (local, inbox), _sigterm_unwinds():
        inbox.announce = lambda what: console.print(
            f"[dim]stand-in received[/] {escape(what)}", soft_wrap=True
        )
        console.print(
            f"serving the demo on http://{host}:{port}/ (API docs at /api/docs, the Atom "
            f"feed at /feeds/alerts.atom). The embedded dispatcher sends what is approved to "
            f"the stand-ins, which say here what they receive; Ctrl-C stops it and deletes the "
            f"demo's store"
        )
        run_server(local.settings, host, port)


@contextmanager
def demo_store() -> Iterator[AppContext]:
    """A fresh, empty store for one run, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="bluealert-demo-") as where:
        ctx = open_app(demo_settings(Path(where)))
        try:
            yield ctx
        finally:
            ctx.engine.dispose()


def demo(
    as_json: JsonFlag = False,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve", help="Then serve the demo on HOST:PORT until Ctrl-C (make demo does)."
        ),
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8000,
) -> None:
    """Play a whole scenario on fictional data: draft, criteria, approval, update, cancel;
    with --serve, give the demo people logins and serve the API and feeds.

    It runs in a store of its own, made afresh and deleted after the run (after the server
    stops, with --serve): your data directory and database are never touched."""
    with reported_errors(as_json), demo_store() as ctx:
        console.quiet = as_json
        try:
            play(ctx)
            if serve:
                _give_logins(ctx)
        finally:
            console.quiet = False
        if as_json:
            found = list_alerts(ctx, states=[], plan=None)
            result = verify_audit(ctx)
            emit(
                {
                    "alerts": [
                        {
                            "reference": a.reference,
                            "state": a.state.value,
                            "versions": len(a.versions),
                        }
                        for a in found
                    ],
                    "audit": {"ok": result.ok, "events": result.checked},
                },
                True,
                lambda: None,
            )
        if serve:
            ctx.engine.dispose()
            configure_logging(os.environ.get("BLUEALERT_LOG_LEVEL", "WARNING"))
            _serve_with_stand_ins(ctx, host, port)
        elif not as_json:
            console.print("(the demo's store was temporary and is gone; your data is untouched)")

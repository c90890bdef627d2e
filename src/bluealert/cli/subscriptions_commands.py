"""`bluealert subscriptions …`: public subscribers by place, channel and language."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bluealert.app.addresses import shown_address
from bluealert.app.subscriptions import list_subscriptions, subscribe, unsubscribe
from bluealert.cli.context import ActorOption, app_context
from bluealert.cli.output import JsonFlag, QuietFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.domain.subscription import PlaceKind, Subscription

app = typer.Typer(help="Public subscriptions: who to tell about alerts in their place.")


@app.command()
def add(
    channel: Annotated[
        str, typer.Option(help="email, webhook, mqtt, web_push, apprise or cap_push.")
    ],
    address: Annotated[
        str, typer.Option(help="Where to send: an email address, a URL, a push endpoint …")
    ],
    actor: ActorOption,
    county: Annotated[str | None, typer.Option(help="A county FIPS code.")] = None,
    zip_: Annotated[str | None, typer.Option("--zip", help="A ZIP code.")] = None,
    state: Annotated[str | None, typer.Option(help="A US state (USPS code).")] = None,
    lat: Annotated[float | None, typer.Option(help="A point's latitude.")] = None,
    lon: Annotated[float | None, typer.Option(help="A point's longitude.")] = None,
    radius_km: Annotated[float | None, typer.Option(help="Around the point, in km.")] = None,
    language: Annotated[str, typer.Option(help="en or es.")] = "en",
    p256dh: Annotated[
        str | None, typer.Option(help="web_push: the browser's keys.p256dh (base64url).")
    ] = None,
    auth: Annotated[
        str | None, typer.Option(help="web_push: the browser's keys.auth (base64url).")
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Subscribe an address to alerts for one place (confirmed: the operator vouches for it)."""
    with reported_errors(as_json):
        kind, place = _place(county, zip_, state, lat)
        subscription = Subscription.model_validate(
            {
                "channel": channel,
                "address": address,
                "place_kind": kind,
                "place": place,
                "lat": lat,
                "lon": lon,
                "radius_km": radius_km,
                "language": language,
                "keys": {"p256dh": p256dh, "auth": auth} if p256dh or auth else None,
            }
        )
        new_id = subscribe(app_context(), actor=actor, subscription=subscription)
        emit(
            {"id": new_id, **subscription.model_dump(mode="json")},
            as_json,
            lambda: console.print(f"subscription {new_id}: {escape(address)} ({kind} {place})"),
            {"id": new_id} if quiet else None,
        )


def _place(
    county: str | None, zip_: str | None, state: str | None, lat: float | None
) -> tuple[PlaceKind, str]:
    named: list[tuple[PlaceKind, str | None]] = [
        ("county", county),
        ("zip", zip_),
        ("state", state),
    ]
    given: list[tuple[PlaceKind, str]] = [(k, v) for k, v in named if v]
    if lat is not None:
        given.append(("point", ""))
    if len(given) != 1:
        raise typer.BadParameter(
            "give exactly one place: --county, --zip, --state, or --lat/--lon", param_hint="place"
        )
    return given[0]


@app.command("list")
def list_(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    after: Annotated[int, typer.Option(help="Start after this id (paging).")] = 0,
    limit: Annotated[int, typer.Option(help="At most this many.", min=1, max=10000)] = 100,
    as_json: JsonFlag = False,
) -> None:
    """List subscriptions, a page at a time."""
    with reported_errors(as_json):
        found = list_subscriptions(app_context(), channel=channel, after=after, limit=limit)

        def human() -> None:
            print_table(
                f"{len(found)} subscription(s)",
                [
                    Col("id"),
                    Col("channel"),
                    Col("address"),
                    Col("place", prose=True),
                    Col("language"),
                    Col("confirmed"),
                ],
                [
                    (
                        str(s.id),
                        s.channel,
                        escape(shown_address(s.channel, s.address)),
                        f"{s.place_kind} {escape(s.place)}",
                        s.language,
                        "yes" if s.confirmed else "no",
                    )
                    for s in found
                ],
            )

        data = [
            {
                "id": s.id,
                "channel": s.channel,
                "address": shown_address(s.channel, s.address),
                "place_kind": s.place_kind,
                "place": s.place,
                "language": s.language,
                "confirmed": s.confirmed,
                "created_at": s.created_at.isoformat(),
            }
            for s in found
        ]
        emit({"subscriptions": data}, as_json, human)


@app.command()
def remove(
    subscription_id: Annotated[
        int, typer.Argument(metavar="SUBSCRIPTION", help="The subscription's id.")
    ],
    actor: ActorOption,
    as_json: JsonFlag = False,
) -> None:
    """Remove a subscription (its past receipts stay)."""
    with reported_errors(as_json):
        unsubscribe(app_context(), actor=actor, subscription_id=subscription_id)
        emit(
            {"removed": subscription_id},
            as_json,
            lambda: console.print(f"removed subscription {subscription_id}"),
        )

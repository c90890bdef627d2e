"""`bluealert partners …`: register, list, show and disable dissemination partners."""

from __future__ import annotations

import base64
import re
import secrets
from typing import Annotated, Any

import typer
from rich.markup import escape

from bluealert.app.addresses import shown_address
from bluealert.app.partners import add_partner, disable_partner, get_partner, list_partners
from bluealert.cli.context import ActorOption, app_context
from bluealert.cli.output import JsonFlag, QuietFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.domain.partner import AfterEnd, Partner, PartnerArea, PartnerKind, SignSetup, Tier
from bluealert.domain.vocabulary import Status
from bluealert.errors import InvalidInput
from bluealert.store.partners import StoredPartner

app = typer.Typer(help="Dissemination partners: who receives alerts, where, how.")

KeyArg = Annotated[str, typer.Argument(metavar="PARTNER", help="The partner: its name or id.")]


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def partner_json(stored: StoredPartner, *, reveal_secret: bool = False) -> dict[str, Any]:
    data = stored.partner.model_dump(mode="json")
    data["secret"] = data["secret"] if reveal_secret else ("set" if data["secret"] else None)
    data["address"] = shown_address(stored.partner.channel, stored.partner.address)
    return {
        "id": stored.id,
        **data,
        "enabled": stored.enabled,
        "created_at": stored.created_at.isoformat(),
        "disabled_at": stored.disabled_at.isoformat() if stored.disabled_at else None,
    }


SIGN_PROFILE = re.compile(r"(\d{1,2})x(\d{1,3})")


def sign_setup(
    profile: str | None,
    pages: int | None,
    tags: str | None,
    slot: int | None,
    priority: int | None,
    after_end: AfterEnd | None,
) -> SignSetup | None:
    """The --sign-… options as a sign's setup; None when none was given."""
    given = {
        "pages": pages,
        "tags": [t.strip() for t in tags.split(",") if t.strip()] if tags else None,
        "slot": slot,
        "priority": priority,
        "after_end": after_end,
    }
    if profile is None and all(v is None for v in given.values()):
        return None
    if profile is not None:
        found = SIGN_PROFILE.fullmatch(profile)
        if found is None:
            raise InvalidInput(
                f"{profile!r} is not LINESxCHARACTERS (e.g. 3x18)", field="sign_profile"
            )
        given |= {"lines": int(found.group(1)), "characters": int(found.group(2))}
    return SignSetup.model_validate({k: v for k, v in given.items() if v is not None})


@app.command()
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A unique name, e.g. 'KXAS-TV'.")],
    kind: Annotated[PartnerKind, typer.Option(help="What the partner is.")],
    channel: Annotated[
        str, typer.Option(help="How it receives: webhook, cap_push, email, mqtt, apprise.")
    ],
    address: Annotated[str, typer.Option(help="URL, email address or MQTT topic prefix.")],
    actor: ActorOption,
    county: Annotated[list[str] | None, typer.Option(help="A county FIPS (repeat).")] = None,
    state: Annotated[list[str] | None, typer.Option(help="A US state (USPS code; repeat).")] = None,
    nation: Annotated[bool, typer.Option(help="Every alert in the nation.")] = False,
    format_: Annotated[
        list[str] | None, typer.Option("--format", help="A format it wants (repeat); cap.")
    ] = None,
    tier: Annotated[Tier, typer.Option(help="public, or law_enforcement")] = Tier.PUBLIC,
    status: Annotated[
        list[Status] | None, typer.Option(help="A CAP status it accepts (repeat); Actual.")
    ] = None,
    secret: Annotated[
        str | None, typer.Option(help="Webhook signing secret (whsec_…); made when omitted.")
    ] = None,
    contact: Annotated[str | None, typer.Option(help="Who to call about this partner.")] = None,
    community: Annotated[
        str | None, typer.Option(help="ntcip: the sign's SNMP write community.")
    ] = None,
    sign_profile: Annotated[
        str | None, typer.Option(metavar="LxC", help="ntcip: lines x characters, e.g. 3x18.")
    ] = None,
    sign_pages: Annotated[
        int | None, typer.Option(help="ntcip: pages the sign shows (dmsMaxNumberPages); 2.")
    ] = None,
    sign_tags: Annotated[
        str | None,
        typer.Option(metavar="TAGS", help="ntcip: MULTI tags it supports; nl,np,pt,jl,jp."),
    ] = None,
    sign_slot: Annotated[
        int | None, typer.Option(help="ntcip: changeable message N (and N+1) to write; 1.")
    ] = None,
    sign_priority: Annotated[
        int | None, typer.Option(help="ntcip: activation and run-time priority, 1-255; 200.")
    ] = None,
    sign_after_end: Annotated[
        AfterEnd | None, typer.Option(help="ntcip: blank, or restore what it showed; blank.")
    ] = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Register a partner. A webhook's signing secret is printed once, here."""
    with reported_errors(as_json):
        if channel == "webhook" and not secret:
            secret = new_webhook_secret()
        if community is not None:
            if channel != "ntcip":
                raise InvalidInput("a community is for the ntcip channel", field="community")
            secret = community
        sign = sign_setup(
            sign_profile, sign_pages, sign_tags, sign_slot, sign_priority, sign_after_end
        )
        if channel == "ntcip" and sign is None:
            sign = SignSetup()
        partner = Partner(
            name=name,
            kind=kind,
            area=PartnerArea(nation=nation, states=state or [], counties=county or []),
            formats=format_ or (["dms"] if channel == "ntcip" else ["cap"]),
            tier=tier,
            statuses=status or [Status.ACTUAL],
            channel=channel,
            address=address,
            secret=secret,
            contact=contact,
            sign=sign,
        )
        stored = add_partner(app_context(), actor=actor, partner=partner)

        def human() -> None:
            console.print(f"registered partner [bold]{escape(name)}[/] (id {stored.id})")
            if stored.partner.secret and channel == "webhook":
                console.print(f"signing secret (shown once): {stored.partner.secret}")
            if stored.partner.sign:
                console.print(f"sign: {escape(stored.partner.sign.describe())}")

        emit(
            partner_json(stored, reveal_secret=channel == "webhook"),
            as_json,
            human,
            {"id": stored.id} if quiet else None,
        )


@app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """List partners, enabled and disabled."""
    with reported_errors(as_json):
        partners = list_partners(app_context())

        def human() -> None:
            columns = [Col("id"), Col("name"), Col("kind"), Col("tier"), Col("channel")]
            columns += [Col("area", prose=True), Col("statuses", prose=True), Col("enabled")]
            print_table(
                f"{len(partners)} partner(s)",
                columns,
                [
                    (
                        str(s.id),
                        escape(s.partner.name),
                        s.partner.kind.value,
                        s.partner.tier.value,
                        s.partner.channel,
                        escape(s.partner.area.describe()),
                        ", ".join(st.value for st in s.partner.statuses),
                        "yes" if s.enabled else "[dim]no[/]",
                    )
                    for s in partners
                ],
            )

        emit({"partners": [partner_json(s) for s in partners]}, as_json, human)


@app.command()
def show(key: KeyArg, as_json: JsonFlag = False) -> None:
    """One partner (its secret is never shown again)."""
    with reported_errors(as_json):
        data = partner_json(get_partner(app_context(), key))

        def human() -> None:
            for field, value in data.items():
                shown = ", ".join(map(str, value)) if isinstance(value, list) else value
                console.print(f"[bold]{field}[/]: {escape(str(shown))}")

        emit(data, as_json, human)


@app.command()
def disable(key: KeyArg, actor: ActorOption, as_json: JsonFlag = False) -> None:
    """Stop sending to a partner (its receipts stay)."""
    with reported_errors(as_json):
        stored = disable_partner(app_context(), actor=actor, key=key)
        emit(
            partner_json(stored),
            as_json,
            lambda: console.print(f"disabled partner {escape(stored.partner.name)}"),
        )

"""What every feed says about one alert: its public facts at its current version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bluealert.domain.alert import Alert
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.domain.registry import plan_for
from bluealert.domain.tiers import public_view
from bluealert.formats.cancellation import cancellation_of
from bluealert.formats.cap.area import CapArea, cap_area_from_request
from bluealert.formats.cap.build import certainty, expires_at, identifier
from bluealert.formats.cap.document import cap_document
from bluealert.formats.cap.times import cap_time
from bluealert.formats.context import RenderContext
from bluealert.formats.public_text import compose_public_text


@dataclass(frozen=True)
class FeedEntry:
    id: str
    cap_identifier: str
    cap_url: str
    cap_length: int  # bytes of the (signed) CAP at cap_url: RSS enclosures give it
    page_url: str
    title: str
    summary: str
    instruction: str
    sent: str
    updated: datetime
    expires: str
    status: str
    msg_type: str
    certainty: str
    sender: str
    sender_name: str
    area: CapArea
    reference: str


def feed_entry(alert: Alert, ctx: RenderContext) -> FeedEntry:
    version = alert.current
    content = public_view(version.content)
    zone = jurisdiction(content.plan).time_zone
    sent = version.published_at or version.created_at
    plan = plan_for(content.plan)
    expires = expires_at(alert, version, plan)
    texts = compose_public_text(content, "en", cancelled=cancellation_of(alert))
    cap_id = identifier(alert, version.number, "Public")
    return FeedEntry(
        id=f"{ctx.base_url}/alerts/{alert.reference}",
        cap_identifier=cap_id,
        cap_url=f"{ctx.base_url}/cap/{cap_id}.xml",
        cap_length=len(cap_document(alert, ctx)),
        page_url=f"{ctx.base_url}/alerts/{alert.reference}",
        title=f"Blue Alert {alert.reference}: {texts.headline}",
        summary=texts.description or "",
        instruction=texts.instruction or "",
        sent=cap_time(sent, zone),
        updated=sent,
        expires=cap_time(expires, zone),
        status=content.status.value,
        msg_type=version.msg_type.value,
        certainty=certainty(content),
        sender=ctx.sender,
        sender_name=plan.issuing_agency,
        area=cap_area_from_request(content.area),
        reference=alert.reference,
    )


def feed_entries(alerts: list[Alert], ctx: RenderContext) -> list[FeedEntry]:
    """Entries for the public: exercises and tests never reach it; newest first."""
    public = [a for a in alerts if a.status.value == "Actual"]
    return sorted((feed_entry(a, ctx) for a in public), key=lambda e: e.updated, reverse=True)

"""Partners and subscriptions: who alerts go to. Subscribing is public (double opt-in)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, model_validator

from bluealert.app import partners, subscriptions, web_push
from bluealert.app.addresses import shown_address
from bluealert.app.webhook_key import webhook_public_key
from bluealert.domain.partner import Partner
from bluealert.domain.subscription import Subscription
from bluealert.store.partners import StoredPartner
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.pagination import LimitQuery
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1", tags=["partners and subscriptions"])

PartnerPath = Annotated[str, Path(max_length=100, description="Partner name or id.")]
SubscriptionPath = Annotated[int, Path(ge=1, le=2**62)]


class PartnerDraft(Partner):
    """A partner to register: kind, area, formats, tier, statuses, channel and address."""


class PartnerPublic(BaseModel):
    """A registered partner (its secret is never shown, nor the secrets in its address)."""

    id: int
    name: str
    kind: str
    tier: str
    channel: str
    address: str
    formats: list[str]
    statuses: list[str]
    area: str
    enabled: bool
    created_at: datetime
    disabled_at: datetime | None

    @classmethod
    def of(cls, stored: StoredPartner) -> PartnerPublic:
        partner = stored.partner
        return cls(
            id=stored.id,
            name=partner.name,
            kind=partner.kind.value,
            tier=partner.tier.value,
            channel=partner.channel,
            address=shown_address(partner.channel, partner.address),
            formats=partner.formats,
            statuses=[s.value for s in partner.statuses],
            area=partner.area.describe(),
            enabled=stored.enabled,
            created_at=stored.created_at,
            disabled_at=stored.disabled_at,
        )


class SubscriptionRequest(Subscription):
    """A place, a channel and an address; it receives alerts once confirmed."""


class SubscriptionReceived(BaseModel):
    id: int
    confirmed: bool


class SubscriptionPublic(BaseModel):
    id: int
    channel: str
    address: str
    place_kind: str
    place: str
    language: str
    confirmed: bool
    created_at: datetime

    @model_validator(mode="after")
    def _without_secrets(self) -> Self:
        self.address = shown_address(self.channel, self.address)
        return self


class Unsubscribed(BaseModel):
    removed: bool


class WebPushKey(BaseModel):
    """What a page passes `PushManager.subscribe({userVisibleOnly: true, applicationServerKey})`."""

    applicationServerKey: str  # noqa: N815  (the Push API's own name)


@router.get("/partners", response_model=list[PartnerPublic], summary="Registered partners")
def list_partners(web: StateDep) -> list[PartnerPublic]:
    return [PartnerPublic.of(p) for p in partners.list_partners(web.ctx)]


@router.post(
    "/partners", response_model=PartnerPublic, status_code=201, summary="Register a partner"
)
def add_partner(body: PartnerDraft, principal: CurrentPrincipal, web: StateDep) -> PartnerPublic:
    partner = Partner.model_validate(body.model_dump())
    return PartnerPublic.of(partners.add_partner(web.ctx, actor=principal.name, partner=partner))


@router.get("/partners/{partner}", response_model=PartnerPublic, summary="One partner")
def get_partner(partner: PartnerPath, web: StateDep) -> PartnerPublic:
    return PartnerPublic.of(partners.get_partner(web.ctx, partner))


@router.post(
    "/partners/{partner}/disable", response_model=PartnerPublic, summary="Stop sending to it"
)
def disable_partner(
    partner: PartnerPath, principal: CurrentPrincipal, web: StateDep
) -> PartnerPublic:
    stored = partners.disable_partner(web.ctx, actor=principal.name, key=partner)
    return PartnerPublic.of(stored)


@router.post(
    "/subscriptions",
    response_model=SubscriptionReceived,
    status_code=202,
    summary="Subscribe to alerts for a place (confirmed by a message to the address)",
)
def subscribe(body: SubscriptionRequest, web: StateDep) -> SubscriptionReceived:
    subscription = Subscription.model_validate(body.model_dump())
    confirmed = subscription.proves_consent
    made = subscriptions.subscribe(
        web.ctx, actor="public", subscription=subscription, confirmed=confirmed
    )
    return SubscriptionReceived(id=made, confirmed=confirmed)


@router.get(
    "/web-push/key",
    response_model=WebPushKey,
    summary="The node's VAPID public key, for a page subscribing a browser to web push",
)
def web_push_key(web: StateDep) -> WebPushKey:
    return WebPushKey(applicationServerKey=web_push.application_server_key(web.settings))


class WebhookKey(BaseModel):
    """How to check the signature of a webhook to a subscriber (Standard Webhooks v1a)."""

    public_key: str  # whpk_ and the raw Ed25519 public key, base64
    scheme: str = "v1a"
    algorithm: str = "Ed25519"
    signed_content: str = "{webhook-id}.{webhook-timestamp}.{body}"


@router.get(
    "/webhook-key",
    response_model=WebhookKey,
    summary="The node's public key, to check the v1a signature of a subscriber's webhook",
)
def webhook_key(web: StateDep) -> WebhookKey:
    return WebhookKey(public_key=webhook_public_key(web.settings))


@router.post(
    "/unsubscribe",
    response_model=Unsubscribed,
    summary="One-click unsubscribe (RFC 8058) with the token from a message",
)
def unsubscribe_by_token(
    web: StateDep, token: Annotated[str, Query(min_length=16, max_length=100)]
) -> Unsubscribed:
    return Unsubscribed(removed=subscriptions.unsubscribe_by_token(web.ctx, token))


@router.get(
    "/subscriptions", response_model=list[SubscriptionPublic], summary="Subscriptions, by id"
)
def list_subscriptions(
    web: StateDep,
    channel: Annotated[str | None, Query(max_length=20)] = None,
    after: Annotated[int, Query(ge=0, le=2**62, description="Ids after this one.")] = 0,
    limit: LimitQuery = 100,
) -> list[SubscriptionPublic]:
    found = subscriptions.list_subscriptions(web.ctx, channel=channel, after=after, limit=limit)
    return [SubscriptionPublic.model_validate(s, from_attributes=True) for s in found]


@router.post("/subscriptions/{subscription_id}/confirm", status_code=204, summary="Confirm by hand")
def confirm_subscription(
    subscription_id: SubscriptionPath, principal: CurrentPrincipal, web: StateDep
) -> None:
    subscriptions.confirm_subscription(
        web.ctx, actor=principal.name, subscription_id=subscription_id
    )


@router.delete("/subscriptions/{subscription_id}", status_code=204, summary="Remove")
def remove_subscription(
    subscription_id: SubscriptionPath, principal: CurrentPrincipal, web: StateDep
) -> None:
    subscriptions.unsubscribe(web.ctx, actor=principal.name, subscription_id=subscription_id)

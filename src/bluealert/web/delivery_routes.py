"""Deliveries: how an alert's went, dead letters and their replay, and a partner's own."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bluealert.app import deliveries
from bluealert.app.addresses import shown_address
from bluealert.web.alert_routes import REFUSALS, ReferencePath
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.pagination import LimitQuery
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1", tags=["deliveries"])


class ChannelDeliveries(BaseModel):
    version: int
    event: str
    channel: str
    counts: dict[str, int] = Field(description="planned, sent, retrying, failed, skipped, …")


class DeliveryReport(BaseModel):
    """Per version, event and channel: how many were planned, sent, retrying or failed."""

    reference: str
    channels: list[ChannelDeliveries]
    first_sent: datetime | None
    last_sent: datetime | None
    median_latency_ms: float | None
    finished: bool


class Receipt(BaseModel):
    """One delivery to one recipient on one channel."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    alert_id: str
    version: int
    event: str
    recipient: str
    channel: str
    address: str
    state: str
    attempts: int
    detail: str
    sent_at: datetime | None
    latency_ms: int | None

    @model_validator(mode="after")
    def _without_secrets(self) -> Self:
        self.address = shown_address(self.channel, self.address)
        return self


class Replay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Annotated[int, Field(ge=1, le=2**62)]], Field(max_length=10_000)] = []
    alert: Annotated[str | None, Field(max_length=40)] = None


class Replayed(BaseModel):
    replayed: int


@router.get(
    "/alerts/{reference}/deliveries",
    response_model=DeliveryReport,
    responses=REFUSALS,
    summary="How the alert's deliveries went, per channel",
)
def alert_deliveries(reference: ReferencePath, web: StateDep) -> DeliveryReport:
    status = deliveries.delivery_status(web.ctx, reference)
    return DeliveryReport(
        reference=status.reference,
        channels=[
            ChannelDeliveries(version=c.version, event=c.event, channel=c.channel, counts=c.counts)
            for c in status.channels
        ],
        first_sent=status.first_sent,
        last_sent=status.last_sent,
        median_latency_ms=status.median_latency_ms,
        finished=status.finished,
    )


@router.get("/dead-letters", response_model=list[Receipt], summary="Deliveries that gave up")
def list_dead_letters(
    web: StateDep,
    alert: Annotated[str | None, Query(max_length=40, description="Only this alert's.")] = None,
    limit: LimitQuery = 100,
) -> list[Receipt]:
    found = deliveries.dead_letters(web.ctx, key=alert, limit=limit)
    return [Receipt.model_validate(r) for r in found]


@router.post("/dead-letters/replay", response_model=Replayed, summary="Send dead letters again")
def replay_dead_letters(body: Replay, principal: CurrentPrincipal, web: StateDep) -> Replayed:
    count = deliveries.replay_dead_letters(
        web.ctx, actor=principal.name, ids=body.ids, key=body.alert
    )
    return Replayed(replayed=count)


@router.get(
    "/partner/deliveries",
    response_model=list[Receipt],
    summary="A partner's own deliveries (with the partner's API key)",
)
def my_deliveries(
    principal: CurrentPrincipal,
    web: StateDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="Ids after this one.")] = 0,
    limit: LimitQuery = 100,
) -> list[Receipt]:
    partner = principal.name.removeprefix("partner:")
    found = deliveries.partner_receipts(web.ctx, partner, after=after, limit=limit)
    return [Receipt.model_validate(r) for r in found]

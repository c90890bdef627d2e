"""Use cases over receipts: how an alert's delivery goes, dead letters, and replaying them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bluealert.app.context import AppContext, transaction
from bluealert.domain.delivery import DeliveryState
from bluealert.errors import InvalidInput
from bluealert.store.deliveries import DeliveryRepository, Receipt
from bluealert.store.partners import PartnerRepository

# How `deliveries status` groups the states (the words: planned, sent, retrying, failed).
SHOWN = {
    "planned": "planned",
    "sending": "planned",
    "sent": "sent",
    "retrying": "retrying",
    "dead": "failed",
    "skipped": "skipped",
    "superseded": "superseded",
}
COLUMNS = ("planned", "sent", "retrying", "failed", "skipped", "superseded")


@dataclass
class ChannelStatus:
    version: int
    event: str
    channel: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.total - self.counts["planned"] - self.counts["retrying"]


@dataclass
class DeliveryStatus:
    alert_id: str
    reference: str
    channels: list[ChannelStatus]
    first_sent: datetime | None
    last_sent: datetime | None
    median_latency_ms: float | None

    @property
    def finished(self) -> bool:
        return all(c.done == c.total for c in self.channels)


def delivery_status(ctx: AppContext, key: str) -> DeliveryStatus:
    with transaction(ctx) as tx:
        alert = tx.alerts.get(key)
        repository = DeliveryRepository(tx.session)
        rows = repository.counts(alert.id)
        first, last, median = repository.latency(alert.id)
    grouped: dict[tuple[int, str, str], ChannelStatus] = {}
    for version, event, channel, state, count in rows:
        status = grouped.setdefault(
            (version, event, channel), ChannelStatus(version, event, channel)
        )
        status.counts[SHOWN[state]] += count
    return DeliveryStatus(alert.id, alert.reference, list(grouped.values()), first, last, median)


def dead_letters(ctx: AppContext, *, key: str | None = None, limit: int = 1000) -> list[Receipt]:
    with transaction(ctx) as tx:
        alert_id = tx.alerts.get(key).id if key else None
        return DeliveryRepository(tx.session).receipts(
            alert_id=alert_id, states=[DeliveryState.DEAD], limit=limit
        )


def replay_dead_letters(
    ctx: AppContext, *, actor: str, ids: Sequence[int] = (), key: str | None = None
) -> int:
    """Dead letters back to planned (all of an alert's, or the ones named); audited."""
    if not ids and not key:
        raise InvalidInput("name the dead letters: their ids, or --alert", field="ids")
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.get(actor)
        repository = DeliveryRepository(tx.session)
        alert_id = tx.alerts.get(key).id if key else None
        chosen = list(ids) or [
            r.id
            for r in repository.receipts(
                alert_id=alert_id, states=[DeliveryState.DEAD], limit=10**9
            )
        ]
        count = repository.replay(chosen, now)
        tx.outbox.nudge()
        tx.audit(
            "deliveries.replayed",
            actor=actor,
            subject_type="alert" if alert_id else "deliveries",
            subject_id=alert_id or ",".join(map(str, chosen))[:64],
            now=now,
            count=count,
        )
    return count


def partner_receipts(
    ctx: AppContext, partner: str, *, after: int = 0, limit: int = 100
) -> list[Receipt]:
    """A partner's own deliveries, by id: what it was sent and how each went."""
    with transaction(ctx) as tx:
        stored = PartnerRepository(tx.session).get(partner)
        return DeliveryRepository(tx.session).receipts(
            recipient=stored.recipient, after=after, limit=limit
        )


def delivery_outcomes(ctx: AppContext) -> dict[tuple[str, str], int]:
    """Deliveries by (channel, state), for the metrics."""
    with transaction(ctx) as tx:
        return DeliveryRepository(tx.session).outcomes()


def delivery_latency(ctx: AppContext, bounds_ms: Sequence[int]) -> tuple[list[int], int, int]:
    """Cumulative counts of sent deliveries within each latency bound, their count and sum."""
    with transaction(ctx) as tx:
        return DeliveryRepository(tx.session).latency_buckets(bounds_ms)

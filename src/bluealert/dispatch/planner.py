"""Plan deliveries for one outbox item: who is told of this version, by which channel.

1. Everyone who received an earlier version (priority 0: an update or an end reaches them first).
2. For a version in force: partners whose area the alert touches and who accept its status,
   then public subscribers inside the area (Actual alerts only), streamed in batches.
An end (cancel, resolve, expiry) goes to those who received the alert and no one else, and a
version that is no longer current, or an alert no longer in force, plans nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.app.feeds import FeedWriter
from bluealert.app.subscriptions import matches_in
from bluealert.dispatch.publication import area_facts, as_of
from bluealert.dispatch.rendering import render_version
from bluealert.domain.alert import Alert
from bluealert.domain.delivery import DeliveryState, Event, idempotency_key
from bluealert.domain.partner import Tier
from bluealert.domain.vocabulary import AlertState, Status
from bluealert.formats.context import Speaker
from bluealert.logs import get_logger
from bluealert.store.deliveries import DeliveryRepository
from bluealert.store.outbox import OutboxItem
from bluealert.store.partners import PartnerRepository, StoredPartner

log = get_logger("bluealert.dispatch")
CHUNK = 2000


@dataclass
class Plan:
    item: OutboxItem
    earlier: int = 0
    partners: int = 0
    subscribers: int = 0
    superseded: int = 0
    reason: str = ""


@dataclass(frozen=True)
class _Row:
    recipient: str
    channel: str
    address: str
    tier: Tier
    language: str
    priority: int


def in_force(alert: Alert, number: int, now: datetime) -> str:
    """Why version `number` must not go to anyone new; empty when it may."""
    if alert.current.number != number:
        return f"version {alert.current.number} supersedes it"
    if alert.state is not AlertState.ACTIVE:
        return f"the alert is {alert.state.value}"
    if alert.expires_at is not None and alert.expires_at <= now:
        return "the alert has expired"
    return ""


def _values(item: OutboxItem, event: Event, row: _Row, now: datetime) -> dict[str, Any]:
    return {
        "key": idempotency_key(item.alert_id, item.version, event, row.recipient, row.channel),
        "alert_id": item.alert_id,
        "version": item.version,
        "event": event.value,
        "recipient": row.recipient,
        "channel": row.channel,
        "address": row.address,
        "tier": row.tier.value,
        "language": row.language,
        "state": DeliveryState.PLANNED.value,
        "priority": row.priority,
        "attempts": 0,
        "announced_at": item.created_at,
        "planned_at": now,
        "detail": "",
    }


def _partner_row(stored: StoredPartner, priority: int) -> _Row:
    p = stored.partner
    return _Row(stored.recipient, p.channel, p.address, p.tier, "en", priority)


def _earlier(tx: Transaction, alert: Alert, item: OutboxItem) -> Iterator[_Row]:
    """Recipients of earlier versions, still enabled or subscribed."""
    found = DeliveryRepository(tx.session).earlier_recipients(alert.id, item.version)
    partner_ids = [int(r[1:]) for r, _, _ in found if r.startswith("p")]
    partners = PartnerRepository(tx.session).by_ids(partner_ids)
    subscriber_ids = [int(r[1:]) for r, _, _ in found if r.startswith("s")]
    languages = DeliveryRepository(tx.session).subscription_languages(subscriber_ids)
    for recipient, channel, address in found:
        number = int(recipient[1:])
        if recipient.startswith("p"):
            stored = partners.get(number)
            if stored is not None and stored.enabled and stored.partner.channel == channel:
                yield _partner_row(stored, 0)
        elif number in languages:
            yield _Row(recipient, channel, address, Tier.PUBLIC, languages[number], 0)


def _partners(tx: Transaction, alert: Alert) -> Iterator[_Row]:
    area = area_facts(alert.content)
    states, counties = set(area["states"]), set(area["counties"])
    for stored in PartnerRepository(tx.session).enabled():
        partner = stored.partner
        if partner.accepts(alert.status) and partner.area.meets(states, counties):
            yield _partner_row(stored, 1)


def _subscribers(tx: Transaction, alert: Alert) -> Iterator[list[_Row]]:
    # Never an Exercise or a Test to the public: subscribers are the public.
    if alert.status is not Status.ACTUAL:
        return
    for batch in matches_in(tx.session, alert.content.area, CHUNK):
        yield [
            _Row(f"s{m.subscription_id}", m.channel, m.address, Tier.PUBLIC, m.language, 1)
            for m in batch
        ]


def _insert(tx: Transaction, item: OutboxItem, event: Event, rows: list[_Row]) -> int:
    now = tx.ctx.clock()
    DeliveryRepository(tx.session).plan([_values(item, event, r, now) for r in rows])
    return len(rows)


def plan_item(
    ctx: AppContext,
    item_id: int,
    speaker: Speaker | None = None,
    feeds: FeedWriter | None = None,
) -> Plan | None:
    """Render, then plan in two transactions: earlier recipients and partners first (workers
    can start on them), then the subscribers, streamed. Both are idempotent; the item is
    marked dispatched in the second. None when another dispatcher holds or did the item."""
    with transaction(ctx) as tx:
        item = tx.outbox.take(item_id)
        if item is None:
            return None
        plan = Plan(item)
        event = Event(item.kind.value)
        alert = tx.alerts.get(item.alert_id)
        frozen = as_of(alert, item.version)
        wanted = {f for s in PartnerRepository(tx.session).enabled() for f in s.partner.formats}
        render_version(tx, alert, item.version, wanted, speaker)
        rows = list(_earlier(tx, alert, item))
        plan.earlier = _insert(tx, item, event, rows)
        plan.superseded = DeliveryRepository(tx.session).supersede_open(
            alert.id, item.version, event.value
        )
        live = not event.ends_alert
        plan.reason = in_force(alert, item.version, ctx.clock()) if live else ""
        if live and not plan.reason:
            plan.partners = _insert(tx, item, event, list(_partners(tx, frozen)))
    with transaction(ctx) as tx:
        if tx.outbox.take(item_id) is None:
            return None
        if live and not plan.reason:
            for batch in _subscribers(tx, frozen):
                plan.subscribers += _insert(tx, item, event, batch)
        tx.outbox.mark_dispatched(item_id, ctx.clock())
    (feeds or FeedWriter()).refresh(ctx)  # the static snapshots: live Actual alerts only
    log.info(
        "deliveries_planned",
        extra={
            "action": "deliveries_planned",
            "alert": item.alert_id,
            "version": item.version,
            "event": event.value,
            "earlier": plan.earlier,
            "partners": plan.partners,
            "subscribers": plan.subscribers,
            "not_planned": plan.reason,
        },
    )
    return plan

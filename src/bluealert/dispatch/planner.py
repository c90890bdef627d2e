"""Plan deliveries for one outbox item: who is told of this version, by which channel.

1. Everyone who received an earlier version (priority 0: an update or an end reaches them first).
2. For a version in force: partners whose area the alert touches and who accept its status,
   then public subscribers inside the area (Actual alerts only), streamed in batches.
An end (cancel, resolve, expiry) goes to those who received the alert and no one else, and a
version that is no longer current, or an alert no longer in force, plans nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.app.feeds import FeedWriter
from bluealert.app.subscriptions import AreaMatcher
from bluealert.dispatch.publication import area_facts, as_of
from bluealert.dispatch.rendering import render_version
from bluealert.domain.alert import Alert
from bluealert.domain.delivery import DeliveryState, Event, idempotency_key, key_prefix
from bluealert.domain.partner import Tier
from bluealert.domain.vocabulary import AlertState, Status
from bluealert.formats.context import Speaker
from bluealert.logs import get_logger
from bluealert.store.deliveries import DeliveryRepository
from bluealert.store.outbox import OutboxItem
from bluealert.store.partners import PartnerRepository, StoredPartner

log = get_logger("bluealert.dispatch")
CHUNK = 2000  # about as many subscribers planned per committed transaction
Planned = dict[str, list[int]]  # channel → ids of the deliveries just planned
Enqueue = Callable[[Planned], None]


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


def _shared(item: OutboxItem, event: Event, now: datetime, queued: bool) -> dict[str, Any]:
    """The columns every delivery of one planning step shares, whoever it goes to."""
    return {
        "alert_id": item.alert_id,
        "version": item.version,
        "event": event.value,
        "state": DeliveryState.PLANNED.value,
        "attempts": 0,
        "announced_at": item.created_at,
        "planned_at": now,
        "queued_at": now if queued else None,  # handed to the queue once this commits
        "detail": "",
    }


def _values(item: OutboxItem, event: Event, row: _Row, shared: dict[str, Any]) -> dict[str, Any]:
    return {
        **shared,
        "key": idempotency_key(item.alert_id, item.version, event, row.recipient, row.channel),
        "recipient": row.recipient,
        "channel": row.channel,
        "address": row.address,
        "tier": row.tier.value,
        "language": row.language,
        "priority": row.priority,
    }


def _grouped(planned: Iterable[tuple[int, str]], into: Planned | None = None) -> Planned:
    """(delivery id, channel) pairs as channel → ids, added to `into` when given."""
    grouped: Planned = {} if into is None else into
    for delivery_id, channel in planned:
        grouped.setdefault(channel, []).append(delivery_id)
    return grouped


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


def _insert(
    tx: Transaction,
    item: OutboxItem,
    event: Event,
    rows: list[_Row],
    queued: bool,
    into: Planned | None = None,
) -> Planned:
    """Plan `rows`; what was planned, added to `into` when given."""
    shared = _shared(item, event, tx.ctx.clock(), queued)
    values = [_values(item, event, r, shared) for r in rows]
    return _grouped(DeliveryRepository(tx.session).plan(values), into)


def _next_span(span: int, looked: int) -> int:
    """The width of the next range of ids, so that a range holds about CHUNK candidates
    wherever the area's subscribers lie among the ids (dense, sparse or clumped)."""
    if looked < CHUNK // 2:
        return span * 2
    if looked > CHUNK * 2:
        return max(1, span // 2)
    return span


def _plan_range(
    tx: Transaction,
    matcher: AreaMatcher,
    item: OutboxItem,
    event: Event,
    span: tuple[int, int],
    queued: bool,
) -> tuple[Planned, int]:
    """The subscribers with ids in the span (after, through]: those surely inside planned by
    the database (INSERT … SELECT, the bulk of a large area), those at the area's edges
    matched against its shape here. (What was planned, how many subscriptions were looked at.)"""
    constants = _shared(item, event, tx.ctx.clock(), queued)
    constants |= {"tier": Tier.PUBLIC.value, "priority": 1}
    planned = _grouped(
        DeliveryRepository(tx.session).plan_subscribers(
            matcher.sure_between(*span),
            prefix=key_prefix(item.alert_id, item.version, event),
            constants=constants,
        )
    )
    sure = sum(len(ids) for ids in planned.values())
    matches, looked = matcher.between(tx.session, *span)
    rows = [
        _Row(f"s{m.subscription_id}", m.channel, m.address, Tier.PUBLIC, m.language, 1)
        for m in matches
    ]
    _insert(tx, item, event, rows, queued, into=planned)
    return planned, sure + looked


def _plan_subscribers(
    ctx: AppContext, item: OutboxItem, event: Event, alert: Alert, enqueue: Enqueue | None
) -> tuple[int, bool]:
    """Public subscribers inside the area, a range of ids (about CHUNK candidates) per
    committed transaction, each range handed to `enqueue` once committed (sending overlaps
    planning). Resumes after the item's `planned_through`, so a second dispatcher or a
    restart goes on where the last range ended. (Deliveries planned here; whether the item
    is done: False when another dispatcher finished it.)"""
    planned, span = 0, CHUNK
    # Never an Exercise or a Test to the public: subscribers are the public.
    matcher = AreaMatcher.of(alert.content.area) if alert.status is Status.ACTUAL else None
    with transaction(ctx) as tx:
        end = matcher.last(tx.session) if matcher is not None else None
    while True:
        with transaction(ctx) as tx:
            held = tx.outbox.take(item.id)
            if held is None:
                return planned, False
            after = held.planned_through
            if matcher is None or end is None or after >= end:
                tx.outbox.mark_dispatched(item.id, ctx.clock())
                return planned, True
            through = min(after + span, end)
            page, looked = _plan_range(
                tx, matcher, item, event, (after, through), enqueue is not None
            )
            tx.outbox.planned_through(item.id, through)
        planned += sum(len(ids) for ids in page.values())
        span = _next_span(span, looked)
        if enqueue is not None and page:
            enqueue(page)


def plan_item(
    ctx: AppContext,
    item_id: int,
    speaker: Speaker | None = None,
    feeds: FeedWriter | None = None,
    enqueue: Enqueue | None = None,
) -> Plan | None:
    """Render, then plan: earlier recipients and partners in one transaction, then the
    subscribers a page per transaction. All of it is idempotent; the item is marked
    dispatched with the last page. With `enqueue`, the deliveries planned are marked queued
    and handed to it (channel → ids) after each commit; without it, the dispatcher's sweep
    finds them. None when another dispatcher holds or did the item."""
    queued = enqueue is not None
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
        earlier = list(_earlier(tx, alert, item))
        first = _insert(tx, item, event, earlier, queued)
        plan.earlier = len(earlier)
        plan.superseded = DeliveryRepository(tx.session).supersede_open(
            alert.id, item.version, event.value
        )
        live = not event.ends_alert
        plan.reason = in_force(alert, item.version, ctx.clock()) if live else ""
        if live and not plan.reason:
            matched = list(_partners(tx, frozen))
            plan.partners = len(matched)
            _insert(tx, item, event, matched, queued, into=first)
        if not live or plan.reason:
            tx.outbox.mark_dispatched(item_id, ctx.clock())
    if enqueue is not None and first:
        enqueue(first)
    if live and not plan.reason:
        plan.subscribers, done = _plan_subscribers(ctx, item, event, frozen, enqueue)
        if not done:
            return None
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

"""Delivery receipts: planned once per idempotency key, claimed under a lease, then settled.

The rows are the truth; a queue (in-process or RabbitMQ) only carries the ids of a batch.
A batch that arrives twice, or after its worker died, finds its rows settled or leased and
cannot make a second receipt: the key is unique and a claim is one UPDATE … RETURNING.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import String, Subquery, Table, and_, func, literal, or_, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bluealert.domain.delivery import DeliveryState
from bluealert.domain.subscription import PushKeys
from bluealert.store.tables import DeliveryRow, SubscriptionRow

S = DeliveryState
# Claims and settlements are Core statements: no ORM bookkeeping per row on the hot path.
_TABLE = cast(Table, DeliveryRow.__table__)
_C = _TABLE.c


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery a worker now holds: what it needs to send it."""

    id: int
    key: str
    alert_id: str
    version: int
    event: str
    recipient: str
    channel: str
    address: str
    tier: str
    language: str
    attempts: int
    announced_at: datetime


@dataclass(frozen=True, slots=True)
class Settlement:
    """What became of one claimed delivery."""

    id: int
    state: DeliveryState
    detail: str
    sent_at: datetime | None = None
    latency_ms: int | None = None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    id: int
    key: str
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


_CLAIMED = tuple(
    _C[name]
    for name in (
        "id", "key", "alert_id", "version", "event", "recipient", "channel", "address",
        "tier", "language", "attempts", "announced_at",
    )
)  # fmt: skip


def _ready(now: datetime, *, takeover: bool) -> Any:
    """Rows a worker may take now: planned, due retries, and sends whose worker is gone."""
    gone = _C.state == S.SENDING if takeover else _C.lease_until < now
    return or_(
        _C.state == S.PLANNED,
        and_(_C.state == S.RETRYING, _C.next_attempt_at <= now),
        and_(_C.state == S.SENDING, gone),
    )


def _waiting_for_retry() -> Any:
    """A retrying delivery not yet queued for its next attempt."""
    return or_(DeliveryRow.queued_at.is_(None), DeliveryRow.queued_at < DeliveryRow.next_attempt_at)


class DeliveryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def plan(self, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
        """INSERT … ON CONFLICT DO NOTHING: planning twice never makes a second receipt.
        The (id, channel) of the rows this call inserted, none of those that were there."""
        if not rows:
            return []
        statement = self._insert_once().returning(_C.id, _C.channel)
        return [(r[0], r[1]) for r in self.session.execute(statement, list(rows))]

    def plan_subscribers(
        self,
        subscribers: Subquery,
        *,
        prefix: str,
        constants: dict[str, Any],
    ) -> list[tuple[int, str]]:
        """The deliveries of the subscribers `subscribers` selects (id, channel, address,
        language), planned by the database in one INSERT … SELECT (no row passes through
        Python), ON CONFLICT DO NOTHING. `prefix` is their keys' (`key_prefix`), `constants`
        the columns alike for all (the row `plan` would be given, less what differs). The
        (id, channel) of the rows inserted."""
        sub = subscribers.c
        varying = {
            "key": literal(prefix) + "s" + sql_cast(sub.id, String) + "." + sub.channel,
            "recipient": literal("s") + sql_cast(sub.id, String),
            "channel": sub.channel,
            "address": sub.address,
            "language": sub.language,
        }
        fixed = {name: literal(value, _C[name].type) for name, value in constants.items()}
        columns = {**fixed, **varying}
        # SQLite reads ON CONFLICT after a bare FROM as a join's ON: a WHERE comes between.
        rows = select(*columns.values()).select_from(subscribers).where(sub.id.is_not(None))
        statement = self._insert_once().from_select(list(columns), rows)
        return [(r[0], r[1]) for r in self.session.execute(statement.returning(_C.id, _C.channel))]

    def _insert_once(self) -> Any:
        """INSERT … ON CONFLICT DO NOTHING in this session's dialect: a key planned twice
        makes one receipt."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        return insert(_TABLE).on_conflict_do_nothing()

    def due(self, now: datetime, *, requeue_after: timedelta, limit: int) -> list[tuple[int, str]]:
        """(id, channel) of deliveries to put on the queue: never queued, queued long ago
        without a worker taking them, retries now due, and sends whose lease ran out.
        Those who received an earlier version come first (priority 0)."""
        stale = now - requeue_after
        never_or_stale = or_(DeliveryRow.queued_at.is_(None), DeliveryRow.queued_at <= stale)
        query = (
            select(DeliveryRow.id, DeliveryRow.channel)
            .where(
                or_(
                    and_(DeliveryRow.state == S.PLANNED, never_or_stale),
                    and_(
                        DeliveryRow.state == S.RETRYING,
                        DeliveryRow.next_attempt_at <= now,
                        or_(_waiting_for_retry(), DeliveryRow.queued_at <= stale),
                    ),
                    and_(
                        DeliveryRow.state == S.SENDING,
                        DeliveryRow.lease_until < now,
                        never_or_stale,
                    ),
                )
            )
            .order_by(DeliveryRow.priority, DeliveryRow.id)
            .limit(limit)
        )
        return [(r[0], r[1]) for r in self.session.execute(query)]

    def mark_queued(self, ids: Sequence[int], now: datetime) -> None:
        for chunk in _chunks(ids, 5000):
            self.session.execute(
                update(DeliveryRow).where(DeliveryRow.id.in_(chunk)).values(queued_at=now)
            )

    def release_sending(self) -> int:
        """Every held delivery back to planned: for the embedded worker's start, the only
        process on its database, whose previous run died holding them. Its in-process queue
        died with it too, so what it had queued but not yet claimed is due again at once
        (left marked as queued, it would wait for the lease to run out, or for ever)."""
        result = self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == S.SENDING.value)
            .values(state=S.PLANNED.value, lease_until=None, queued_at=None)
        )
        self.session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.state.in_([S.PLANNED.value, S.RETRYING.value]),
                DeliveryRow.queued_at.is_not(None),
            )
            .values(queued_at=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def next_retry_at(self) -> datetime | None:
        """When the next retry falls due; not counting retries already queued (those whose
        batch was given back unsent are due again once their queueing is stale, as planned
        deliveries are)."""
        return self.session.scalar(
            select(func.min(DeliveryRow.next_attempt_at)).where(
                DeliveryRow.state == S.RETRYING, _waiting_for_retry()
            )
        )

    def claim(
        self, ids: Sequence[int], now: datetime, lease: timedelta, *, takeover: bool = False
    ) -> list[Claimed]:
        """Take the rows of a batch that are ready, in one statement; others are left alone.

        `takeover` also takes rows another worker holds: for a batch the broker redelivered
        because that worker's connection died, or at the start of the embedded worker."""
        statement = (
            update(_TABLE)
            .where(_C.id.in_(list(ids)), _ready(now, takeover=takeover))
            .values(
                state=S.SENDING.value,
                lease_until=now + lease,
                attempts=_C.attempts + 1,
            )
            .returning(*_CLAIMED)
        )
        return [Claimed(*row) for row in self.session.execute(statement)]

    def settle(self, settlements: Iterable[Settlement]) -> None:
        """One UPDATE … WHERE id IN per distinct outcome: a batch sent at once settles in one
        statement (its rows share the time sent and the latency), not one per delivery."""
        groups: dict[tuple[Any, ...], list[int]] = {}
        for s in settlements:
            outcome = (s.state.value, s.detail[:2000], s.sent_at, s.latency_ms, s.next_attempt_at)
            groups.setdefault(outcome, []).append(s.id)
        for (state, detail, sent_at, latency_ms, next_attempt_at), ids in groups.items():
            for chunk in _chunks(ids, 5000):
                self.session.execute(
                    update(_TABLE)
                    .where(_C.id.in_(chunk))
                    .values(
                        state=state,
                        detail=detail,
                        sent_at=sent_at,
                        latency_ms=latency_ms,
                        next_attempt_at=next_attempt_at,
                        lease_until=None,
                    )
                )

    def supersede_open(self, alert_id: str, version: int, event: str) -> int:
        """Deliveries of earlier versions (or, for an expiry, of this version in force) not
        yet sent are never sent: what comes now replaces them."""
        earlier = or_(
            DeliveryRow.version < version,
            and_(DeliveryRow.version == version, DeliveryRow.event != event),
        )
        result = self.session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.alert_id == alert_id,
                earlier,
                DeliveryRow.state.in_([S.PLANNED.value, S.RETRYING.value]),
            )
            .values(state=S.SUPERSEDED.value, detail="a later version superseded it")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def earlier_recipients(self, alert_id: str, version: int) -> list[tuple[str, str, str]]:
        """(recipient, channel, address) of everyone who received, or may be receiving right
        now, an earlier version: the first to be told of an update or an end."""
        query = (
            select(DeliveryRow.recipient, DeliveryRow.channel, DeliveryRow.address)
            .where(
                DeliveryRow.alert_id == alert_id,
                DeliveryRow.version <= version,
                DeliveryRow.state.in_([S.SENT.value, S.SENDING.value]),
            )
            .distinct()
        )
        return [(r[0], r[1], r[2]) for r in self.session.execute(query)]

    def counts(self, alert_id: str) -> list[tuple[int, str, str, str, int]]:
        """(version, event, channel, state, count) for one alert."""
        query = (
            select(
                DeliveryRow.version,
                DeliveryRow.event,
                DeliveryRow.channel,
                DeliveryRow.state,
                func.count(),
            )
            .where(DeliveryRow.alert_id == alert_id)
            .group_by(
                DeliveryRow.version, DeliveryRow.event, DeliveryRow.channel, DeliveryRow.state
            )
            .order_by(DeliveryRow.version, DeliveryRow.channel)
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self.session.execute(query)]

    def outcomes(self) -> dict[tuple[str, str], int]:
        """How many deliveries each channel has in each state, over every alert."""
        query = select(DeliveryRow.channel, DeliveryRow.state, func.count()).group_by(
            DeliveryRow.channel, DeliveryRow.state
        )
        return {(str(c), str(s)): int(n) for c, s, n in self.session.execute(query)}

    def latency_buckets(self, bounds_ms: Sequence[int]) -> tuple[list[int], int, int]:
        """Sent deliveries with latency at most each bound (cumulative), their count and sum."""
        sent = DeliveryRow.latency_ms.is_not(None)
        columns = [func.count().filter(DeliveryRow.latency_ms <= bound) for bound in bounds_ms]
        row = self.session.execute(
            select(
                *columns, func.count(), func.coalesce(func.sum(DeliveryRow.latency_ms), 0)
            ).where(sent)
        ).one()
        values = [int(v or 0) for v in row]
        return values[:-2], values[-2], values[-1]

    def latency(self, alert_id: str) -> tuple[datetime | None, datetime | None, float | None]:
        """First and last delivery of an alert, and the median latency (approval → sent)."""
        sent = DeliveryRow.state == S.SENT.value
        first, last = self.session.execute(
            select(func.min(DeliveryRow.sent_at), func.max(DeliveryRow.sent_at)).where(
                DeliveryRow.alert_id == alert_id, sent
            )
        ).one()
        latencies = [
            ms
            for ms in self.session.scalars(
                select(DeliveryRow.latency_ms)
                .where(DeliveryRow.alert_id == alert_id, sent)
                .order_by(DeliveryRow.latency_ms)
            )
            if ms is not None
        ]
        median = float(latencies[len(latencies) // 2]) if latencies else None
        return first, last, median

    def receipts(
        self,
        *,
        alert_id: str | None = None,
        states: Sequence[DeliveryState] = (),
        ids: Sequence[int] = (),
        limit: int = 1000,
        recipient: str | None = None,
        after: int = 0,
    ) -> list[Receipt]:
        query = select(DeliveryRow).order_by(DeliveryRow.id).limit(limit)
        if after:
            query = query.where(DeliveryRow.id > after)
        if recipient:
            query = query.where(DeliveryRow.recipient == recipient)
        if alert_id:
            query = query.where(DeliveryRow.alert_id == alert_id)
        if states:
            query = query.where(DeliveryRow.state.in_([s.value for s in states]))
        if ids:
            query = query.where(DeliveryRow.id.in_(list(ids)))
        return [
            Receipt(
                r.id,
                r.key,
                r.alert_id,
                r.version,
                r.event,
                r.recipient,
                r.channel,
                r.address,
                r.state,
                r.attempts,
                r.detail,
                r.sent_at,
                r.latency_ms,
            )
            for r in self.session.scalars(query)
        ]

    def replay(self, ids: Sequence[int], now: datetime) -> int:
        """Dead letters back to planned, with their attempts counted afresh."""
        result = self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(list(ids)), DeliveryRow.state == S.DEAD.value)
            .values(
                state=S.PLANNED.value,
                attempts=0,
                queued_at=None,
                next_attempt_at=None,
                detail=f"replayed at {now.isoformat(timespec='seconds')}",
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def open_count(self, now: datetime) -> int:
        """Deliveries a worker could take now (planned, due retries, expired leases)."""
        return int(
            self.session.scalar(
                select(func.count()).select_from(DeliveryRow).where(_ready(now, takeover=False))
            )
            or 0
        )

    def unsubscribe_tokens(self, subscription_ids: Sequence[int]) -> dict[int, str]:
        rows = self.session.execute(
            select(SubscriptionRow.id, SubscriptionRow.unsubscribe_token).where(
                SubscriptionRow.id.in_(list(subscription_ids))
            )
        )
        return {r[0]: r[1] for r in rows if r[1]}

    def push_keys(self, subscription_ids: Sequence[int]) -> dict[int, PushKeys]:
        """The browser keys of each web push subscription that still exists."""
        found: dict[int, PushKeys] = {}
        for chunk in _chunks(list(subscription_ids), 5000):
            rows = self.session.execute(
                select(SubscriptionRow.id, SubscriptionRow.push_keys).where(
                    SubscriptionRow.id.in_(chunk)
                )
            )
            found |= {r[0]: PushKeys.model_validate(r[1]) for r in rows if r[1]}
        return found

    def subscription_languages(self, subscription_ids: Sequence[int]) -> dict[int, str]:
        """The language of each subscription that still exists and is confirmed."""
        found: dict[int, str] = {}
        for chunk in _chunks(list(subscription_ids), 5000):
            rows = self.session.execute(
                select(SubscriptionRow.id, SubscriptionRow.language).where(
                    SubscriptionRow.id.in_(list(chunk)), SubscriptionRow.confirmed_at.is_not(None)
                )
            )
            found.update({r[0]: r[1] for r in rows})
        return found


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]

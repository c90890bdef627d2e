"""Subscriptions stored as county sets: "who is inside this area" is an indexed lookup."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, Select, Subquery, case, delete, func, not_, or_, select
from sqlalchemy.orm import Session

from bluealert.domain.subscription import Subscription
from bluealert.errors import NotFound
from bluealert.store.tables import SubscriptionCountyRow, SubscriptionRow

BATCH = 5000


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    channel: str
    address: str
    place_kind: str
    lat: float | None
    lon: float | None
    radius_km: float | None
    polygon: list[list[float]] | None
    language: str
    sure: bool  # reaches a county the area covers whole, or reaches a county whole itself


@dataclass(frozen=True, slots=True)
class StoredSubscription:
    id: int
    channel: str
    address: str
    place_kind: str
    place: str
    language: str
    confirmed: bool
    created_at: datetime


class SubscriptionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        subscription: Subscription,
        counties: list[tuple[str, bool]],
        now: datetime,
        *,
        confirmed: bool,
        unsubscribe_token: str,
    ) -> int:
        row = SubscriptionRow(
            channel=subscription.channel,
            address=subscription.address,
            place_kind=subscription.place_kind,
            place=subscription.place,
            lat=subscription.lat,
            lon=subscription.lon,
            radius_km=subscription.radius_km,
            polygon=[list(p) for p in subscription.polygon] if subscription.polygon else None,
            language=subscription.language,
            created_at=now,
            confirmed_at=now if confirmed else None,
            unsubscribe_token=unsubscribe_token,
            push_keys=subscription.keys.model_dump() if subscription.keys else None,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add_all(
            SubscriptionCountyRow(county_fips=fips, subscription_id=row.id, partial=partial)
            for fips, partial in counties
        )
        self.session.flush()
        return row.id

    def remove(self, subscription_id: int) -> None:
        if self.session.get(SubscriptionRow, subscription_id) is None:
            raise NotFound(f"no subscription {subscription_id}", field="subscription")
        self.session.execute(
            delete(SubscriptionCountyRow).where(
                SubscriptionCountyRow.subscription_id == subscription_id
            )
        )
        self.session.execute(delete(SubscriptionRow).where(SubscriptionRow.id == subscription_id))

    def existing(self, subscription_ids: Sequence[int]) -> list[int]:
        query = select(SubscriptionRow.id).where(SubscriptionRow.id.in_(list(subscription_ids)))
        return sorted(self.session.scalars(query))

    def confirm(self, subscription_id: int, now: datetime) -> None:
        row = self.session.get(SubscriptionRow, subscription_id)
        if row is None:
            raise NotFound(f"no subscription {subscription_id}", field="subscription")
        row.confirmed_at = row.confirmed_at or now

    def by_token(self, token: str) -> int | None:
        return self.session.scalar(
            select(SubscriptionRow.id).where(SubscriptionRow.unsubscribe_token == token)
        )

    def token_of(self, subscription_id: int) -> str | None:
        row = self.session.get(SubscriptionRow, subscription_id)
        return row.unsubscribe_token if row else None

    def listed(
        self, *, channel: str | None = None, after: int = 0, limit: int = 100
    ) -> list[StoredSubscription]:
        query = (
            select(SubscriptionRow)
            .where(SubscriptionRow.id > after)
            .order_by(SubscriptionRow.id)
            .limit(limit)
        )
        if channel:
            query = query.where(SubscriptionRow.channel == channel)
        return [
            StoredSubscription(
                r.id,
                r.channel,
                r.address,
                r.place_kind,
                r.place or _shape_place(r),
                r.language,
                r.confirmed_at is not None,
                r.created_at,
            )
            for r in self.session.scalars(query)
        ]

    def candidates(
        self, counties: Sequence[str], covered: Sequence[str], batch: int = BATCH
    ) -> Iterator[list[Candidate]]:
        """Subscriptions reaching any of `counties`, each once, streamed in batches (never all
        at once). A candidate is sure when it reaches one of the `covered` counties, or reaches
        one of `counties` entirely; the others need refining against the exact shapes."""
        if not counties:
            return
        query = candidates_query(counties, covered).execution_options(yield_per=batch)
        result = self.session.execute(query)
        try:
            for rows in result.partitions(batch):
                yield [_candidate(r) for r in rows]
        finally:
            result.close()

    def candidates_between(
        self, counties: Sequence[str], covered: Sequence[str], after: int, through: int
    ) -> tuple[list[Candidate], int]:
        """Confirmed subscriptions with ids in (after, through] reaching any of `counties` but
        not surely inside (those `sure_between` selects), and how many were looked at: a
        range that one transaction of its own can plan. Each county's range is one index
        search, however many counties or pages there are."""
        found = _found_between(counties, covered, after, through)
        query = (
            select(*_CANDIDATE, found.c.sure, SubscriptionRow.confirmed_at.is_not(None))
            .select_from(found)
            .outerjoin(SubscriptionRow, SubscriptionRow.id == found.c.subscription_id)
            .where(found.c.sure == 0)
            .order_by(found.c.subscription_id)
        )
        rows = self.session.execute(query).all()
        # Double opt-in: an unconfirmed address never receives (nor a removed one).
        return [_candidate(r[:-1]) for r in rows if r[-1]], len(rows)

    def last_reaching(self, counties: Sequence[str]) -> int | None:
        """The highest subscription id reaching any of `counties` (an index search each)."""
        reach = SubscriptionCountyRow
        query = select(func.max(reach.subscription_id)).where(reach.county_fips.in_(counties))
        return self.session.scalar(query) if counties else None


def sure_between(
    counties: Sequence[str], covered: Sequence[str], after: int, through: int
) -> Subquery:
    """Confirmed subscriptions with ids in (after, through] surely inside the area (they reach
    a county it covers whole, or one of its counties whole): id, channel, address, language.
    A subquery, for the planner to insert their deliveries without reading them."""
    found = _found_between(counties, covered, after, through)
    return (
        select(*_SURE)
        .select_from(found)
        .join(SubscriptionRow, SubscriptionRow.id == found.c.subscription_id)
        .where(found.c.sure == 1, SubscriptionRow.confirmed_at.is_not(None))
        .subquery("sure")
    )


_SURE = (
    SubscriptionRow.id,
    SubscriptionRow.channel,
    SubscriptionRow.address,
    SubscriptionRow.language,
)


def _found_between(
    counties: Sequence[str], covered: Sequence[str], after: int, through: int
) -> CTE:
    in_range = SubscriptionCountyRow.subscription_id.between(after + 1, through)
    return _reach(counties, covered).where(in_range).cte("found")


def candidates_query(counties: Sequence[str], covered: Sequence[str]) -> Select[*tuple[Any, ...]]:
    """One row per subscription reaching `counties`: an index search on the county key, grouped
    by subscription in the database (so a subscription reaching several of the counties comes
    once, without the caller remembering every id), then each subscription by primary key.

    The grouping is a materialised CTE: grouped in the outer query, PostgreSQL plans a cursor
    for its first rows and walks the whole table in subscription order to skip the sort."""
    found = _reach(counties, covered).cte("found").prefix_with("MATERIALIZED")
    return (
        select(*_CANDIDATE, found.c.sure)
        .join(found, found.c.subscription_id == SubscriptionRow.id)
        # Double opt-in: an unconfirmed address never receives.
        .where(SubscriptionRow.confirmed_at.is_not(None))
    )


_CANDIDATE = (
    SubscriptionRow.id,
    SubscriptionRow.channel,
    SubscriptionRow.address,
    SubscriptionRow.place_kind,
    SubscriptionRow.lat,
    SubscriptionRow.lon,
    SubscriptionRow.radius_km,
    SubscriptionRow.polygon,
    SubscriptionRow.language,
)


def _reach(counties: Sequence[str], covered: Sequence[str]) -> Select[*tuple[Any, ...]]:
    """Each subscription reaching `counties` once, `sure` when it reaches a covered county or
    one of them whole."""
    reach = SubscriptionCountyRow
    whole = or_(reach.county_fips.in_(list(covered)), not_(reach.partial))
    return (
        select(reach.subscription_id, func.max(case((whole, 1), else_=0)).label("sure"))
        .where(reach.county_fips.in_(list(counties)))
        .group_by(reach.subscription_id)
    )


def _shape_place(row: SubscriptionRow) -> str:
    if row.place_kind == "point":
        radius = f" +{row.radius_km:g} km" if row.radius_km else ""
        return f"{row.lat:.4f},{row.lon:.4f}{radius}"
    return f"polygon of {len(row.polygon or [])} points"


def _candidate(row: Sequence[Any]) -> Candidate:
    values: list[Any] = list(row)
    values[-1] = bool(values[-1])
    return Candidate(*values)
